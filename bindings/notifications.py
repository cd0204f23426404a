"""In-app notifications: created by services in their transaction and by the sweeps, set-based."""

from kos_platform import clock

from .choices import Audience, NotificationKind
from .models import Binding, Invitation, Notification


def notify_employee(kind: NotificationKind, *, invitation: Invitation | None = None, binding: Binding | None = None):
    subject = invitation or binding
    Notification.objects.bulk_create(
        [
            Notification(
                audience=Audience.EMPLOYEE,
                red_account_id=subject.red_account_id,
                kind=kind,
                invitation=invitation,
                binding=binding,
                created_at=clock.now(),
            )
        ],
        ignore_conflicts=True,
    )


def notify_enterprise(kind: NotificationKind, *, invitation: Invitation | None = None, binding: Binding | None = None):
    subject = invitation or binding
    Notification.objects.bulk_create(
        [
            Notification(
                audience=Audience.ENTERPRISE,
                enterprise_id=subject.enterprise_id,
                kind=kind,
                invitation=invitation,
                binding=binding,
                created_at=clock.now(),
            )
        ],
        ignore_conflicts=True,
    )
