"""The permission matrix's rows for the notification centres' API: every member of the brand and its reported agency
read the enterprise's notices and mark them read for themselves (analysts too: read state is each caller's own);
anyone else gets 404; an employee marks their own notice read. Gathered by tests/accounts/test_permission_matrix.py."""

from bindings.choices import Audience, NotificationKind
from bindings.models import Notification
from kos_platform import clock

from ..conftest import World
from ..matrix import BRAND_VIEW, OWN, Endpoint, ok

E = "/api/v1/enterprises/{}"


def _enterprise_notice(world: World) -> int:
    return Notification.objects.create(
        audience=Audience.ENTERPRISE,
        enterprise=world.enterprise,
        kind=NotificationKind.ADVANCED_RIGHTS_UNLOCKED,
        created_at=clock.now(),
    ).pk


def _employee_notice(world: World) -> int:
    return Notification.objects.create(
        audience=Audience.EMPLOYEE,
        red_account=world.users["employee"].red_account,
        kind=NotificationKind.BINDING_FROZEN,
        created_at=clock.now(),
    ).pk


NOTIFICATION_ENDPOINTS = [
    Endpoint(
        "enterprise-notification-list", "get", lambda w: E.format(w.enterprise.pk) + "/notifications/", BRAND_VIEW
    ),
    Endpoint(
        "enterprise-notification-read",
        "post",
        lambda w: E.format(w.enterprise.pk) + f"/notifications/{_enterprise_notice(w)}/read/",
        ok(BRAND_VIEW, 204),
    ),
    Endpoint(
        "enterprise-notification-read-all",
        "post",
        lambda w: E.format(w.enterprise.pk) + "/notifications/read/",
        ok(BRAND_VIEW, 204),
    ),
    Endpoint(
        "me-notification-read", "post", lambda w: f"/api/v1/me/notifications/{_employee_notice(w)}/read/", ok(OWN, 204)
    ),
]
