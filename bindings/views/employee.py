"""Binding pages (employee), mounted under /m/ by bindings/urls.py: 消息通知, an invitation's 查看详情 page, my
bindings, and the public profile with the identity badge.

Every object is read through the employee selectors, which scope by the logged-in user: another employee's
invitation or binding is a 404. Every change goes through bindings.services; a rule's refusal is shown on the
page with its facts (status 409)."""

from datetime import datetime

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import path
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from accounts.models import RedAccount
from kos_platform import clock
from kos_platform.errors import RuleViolation, reason_label
from kos_platform.tenancy import Actor

from .. import rules, selectors, services
from ..choices import LIVE_BINDING_STATUSES, BindingStatus, InvitationStatus, Mode
from ..notifications import employee_inbox

# A01–A07 reason codes in the reader's language (the enterprise's E01/E03 codes are in kos_platform.errors).


def violation_context(violation: RuleViolation) -> dict:
    """A rule's refusal as a page shows it: the translated message, the reasons it lists and its instants
    (`available_at`, `until`), which the template renders in local time."""
    reasons, instants = [], []
    for key, value in violation.facts.items():
        if key == "reasons":
            reasons = [reason_label(code) for code in value]
        elif isinstance(value, datetime):
            instants.append({"key": key, "at": value})
    return {"code": violation.code, "message": violation.message, "reasons": reasons, "instants": instants}


def unread_count(user) -> int:
    """The tab bar's count: the employee's unread notices, at most UNREAD_COUNT_CAP (shown as 99+)."""
    return employee_inbox(user).unread_count()


def badge_label(enterprise_name: str, position_label: str) -> str:
    """I03: the identity badge "{enterprise} · {position}"."""
    return f"{enterprise_name} · {position_label}"


class EmployeeNavMixin:
    """The bottom tab bar's unread count (消息通知) for a logged-in reader."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        if user.is_authenticated and "nav_unread" not in context:
            context["nav_unread"] = unread_count(user)
        return context


class EmployeePageMixin(LoginRequiredMixin, EmployeeNavMixin):
    pass


# The invitation (查看详情) ------------------------------------------------------------------------------------


class InvitationView(EmployeePageMixin, TemplateView):
    """An invitation: the enterprise, the mode and who owns the account, the badge, the rights, the identity the
    enterprise entered, the time left, and Accept / Decline while it is open."""

    template_name = "bindings/employee/invitation.html"
    actions = ("accept", "decline")

    def get_invitation(self):
        if not hasattr(self, "_invitation"):
            self._invitation = get_object_or_404(
                selectors.invitations_for_employee(self.request.user), pk=self.kwargs["pk"]
            )
        return self._invitation

    def get(self, request, *args, **kwargs):
        """Opening the details reads the invitation's notifications (消息通知 → 查看详情)."""
        invitation = self.get_invitation()
        services.notifications_mark_read(
            queryset=selectors.notifications_for_employee(request.user).filter(invitation=invitation)
        )
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        invitation = self.get_invitation()
        status = rules.effective_invitation_status(invitation)
        account = invitation.red_account
        return super().get_context_data(
            **kwargs,
            invitation=invitation,
            status=status,
            status_label=InvitationStatus(status).label,
            is_open=status == InvitationStatus.SENT,
            enterprise_owned=invitation.mode == Mode.ENTERPRISE_OWNED,
            badge=badge_label(invitation.enterprise.name, invitation.get_position_display()),
            identity_matches=bool(
                account.real_name_verified
                and account.real_name == invitation.name
                and account.id_number_index == invitation.id_number_index
            ),
        )

    def post(self, request, pk):
        invitation = self.get_invitation()
        action = request.POST.get("action")
        if action not in self.actions:
            return self.render_to_response(
                self.get_context_data(form_error=_("Choose to accept or to decline the invitation.")), status=400
            )
        actor = Actor(user=request.user)
        try:
            if action == "accept":
                services.invitation_accept(actor=actor, invitation=invitation)
            else:
                services.invitation_decline(actor=actor, invitation=invitation)
        except RuleViolation as violation:
            del self._invitation  # show the invitation as it is now
            return self.render_to_response(self.get_context_data(violation=violation_context(violation)), status=409)
        name = invitation.enterprise.name
        if action == "accept":
            messages.success(
                request,
                _("You accepted the invitation: your account is now an employee account of %(enterprise)s.")
                % {"enterprise": name},
            )
            return redirect("employee-bindings")
        messages.info(request, _("You declined the invitation from %(enterprise)s.") % {"enterprise": name})
        return redirect("employee-invitation", pk=invitation.pk)


