"""The timed-rule sweeps run by a real Celery worker on Redis (no eager mode): I05 bookkeeping — expired
invitations marked, audited and notified once — and the employee's reminder 6 hours before expiry."""

from datetime import timedelta

import pytest

from accounts.models import AuditEvent
from bindings import tasks
from bindings.models import Invitation, Notification
from kos_platform import clock

from ..factories import EnterpriseFactory, RedAccountFactory
from ..workers import wait_for
from .factories import InvitationFactory

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]


def sent_invitations(n: int, *, expires_in: timedelta) -> list[Invitation]:
    """n sent invitations from different enterprises whose 48 hours end `expires_in` from now."""
    invitations = []
    for _ in range(n):
        invitation = InvitationFactory(enterprise=EnterpriseFactory(), sent=True)
        invitation.sent_at = clock.now() + expires_in - timedelta(hours=48)
        invitation.expires_at = clock.now() + expires_in
        invitation.save(update_fields=["sent_at", "expires_at"])
        invitations.append(invitation)
    return invitations


def test_i05_worker_marks_lapsed_invitations_expired_once(worker):
    lapsed = sent_invitations(3, expires_in=-timedelta(minutes=1))
    waiting = sent_invitations(1, expires_in=timedelta(hours=1))[0]
    ids = [invitation.pk for invitation in lapsed]

    worker.run(tasks.expire_invitations)

    wait_for(lambda: Invitation.objects.filter(pk__in=ids, status="expired").count() == 3, "expire invitations")
    assert Invitation.objects.get(pk=waiting.pk).status == "sent"
    for invitation in lapsed:
        event = AuditEvent.objects.get(action="invitation.expired", object_id=str(invitation.pk))
        assert (event.enterprise_id, event.actor, event.before, event.after) == (
            invitation.enterprise_id,
            None,
            {"status": "sent"},
            {"status": "expired"},
        )
        notification = Notification.objects.get(invitation=invitation)
        assert (notification.audience, notification.kind, notification.enterprise_id) == (
            "enterprise",
            "invitation_expired",
            invitation.enterprise_id,
        )

    worker.run(tasks.expire_invitations)  # idempotent: nothing more to mark, nothing sent twice

    assert Notification.objects.filter(kind="invitation_expired").count() == 3
    assert AuditEvent.objects.filter(action="invitation.expired").count() == 3
    assert not Notification.objects.filter(invitation=waiting).exists()


def test_i05_worker_reminds_the_employee_6_hours_before_expiry_once(worker):
    account = RedAccountFactory()
    due = sent_invitations(1, expires_in=timedelta(hours=6) - timedelta(minutes=1))[0]
    early = sent_invitations(1, expires_in=timedelta(hours=6) + timedelta(minutes=1))[0]
    Invitation.objects.filter(pk__in=[due.pk, early.pk]).update(red_account=account)

    worker.run(tasks.remind_expiring_invitations)
    worker.run(tasks.remind_expiring_invitations)

    reminders = Notification.objects.filter(kind="invitation_expiring")
    assert list(reminders.values_list("invitation", "audience", "red_account")) == [(due.pk, "employee", account.pk)]
