"""Note pages (brand). Mounted by notes/urls.py under /w/<int:eid>/.

待审核笔记 and 已发起审核笔记 (N01, N02, N07 as the deck shows them), a note's detail with its figures over time
(D01), submission for review (N03–N05), boost and push to the ad platform (N06). Every page resolves the workspace
(another tenant's note is a 404), reads through `notes.selectors` and changes state only through `notes.services`.
Analysts read; owners, admins, operators and reported agencies act ("operate"). A refused rule is shown as a message
(or, on the detail page, re-rendered with 409); an invalid form is shown again with its errors (400).
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View
from django.views.generic import TemplateView

from bindings.views.brand import violation_context
from kos_platform import clock
from kos_platform.errors import RULE_MESSAGES, RuleViolation
from kos_platform.pages import WorkspacePageMixin
from kos_platform.pagination import sort_columns

from .. import exports, rules, selectors, services
from ..choices import NOT_SUBMITTED, NoteType, ReviewStatus
from ..counts import note_counts
from ..forms import PENDING, SORTABLE, SUBMITTED_TAB, BoostForm, NoteListForm, NoteMetricRangeForm, NoteSelectionForm

REFUSALS_SHOWN = 10


def quota_line(quota) -> str:
    return _("Review quota left this month: %(remaining)s/%(limit)s") % {
        "remaining": quota.remaining,
        "limit": quota.limit,
    }


def back_url(request, default: str) -> str:
    """The `next` of a posted form when it points back into this site, else `default`."""
    target = request.POST.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return target
    return default


def promote_url(eid: int, note_id: str) -> str:
    """前往聚光: the campaign wizard with the pushed note chosen."""
    return f"{reverse('campaign-wizard', kwargs={'eid': eid})}?{urlencode({'note': note_id})}"


def decorate(notes, enterprise) -> None:
    """What a row shows beyond the note: the author's employee name and binding, the N07 signals."""
    facts = selectors.author_facts(notes, enterprise)
    now = clock.now()
    for note in notes:
        note.facts = facts.get(note.author_id)
        note.promising = rules.is_promising(note.likes, note.comments)
        note.status = note.review_status or NOT_SUBMITTED
        bound = bool(note.facts and note.facts.binding_active)
        code = rules.submit_refusal(note, author_bound=bound, now=now)
        note.refusal = str(RULE_MESSAGES.get(code, code)) if code else ""


class NotesPage(WorkspacePageMixin, TemplateView):
    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "can_operate": self.workspace.can("operate"),
            "quota": services.quota_of(self.workspace.enterprise),
        }


# 待审核笔记 / 已发起审核笔记 ----------------------------------------------------------------------------------------


class NoteListView(NotesPage):
    """One tab of the brand's notes: filters (N02), sortable columns, page size and count, the N07 badges."""

    template_name = "notes/brand/note_list.html"
    tab = PENDING
    workspace_related = ("note_counts",)

    def get(self, request, *args, **kwargs):
        form = NoteListForm(request.GET, tab=self.tab)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form, invalid=True), status=400)
        return self.render_to_response(self.get_context_data(form=form, **self.listing(form)))

    def listing(self, form: NoteListForm) -> dict:
        enterprise = self.workspace.enterprise
        data = form.cleaned_data
        base = selectors.notes_for_enterprise(enterprise)
        source = selectors.list_source(base, data, enterprise)
        paginator = selectors.CountedPaginator(source, data["page_size"], count=selectors.list_count(form, enterprise))
        page = paginator.get_page(self.request.GET.get("page"))
        page.object_list = selectors.page_rows(page.object_list)
        decorate(page.object_list, enterprise)
        context = {
            "page": page,
            "page_range": list(paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)),
            "ellipsis": Paginator.ELLIPSIS,
            "columns": sort_columns(SORTABLE[self.tab], data["ordering"]),
            "filtered": form.narrows,
            "exports": export_links(enterprise.pk, form),
        }
        if self.tab == SUBMITTED_TAB:
            context["states"] = state_tabs(self.state_counts(form, base), data.get("state") or "")
            pushed = selectors.pushed_notes(enterprise).filter(note__in=[note.pk for note in page.object_list])
            pushed_ids = set(pushed.values_list("note_id", flat=True))
            for note in page.object_list:
                note.pushed = note.pk in pushed_ids
        return context

    def state_counts(self, form: NoteListForm, base) -> dict:
        """全部 / 审核中 / 审核不通过 / 审核通过 of the filtered list; the kept counts when nothing narrows it."""
        enterprise = self.workspace.enterprise
        if form.narrows:
            return selectors.tab_counts(selectors.filter_notes(base, form.submitted_filters(), enterprise))
        kept = note_counts(enterprise)
        return {
            "submitted": kept.total - kept.not_submitted,
            **{status: getattr(kept, status) for status in ReviewStatus.values},
        }

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "tab": self.tab,
            "page_sizes": NoteListForm.base_fields["page_size"].choices,
        }


