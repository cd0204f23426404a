"""Metrics ingests keeping their rollups side by side (D01, PostgreSQL): two batches of the same accounts' days at
once neither deadlock nor lose an addition, and a refresh job waits for them; the rows equal a rebuild's."""

import threading
from datetime import timedelta

import pytest
from django.db import connection

from analytics import rollups
from analytics.models import AccountDay, EnterpriseDay, NoteDay
from kos_platform import clock
from kos_platform.tenancy import Actor
from notes import metrics_ingest

from ..bindings.factories import BindingFactory
from ..factories import RedAccountFactory
from ..notes.factories import NoteFactory
from ..notes.helpers import metric_row

pytestmark = pytest.mark.django_db(transaction=True)
ROUNDS = 6


def rows() -> tuple:
    return (
        sorted(NoteDay.objects.values_list()),
        sorted(AccountDay.objects.values_list(*(f.attname for f in AccountDay._meta.concrete_fields[1:]))),
        sorted(EnterpriseDay.objects.values_list()),
    )


def test_d01_concurrent_metrics_ingests_add_up_exactly(world):
    if connection.vendor != "postgresql":
        pytest.skip("the ingest keeps its own rollups on PostgreSQL")
    today = clock.local_today()
    accounts = [RedAccountFactory() for _ in range(4)]
    for account in accounts:
        BindingFactory(enterprise=world.enterprise, red_account=account, effective_at=clock.now() - timedelta(days=30))
    notes = [NoteFactory(author=account, published_at=clock.now() - timedelta(days=20)) for account in accounts * 4]
    days = [today - timedelta(days=n) for n in range(1, 6)]
    rollups.rebuild_all()  # the notes' publication (made by the factory, not the ingest)
    actor = Actor(user=world.users["staff"])
    start, errors = threading.Barrier(3), []

    def ingest_rounds(mine: list) -> None:
        """Each round revises every day of this side's notes (the other side has the other notes of the same
        accounts, so the same account-days and enterprise-days)."""
        try:
            start.wait()
            for number in range(ROUNDS):
                batch = [
                    metric_row(n.note_id, day, exposure=number * 7 + day.day, likes=number)
                    for n in mine
                    for day in days
                ]
                metrics_ingest.upsert_metrics(actor=actor, rows=batch)
        except Exception as error:  # reported below, from the test's thread
            errors.append(error)
        finally:
            connection.close()

    def refresh_rounds() -> None:
        try:
            start.wait()
            for _ in range(ROUNDS):
                rollups.refresh(rollups.BINDINGS, [(account.pk, day) for account in accounts for day in days])
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=ingest_rounds, args=(notes[side::2],)) for side in (0, 1)]
    threads.append(threading.Thread(target=refresh_rounds))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    exposure = sum((ROUNDS - 1) * 7 + day.day for day in days) * len(notes)
    assert sum(EnterpriseDay.objects.values_list("exposure", flat=True)) == exposure
    kept = rows()
    rollups.rebuild_all()
    assert rows() == kept