# My bindings --------------------------------------------------------------------------------------------------


class BindingsView(EmployeePageMixin, TemplateView):
    """The employee's bindings, live ones first; a personal authorisation can be unbound by the employee from 30
    days after it took effect (B03, B07); an enterprise-owned account only by the enterprise."""

    template_name = "bindings/employee/bindings.html"

    def get_context_data(self, **kwargs):
        now = clock.now()
        bindings = sorted(
            selectors.bindings_for_employee(self.request.user),
            key=lambda b: (b.status == BindingStatus.ENDED, -b.effective_at.timestamp()),
        )
        items = []
        for binding in bindings:
            live = binding.status in LIVE_BINDING_STATUSES
            unbindable = live and binding.mode == Mode.PERSONAL_AUTHORIZED
            available_at = rules.unbind_available_at(binding) if unbindable else None
            items.append(
                {
                    "binding": binding,
                    "live": live,
                    "badge": badge_label(binding.enterprise.name, binding.get_position_display()),
                    "unbindable": unbindable,
                    "unbind_available_at": available_at,
                    "unbind_locked": bool(available_at and now < available_at),
                }
            )
        return super().get_context_data(**kwargs, items=items)


class BindingUnbindView(BindingsView):
    """POST only: the employee unbinds a personal authorisation; the account returns to them (B03)."""

    http_method_names = ["post"]

    def post(self, request, pk):
        binding = get_object_or_404(selectors.bindings_for_employee(request.user), pk=pk)
        if binding.mode != Mode.PERSONAL_AUTHORIZED:
            raise PermissionDenied
        try:
            services.binding_unbind(actor=Actor(user=request.user), binding=binding, by_employee=True)
        except RuleViolation as violation:
            return self.render_to_response(
                self.get_context_data(violation=violation_context(violation), violation_binding=binding.pk), status=409
            )
        messages.success(
            request,
            _("The binding with %(enterprise)s has ended; the account is yours again.")
            % {"enterprise": binding.enterprise.name},
        )
        return redirect("employee-bindings")


# The public profile --------------------------------------------------------------------------------------------


class PublicProfileView(EmployeeNavMixin, TemplateView):
    """Anyone's view of a RED account: nickname, followers and, while a binding is active, the identity badge
    "{enterprise} · {position}" (I03); a frozen binding hides it (B02)."""

    template_name = "bindings/employee/profile.html"

    def get_context_data(self, **kwargs):
        account = get_object_or_404(RedAccount, red_id=self.kwargs["red_id"])
        binding = selectors.active_badge_binding(account)
        user = self.request.user
        return super().get_context_data(
            **kwargs,
            account=account,
            badge=badge_label(binding.enterprise.name, binding.get_position_display()) if binding else None,
            badge_binding=binding,
            is_own=user.is_authenticated and account.user_id == user.pk,
        )


urlpatterns = [
    path("invitations/<int:pk>/", InvitationView.as_view(), name="employee-invitation"),
    path("bindings/", BindingsView.as_view(), name="employee-bindings"),
    path("bindings/<int:pk>/unbind/", BindingUnbindView.as_view(), name="employee-binding-unbind"),
    path("u/<str:red_id>/", PublicProfileView.as_view(), name="red-profile"),
]
