from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.generic import FormView, TemplateView

from kos_platform.errors import RuleViolation
from kos_platform.pages import WorkspacePageMixin, mark_agency_entry
from kos_platform.tenancy import Actor, resolve_workspace

from . import password_reset, selectors, services
from .choices import ApiKeyScope, Role
from .forms import AgencyReportForm, ApiKeyForm, PasswordChangeForm, TeamMemberForm, TeamRoleForm
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


# Password reset by e-mail: Django's own views, the product's templates. The form answers the same whether or not
# an account has the address; the link sets a new password through `services.user_password_reset`, which revokes
# the user's tokens as a change does (their sessions end by Django's session auth hash).


class PasswordResetView(auth_views.PasswordResetView):
    """Limited per address and per client IP (accounts.password_reset); a refused request gets the same answer and
    sends nothing; the mail goes through a task, off the request path."""

    template_name = "registration/password_reset_form.html"
    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"
    form_class = password_reset.PasswordResetForm
    success_url = reverse_lazy("password-reset-done")

    def form_valid(self, form):
        email = form.cleaned_data["email"]
        if password_reset.request_allowed(email=email, ip=password_reset.client_ip(self.request)):
            return super().form_valid(form)
        return HttpResponseRedirect(self.get_success_url())


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "registration/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "registration/password_reset_confirm.html"
    success_url = reverse_lazy("password-reset-complete")

    def form_valid(self, form):
        services.user_password_reset(user=form.user, new_password=form.cleaned_data["new_password1"])
        self.request.session.pop(auth_views.INTERNAL_RESET_SESSION_TOKEN, None)
        return redirect(self.get_success_url())

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "registration/password_reset_complete.html"


class WorkspaceSwitcherView(LoginRequiredMixin, TemplateView):
    """选择工作台: the enterprises the user is a member of, and the brands they act for through their agency (each
    entered through the agency, as from the agency console)."""

    template_name = "accounts/workspace_switcher.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        memberships = Membership.objects.filter(user=user).select_related("enterprise").order_by("enterprise__name")
        agency_brands = [
            enterprise
            for enterprise in selectors.enterprises_for_user(user)
            if enterprise.member_role is None and enterprise.via_agency_id is not None
        ]
        return {**super().get_context_data(**kwargs), "memberships": memberships, "agency_brands": agency_brands}


class OverviewView(WorkspacePageMixin, TemplateView):
    """The enterprise overview: certification, annual review, KOS permission and every reason it is refused."""

    template_name = "accounts/overview.html"

    def get_context_data(self, **kwargs):
        from analytics.views.data_centre import results_strip  # analytics reads accounts: imported on use

        enterprise = self.workspace.enterprise
        return {
            **super().get_context_data(**kwargs),
            "enterprise": enterprise,
            "state_reasons": services.enterprise_state_reasons(enterprise),
            "permission_reasons": services.kos_permission_reasons(enterprise),
            "standing_reports": selectors.agency_reports_for_workspace(self.workspace).filter(revoked_at__isnull=True),
            "results": results_strip(enterprise),
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


class TeamView(WorkspacePageMixin, TemplateView):
    """成员管理: every member sees the team; owners and admins add members (an existing login, or a new one with a
    password), change roles inline and remove members. Refusals are said on the page: an admin touching an owner
    (403), the last owner (409 `last_owner`), a member already (409 `member_exists`), a bad form (400)."""

    template_name = "accounts/team.html"
    capability = "members"
    PER_PAGE = 50

    def manageable_roles(self) -> list[str]:
        """The roles the caller may give: an owner any, an admin any but owner, others none."""
        if not self.workspace.can("manage"):
            return []
        return [role for role in Role.values if role != Role.OWNER or self.workspace.role == Role.OWNER]

    def get_context_data(self, **kwargs):
        roles = self.manageable_roles()
        page = Paginator(selectors.members_for_workspace(self.workspace), self.PER_PAGE).get_page(
            self.request.GET.get("page")
        )
        for member in page:
            member.manageable = bool(roles) and (member.role != Role.OWNER or self.workspace.role == Role.OWNER)
            member.is_you = member.user_id == self.request.user.pk
        return {
            **super().get_context_data(**kwargs),
            "page": page,
            "can_manage": bool(roles),
            "role_choices": [choice for choice in Role.choices if choice[0] in roles],
            "form": kwargs.get("form") or TeamMemberForm(roles=roles),
        }

    def render_refusal(self, status: int, message: str, **context):
        return self.render_to_response(self.get_context_data(refusal=message, **context), status=status)

    def post(self, request, eid):
        self.require("manage")
        action = request.POST.get("action")
        try:
            if action == "add":
                return self.add(request, eid)
            if action in ("role", "remove"):
                raw = request.POST.get("member", "")
                member = get_object_or_404(
                    selectors.members_for_workspace(self.workspace), pk=raw if raw.isascii() and raw.isdigit() else 0
                )
                return self.change(request, eid, action, member)
        except RuleViolation as violation:
            return self.render_refusal(409, violation.message)
        except PermissionDenied as denied:
            return self.render_refusal(403, str(denied) or _("You do not have permission to do this."))
        return self.render_refusal(400, _("Choose an action."))

    def add(self, request, eid):
        form = TeamMemberForm(request.POST, roles=self.manageable_roles())
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        try:
            membership = services.member_add(workspace=self.workspace, **form.cleaned_data)
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field, errors)
            return self.render_to_response(self.get_context_data(form=form), status=400)
        messages.success(
            request,
            _("%(name)s is now a member, as %(role)s.")
            % {"name": membership.user, "role": membership.get_role_display()},
        )
        return redirect("workspace-team", eid=eid)

    def change(self, request, eid, action, member):
        name = str(member.user)
        if action == "remove":
            services.member_remove(workspace=self.workspace, membership=member)
            if member.user_id == request.user.pk:
                messages.success(
                    request, _("You have left %(enterprise)s.") % {"enterprise": self.workspace.enterprise}
                )
                return redirect("home")
            messages.success(request, _("%(name)s is no longer a member.") % {"name": name})
            return redirect("workspace-team", eid=eid)
        form = TeamRoleForm(request.POST)
        if not form.is_valid():
            return self.render_refusal(400, _("Choose a valid role."))
        member = services.member_role_change(
            workspace=self.workspace, membership=member, role=form.cleaned_data["role"]
        )
        messages.success(request, _("%(name)s is now %(role)s.") % {"name": name, "role": member.get_role_display()})
        return redirect("workspace-team", eid=eid)


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
        # Each brand once, by its first report (the agencies, the user's own, are named in the heading).
        brands = {}
        for report in selectors.agency_brand_reports(self.request.user):
            brands.setdefault(report.enterprise_id, report)
        return {
            **super().get_context_data(**kwargs),
            "agencies": Agency.objects.filter(memberships__user=self.request.user).order_by("name"),
            "reports": list(brands.values()),
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
