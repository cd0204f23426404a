from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.generic import FormView, TemplateView

from kos_platform.errors import RuleViolation
from kos_platform.pages import WorkspacePageMixin, mark_agency_entry
from kos_platform.tenancy import Actor, resolve_workspace

from . import selectors, services
from .choices import ApiKeyScope
from .forms import AgencyReportForm, ApiKeyForm, PasswordChangeForm
from .models import Agency, ApiKey, Membership


@login_required
def home(request):
    """Send each kind of user to their own start page."""
    user = request.user
    if user.is_staff:
        return redirect("platform-review-queue")
    workspaces = list(selectors.enterprises_for_user(user).filter(memberships__user=user)[:2])
    if len(workspaces) == 1:
        return redirect("workspace-overview", eid=workspaces[0].pk)
    if workspaces:
        return redirect("workspace-switcher")
    if user.agency_memberships.exists():
        return redirect("agency-console")
    if user.red_account_or_none:
        return redirect("employee-home")
    return redirect("workspace-switcher")


class PasswordChangeView(LoginRequiredMixin, FormView):
    """Every signed-in user changes their password here; this session stays signed in, the user's other sessions
    and API tokens end (`services.user_password_change`)."""

    template_name = "registration/password_change.html"
    form_class = PasswordChangeForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def form_valid(self, form):
        try:
            user = services.user_password_change(
                actor=Actor(user=self.request.user),
                user=self.request.user,
                old_password=form.cleaned_data["old_password"],
                new_password=form.cleaned_data["new_password1"],
            )
        except ValidationError as error:
            for field, errors in error.error_dict.items():
                form.add_error(form.SERVICE_FIELDS[field], errors)
            return self.form_invalid(form)
        update_session_auth_hash(self.request, user)
        messages.success(
            self.request, _("Your password is changed. Your other sessions and API tokens are signed out.")
        )
        return redirect("home")

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)


class WorkspaceSwitcherView(LoginRequiredMixin, TemplateView):
    template_name = "accounts/workspace_switcher.html"

    def get_context_data(self, **kwargs):
        memberships = (
            Membership.objects.filter(user=self.request.user).select_related("enterprise").order_by("enterprise__name")
        )
        return {**super().get_context_data(**kwargs), "memberships": memberships}


class OverviewView(WorkspacePageMixin, TemplateView):
    """The enterprise overview: certification, annual review, KOS permission and every reason it is refused."""

    template_name = "accounts/overview.html"

    def get_context_data(self, **kwargs):
        enterprise = self.workspace.enterprise
        return {
            **super().get_context_data(**kwargs),
            "enterprise": enterprise,
            "state_reasons": services.enterprise_state_reasons(enterprise),
            "permission_reasons": services.kos_permission_reasons(enterprise),
            "standing_reports": selectors.agency_reports_for_workspace(self.workspace).filter(revoked_at__isnull=True),
        }


class AgencyReportsView(WorkspacePageMixin, TemplateView):
    """The brand's agency reports (报备): report an agency and revoke a report."""

    template_name = "accounts/agency_reports.html"
    capability = "members"

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "reports": selectors.agency_reports_for_workspace(self.workspace),
            "form": kwargs.get("form") or AgencyReportForm(),
            "can_manage": self.workspace.can("manage"),
        }

    def post(self, request, eid):
        self.require("manage")
        if "revoke" in request.POST:
            report = get_object_or_404(
                selectors.agency_reports_for_workspace(self.workspace),
                pk=request.POST["revoke"],
                revoked_at__isnull=True,
            )
            services.agency_report_revoke(workspace=self.workspace, report=report)
            messages.success(request, _("The report of %(agency)s is revoked.") % {"agency": report.agency.name})
            return redirect("workspace-agencies", eid=eid)
        form = AgencyReportForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        try:
            report = services.agency_report(workspace=self.workspace, agency=form.cleaned_data["agency"])
        except RuleViolation as violation:
            form.add_error("agency", violation.message)
            return self.render_to_response(self.get_context_data(form=form), status=409)
        messages.success(request, _("%(agency)s is reported and may now act for you.") % {"agency": report.agency.name})
        return redirect("workspace-agencies", eid=eid)


class ApiKeysView(WorkspacePageMixin, TemplateView):
    """The enterprise's integration keys; the raw key is shown once."""

    template_name = "accounts/api_keys.html"
    capability = "manage"

    def get_context_data(self, **kwargs):
        keys = ApiKey.objects.filter(enterprise=self.workspace.enterprise, scope=ApiKeyScope.ENTERPRISE)
        return {**super().get_context_data(**kwargs), "keys": keys, "form": kwargs.get("form") or ApiKeyForm()}

    def post(self, request, eid):
        if "revoke" in request.POST:
            key = get_object_or_404(ApiKey, pk=request.POST["revoke"], enterprise=self.workspace.enterprise)
            services.api_key_revoke(actor=self.workspace.actor, key=key)
            messages.success(request, _("The key is revoked."))
            return redirect("workspace-api-keys", eid=eid)
        form = ApiKeyForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        _key, raw = services.api_key_create(
            actor=self.workspace.actor,
            scope=ApiKeyScope.ENTERPRISE,
            enterprise=self.workspace.enterprise,
            **form.cleaned_data,
        )
        return self.render_to_response(self.get_context_data(new_key=raw))


class AgencyConsoleView(LoginRequiredMixin, TemplateView):
    """The agency console: brands that reported the agency, each with "enter workspace"."""

    template_name = "accounts/agency_console.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not request.user.agency_memberships.exists():
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "agencies": Agency.objects.filter(memberships__user=self.request.user).order_by("name"),
            "reports": selectors.agency_brand_reports(self.request.user),
        }


@login_required
@require_POST
def agency_enter_workspace(request, eid):
    """Agency staff enter a reported brand's workspace; the entry is recorded with the agency."""
    workspace = resolve_workspace(request.user, eid)
    if not workspace.via_agency:
        return redirect("workspace-overview", eid=eid)
    services.agency_workspace_enter(workspace=workspace)
    mark_agency_entry(request, workspace.enterprise.pk)
    return redirect("workspace-overview", eid=eid)


class EmployeeHomeView(LoginRequiredMixin, TemplateView):
    """The employee's mobile start page (我的主页): their RED account as the platform knows it, the identity badge
    while a binding is active, unread notifications, open invitations and live bindings."""

    template_name = "accounts/employee_home.html"

    def get_context_data(self, **kwargs):
        from bindings import selectors as binding_selectors
        from bindings.choices import LIVE_BINDING_STATUSES, InvitationStatus
        from bindings.views.employee import badge_label, unread_count

        user = self.request.user
        account = user.red_account_or_none
        badge_binding = binding_selectors.active_badge_binding(account) if account else None
        open_invitations = binding_selectors.with_invitation_status(
            binding_selectors.invitations_for_employee(user), InvitationStatus.SENT
        ).order_by("expires_at")
        unread = unread_count(user)
        return {
            **super().get_context_data(**kwargs),
            "account": account,
            "badge": badge_label(badge_binding.enterprise.name, badge_binding.get_position_display())
            if badge_binding
            else None,
            "unread_count": unread,
            "nav_unread": unread,
            "open_invitations": open_invitations,
            "live_bindings": binding_selectors.bindings_for_employee(user).filter(status__in=LIVE_BINDING_STATUSES),
        }
