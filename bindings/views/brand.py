"""Binding pages (brand). Mounted by bindings/urls.py under /w/<int:eid>/.

Every page resolves the workspace (another tenant's objects are a 404), reads through the selectors and changes
state only through the services. Analysts read; owners, admins, operators and reported agencies act ("operate").
A refused rule re-renders the page with its message and facts (409); an invalid form re-renders with its errors
(400) and stores nothing.
"""

import secrets
from datetime import datetime

from django.contrib import messages
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from accounts import audit
from accounts.audit import action_label
from accounts.choices import Industry, Role
from accounts.models import RedAccount
from accounts.services import enterprise_state_reasons
from kos_platform import clock
from kos_platform.errors import RULE_MESSAGES, RuleViolation, reason_label
from kos_platform.pages import WorkspacePageMixin

from .. import batch, proofs, rules, selectors, services
from ..choices import (
    LIVE_BINDING_STATUSES,
    OPEN_INVITATION_STATUSES,
    BindingStatus,
    EndReason,
    InvitationStatus,
    Mode,
    Position,
)
from ..forms import (
    AuditFilterForm,
    BatchForm,
    BindingFilterForm,
    HandoverForm,
    InvitationFilterForm,
    InvitationForm,
    ReasonForm,
    RebindForm,
)
from ..models import REBIND_COOLDOWN_DAYS, Notification
from ..proofs import MAX_PROOF_BYTES

PAGE_SIZE = 20
RECENT_NOTIFICATIONS = 10
BATCH_REPORT_SECONDS = 3600

# A01–A07 in words, for the eligibility panel and refused rules.


OBJECT_LABELS = {
    "bindings.binding": gettext_lazy("Employee account"),
    "bindings.invitation": gettext_lazy("Invitation"),
    "accounts.enterprise": gettext_lazy("Enterprise"),
    "accounts.membership": gettext_lazy("Member"),
    "accounts.agencyreport": gettext_lazy("Agency report"),
    "accounts.agency": gettext_lazy("Agency"),
    "accounts.apikey": gettext_lazy("API key"),
}

FIELD_LABELS = {
    "status": gettext_lazy("Status"),
    "mode": gettext_lazy("Binding mode"),
    "position": gettext_lazy("Position"),
    "region": gettext_lazy("Region"),
    "name": gettext_lazy("Full name"),
    "id_number_masked": gettext_lazy("ID number"),
    "end_reason": gettext_lazy("End reason"),
    "role": gettext_lazy("Role"),
    "invitations_restricted_until": gettext_lazy("New invitations restricted until"),
    "agency_name": gettext_lazy("Agency"),
    "user": gettext_lazy("User"),
    "kos_permission": gettext_lazy("Employee-account management permission"),
    "industry": gettext_lazy("Industry"),
    "certified": gettext_lazy("Certified"),
    "annual_review_valid_until": gettext_lazy("Annual review"),
    "banned": gettext_lazy("Banned"),
    "store_count": gettext_lazy("Offline stores in mainland China"),
    "serious_violation_at": gettext_lazy("Last serious-violation ban"),
    "monthly_note_quota": gettext_lazy("Monthly note-review quota"),
    "standing": gettext_lazy("Standing"),
    "revoked": gettext_lazy("Revoked"),
    "scope": gettext_lazy("Scope"),
}
HIDDEN_FIELDS = {"agency"}  # an id beside its readable name

BATCH_FIELD_LABELS = {
    "mode": gettext_lazy("Binding mode"),
    "red_id": gettext_lazy("RED ID"),
    "name": gettext_lazy("Full name"),
    "id_number": gettext_lazy("ID number"),
    "position": gettext_lazy("Position"),
    "region": gettext_lazy("Region"),
    "proof": gettext_lazy("Employment proof"),
    "commitment_signed": gettext_lazy("Commitment letter"),
    "agreement_signed": gettext_lazy("Service agreement"),
    "non_field_errors": gettext_lazy("Row"),
}

BATCH_RESULTS = {
    "created": gettext_lazy("Submitted for review"),
    "invalid": gettext_lazy("Invalid row"),
    "refused": gettext_lazy("Refused by a rule"),
}


