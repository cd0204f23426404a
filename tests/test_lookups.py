"""`field__any=[...]` sends a batch as one array literal on PostgreSQL: every value matches itself exactly, whatever
characters it holds, and nothing else."""

import pytest

from accounts.models import RedAccount

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
