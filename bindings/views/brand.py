"""Binding pages (brand). Mounted by bindings/urls.py under /w/<int:eid>/.

Every page resolves the workspace (another tenant's objects are a 404), reads through the selectors and changes
state only through the services. Analysts read; owners, admins, operators and reported agencies act ("operate").
A refused rule re-renders the page with its message and facts (409); an invalid form re-renders with its errors
(400) and stores nothing.
"""

import secrets

from django.contrib import messages
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.defaultfilters import filesizeformat
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from accounts.audit_display import describe
from accounts.models import RedAccount
from accounts.services import ensure_enterprise_can_invite
from kos_platform import clock
from kos_platform.errors import RULE_MESSAGES, RuleViolation, reason_label
from kos_platform.pages import WorkspacePageMixin

from .. import batch, proofs, rules, selectors, services
from ..choices import (
    LIVE_BINDING_STATUSES,
    OPEN_INVITATION_STATUSES,
    InvitationStatus,
    Mode,
    Position,
)
from ..forms import (
    BatchForm,
    BindingFilterForm,
    HandoverForm,
    InvitationFilterForm,
    InvitationForm,
    ReasonForm,
    RebindForm,
)
from ..models import REBIND_COOLDOWN_DAYS
from ..proofs import MAX_PROOF_BYTES
from ..wording import invite_blockers, violation_context

PAGE_SIZE = 20
BATCH_REPORT_SECONDS = 3600

# A01–A07 in words, for the eligibility panel and refused rules.


BATCH_FIELD_LABELS = batch.FIELD_LABELS

BATCH_RESULTS = {
    "created": gettext_lazy("Submitted for review"),
    "invalid": gettext_lazy("Invalid row"),
    "refused": gettext_lazy("Refused by a rule"),
}


def paginate(request, queryset) -> dict:
    paginator = Paginator(queryset, PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    return {
        "page": page,
        "page_range": list(paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)),
        "ellipsis": Paginator.ELLIPSIS,
    }


def filters_of(form) -> dict:
    """The valid filter values of a GET form; an invalid value is ignored rather than refusing the page."""
    if not form.is_bound:
        return {}
    form.is_valid()
    return {key: value for key, value in form.cleaned_data.items() if value not in (None, "")}


class BrandPage(WorkspacePageMixin, TemplateView):
    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "can_operate": self.workspace.can("operate"),
            "max_proof_bytes": MAX_PROOF_BYTES,
        }

    def render_violation(self, violation: RuleViolation, **context):
        return self.render_to_response(
            self.get_context_data(violation=violation_context(violation), **context), status=409
        )

    def render_invalid(self, **context):
        return self.render_to_response(self.get_context_data(**context), status=400)


# 员工账号 ------------------------------------------------------------------------------------------------------


class BindingListView(BrandPage):
    """The enterprise's employee accounts, with filters and paging (notifications: the header's bell)."""

    template_name = "bindings/brand/binding_list.html"

    def get_context_data(self, **kwargs):
        workspace = self.workspace
        base = selectors.bindings_for_workspace(workspace)
        regions = list(base.exclude(region="").order_by("region").values_list("region", flat=True).distinct())
        form = BindingFilterForm(self.request.GET or None, regions=regions)
        filters = filters_of(form)
        queryset = selectors.binding_list(
            selectors.search_bindings(
                base,
                status=filters.get("status"),
                mode=filters.get("mode"),
                position=filters.get("position"),
                region=filters.get("region"),
                q=filters.get("q"),
            )
        )
        paging = paginate(self.request, queryset)
        now = clock.now()
        for binding in paging["page"]:
            unbind_at = rules.unbind_available_at(binding)
            locked = binding.status in LIVE_BINDING_STATUSES and now < unbind_at
            binding.unbind_locked_until = unbind_at if binding.mode == Mode.PERSONAL_AUTHORIZED and locked else None
        return {**super().get_context_data(**kwargs), **paging, "form": form, "filtered": bool(filters)}


