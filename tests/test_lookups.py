"""`field__any=[...]` sends a batch as one array literal on PostgreSQL: every value matches itself exactly, whatever
characters it holds, and nothing else."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection

from accounts.models import RedAccount
from kos_platform.lookups import array_literal

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
