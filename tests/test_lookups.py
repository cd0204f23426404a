"""`field__any=[...]` sends a batch as one array literal on PostgreSQL: every value matches itself exactly, whatever
characters it holds, and nothing else."""

from datetime import UTC, date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.db.models.functions import TruncDate

from accounts.models import RedAccount
from kos_platform.lookups import Pairs, array_literal

from .factories import RedAccountFactory

pytestmark = pytest.mark.django_db

AWKWARD = ['a"b', "back\\slash", "comma,brace{}", "two words", "NULL", "引号‘’", ""]


def test_any_matches_awkward_text_exactly():
    accounts = {red_id: RedAccountFactory(red_id=red_id).pk for red_id in AWKWARD}
    RedAccountFactory(red_id="NULLX")

    found = dict(RedAccount.objects.filter(red_id__any=AWKWARD).values_list("red_id", "pk"))

    assert found == accounts


def test_any_on_keys_and_an_empty_list():
    accounts = RedAccountFactory.create_batch(3)
    pks = [account.pk for account in accounts[:2]]

    assert sorted(RedAccount.objects.filter(pk__any=pks).values_list("pk", flat=True)) == sorted(pks)
    assert not RedAccount.objects.filter(pk__any=[]).exists()


def test_array_literal_of_numbers_dates_booleans_and_nulls_reads_back_in_postgresql():
    """The unquoted kinds of `array_literal` (the ingest's columns) arrive as they were sent."""
    columns = [[1, 2**40], [date(2026, 11, 21), None], [0.5, Decimal("1.25"), None], [True, False], ["(3,4)"]]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT %s::bigint[], %s::date[], %s::numeric[], %s::boolean[], %s::tid[]::text[]",
            [array_literal(column) for column in columns],
        )
        row = cursor.fetchone()

    assert list(row) == [[1, 2**40], [date(2026, 11, 21), None], [Decimal("0.5"), Decimal("1.25"), None],
                         [True, False], ["(3,4)"]]  # fmt: skip


def test_pairs_match_exactly_the_given_pairs_of_two_columns():
    """`Pairs` keeps a row whose two values are one of the pairs — not one whose values each occur in some pair."""
    from notes.models import Note

    from .notes.factories import NoteFactory

    notes = [NoteFactory(published_at=datetime(2026, 11, day, 4, tzinfo=UTC)) for day in (1, 2, 3)]
    wanted = [(notes[0].author_id, date(2026, 11, 1)), (notes[1].author_id, date(2026, 11, 2))]
    crossed = [(notes[0].author_id, date(2026, 11, 2)), (notes[2].author_id, date(2026, 11, 1))]
    local = Note.objects.annotate(day=TruncDate("published_at", tzinfo=ZoneInfo("Asia/Shanghai")))

    assert set(local.filter(Pairs("author_id", "day", wanted)).values_list("pk", flat=True)) == {
        n.pk for n in notes[:2]
    }
    assert not local.filter(Pairs("author_id", "day", crossed)).exists()
    assert not local.filter(Pairs("author_id", "day", [])).exists()
