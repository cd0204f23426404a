"""I05 bookkeeping: the expiry sweep marks what is already true, audits each invitation, tells each enterprise once."""

from datetime import timedelta

import pytest

from accounts.models import AuditEvent
from bindings import sweeps
from bindings.models import Invitation, Notification
from kos_platform import clock

from ..factories import EnterpriseFactory
from .factories import InvitationFactory

pytestmark = pytest.mark.django_db


def lapsed(enterprise, n):
    invitations = [InvitationFactory(enterprise=enterprise, sent=True) for _ in range(n)]
    Invitation.objects.filter(pk__in=[i.pk for i in invitations]).update(expires_at=clock.now() - timedelta(minutes=1))
    return invitations


def test_i05_sweep_audits_each_invitation_and_tells_each_enterprise_once():
    big, small = EnterpriseFactory(), EnterpriseFactory()
    many, one = lapsed(big, 3), lapsed(small, 1)

    assert sweeps.expire_due_invitations() == 4

    assert set(Invitation.objects.values_list("status", flat=True)) == {"expired"}
    events = AuditEvent.objects.filter(action="invitation.expired")
    assert sorted(int(e.object_id) for e in events) == sorted(i.pk for i in [*many, *one])
    assert all(e.object_repr.endswith(f"→ {e.enterprise.name}") for e in events)
    notices = {
        n.enterprise_id: (n.count, n.invitation_id) for n in Notification.objects.filter(kind="invitation_expired")
    }
    assert notices == {big.pk: (3, None), small.pk: (1, one[0].pk)}


def test_i05_a_second_sweep_finds_nothing_and_sends_nothing():
    lapsed(EnterpriseFactory(), 2)
    sweeps.expire_due_invitations()

    assert sweeps.expire_due_invitations() == 0
    assert Notification.objects.count() == 1 and AuditEvent.objects.filter(action="invitation.expired").count() == 2