class PendingNotesView(NoteListView):
    """待审核笔记: the bound employees' notes not submitted yet, with 发起笔记审核 for the checked ones."""

    tab = PENDING


class SubmittedNotesView(NoteListView):
    """已发起审核笔记: the submitted notes by review state; 内容加热 and 前往聚光 on the approved ones."""

    tab = SUBMITTED_TAB


def state_tabs(counts: dict, current: str) -> list[dict]:
    return [
        {"value": "", "label": _("All"), "count": counts["submitted"], "active": current == ""},
        *(
            {"value": status, "label": label, "count": counts[status], "active": current == status}
            for status, label in (
                (ReviewStatus.IN_REVIEW, ReviewStatus.IN_REVIEW.label),
                (ReviewStatus.REJECTED, ReviewStatus.REJECTED.label),
                (ReviewStatus.APPROVED, ReviewStatus.APPROVED.label),
            )
        ),
    ]


def export_links(eid: int, form: NoteListForm) -> list[dict]:
    query = urlencode(form.export_query())
    return [
        {
            "kind": kind,
            "label": kind.upper(),
            "url": f"{reverse('notes-export', kwargs={'eid': eid, 'fmt': kind})}?{query}",
        }
        for kind in exports.KINDS
    ]


class NoteExportView(WorkspacePageMixin, View):
    """The filtered list as CSV or XLSX (the same filters as the list, carried by the page's export links)."""

    def get(self, request, eid, fmt):
        if fmt not in exports.KINDS:
            raise Http404
        form = selectors.NoteFilterForm(request.GET)
        if not form.is_valid():
            return HttpResponseBadRequest(" ".join(str(error) for errors in form.errors.values() for error in errors))
        enterprise = self.workspace.enterprise
        notes = selectors.filter_notes(selectors.notes_for_enterprise(enterprise), form.cleaned_data, enterprise)
        return exports.notes_export(fmt, notes, enterprise)


# 发起笔记审核 ------------------------------------------------------------------------------------------------------


class NoteSubmitView(WorkspacePageMixin, View):
    """发起笔记审核 for the checked notes (or one row's): each is accepted or refused with its rule's reason; if the
    accepted ones outnumber the month's remaining quota, nothing is submitted. Back to the page with a summary."""

    capability = "operate"

    def post(self, request, eid):
        back = back_url(request, reverse("notes-pending", kwargs={"eid": eid}))
        form = NoteSelectionForm(request.POST)
        if not form.is_valid():
            for error in form.errors["note_ids"]:
                messages.error(request, error)
            return redirect(back)
        note_ids = form.cleaned_data["note_ids"]
        found, unknown = selectors.find_notes(self.workspace.enterprise, note_ids)
        if unknown:
            messages.error(request, selectors.unknown_notes_message(unknown))
            return redirect(back)
        try:
            submission = services.submit_for_review(workspace=self.workspace, notes=[found[i] for i in note_ids])
        except RuleViolation as violation:
            messages.error(request, refusal_text(violation))
            return redirect(back)
        summarise(request, submission, found)
        return redirect(back)


def refusal_text(violation: RuleViolation) -> str:
    if violation.code == "quota_exceeded":
        facts = {"remaining": violation.facts.get("remaining", 0), "requested": violation.facts.get("requested", 0)}
        return " ".join(
            [
                violation.message,
                _("Left this month: %(remaining)s; submittable notes selected: %(requested)s.") % facts,
            ]
        )
    return violation.message


def summarise(request, submission, found: dict) -> None:
    """One message for the accepted notes (with the quota left), one listing each refused note and why."""
    accepted = [result for result in submission.results if "status" in result]
    refused = [result for result in submission.results if "code" in result]
    if accepted:
        messages.success(
            request,
            " ".join(
                [
                    ngettext(
                        "%(count)d note is submitted for platform review.",
                        "%(count)d notes are submitted for platform review.",
                        len(accepted),
                    )
                    % {"count": len(accepted)},
                    quota_line(submission.quota),
                ]
            ),
        )
    if refused:
        reasons = [
            _("%(title)s (%(note_id)s): %(reason)s")
            % {
                "title": found[result["note_id"]].title,
                "note_id": result["note_id"],
                "reason": RULE_MESSAGES.get(result["code"], result["code"]),
            }
            for result in refused[:REFUSALS_SHOWN]
        ]
        if len(refused) > REFUSALS_SHOWN:
            reasons.append(_("and %(count)d more") % {"count": len(refused) - REFUSALS_SHOWN})
        heading = ngettext(
            "%(count)d note could not be submitted:", "%(count)d notes could not be submitted:", len(refused)
        ) % {"count": len(refused)}
        messages.warning(request, f"{heading} {' · '.join(reasons)}")


