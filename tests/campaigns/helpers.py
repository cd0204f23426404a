"""Helpers for the ad tests: pushed notes, recharges and spend rows, through the services the API calls."""

from datetime import date
from decimal import Decimal

from django.db import transaction

from campaigns import ledger
from campaigns.models import LedgerLine
from kos_platform import clock
from kos_platform.tenancy import Actor, Workspace
from notes.models import NotePush

from ..notes import factories as note_factories


def workspace_of(enterprise, user) -> Workspace:
    return Workspace(enterprise=enterprise, user=user, role="owner")


@transaction.atomic
def pushed_note(enterprise, account=None, **fields):
    """An approved note of an employee bound to `enterprise`, pushed to ads (N06)."""
    author = account or note_factories.bind(enterprise).red_account
    note = note_factories.NoteFactory(author=author, **fields)
    note_factories.submit(note, enterprise, "approved")
    NotePush.objects.create(enterprise=enterprise, note=note, pushed_at=clock.now())
    return note


def recharge(enterprise, user, amount) -> LedgerLine:
    return ledger.recharge(workspace=workspace_of(enterprise, user), amount=Decimal(amount))


def spend_row(enterprise, note, day: date | None = None, amount="100.00", **fields) -> dict:
    """One row of `POST /api/v1/platform/ad-spend/`."""
    return {
        "enterprise_id": enterprise.pk,
        "note_id": note.note_id,
        "date": (day or clock.local_today()).isoformat(),
        "amount": amount,
        "impressions": 1000,
        "clicks": 50,
    } | fields


def post_spend(staff_client, rows):
    response = staff_client.post("/api/v1/platform/ad-spend/", rows, format="json")
    assert response.status_code == 200, response.content
    return response.json()


def staff_actor(world) -> Actor:
    return Actor(user=world.users["staff"])


def ledger_total(enterprise) -> Decimal:
    return ledger.ledger_sum(enterprise)