class BindingDetailView(BrandPage):
    """One employee account: its holder, history and audit trail; unbind, freeze, hand over, rebind."""

    template_name = "bindings/brand/binding_detail.html"

    def get_binding(self):
        return get_object_or_404(
            selectors.bindings_for_workspace(self.workspace).select_related("invitation", "ended_by"),
            pk=self.kwargs["pk"],
        )

    def get(self, request, *args, **kwargs):
        self.binding = self.get_binding()
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        binding = self.binding
        workspace = self.workspace
        now = clock.now()
        live = binding.status in LIVE_BINDING_STATUSES
        unbind_at = rules.unbind_available_at(binding)
        objects = Q(object_type="bindings.binding", object_id=str(binding.pk))
        if binding.invitation_id:
            objects |= Q(object_type="bindings.invitation", object_id=str(binding.invitation_id))
        events = describe(selectors.audit_log_for_workspace(workspace).filter(objects)[:100])
        rebinds = list(
            selectors.invitations_for_workspace(workspace).filter(rebind_of=binding).order_by("-created_at", "-id")
        )
        for invitation in rebinds:
            describe_invitation(invitation)
        can_operate = workspace.can("operate")
        cooldown_end = (
            binding.ended_at + clock.days(REBIND_COOLDOWN_DAYS)
            if binding.mode == Mode.PERSONAL_AUTHORIZED and binding.ended_at
            else None
        )
        return {
            **super().get_context_data(**kwargs),
            "binding": binding,
            "live": live,
            "unbind_at": unbind_at,
            "unbind_locked": live and now < unbind_at,
            "cooldown_until": cooldown_end if cooldown_end and now < cooldown_end else None,
            "holders": binding.holders.select_related("created_by", "via_agency").order_by("-started_at", "-id"),
            "events": events,
            "rebinds": rebinds,
            "open_rebind": next((i for i in rebinds if i.is_open), None),
            "can_handover": can_operate and live and binding.mode == Mode.ENTERPRISE_OWNED,
            "handover_form": kwargs.get("handover_form")
            or HandoverForm(initial={"position": binding.position, "region": binding.region}),
            "rebind_form": kwargs.get("rebind_form") or RebindForm(),
            "reason_form": kwargs.get("reason_form") or ReasonForm(),
            "open_panel": kwargs.get("open_panel", ""),
        }

    def post(self, request, eid, pk):
        self.require("operate")
        self.binding = binding = self.get_binding()
        action = request.POST.get("action")
        actor = self.workspace.actor
        forms = {}
        try:
            if action in ("unbind", "freeze", "unfreeze"):
                form = ReasonForm(request.POST)
                if not form.is_valid():
                    return self.render_invalid(reason_form=form, open_panel=action)
                service = {
                    "unbind": services.binding_unbind,
                    "freeze": services.binding_freeze,
                    "unfreeze": services.binding_unfreeze,
                }[action]
                service(actor=actor, binding=binding, reason=form.cleaned_data["reason"])
                messages.success(request, self.done_message(action, binding))
                return redirect("binding-detail", eid=eid, pk=pk)
            if action == "handover":
                form = forms["handover_form"] = HandoverForm(request.POST, request.FILES)
                if not form.is_valid():
                    return self.render_invalid(handover_form=form, open_panel="handover")
                details, reason = form.details(), form.cleaned_data["reason"]
                services.binding_handover(workspace=self.workspace, binding=binding, details=details, reason=reason)
                messages.success(
                    request,
                    _("The account is handed over to %(name)s. The account, its followers and notes stay.")
                    % {"name": form.cleaned_data["name"]},
                )
                return redirect("binding-detail", eid=eid, pk=pk)
            if action == "rebind":
                form = forms["rebind_form"] = RebindForm(request.POST)
                if not form.is_valid():
                    return self.render_invalid(rebind_form=form, open_panel="rebind")
                invitation = services.binding_rebind(
                    workspace=self.workspace, binding=binding, red_account=form.cleaned_data["red_id"]
                )
                messages.success(
                    request,
                    _(
                        "The rebind invitation to %(red_id)s awaits platform review. The current binding ends only "
                        "when the new account accepts it."
                    )
                    % {"red_id": invitation.red_account.red_id},
                )
                return redirect("invitation-list", eid=eid)
        except RuleViolation as violation:
            return self.render_violation(violation, open_panel=action, **forms)
        return HttpResponseBadRequest()

    @staticmethod
    def done_message(action: str, binding) -> str:
        if action == "unbind":
            if binding.mode == Mode.ENTERPRISE_OWNED:
                return _("The binding has ended. The account stays the enterprise's asset.")
            return _(
                "The binding has ended. The account returns to the employee; another enterprise cannot authorise it "
                "for 30 days."
            )
        if action == "freeze":
            return _("The employee account is frozen: every right is suspended and the identity badge is hidden.")
        return _("The employee account is unfrozen: its rights and identity badge are restored.")


