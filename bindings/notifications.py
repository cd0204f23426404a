"""In-app notifications: created by services in their transaction and by the sweeps, set-based."""

from kos_platform import clock

from .choices import Audience, NotificationKind
from .models import Binding, Invitation, Notification


def _notify(audience: Audience, kind: NotificationKind, invitation: Invitation | None, binding: Binding | None):
    """One notification about an invitation or a binding; a repeated one (same invitation event) is dropped."""
    subject = invitation or binding
    recipient = (
        {"red_account_id": subject.red_account_id}
        if audience == Audience.EMPLOYEE
        else {"enterprise_id": subject.enterprise_id}
    )
    Notification.objects.bulk_create(
        [
            Notification(
                audience=audience,
                kind=kind,
                invitation=invitation,
                binding=binding,
                created_at=clock.now(),
                **recipient,
            )
        ],
        ignore_conflicts=True,
    )


def notify_employee(kind: NotificationKind, *, invitation: Invitation | None = None, binding: Binding | None = None):
    _notify(Audience.EMPLOYEE, kind, invitation, binding)


def notify_enterprise(kind: NotificationKind, *, invitation: Invitation | None = None, binding: Binding | None = None):
    _notify(Audience.ENTERPRISE, kind, invitation, binding)
