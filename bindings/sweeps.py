"""Set-based bookkeeping for the timed rules. The rules already hold at the instant (see rules.py); these only
mark what is true, and send the notifications, idempotently."""

from collections import Counter
from datetime import timedelta

from django.db import connection, transaction

from accounts.models import AuditEvent
from kos_platform import clock

from .choices import Audience, InvitationStatus, NotificationKind
from .models import Invitation, Notification
from .notifications import EMPLOYEE_INVITATION_KINDS

REMIND_BEFORE = timedelta(hours=6)

_EXPIRE_SQL = """
WITH expired AS (
    UPDATE bindings_invitation SET status = 'expired'
    WHERE status = 'sent' AND expires_at <= %(now)s
    RETURNING id, enterprise_id, red_account_id
), audited AS (
    INSERT INTO accounts_auditevent
        (at, enterprise_id, action, object_type, object_id, object_repr, before, after, reason)
    SELECT %(now)s, expired.enterprise_id, 'invitation.expired', 'bindings.invitation', expired.id::text,
           account.red_id || ' → ' || enterprise.name, '{"status": "sent"}'::jsonb, '{"status": "expired"}'::jsonb, ''
    FROM expired
    JOIN accounts_redaccount account ON account.id = expired.red_account_id
    JOIN accounts_enterprise enterprise ON enterprise.id = expired.enterprise_id
), notified AS (
    INSERT INTO bindings_notification (audience, enterprise_id, kind, count, invitation_id, created_at)
    SELECT 'enterprise', enterprise_id, 'invitation_expired', count(*), CASE WHEN count(*) = 1 THEN min(id) END,
           %(now)s
    FROM expired GROUP BY enterprise_id
    ON CONFLICT DO NOTHING
), closed AS (
    UPDATE bindings_notification SET read_at = %(now)s
    WHERE audience = 'employee' AND kind IN ('invitation_sent', 'invitation_expiring') AND read_at IS NULL
      AND invitation_id IN (SELECT id FROM expired)
)
SELECT count(*) FROM expired
"""


def expire_due_invitations() -> int:
    """I05: mark every sent invitation past its 48 hours as expired, each with its audit record, and tell each
    enterprise once how many expired, and close the employees' "accept within 48 hours" notices of those
    invitations. One statement on PostgreSQL; a second run finds nothing to do."""
    now = clock.now()
    if connection.vendor == "postgresql":
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(_EXPIRE_SQL, {"now": now})
            return cursor.fetchone()[0]
    return _expire_due_invitations_portable(now)


@transaction.atomic
def _expire_due_invitations_portable(now) -> int:
    """The same on the embedded SQLite default of the run command."""
    due = list(
        Invitation.objects.select_for_update()
        .filter(status=InvitationStatus.SENT, expires_at__lte=now)
        .values_list("pk", "enterprise_id", "red_account__red_id", "enterprise__name")
    )
    expired_ids = [row[0] for row in due]
    Invitation.objects.filter(pk__in=expired_ids).update(status=InvitationStatus.EXPIRED)
    Notification.objects.filter(  # close the employees' "accept within 48 hours" notices
        audience=Audience.EMPLOYEE,
        kind__in=EMPLOYEE_INVITATION_KINDS,
        read_at__isnull=True,
        invitation_id__in=expired_ids,
    ).update(read_at=now)
    AuditEvent.objects.bulk_create(
        AuditEvent(
            at=now,
            enterprise_id=enterprise_id,
            action="invitation.expired",
            object_type="bindings.invitation",
            object_id=str(pk),
            object_repr=f"{red_id} → {enterprise_name}",
            before={"status": "sent"},
            after={"status": "expired"},
        )
        for pk, enterprise_id, red_id, enterprise_name in due
    )
    per_enterprise = Counter(enterprise_id for _pk, enterprise_id, _red_id, _name in due)
    single = {enterprise_id: pk for pk, enterprise_id, _red_id, _name in due if per_enterprise[enterprise_id] == 1}
    Notification.objects.bulk_create(
        (
            Notification(
                audience=Audience.ENTERPRISE,
                enterprise_id=enterprise_id,
                kind=NotificationKind.INVITATION_EXPIRED,
                count=count,
                invitation_id=single.get(enterprise_id),
                created_at=now,
            )
            for enterprise_id, count in per_enterprise.items()
        ),
        ignore_conflicts=True,
    )
    return len(due)


def remind_expiring_invitations() -> int:
    """Tell the employee 6 hours before an invitation expires; once per invitation."""
    now = clock.now()
    due = Invitation.objects.filter(
        status=InvitationStatus.SENT, expires_at__gt=now, expires_at__lte=now + REMIND_BEFORE
    ).values_list("pk", "red_account_id")
    created = Notification.objects.bulk_create(
        (
            Notification(
                audience=Audience.EMPLOYEE,
                red_account_id=account_id,
                kind=NotificationKind.INVITATION_EXPIRING,
                invitation_id=pk,
                created_at=now,
            )
            for pk, account_id in due.iterator()
        ),
        ignore_conflicts=True,
    )
    return len(created)