class BindingProofView(WorkspacePageMixin, View):
    capability = "operate"

    def get(self, request, eid, pk):
        return proofs.proof_response(get_object_or_404(selectors.bindings_for_workspace(self.workspace), pk=pk))


# 绑定员工账号 ----------------------------------------------------------------------------------------------------


def open_invitation_for(workspace, account):
    """I08: the enterprise's open invitation to this account, if any (a lapsed one no longer counts)."""
    return (
        selectors.invitations_for_workspace(workspace)
        .filter(red_account=account)
        .filter(Q(status=InvitationStatus.PENDING_REVIEW) | Q(status=InvitationStatus.SENT, expires_at__gt=clock.now()))
        .first()
    )


def eligibility_context(workspace, red_id: str, mode: str | None) -> dict:
    """What the wizard shows after searching a RED ID: the account, every failing reason, each mode's verdict."""
    red_id = (red_id or "").strip()
    if not red_id:
        return {"searched": False}
    account = RedAccount.objects.filter(red_id=red_id).first()
    if account is None:
        return {"searched": True, "red_id": red_id, "found": False}
    data = rules.eligibility_report(account, workspace.enterprise)
    open_invitation = open_invitation_for(workspace, account)
    modes = []
    for value, label in Mode.choices:
        verdict = data["modes"][value]
        message = str(RULE_MESSAGES.get(verdict["code"], verdict["code"])) if verdict["code"] else ""
        modes.append(
            {
                "value": value,
                "label": label,
                "allowed": verdict["allowed"],
                "message": message,
                "available_at": verdict["available_at"],
                "chosen": value == mode,
            }
        )
    return {
        "searched": True,
        "red_id": account.red_id,
        "found": True,
        "account": account,
        "reasons": [reason_label(code) for code in data["reasons"]],
        "modes": modes,
        "allowed_modes": " ".join(m["value"] for m in modes if m["allowed"]),
        "open_invitation": open_invitation,
    }


RIGHTS = (
    (
        gettext_lazy("Identity badge"),
        gettext_lazy("The profile shows the badge “{enterprise} · {position}”."),
    ),
    (
        gettext_lazy("DM identity label"),
        gettext_lazy("An identity label on the direct-message page, so customers know whom they talk to."),
    ),
    (
        gettext_lazy("Note promotion"),
        gettext_lazy("The enterprise can boost the employee's notes and promote them on the ad platform."),
    ),
    (
        gettext_lazy("Marketing components"),
        gettext_lazy("DM, product and lead-form components on promoted notes, and the enterprise's marketing tools."),
    ),
    (
        gettext_lazy("Product distribution"),
        gettext_lazy(
            "Sell the enterprise shop's products in notes, DMs, group chats and live streams, with orders "
            "attributed to the employee."
        ),
    ),
)


def kept_proof_context(draft) -> dict | None:
    """What the wizard shows of a kept proof: its own name and size, and the token the form sends back."""
    if draft is None:
        return None
    return {"token": draft.token, "name": draft.original_name, "size": filesizeformat(draft.size)}


def step_refusal(workspace, data: dict) -> RuleViolation | None:
    """Step 1 beyond its fields: the enterprise may invite (E01, E02, E04) and the account in the chosen mode
    (I08, A01–A08, B06, B09), as `invitation_create` will check on submit."""
    try:
        ensure_enterprise_can_invite(workspace.enterprise)
    except RuleViolation as violation:
        return violation
    account, mode = data.get("red_id"), data.get("mode")
    if account is None or not mode:
        return None
    report = rules.eligibility_report(account, workspace.enterprise)
    verdict = report["modes"][mode]
    if verdict["allowed"]:
        return None
    facts = {"reasons": report["reasons"]} if verdict["code"] == "account_not_eligible" else {}
    if verdict["available_at"]:
        facts["available_at"] = verdict["available_at"]
    return RuleViolation(verdict["code"], **facts)


