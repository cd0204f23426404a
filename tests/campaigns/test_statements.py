"""The written-out spend upsert (campaigns.statements) gives the ORM path's answer on the same batches."""

from datetime import timedelta
from decimal import Decimal

import pytest

from campaigns import spend
from campaigns.models import AdSpendDaily
from kos_platform import clock

from .helpers import pushed_note

pytestmark = pytest.mark.django_db


def test_the_spend_statement_equals_the_orm_path(world, monkeypatch):
    enterprise = world.enterprise
    notes = [pushed_note(enterprise) for _ in range(3)]
    today = clock.local_today()

    def batch(amounts):
        return [
            spend.SpendRow(
                enterprise.pk, note.note_id, today - timedelta(days=d), None, Decimal(amount), (d, 1, 0, 0, 0, 0, 0)
            )
            for note in notes
            for d, amount in enumerate(amounts)
        ]

    keys = {note.note_id: note.pk for note in notes}
    answers = []
    for write in (spend._write, spend._changes_by_orm):
        AdSpendDaily.objects.all().delete()
        first = write(batch(["10.00", "20.50"]), keys)
        second = write(batch(["7.25", "20.50", "3.00"]), keys)
        rows = sorted(AdSpendDaily.objects.values_list("note_id", "date", "amount", "impressions", "clicks"))
        answers.append((first, second, rows))
    assert answers[0] == answers[1]
    changes, replaced = answers[0][1]
    assert replaced == 6
    assert changes[(enterprise.pk, today)] == Decimal("-8.25")
    assert changes[(enterprise.pk, today - timedelta(days=2))] == Decimal("9.00")
