"""The run command's demo data loads through the services, every login works, and a second load changes nothing."""

import io

import pytest
from django.core.management import call_command

from accounts.management.commands.load_demo import PASSWORD
from accounts.models import Enterprise, User
from bindings.models import Binding, Invitation
from campaigns import ledger, rights
from campaigns.models import AdAccount, Campaign
from notes.models import Note, NoteBoost, NotePush, NoteReview

from ..conftest import database_fingerprint

pytestmark = pytest.mark.django_db


def test_demo_data_is_complete_and_idempotent():
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    logins = out.getvalue().split("Demo logins")[1].splitlines()[1:]
    usernames = [line.split()[0] for line in logins if line.strip()]
    assert len(usernames) == 17
    assert all(User.objects.get(username=name).check_password(PASSWORD) for name in usernames)
    assert Binding.objects.filter(status="active", red_account__red_id="95270002").count() == 1
    assert sorted(Invitation.objects.values_list("status", flat=True)) == [
        *["accepted"] * 4,
        "pending_review",
        "sent",
    ]
    brand = Enterprise.objects.get(name="花漾美妆")
    assert Note.objects.filter(enterprise=brand).count() >= 20
    assert set(NoteReview.objects.values_list("status", flat=True)) == {"in_review", "approved", "rejected"}
    assert NotePush.objects.count() == 3 and NoteBoost.objects.count() == 1  # every approved note pushed
    # Ads: the first recharge, three campaigns (delivering, a search draft, paused), a month of spend that unlocks
    # advanced rights, the DM service; the ledger is the balance.
    account = AdAccount.objects.get(pk=brand.pk)
    assert account.first_recharge_at and account.balance == ledger.ledger_sum(brand) > 0
    assert sorted(Campaign.objects.filter(enterprise=brand).values_list("status", flat=True)) == [
        "active",
        "draft",
        "paused",
    ]
    assert rights.rights_of(brand).unlocked and rights.served_dm_service(brand)["dial_card"]

    before = database_fingerprint()
    call_command("load_demo", stdout=io.StringIO())
    assert database_fingerprint() == before