class BindWizardView(BrandPage):
    """The deck's bind wizard (确认员工信息 → 选择岗位 → 查看员工号权限 → 签署承诺书): one form in four steps, each
    checked by the server as the user moves on (BindStepCheckView, static/js/bind_wizard.js) and all of them again on
    submit. The proof is uploaded once and kept as a draft across the steps and a refused submit. Without
    JavaScript every step shows at once and the submit alone decides."""

    template_name = "bindings/brand/bind_wizard.html"
    capability = "operate"

    def get_context_data(self, **kwargs):
        form = kwargs.get("form") or InvitationForm(
            initial={key: self.request.GET[key] for key in ("red_id", "mode") if self.request.GET.get(key)},
            workspace=self.workspace,
        )
        blockers = invite_blockers(self.workspace.enterprise)
        position = form["position"].value()
        regions = (
            selectors.bindings_for_workspace(self.workspace)
            .exclude(region="")
            .order_by("region")
            .values_list("region", flat=True)
            .distinct()[:50]
        )
        return {
            **super().get_context_data(**kwargs),
            "form": form,
            "step": kwargs.get("step", 1),
            "check": eligibility_context(self.workspace, form["red_id"].value(), form["mode"].value()),
            "blockers": blockers,
            "modes": Mode,
            "positions": Position.choices,
            "badge_position": Position(position).label if position in Position.values else "",
            "rights": RIGHTS,
            "regions": list(regions),
            "kept_proof": kept_proof_context(form.draft),
        }

    def post(self, request, eid):
        form = InvitationForm(request.POST, request.FILES, workspace=self.workspace)
        if not form.is_valid():
            form.keep_proof()
            return self.render_invalid(form=form, step=form.first_invalid_step())
        try:
            invitation = services.invitation_create(
                workspace=self.workspace,
                red_account=form.cleaned_data["red_id"],
                mode=form.cleaned_data["mode"],
                details=form.details(),
            )
        except RuleViolation as violation:
            form.keep_proof()
            return self.render_violation(violation, form=form, step=1)
        if form.draft is not None:
            proofs.draft_discard(form.draft)  # it is the invitation's proof now, stored under its own name
        messages.success(
            request,
            _(
                "The invitation to %(nickname)s (%(red_id)s) is submitted and awaits platform review. Once it is "
                "approved, the employee has 48 hours to accept it."
            )
            % {"nickname": invitation.red_account.nickname, "red_id": invitation.red_account.red_id},
        )
        return redirect("invitation-list", eid=eid)


class BindStepCheckView(WorkspacePageMixin, View):
    """The wizard's 下一步 (JSON, session + CSRF): the step's fields checked as the submit checks them, answered in the
    user's language as {valid, fields, refusal, proof}. A valid step 1 keeps its new proof as a draft and answers its
    token; a refused step stores nothing."""

    capability = "operate"

    def post(self, request, eid):
        step = request.POST.get("step", "")
        if step not in ("1", "2", "3", "4"):
            return JsonResponse({"valid": False, "detail": _("The request could not be understood.")}, status=400)
        step = int(step)
        form = InvitationForm(request.POST, request.FILES, workspace=self.workspace)
        form.is_valid()
        fields = form.step_errors(step)
        refusal = step_refusal(self.workspace, form.cleaned_data) if step == 1 and not fields else None
        valid = not fields and refusal is None
        if valid and step == 1:
            form.keep_proof()
        data = {
            "valid": valid,
            "step": step,
            "fields": fields,
            "refusal": None,
            "proof": kept_proof_context(form.draft) if step == 1 and valid else None,
        }
        if refusal is not None:
            words = violation_context(refusal)
            data["refusal"] = {"message": words["message"], "facts": [fact["text"] for fact in words["facts"]]}
        return JsonResponse(data, status=200 if valid else 400, json_dumps_params={"ensure_ascii": False})


class EligibilityPartView(BrandPage):
    """The wizard's account search (htmx): the account and whether each mode is possible."""

    template_name = "bindings/brand/_eligibility.html"
    capability = "operate"

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "check": eligibility_context(self.workspace, self.request.GET.get("red_id"), self.request.GET.get("mode")),
        }


