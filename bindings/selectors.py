"""Read queries for invitations, bindings and notifications; brand reads always take the workspace."""

from django.db import connection
from django.db.models import Q, QuerySet

from accounts.models import AuditEvent, RedAccount, User
from kos_platform import clock
from kos_platform.prepared import prepared_cursor
from kos_platform.tenancy import Workspace

from .choices import Audience, BindingStatus, InvitationStatus
from .models import Binding, Invitation, Notification


def with_invitation_status(queryset: QuerySet[Invitation], status: str | None) -> QuerySet[Invitation]:
    """Filter by the status as it is now: a sent invitation past `expires_at` counts as expired (I05)."""
    if not status:
        return queryset
    now = clock.now()
    if status == InvitationStatus.EXPIRED:
        return queryset.filter(
            Q(status=InvitationStatus.EXPIRED) | Q(status=InvitationStatus.SENT, expires_at__lte=now)
        )
    if status == InvitationStatus.SENT:
        return queryset.filter(status=InvitationStatus.SENT, expires_at__gt=now)
    return queryset.filter(status=status)


def invitations_for_workspace(workspace: Workspace) -> QuerySet[Invitation]:
    return Invitation.objects.filter(enterprise=workspace.enterprise).select_related("red_account")


# What a list row shows (see BindingSerializer): the list loads only these columns.
LIST_COLUMNS = (
    "enterprise_id",
    "red_account_id",
    "mode",
    "status",
    "name",
    "id_number_masked",
    "position",
    "region",
    "effective_at",
    "frozen_at",
    "ended_at",
    "end_reason",
    "red_account__red_id",
    "red_account__nickname",
    "red_account__followers",
)


def bindings_for_workspace(workspace: Workspace) -> QuerySet[Binding]:
    return Binding.objects.filter(enterprise=workspace.enterprise).select_related("red_account")


def _columns(model, names) -> list[str]:
    """The columns in the model's field order, which `Model.from_db` expects of a partial row."""
    return [field.attname for field in model._meta.concrete_fields if field.name in names or field.attname in names]


_BINDING_COLUMNS = _columns(Binding, {"id", *LIST_COLUMNS})
_ACCOUNT_COLUMNS = _columns(RedAccount, {"id", "red_id", "nickname", "followers"})
_LATEST_PAGE = (
    f"SELECT {', '.join(f'b.{column}' for column in _BINDING_COLUMNS)}, "
    f"{', '.join(f'a.{column}' for column in _ACCOUNT_COLUMNS)} "
    "FROM bindings_binding b JOIN accounts_redaccount a ON a.id = b.red_account_id "
    "WHERE b.enterprise_id = %s ORDER BY b.effective_at DESC, b.id DESC LIMIT %s OFFSET %s"
)
_LATEST_COUNT = "SELECT count(*) FROM bindings_binding WHERE enterprise_id = %s"


class LatestBindings:
    """The list as it opens (nothing filtered, newest first: `Binding.Meta.ordering`), for the paginator: its count
    and each page are written-out statements, prepared once per connection over the (enterprise, -effective_at,
    -id) index — compiling the ORM's two queries cost more than running them (see bench/). The rows are the
    `binding_list` columns, with their accounts."""

    def __init__(self, enterprise):
        self.enterprise_id = enterprise.pk

    def count(self) -> int:
        with prepared_cursor() as cursor:
            cursor.execute(_LATEST_COUNT, [self.enterprise_id])
            return cursor.fetchone()[0]

    def __getitem__(self, window: slice) -> list[Binding]:
        with prepared_cursor() as cursor:
            cursor.execute(_LATEST_PAGE, [self.enterprise_id, window.stop - window.start, window.start])
            rows = cursor.fetchall()
        split = len(_BINDING_COLUMNS)
        bindings = []
        for row in rows:
            binding = Binding.from_db(connection.alias, _BINDING_COLUMNS, row[:split])
            account = RedAccount.from_db(connection.alias, _ACCOUNT_COLUMNS, row[split:])
            Binding.red_account.field.set_cached_value(binding, account)
            bindings.append(binding)
        return bindings


def opening_list(workspace: Workspace, params: dict) -> LatestBindings | None:
    """`LatestBindings` for the list as it opens — no filter and no `ordering` among `params`, on PostgreSQL — else
    None, for the ORM's rows (SQLite, the embedded default, returns times as text to a bare cursor)."""
    if any(params.values()) or connection.vendor != "postgresql":
        return None
    return LatestBindings(workspace.enterprise)


def binding_list(queryset: QuerySet[Binding]) -> QuerySet[Binding]:
    """The columns of a list row only: the ciphertexts and proof paths stay in the database."""
    return queryset.only(*LIST_COLUMNS)


def search_bindings(queryset: QuerySet[Binding], *, status=None, mode=None, position=None, region=None, q=None):
    if status:
        queryset = queryset.filter(status=status)
    if mode:
        queryset = queryset.filter(mode=mode)
    if position:
        queryset = queryset.filter(position=position)
    if region:
        queryset = queryset.filter(region=region)
    if q:
        queryset = queryset.filter(
            Q(red_account__red_id__icontains=q) | Q(red_account__nickname__icontains=q) | Q(name__icontains=q)
        )
    return queryset


def audit_log_for_workspace(workspace: Workspace) -> QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(enterprise=workspace.enterprise).select_related("actor", "via_agency")


def employee_account(user: User) -> RedAccount | None:
    return RedAccount.objects.filter(user=user).first() if user.is_authenticated else None


def invitations_for_employee(user: User) -> QuerySet[Invitation]:
    return Invitation.objects.filter(
        red_account__user=user,
        status__in=[
            InvitationStatus.SENT,
            InvitationStatus.ACCEPTED,
            InvitationStatus.DECLINED,
            InvitationStatus.EXPIRED,
            InvitationStatus.CANCELLED,
        ],
        sent_at__isnull=False,
    ).select_related("enterprise", "red_account")


def bindings_for_employee(user: User) -> QuerySet[Binding]:
    return Binding.objects.filter(red_account__user=user).select_related("enterprise", "red_account")


def notifications_for_employee(user: User) -> QuerySet[Notification]:
    return Notification.objects.filter(audience=Audience.EMPLOYEE, red_account__user=user).select_related(
        "invitation__enterprise", "binding__enterprise"
    )


def active_badge_binding(account: RedAccount) -> Binding | None:
    """The binding that shows the identity badge: active only; a frozen binding hides it (B02)."""
    return Binding.objects.filter(red_account=account, status=BindingStatus.ACTIVE).select_related("enterprise").first()
