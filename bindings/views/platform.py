"""Binding pages (platform staff), mounted under /platform/ by bindings/urls.py: the review queue, an invitation's
review with its proof, the bindings search and the removal of a binding for a violation (E04).

Staff only: anyone else logged in gets 403. Every change goes through bindings.services; a rule's refusal is shown
on the page (409), a bad form is shown again (400)."""

from csp.constants import SELF
from csp.decorators import csp_replace
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.generic import TemplateView

from accounts import services as account_services
from accounts.audit_display import describe
from accounts.models import AuditEvent
from kos_platform import clock
from kos_platform.errors import RuleViolation, reason_label
from kos_platform.tenancy import Actor

from .. import proofs, rules, selectors, services
from ..choices import LIVE_BINDING_STATUSES, InvitationStatus
from ..forms_platform import BindingFilterForm, InvitationFilterForm, ReasonForm
from ..models import Binding, Invitation
from .employee import badge_label, violation_context

PER_PAGE = 20

# A proof is shown framed in the review page of this site, and nowhere else (with X-Frame-Options: SAMEORIGIN).
PROOF_FRAMED = csp_replace({"frame-ancestors": [SELF]})


class StaffRequiredMixin(LoginRequiredMixin):
    """Platform staff only: a logged-in non-staff user gets 403, an anonymous one the login page."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not request.user.is_staff:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        pending = Invitation.objects.filter(status=InvitationStatus.PENDING_REVIEW).count()
        return super().get_context_data(**kwargs, console_pending=pending)


def _page(request, queryset):
    page = Paginator(queryset, PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return page, query.urlencode()


def _history(obj) -> list:
    """The object's audit records in words (accounts.audit_display), as the brand's 操作日志 reads them."""
    return describe(
        AuditEvent.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk)).select_related(
            "actor", "via_agency"
        )
    )


def _proof(url_name: str, holder) -> dict:
    return {
        "url": reverse(url_name, args=[holder.pk]),
        "is_pdf": holder.proof_content_type == "application/pdf",
        "content_type": holder.proof_content_type,
    }


def _enterprise_facts(enterprise) -> dict:
    now = clock.now()
    restricted = enterprise.invitations_restricted_until
    return {
        "enterprise": enterprise,
        "state_reasons": [reason_label(code) for code in account_services.enterprise_state_reasons(enterprise)],
        "permission_reasons": [reason_label(code) for code in account_services.kos_permission_reasons(enterprise)],
        "restricted_until": restricted if restricted and now < restricted else None,
    }


def _account_checks(account) -> list[dict]:
    """The registry record next to A01–A07: each fact, its value, and whether it passes."""
    failing = set(rules.account_reasons(account))
    rows = [
        ("followers_over_limit", _("Followers (at most 100,000)"), f"{account.followers:,}"),
        ("has_shop", _("Has opened a shop"), account.has_shop),
        ("is_creator", _("Pugongying creator"), account.is_creator),
        ("is_enterprise_account", _("Enterprise account"), account.is_enterprise_account),
        ("has_violation", _("Violation record"), account.has_violation),
        ("not_real_name_verified", _("Real-name verified"), account.real_name_verified),
        ("phone_not_bound", _("Phone number bound"), account.phone_bound),
    ]
    return [{"code": code, "label": label, "value": value, "ok": code not in failing} for code, label, value in rows]


def _acceptance_checks(invitation) -> list[dict]:
    """What acceptance will check again (I07), as it stands now: each refusal with its facts."""
    refusals = []
    for check in (
        lambda: account_services.ensure_enterprise_can_invite(invitation.enterprise),
        lambda: rules.ensure_account_can_bind(invitation.red_account, invitation.enterprise, invitation.mode),
    ):
        try:
            check()
        except RuleViolation as violation:
            refusals.append(violation_context(violation))
    return refusals


# Review queue -------------------------------------------------------------------------------------------------


class ReviewQueueView(StaffRequiredMixin, TemplateView):
    """Invitations awaiting platform review, oldest first; other statuses on request, newest first."""

    template_name = "bindings/platform/review_queue.html"

    def get_context_data(self, **kwargs):
        data = self.request.GET.copy()
        data.setdefault("status", InvitationStatus.PENDING_REVIEW)
        form = InvitationFilterForm(data)
        form.is_valid()
        status = form.cleaned_data.get("status") or InvitationStatus.PENDING_REVIEW
        queryset = Invitation.objects.select_related("enterprise", "red_account")
        if status != "all":
            queryset = selectors.with_invitation_status(queryset, status)
        if q := form.cleaned_data.get("q"):
            queryset = queryset.filter(
                Q(enterprise__name__icontains=q)
                | Q(red_account__red_id__icontains=q)
                | Q(red_account__nickname__icontains=q)
                | Q(name__icontains=q)
            )
        if status == InvitationStatus.PENDING_REVIEW:
            queryset = queryset.order_by("created_at", "id")
        else:
            queryset = queryset.order_by("-created_at", "-id")
        page, query = _page(self.request, queryset)
        for invitation in page:
            invitation.status_now = rules.effective_invitation_status(invitation)
            invitation.status_now_label = InvitationStatus(invitation.status_now).label
        return super().get_context_data(**kwargs, form=form, status=status, page=page, query=query)


class InvitationReviewView(StaffRequiredMixin, TemplateView):
    """Every fact of one invitation, the account's registry record, the enterprise's state and the proof inline;
    approve (the employee then has 48 hours) or reject with a reason."""

    template_name = "bindings/platform/invitation.html"

    def get_invitation(self) -> Invitation:
        return get_object_or_404(
            Invitation.objects.select_related(
                "enterprise", "red_account", "created_by", "via_agency", "reviewed_by", "rebind_of__red_account"
            ),
            pk=self.kwargs["pk"],
        )

    def get_context_data(self, **kwargs):
        invitation = self.get_invitation()
        account = invitation.red_account
        status = rules.effective_invitation_status(invitation)
        is_open = status in (InvitationStatus.PENDING_REVIEW, InvitationStatus.SENT)
        return super().get_context_data(
            **{"reject_form": ReasonForm(), **kwargs},
            invitation=invitation,
            status=status,
            status_label=InvitationStatus(status).label,
            pending=status == InvitationStatus.PENDING_REVIEW,
            badge=badge_label(invitation.enterprise.name, invitation.get_position_display()),
            account=account,
            account_checks=_account_checks(account),
            account_reasons=[reason_label(code) for code in rules.account_reasons(account)],
            name_matches=account.real_name == invitation.name,
            id_matches=bool(account.id_number_index) and account.id_number_index == invitation.id_number_index,
            acceptance_refusals=_acceptance_checks(invitation) if is_open else [],
            proof=_proof("platform-invitation-proof", invitation),
            history=_history(invitation),
            binding=Binding.objects.filter(invitation=invitation).first(),
            **_enterprise_facts(invitation.enterprise),
        )

    def post(self, request, pk):
        invitation = self.get_invitation()
        action = request.POST.get("action")
        actor = Actor(user=request.user)
        try:
            if action == "approve":
                services.invitation_approve(actor=actor, invitation=invitation)
                messages.success(
                    request,
                    _("Approved: the invitation is sent to %(account)s, who has 48 hours to accept.")
                    % {"account": invitation.red_account},
                )
                return redirect("platform-review-queue")
            if action == "reject":
                form = ReasonForm(request.POST)
                if not form.is_valid():
                    return self.render_to_response(self.get_context_data(reject_form=form), status=400)
                services.invitation_reject(actor=actor, invitation=invitation, reason=form.cleaned_data["reason"])
                messages.success(
                    request,
                    _("Rejected: %(enterprise)s is notified with the reason.")
                    % {"enterprise": invitation.enterprise.name},
                )
                return redirect("platform-review-queue")
        except RuleViolation as violation:
            return self.render_to_response(self.get_context_data(violation=violation_context(violation)), status=409)
        return self.render_to_response(
            self.get_context_data(form_error=_("Choose to approve or to reject the invitation.")), status=400
        )


@method_decorator(xframe_options_sameorigin, name="dispatch")
@method_decorator(PROOF_FRAMED, name="dispatch")
class InvitationProofView(StaffRequiredMixin, View):
    """The invitation's employment proof, inline, for the review page."""

    def get(self, request, pk):
        return proofs.proof_response(get_object_or_404(Invitation, pk=pk), inline=True)