# 笔记详情 ---------------------------------------------------------------------------------------------------------


def chart_series(note, rows) -> dict:
    """The daily figures as the chart script reads them: one list per series, rates in per cent."""
    rate_field = "play_5s_rate" if note.type == NoteType.VIDEO else "read_3s_rate"

    def number(value, scale=1):
        return None if value is None else round(float(value) * scale, 2)

    return {
        "dates": [row.date.isoformat() for row in rows],
        "exposure": [row.exposure for row in rows],
        "reads": [row.reads for row in rows],
        "engagement": [row.likes + row.collects + row.comments for row in rows],
        "read_uv": [row.read_uv for row in rows],
        "rate": [number(getattr(row, rate_field), 100) for row in rows],
        "avg_view_seconds": [number(row.avg_view_seconds) for row in rows],
    }


class NoteDetailView(NotesPage):
    """One note: its author, totals, figures over a chosen range (chart and table), the enterprise's reviews of it,
    boosts and push; 发起笔记审核, 内容加热 and 前往聚光 for those who operate."""

    template_name = "notes/brand/note_detail.html"

    def get_note(self):
        note = selectors.note_for_enterprise(self.workspace.enterprise, self.kwargs["note_id"])
        if note is None:
            raise Http404
        return note

    def get(self, request, *args, **kwargs):
        self.note = self.get_note()
        range_form = NoteMetricRangeForm(request.GET or None)
        status = 400 if range_form.is_bound and not range_form.is_valid() else 200
        return self.render_to_response(self.get_context_data(range_form=range_form), status=status)

    def get_context_data(self, **kwargs):
        note = self.note
        enterprise = self.workspace.enterprise
        decorate([note], enterprise)
        range_form = kwargs.pop("range_form", None) or NoteMetricRangeForm()
        start, end, days = range_form.bounds()
        rows = list(selectors.daily_metrics(note, start, end))
        reviews = list(selectors.reviews_of(enterprise, note).select_related("via_agency"))
        can_operate = self.workspace.can("operate")
        return {
            **super().get_context_data(**kwargs),
            "note": note,
            "range_form": range_form,
            "range": {"start": start, "end": end, "days": days},
            "range_presets": (7, 30, 90),
            "rows": rows,
            "chart": chart_series(note, rows),
            "rate_label": _("5 s play rate") if note.type == NoteType.VIDEO else _("3 s read rate"),
            "reviews": reviews,
            "boosts": note.boosts.filter(enterprise=enterprise).select_related("created_by", "via_agency"),
            "push": note.pushes.filter(enterprise=enterprise).select_related("pushed_by", "via_agency").first(),
            "can_submit": can_operate and note.status in (NOT_SUBMITTED, ReviewStatus.REJECTED),
            "can_promote": can_operate and note.status == ReviewStatus.APPROVED,
            "boost_form": kwargs.get("boost_form") or BoostForm(),
        }

    def post(self, request, eid, note_id):
        self.require("operate")
        self.note = note = self.get_note()
        action = request.POST.get("action")
        back = back_url(request, reverse("note-detail", kwargs={"eid": eid, "note_id": note.note_id}))
        try:
            if action == "boost":
                form = BoostForm(request.POST)
                if not form.is_valid():
                    return self.render_to_response(self.get_context_data(boost_form=form, open_boost=True), status=400)
                boost = services.note_boost(workspace=self.workspace, note=note, budget=form.cleaned_data["budget"])
                messages.success(
                    request,
                    _("Boost of ¥%(budget)s for “%(title)s” is recorded.")
                    % {"budget": boost.budget, "title": note.title},
                )
                return redirect(back)
            if action == "push":
                _push, created = services.note_push_to_ads(workspace=self.workspace, note=note)
                if created:
                    messages.success(
                        request,
                        _("“%(title)s” is pushed to the ad platform; set up the campaign that promotes it.")
                        % {"title": note.title},
                    )
                else:
                    messages.info(
                        request, _("“%(title)s” was already pushed to the ad platform.") % {"title": note.title}
                    )
                return redirect(promote_url(eid, note.note_id))
        except RuleViolation as violation:
            return self.render_to_response(self.get_context_data(violation=violation_context(violation)), status=409)
        return HttpResponseBadRequest()


urlpatterns = [
    path("notes/", PendingNotesView.as_view(), name="notes-pending"),
    path("notes/submitted/", SubmittedNotesView.as_view(), name="notes-submitted"),
    path("notes/submit/", NoteSubmitView.as_view(), name="notes-submit"),
    path("notes/export.<str:fmt>", NoteExportView.as_view(), name="notes-export"),
    path("notes/<str:note_id>/", NoteDetailView.as_view(), name="note-detail"),
]
