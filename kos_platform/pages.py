"""The tenant-scoped base of every brand page: the same workspace resolver as the API."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from .tenancy import resolve_workspace

AGENCY_SESSION_KEY = "agency_entered_workspaces"


def mark_agency_entry(request, enterprise_id: int) -> None:
    entered = set(request.session.get(AGENCY_SESSION_KEY, []))
    entered.add(int(enterprise_id))
    request.session[AGENCY_SESSION_KEY] = sorted(entered)


class WorkspacePageMixin(LoginRequiredMixin):
    """Resolves `self.workspace` from `<eid>` in the URL; another tenant's workspace is a 404.

    Agency staff must come through the agency console ("enter workspace"), as on the real platform.
    `capability` is what the page needs: "view" to read; forms that change things check "operate"/"manage".
    """

    capability = "view"
    workspace_related: tuple[str, ...] = ()  # see resolve_workspace

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.workspace = resolve_workspace(request.user, kwargs["eid"], self.workspace_related)
        if self.workspace.via_agency and self.workspace.enterprise.pk not in request.session.get(
            AGENCY_SESSION_KEY, []
        ):
            messages.info(request, _("Agency staff enter a brand's workspace from the agency console."))
            return redirect("agency-console")
        self.require(self.capability)
        return super().dispatch(request, *args, **kwargs)

    def require(self, capability: str) -> None:
        if not self.workspace.can(capability):
            raise PermissionDenied

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "workspace": self.workspace}
