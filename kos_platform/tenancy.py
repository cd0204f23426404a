"""The workspace: which enterprise a request acts for, as whom, and through which agency.

Every brand endpoint and page resolves it here, once, from the enterprise id in the URL. A user reaches
an enterprise as a member (with a role) or as staff of an agency the enterprise has reported; anything
else is a 404, exactly like a missing enterprise.
"""

from dataclasses import dataclass

from django.http import Http404
from rest_framework import permissions
from rest_framework.exceptions import PermissionDenied

from accounts.models import Agency, AgencyReport, Enterprise, Membership, User

AGENCY = "agency"

# What each capability allows; an agency acts like an operator but neither manages the workspace nor sees
# the brand's own settings (members, other agencies, keys).
CAPABILITIES = {
    "view": {"owner", "admin", "operator", "analyst", AGENCY},
    "members": {"owner", "admin", "operator", "analyst"},
    "operate": {"owner", "admin", "operator", AGENCY},
    "manage": {"owner", "admin"},
}


@dataclass(frozen=True)
class Actor:
    """Who performs a change: the user, and the agency when acting through one. Services take it first."""

    user: User
    agency: Agency | None = None


@dataclass(frozen=True)
class Workspace:
    enterprise: Enterprise
    user: User
    role: str  # a membership role, or "agency"
    agency: Agency | None = None

    @property
    def actor(self) -> Actor:
        return Actor(user=self.user, agency=self.agency)

    @property
    def via_agency(self) -> bool:
        return self.agency is not None

    def can(self, capability: str) -> bool:
        return self.role in CAPABILITIES[capability]


def resolve_workspace(user: User, enterprise_id, related: tuple[str, ...] = ()) -> Workspace:
    """The user's workspace in the enterprise, or Http404. `related`: what else to load with the enterprise
    (`select_related` paths below it, e.g. "note_counts"), saving the view a query of its own."""
    if not user.is_authenticated:
        raise Http404
    with_enterprise = ("enterprise", *(f"enterprise__{path}" for path in related))
    membership = (
        Membership.objects.select_related(*with_enterprise).filter(user=user, enterprise_id=enterprise_id).first()
    )
    if membership:
        return Workspace(enterprise=membership.enterprise, user=user, role=membership.role)
    report = (
        AgencyReport.objects.select_related(*with_enterprise, "agency")
        .filter(enterprise_id=enterprise_id, revoked_at__isnull=True, agency__memberships__user=user)
        .order_by("agency_id")
        .first()
    )
    if report:
        return Workspace(enterprise=report.enterprise, user=user, role=AGENCY, agency=report.agency)
    raise Http404


class WorkspaceAPIMixin:
    """The tenant-scoped base of every brand endpoint (`/api/v1/enterprises/{eid}/…`).

    It resolves the workspace after authentication, checks the capability the action needs
    (`capabilities` per action or method; reads need "view", writes "operate"), and owns `get_queryset`:
    subclasses narrow the enterprise's rows in `scope_queryset(workspace)` and cannot widen them.
    """

    workspace_url_kwarg = "eid"
    workspace_related: tuple[str, ...] = ()  # see resolve_workspace
    capabilities: dict[str, str] = {}
    model = None  # for the schema, when the serializer is not a ModelSerializer

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if "get_queryset" in cls.__dict__:
            raise TypeError(f"{cls.__name__} must narrow rows in scope_queryset(), not override get_queryset().")

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self.workspace = resolve_workspace(request.user, kwargs[self.workspace_url_kwarg], self.workspace_related)
        if not self.workspace.can(self.required_capability(request)):
            raise PermissionDenied

    def required_capability(self, request) -> str:
        action = getattr(self, "action", None)
        if action in self.capabilities:
            return self.capabilities[action]
        if request.method in self.capabilities:
            return self.capabilities[request.method]
        return "view" if request.method in permissions.SAFE_METHODS else "operate"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation has no workspace
            return (self.model or self.get_serializer_class().Meta.model).objects.none()
        return self.scope_queryset(self.workspace)

    def scope_queryset(self, workspace: Workspace):
        raise NotImplementedError


class IsPlatformStaff(permissions.BasePermission):
    """Platform staff users, or the principal of a platform API key."""

    def has_permission(self, request, view):
        return bool(request.user and request.user.is_authenticated and request.user.is_staff)


class IsAgencyStaff(permissions.BasePermission):
    def has_permission(self, request, view):
        user = request.user
        return bool(user and user.is_authenticated and user.agency_memberships.exists())
