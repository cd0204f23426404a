"""Money under concurrency, each request on its own database connection (E05): 50 boosts at once against a balance
that covers 10 — exactly 10 succeed; a recharge, a spend batch and boosts at once keep the ledger exact."""

import threading
from collections import Counter
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from rest_framework.test import APIClient

from campaigns.models import AdAccount, LedgerLine
from kos_platform import clock
from notes.models import NoteBoost

from ..factories import user_token
from .helpers import ledger_total, pushed_note, recharge, spend_row

THREADS = 50
# Many threads, each on its own connection: one such test at a time across pytest-xdist's workers.
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("connections_to_spare")]


def run_at_once(calls) -> list:
    """Run each call in its own thread and connection, released together; their results (or errors) in order."""
    ready = threading.Barrier(len(calls), timeout=30)
    results = [None] * len(calls)

    def run(index, call):
        try:
            connection.ensure_connection()
            ready.wait()
            results[index] = call()
        except Exception as error:  # any other outcome fails the test with its repr
            results[index] = repr(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=90)
    assert not any(thread.is_alive() for thread in threads)
    return results


def client_of(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {user_token(user)}")
    client.get("/api/v1/me/")  # records the token's first use before the race
    return client


def test_e05_fifty_concurrent_boosts_against_a_balance_for_ten(world):
    enterprise = world.enterprise
    recharge(enterprise, world.users["owner"], "9000.00")
    note = pushed_note(enterprise)
    client = client_of(world.users["operator"])
    url = f"/api/v1/enterprises/{enterprise.pk}/notes/{note.note_id}/boost/"

    def boost():
        response = client.post(url, {"budget": "900.00"}, format="json")
        return response.status_code, response.json().get("code", "")

    outcomes = run_at_once([boost] * THREADS)

    assert Counter(outcomes) == {(201, ""): 10, (409, "insufficient_balance"): 40}
    account = AdAccount.objects.get(pk=enterprise.pk)
    assert account.balance == Decimal("0.00") == ledger_total(enterprise)
    assert NoteBoost.objects.filter(enterprise=enterprise).count() == 10
    assert LedgerLine.objects.filter(account=account, kind="boost").count() == 10


def test_e05_a_recharge_spend_batches_and_boosts_at_once_keep_the_ledger_exact(world):
    enterprise = world.enterprise
    recharge(enterprise, world.users["owner"], "9000.00")
    notes = [pushed_note(enterprise) for _ in range(3)]
    owner, staff, operator = (client_of(world.users[name]) for name in ("owner", "staff", "operator"))
    today = clock.local_today()
    base = f"/api/v1/enterprises/{enterprise.pk}"

    def recharge_call():
        return owner.post(f"{base}/ad-account/recharge/", {"amount": "1000.00"}, format="json").status_code

    def spend_call(offset):
        def call():
            rows = [spend_row(enterprise, note, today - timedelta(days=offset), "33.33") for note in notes]
            return staff.post("/api/v1/platform/ad-spend/", rows, format="json").status_code

        return call

    def boost_call(note):
        def call():
            return operator.post(f"{base}/notes/{note.note_id}/boost/", {"budget": "10.01"}, format="json").status_code

        return call

    calls = [recharge_call, *(spend_call(d) for d in range(5)), *(boost_call(notes[n % 3]) for n in range(12))]
    assert run_at_once(calls) == [201] + [200] * 5 + [201] * 12

    expected = Decimal("9000.00") + Decimal("1000.00") - 15 * Decimal("33.33") - 12 * Decimal("10.01")
    account = AdAccount.objects.get(pk=enterprise.pk)
    assert account.balance == expected == ledger_total(enterprise)
    assert account.recharged_total - account.spent_total == account.balance
    # Each line's balance_after is the running sum of the lines up to it.
    running = Decimal("0.00")
    for amount, balance_after in (
        LedgerLine.objects.filter(account=account).order_by("id").values_list("amount", "balance_after")
    ):
        running += amount
        assert balance_after == running