# 邀请记录 ------------------------------------------------------------------------------------------------------


def describe_invitation(invitation) -> None:
    """The status as it is now (I05: sent and past expires_at is expired) and whether it can be cancelled."""
    status = rules.effective_invitation_status(invitation)
    invitation.effective_status = status
    invitation.effective_status_label = InvitationStatus(status).label
    invitation.is_open = status in OPEN_INVITATION_STATUSES
    invitation.accept_until = invitation.expires_at if status == InvitationStatus.SENT else None


class InvitationListView(BrandPage):
    template_name = "bindings/brand/invitation_list.html"

    def get_context_data(self, **kwargs):
        form = InvitationFilterForm(self.request.GET or None)
        filters = filters_of(form)
        queryset = selectors.invitations_for_workspace(self.workspace).select_related(
            "rebind_of__red_account", "created_by", "via_agency"
        )
        queryset = selectors.with_invitation_status(queryset, filters.get("status"))
        if mode := filters.get("mode"):
            queryset = queryset.filter(mode=mode)
        paging = paginate(self.request, queryset)
        for invitation in paging["page"]:
            describe_invitation(invitation)
        return {**super().get_context_data(**kwargs), **paging, "form": form, "filtered": bool(filters)}

    def post(self, request, eid):
        self.require("operate")
        pk = request.POST.get("cancel", "")
        if not pk.isdigit():
            return HttpResponseBadRequest()
        invitation = get_object_or_404(selectors.invitations_for_workspace(self.workspace), pk=pk)
        form = ReasonForm(request.POST)
        if not form.is_valid():
            return self.render_invalid()
        try:
            services.invitation_cancel(
                workspace=self.workspace, invitation=invitation, reason=form.cleaned_data["reason"]
            )
        except RuleViolation as violation:
            return self.render_violation(violation)
        messages.success(
            request,
            _("The invitation to %(red_id)s is cancelled; the employee can no longer accept it.")
            % {"red_id": invitation.red_account.red_id},
        )
        return redirect(request.get_full_path())


class InvitationProofView(WorkspacePageMixin, View):
    capability = "operate"

    def get(self, request, eid, pk):
        return proofs.proof_response(get_object_or_404(selectors.invitations_for_workspace(self.workspace), pk=pk))


# 批量绑定 ------------------------------------------------------------------------------------------------------


def batch_report_key(workspace, token: str) -> str:
    return f"bindings:batch-report:{workspace.enterprise.pk}:{token}"


class BatchView(BrandPage):
    """Batch binding (I08): a CSV or XLSX and a ZIP of proofs; one invitation per valid row; a per-row report whose
    refusals are in the wizard's words. An enterprise that cannot invite (E01, E02, E04) sees the wizard's banner
    and a disabled upload, and an upload is refused up front with the same words, before any row is read."""

    template_name = "bindings/brand/batch.html"
    capability = "operate"

    def get_context_data(self, **kwargs):
        token = self.request.GET.get("report", "")
        report = kwargs.get("report")
        if report is None and token:
            report = cache.get(batch_report_key(self.workspace, token))
        if report:
            for entry in report["rows"]:
                entry["result_label"] = BATCH_RESULTS.get(entry["status"], "")
                entry["field_errors"] = [
                    {"field": BATCH_FIELD_LABELS.get(field, BATCH_FIELD_LABELS["non_field_errors"]), "messages": texts}
                    for field, texts in entry["fields"].items()
                ]
                refusal = batch.refusal_of(entry)
                entry["refusal"] = violation_context(refusal) if refusal else None
        return {
            **super().get_context_data(**kwargs),
            "blockers": invite_blockers(self.workspace.enterprise),
            "form": kwargs.get("form") or BatchForm(),
            "report": report,
            "token": token if report else "",
            "report_missing": bool(token) and not report,
            "columns": batch_columns(),
            "max_rows": batch.MAX_ROWS,
        }

    def post(self, request, eid):
        if invite_blockers(self.workspace.enterprise):
            # E01/E02/E04 refuse the whole file up front: the banner says why, no row is read or reported.
            return self.render_to_response(self.get_context_data(refused=True), status=409)
        form = BatchForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render_invalid(form=form)
        try:
            report = batch.run_batch(
                workspace=self.workspace, table=form.cleaned_data["table"], proofs=form.cleaned_data.get("proofs")
            )
        except batch.BatchError as error:
            form.add_error("table", str(error))
            return self.render_invalid(form=form)
        token = secrets.token_urlsafe(16)
        cache.set(batch_report_key(self.workspace, token), report, BATCH_REPORT_SECONDS)
        if report["created"]:
            messages.success(
                request,
                _("%(created)d of %(total)d rows are submitted for platform review.")
                % {"created": report["created"], "total": report["total"]},
            )
        else:
            messages.warning(request, _("No row could be submitted; see the report below."))
        return redirect(f"{reverse('invitation-batch', kwargs={'eid': eid})}?report={token}")