def local_text(at: datetime | None) -> str:
    return formats.date_format(timezone.localtime(at), "Y-m-d H:i") if at else ""


def violation_context(violation: RuleViolation) -> dict:
    """The refused rule's message and its facts in words: reasons with labels, instants in local time."""
    facts = [{"text": reason_label(code)} for code in violation.facts.get("reasons", [])]
    if available_at := violation.facts.get("available_at"):
        facts.append(
            {"text": _("Possible from %(at)s (Beijing time)") % {"at": local_text(available_at)}, "at": available_at}
        )
    if until := violation.facts.get("until"):
        facts.append({"text": _("Until %(at)s (Beijing time)") % {"at": local_text(until)}, "at": until})
    return {"code": violation.code, "message": violation.message, "facts": facts}


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
    """The enterprise's employee accounts, with filters, paging and the enterprise's recent notifications."""

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
        notifications = list(selectors.notifications_for_workspace(workspace)[:RECENT_NOTIFICATIONS])
        for item in notifications:
            subject = item.invitation or item.binding
            item.account = subject.red_account if subject else None
        return {
            **super().get_context_data(**kwargs),
            **paging,
            "form": form,
            "filtered": bool(filters),
            "notifications": notifications,
            "unread_count": sum(1 for item in notifications if item.read_at is None),
        }


class NotificationsReadView(WorkspacePageMixin, View):
    """Mark the enterprise's notifications read (bookkeeping, not audited)."""

    capability = "operate"

    def post(self, request, eid):
        services.notifications_mark_read(
            queryset=Notification.objects.filter(
                pk__in=selectors.notifications_for_workspace(self.workspace).values("pk")
            )
        )
        return redirect("bindings-list", eid=eid)


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
        events = list(selectors.audit_log_for_workspace(workspace).filter(objects)[:100])
        for event in events:
            describe_event(event)
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