# Bindings -----------------------------------------------------------------------------------------------------


class BindingsSearchView(StaffRequiredMixin, TemplateView):
    template_name = "bindings/platform/bindings.html"

    def get_context_data(self, **kwargs):
        form = BindingFilterForm(self.request.GET)
        form.is_valid()
        filters = form.cleaned_data
        queryset = selectors.search_bindings(
            Binding.objects.select_related("enterprise", "red_account").order_by("-effective_at", "-id"),
            status=filters.get("status"),
            mode=filters.get("mode"),
            q=filters.get("q"),
        )
        page, query = _page(self.request, queryset)
        return super().get_context_data(**kwargs, form=form, page=page, query=query)


class BindingReviewView(StaffRequiredMixin, TemplateView):
    """One binding with its holders and proof; platform removal for a violation (E04), which ignores the B07
    lock and restricts the enterprise's invitations for 30 days."""

    template_name = "bindings/platform/binding.html"

    def get_binding(self) -> Binding:
        return get_object_or_404(
            Binding.objects.select_related("enterprise", "red_account", "invitation", "ended_by"), pk=self.kwargs["pk"]
        )

    def get_context_data(self, **kwargs):
        binding = self.get_binding()
        available_at = rules.unbind_available_at(binding)
        return super().get_context_data(
            **{"removal_form": ReasonForm(), **kwargs},
            binding=binding,
            live=binding.status in LIVE_BINDING_STATUSES,
            badge=badge_label(binding.enterprise.name, binding.get_position_display()),
            holders=binding.holders.select_related("created_by", "via_agency"),
            unbind_available_at=available_at,
            unbind_locked=clock.now() < available_at,
            proof=_proof("platform-binding-proof", binding),
            history=_history(binding),
            **_enterprise_facts(binding.enterprise),
        )

    def post(self, request, pk):
        binding = self.get_binding()
        form = ReasonForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(removal_form=form), status=400)
        try:
            services.binding_remove_for_violation(
                actor=Actor(user=request.user), binding=binding, reason=form.cleaned_data["reason"]
            )
        except RuleViolation as violation:
            return self.render_to_response(self.get_context_data(violation=violation_context(violation)), status=409)
        messages.success(
            request,
            _("The binding is removed for a violation; %(enterprise)s cannot send new invitations for 30 days.")
            % {"enterprise": binding.enterprise.name},
        )
        return redirect("platform-binding", pk=binding.pk)


@method_decorator(xframe_options_sameorigin, name="dispatch")
@method_decorator(PROOF_FRAMED, name="dispatch")
class BindingProofView(StaffRequiredMixin, View):
    """The current holder's employment proof of a binding, inline."""

    def get(self, request, pk):
        return proofs.proof_response(get_object_or_404(Binding, pk=pk), inline=True)


urlpatterns = [
    path("invitations/", ReviewQueueView.as_view(), name="platform-review-queue"),
    path("invitations/<int:pk>/", InvitationReviewView.as_view(), name="platform-invitation"),
    path("invitations/<int:pk>/proof/", InvitationProofView.as_view(), name="platform-invitation-proof"),
    path("bindings/", BindingsSearchView.as_view(), name="platform-bindings"),
    path("bindings/<int:pk>/", BindingReviewView.as_view(), name="platform-binding"),
    path("bindings/<int:pk>/proof/", BindingProofView.as_view(), name="platform-binding-proof"),
]