def batch_columns() -> list[dict]:
    modes = " / ".join(batch.MODE_LABELS)  # the importer also takes the API's codes; the page names the words
    positions = " / ".join(batch.POSITION_LABELS)
    yes = _("是 (yes) to sign; anything else counts as not signed")
    return [
        {"header": batch.COLUMNS["mode"][0], "meaning": _("Binding mode"), "values": modes},
        {"header": batch.COLUMNS["red_id"][0], "meaning": _("RED ID of the employee's account"), "values": ""},
        {
            "header": batch.COLUMNS["name"][0],
            "meaning": _("Real name of the employee"),
            "values": _("1–24 characters. A name with 示例 (example) marks an example row: it is skipped."),
        },
        {
            "header": batch.COLUMNS["id_number"][0],
            "meaning": _("Resident ID number"),
            "values": _("18 characters; checked like the form"),
        },
        {"header": batch.COLUMNS["position"][0], "meaning": _("Position"), "values": positions},
        {"header": batch.COLUMNS["region"][0], "meaning": _("Region"), "values": _("Free text, up to 50 characters")},
        {
            "header": batch.COLUMNS["proof"][0],
            "meaning": _("Employment certificate or labour contract"),
            "values": _("The file's name inside the ZIP; PDF, JPEG or PNG, at most 10 MB"),
        },
        {"header": batch.COLUMNS["commitment_signed"][0], "meaning": _("Commitment letter signed"), "values": yes},
        {"header": batch.COLUMNS["agreement_signed"][0], "meaning": _("Service agreement signed"), "values": yes},
    ]


class BatchReportView(WorkspacePageMixin, View):
    capability = "operate"

    def get(self, request, eid, token):
        report = cache.get(batch_report_key(self.workspace, token))
        if report is None:
            raise Http404
        response = HttpResponse(batch.report_csv(report), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="batch-report-{token}.csv"'
        return response


class BatchTemplateView(WorkspacePageMixin, View):
    def get(self, request, eid, fmt):
        if fmt == "xlsx":
            response = HttpResponse(
                batch.template_xlsx(),
                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            )
        else:
            response = HttpResponse(batch.template_csv(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="batch-binding-template.{fmt}"'
        return response


urlpatterns = [
    path("employees/", BindingListView.as_view(), name="bindings-list"),
    path("employees/bind/", BindWizardView.as_view(), name="bind-wizard"),
    path("employees/bind/check/", EligibilityPartView.as_view(), name="bind-eligibility"),
    path("employees/bind/step/", BindStepCheckView.as_view(), name="bind-step-check"),
    path("employees/<int:pk>/", BindingDetailView.as_view(), name="binding-detail"),
    path("employees/<int:pk>/proof/", BindingProofView.as_view(), name="binding-proof"),
    path("invitations/", InvitationListView.as_view(), name="invitation-list"),
    path("invitations/<int:pk>/proof/", InvitationProofView.as_view(), name="invitation-proof"),
    path("invitations/batch/", BatchView.as_view(), name="invitation-batch"),
    path("invitations/batch/report/<slug:token>.csv", BatchReportView.as_view(), name="invitation-batch-report"),
    path(
        "invitations/batch/template.csv",
        BatchTemplateView.as_view(),
        {"fmt": "csv"},
        name="invitation-batch-template-csv",
    ),
    path(
        "invitations/batch/template.xlsx",
        BatchTemplateView.as_view(),
        {"fmt": "xlsx"},
        name="invitation-batch-template-xlsx",
    ),
]