class BindWizardView(BrandPage):
    """The deck's bind wizard (确认员工信息 → 选择岗位 → 查看员工号权限 → 签署承诺书): one form in four client-side
    steps, posted at once so the proof file survives; the server's validation decides."""

    template_name = "bindings/brand/bind_wizard.html"
    capability = "operate"

    def get_context_data(self, **kwargs):
        form = kwargs.get("form") or InvitationForm(
            initial={key: self.request.GET[key] for key in ("red_id", "mode") if self.request.GET.get(key)}
        )
        enterprise = self.workspace.enterprise
        blockers = [reason_label(code) for code in enterprise_state_reasons(enterprise)]
        if not enterprise.kos_permission:
            blockers.append(str(RULE_MESSAGES["kos_permission_missing"]))
        restricted = enterprise.invitations_restricted_until
        if restricted and clock.now() < restricted:
            blockers.append(
                _("New invitations are restricted until %(at)s (Beijing time).") % {"at": local_text(restricted)}
            )
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
        }

    def post(self, request, eid):
        form = InvitationForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render_invalid(form=form, step=form.first_invalid_step())
        try:
            invitation = services.invitation_create(
                workspace=self.workspace,
                red_account=form.cleaned_data["red_id"],
                mode=form.cleaned_data["mode"],
                details=form.details(),
            )
        except RuleViolation as violation:
            return self.render_violation(violation, form=form, step=1)
        messages.success(
            request,
            _(
                "The invitation to %(nickname)s (%(red_id)s) is submitted and awaits platform review. Once it is "
                "approved, the employee has 48 hours to accept it."
            )
            % {"nickname": invitation.red_account.nickname, "red_id": invitation.red_account.red_id},
        )
        return redirect("invitation-list", eid=eid)


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
    """Batch binding (I08): a CSV or XLSX and a ZIP of proofs; one invitation per valid row; a per-row report."""

    template_name = "bindings/brand/batch.html"
    capability = "operate"

    def get_context_data(self, **kwargs):
        token = self.request.GET.get("report", "")
        report = kwargs.get("report")
        if report is None and token:
            report = cache.get(batch_report_key(self.workspace, token))
        if report:
            for entry in report["rows"]:
                entry["result_label"] = BATCH_RESULTS.get(entry["status"], entry["status"])
                entry["field_errors"] = [
                    {"field": BATCH_FIELD_LABELS.get(field, field), "messages": texts}
                    for field, texts in entry["fields"].items()
                ]
        return {
            **super().get_context_data(**kwargs),
            "form": kwargs.get("form") or BatchForm(),
            "report": report,
            "token": token if report else "",
            "report_missing": bool(token) and not report,
            "columns": batch_columns(),
            "max_rows": batch.MAX_ROWS,
        }

    def post(self, request, eid):
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
    modes = " / ".join(f"{label} ({mode})" for label, mode in batch.MODE_LABELS.items())
    positions = " / ".join(f"{label} ({code})" for label, code in batch.POSITION_LABELS.items())
    yes = _("是 (yes) to sign; anything else counts as not signed")
    return [
        {"header": batch.COLUMNS["mode"][0], "meaning": _("Binding mode"), "values": modes},
        {"header": batch.COLUMNS["red_id"][0], "meaning": _("RED ID of the employee's account"), "values": ""},
        {"header": batch.COLUMNS["name"][0], "meaning": _("Real name of the employee"), "values": _("1–24 characters")},
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


# 操作日志 ------------------------------------------------------------------------------------------------------


def _value_label(event, field: str, value) -> str:
    if value in (None, ""):
        return "—"
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    choices = {
        "mode": Mode,
        "position": Position,
        "end_reason": EndReason,
        "role": Role,
        "industry": Industry,
        "status": InvitationStatus if event.object_type == "bindings.invitation" else BindingStatus,
    }.get(field)
    if choices is not None and value in choices.values:
        return str(choices(value).label)
    if isinstance(value, str) and len(value) >= 19 and value[4] == "-" and value[10] == "T":
        try:
            return local_text(datetime.fromisoformat(value))
        except ValueError:
            return value
    return str(value)


def describe_event(event) -> None:
    """The event's action, object and compact before → after, in words."""
    event.label = action_label(event.action)
    event.object_label = OBJECT_LABELS.get(event.object_type, event.object_type)
    event.object_text = event.object_repr
    before, after = event.before or {}, event.after or {}
    # A short `before` (a state change) names what changed; the rest of `after` is context, not a change.
    fields = list(before) if 0 < len(before) <= 2 else list(dict.fromkeys([*before, *after]))
    changes = []
    for field in fields:
        if field in HIDDEN_FIELDS or (field in before and field in after and before[field] == after[field]):
            continue
        changes.append(
            {
                "field": FIELD_LABELS.get(field, field),
                "before": _value_label(event, field, before[field]) if field in before else None,
                "after": _value_label(event, field, after[field]) if field in after else None,
            }
        )
    event.changes = changes


class AuditLogView(BrandPage):
    template_name = "bindings/brand/audit_log.html"

    def get_context_data(self, **kwargs):
        form = AuditFilterForm(self.request.GET or None, actions=list(audit.ACTION_LABELS.items()))
        filters = filters_of(form)
        queryset = selectors.audit_log_for_workspace(self.workspace)
        if action := filters.get("action"):
            queryset = queryset.filter(action=action)
        start, end = form.bounds() if form.is_bound else (None, None)
        if start:
            queryset = queryset.filter(at__gte=start)
        if end:
            queryset = queryset.filter(at__lt=end)
        paging = paginate(self.request, queryset)
        for event in paging["page"]:
            describe_event(event)
        return {**super().get_context_data(**kwargs), **paging, "form": form, "filtered": bool(filters)}


urlpatterns = [
    path("employees/", BindingListView.as_view(), name="bindings-list"),
    path("employees/notifications/read/", NotificationsReadView.as_view(), name="bindings-notifications-read"),
    path("employees/bind/", BindWizardView.as_view(), name="bind-wizard"),
    path("employees/bind/check/", EligibilityPartView.as_view(), name="bind-eligibility"),
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
    path("audit/", AuditLogView.as_view(), name="audit-log"),
]
