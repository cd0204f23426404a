"""Note pages (platform staff), mounted under /platform/ by notes/urls.py: the note review queue (N05) — approve,
approve many, reject with a reason — and the quota panel, every enterprise's monthly note-review quota (N04).

Staff only: anyone else logged in gets 403. Decisions go through notes.services, the quota through
accounts.services.enterprise_update (audited like the platform API's PATCH); a refused rule is shown on the page
(409), a bad form is shown again (400)."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.generic import TemplateView

from accounts import services as account_services
from bindings.forms_platform import ReasonForm
from bindings.views.brand import violation_context
from bindings.views.platform import StaffRequiredMixin
from kos_platform import clock
from kos_platform.errors import RuleViolation
from kos_platform.tenancy import Actor

from .. import selectors, services
from ..choices import ReviewStatus
from ..forms import ALL, QuotaChangeForm, QuotaTableFilterForm, ReviewQueueFilterForm, ReviewSelectionForm
from ..models import NoteReview

PER_PAGE = 20


class NoteReviewQueueView(StaffRequiredMixin, TemplateView):
    """Note submissions awaiting review, oldest first (other statuses newest first), by enterprise on request."""

    template_name = "notes/platform/review_queue.html"

    def get_context_data(self, **kwargs):
        form = ReviewQueueFilterForm(self.request.GET)
        form.is_valid()
        status = form.cleaned_data.get("status") or ReviewStatus.IN_REVIEW
        enterprise = form.cleaned_data.get("enterprise")
        reviews = selectors.filter_reviews(selectors.review_queue(), {"status": None if status == ALL else status})
        if enterprise is not None:
            reviews = reviews.filter(enterprise=enterprise)
        if status != ReviewStatus.IN_REVIEW:
            reviews = reviews.order_by("-submitted_at", "-id")
        page = Paginator(reviews, PER_PAGE).get_page(self.request.GET.get("page"))
        query = self.request.GET.copy()
        query.pop("page", None)
        return super().get_context_data(
            **kwargs,
            form=form,
            status=status,
            enterprise=enterprise,
            page=page,
            query=query.urlencode(),
            quota=services.quota_of(enterprise) if enterprise else None,
            console_note_pending=NoteReview.objects.filter(status=ReviewStatus.IN_REVIEW).count(),
        )

    def render_page(self, status: int, **context):
        return self.render_to_response(self.get_context_data(**context), status=status)

    def post(self, request):
        action = request.POST.get("action")
        actor = Actor(user=request.user)
        try:
            if action == "approve":
                review = self.posted_review()
                services.review_approve(actor=actor, review=review)
                messages.success(request, _("Approved: “%(title)s” (%(enterprise)s).") % describe(review))
            elif action == "reject":
                review = self.posted_review()
                form = ReasonForm(request.POST)
                if not form.is_valid():
                    return self.render_page(400, reject_form=form, reject_review=review.pk)
                services.review_reject(actor=actor, review=review, reason=form.cleaned_data["reason"])
                messages.success(
                    request, _("Rejected: “%(title)s” (%(enterprise)s); the brand sees the reason.") % describe(review)
                )
            elif action == "approve_selected":
                form = ReviewSelectionForm(request.POST)
                if not form.is_valid():
                    return self.render_page(400, selection_errors=form.errors["review_ids"])
                self.approve_many(actor, form.cleaned_data["review_ids"])
            else:
                return self.render_page(400, form_error=_("Choose an action."))
        except RuleViolation as violation:
            return self.render_page(409, violation=violation_context(violation))
        return redirect(request.get_full_path())

    def posted_review(self) -> NoteReview:
        pk = self.request.POST.get("review", "")
        return get_object_or_404(
            NoteReview.objects.select_related("note", "enterprise"), pk=pk if pk.isascii() and pk.isdigit() else 0
        )

    def approve_many(self, actor: Actor, ids: list[int]) -> None:
        """Each checked review that is still open is approved in its own transaction; decided ones are skipped."""
        approved = skipped = 0
        for review in NoteReview.objects.filter(pk__in=ids).order_by("submitted_at", "id"):
            try:
                services.review_approve(actor=actor, review=review)
                approved += 1
            except RuleViolation:
                skipped += 1
        skipped += len(ids) - approved - skipped  # not found
        if approved:
            messages.success(
                self.request,
                ngettext("%(count)d note approved.", "%(count)d notes approved.", approved) % {"count": approved},
            )
        if skipped:
            messages.warning(
                self.request,
                ngettext(
                    "%(count)d note was skipped: it has already been decided.",
                    "%(count)d notes were skipped: they have already been decided.",
                    skipped,
                )
                % {"count": skipped},
            )


class NoteQuotaPanelView(StaffRequiredMixin, TemplateView):
    """N04, the staff quota panel: every enterprise with this month's limit, used and remaining (one statement for
    the page and one for the count, whatever the page size), searched by name, sorted, paged; a limit changes inline
    with a reason, through accounts.services.enterprise_update, which audits it with the reason."""

    template_name = "notes/platform/note_quotas.html"

    def page_size(self) -> int:
        raw = self.request.GET.get("page_size", "")
        return min(int(raw), 100) if raw.isascii() and raw.isdigit() and int(raw) > 0 else PER_PAGE

    def get_context_data(self, **kwargs):
        form = QuotaTableFilterForm(self.request.GET)
        form.is_valid()
        q = form.cleaned_data.get("q") or ""
        sort = form.cleaned_data.get("sort") or "name"
        page = Paginator(selectors.quota_table(q=q, sort=sort), self.page_size()).get_page(self.request.GET.get("page"))
        query = self.request.GET.copy()
        query.pop("page", None)
        return super().get_context_data(
            **kwargs,
            form=form,
            page=page,
            query=query.urlencode(),
            month=clock.month_label(),
            console_note_pending=NoteReview.objects.filter(status=ReviewStatus.IN_REVIEW).count(),
        )

    def post(self, request):
        form = QuotaChangeForm(request.POST)
        if not form.is_valid():
            row = form.cleaned_data.get("enterprise")
            return self.render_to_response(
                self.get_context_data(change_form=form, change_row=row.pk if row else None), status=400
            )
        enterprise = account_services.enterprise_update(
            actor=Actor(user=request.user),
            enterprise=form.cleaned_data["enterprise"],
            monthly_note_quota=form.cleaned_data["monthly_note_quota"],
            reason=form.cleaned_data["reason"],
        )
        messages.success(
            request,
            _("The monthly note-review quota of %(enterprise)s is now %(limit)s.")
            % {"enterprise": enterprise.name, "limit": enterprise.monthly_note_quota},
        )
        return redirect(request.get_full_path())


def describe(review: NoteReview) -> dict:
    return {"title": review.note.title, "enterprise": review.enterprise.name}


def next_in_queue(review: NoteReview) -> NoteReview | None:
    """The open submission reviewed after `review` (oldest first), else the oldest other open one."""
    waiting = (
        NoteReview.objects.filter(status=ReviewStatus.IN_REVIEW).exclude(pk=review.pk).order_by("submitted_at", "id")
    )
    later = Q(submitted_at__gt=review.submitted_at) | Q(submitted_at=review.submitted_at, id__gt=review.pk)
    return waiting.filter(later).first() or waiting.first()


class NoteReviewDetailView(StaffRequiredMixin, TemplateView):
    """One submission beside its decision: the cover large, the excerpt, the note's facts and figures, the
    enterprise's earlier submissions of it; approve, or reject with a reason, then on to the next in the queue."""

    template_name = "notes/platform/review_detail.html"

    def get_review(self) -> NoteReview:
        return get_object_or_404(
            NoteReview.objects.select_related(
                "note__author", "enterprise", "submitted_by", "via_agency", "reviewed_by"
            ),
            pk=self.kwargs["pk"],
        )

    def get_context_data(self, **kwargs):
        review = kwargs.pop("review", None) or self.get_review()
        reject_form = kwargs.pop("reject_form", None) or ReasonForm()
        open_ = review.status == ReviewStatus.IN_REVIEW
        waiting = NoteReview.objects.filter(status=ReviewStatus.IN_REVIEW)
        ahead = Q(submitted_at__lt=review.submitted_at) | Q(submitted_at=review.submitted_at, id__lt=review.pk)
        return super().get_context_data(
            **kwargs,
            review=review,
            note=review.note,
            history=NoteReview.objects.filter(note=review.note_id, enterprise=review.enterprise_id)
            .exclude(pk=review.pk)
            .select_related("reviewed_by")
            .order_by("-submitted_at", "-id"),
            next_review=next_in_queue(review),
            position=waiting.filter(ahead).count() + 1 if open_ else None,
            console_note_pending=waiting.count(),
            reject_form=reject_form,
        )

    def render_page(self, status: int, **context):
        return self.render_to_response(self.get_context_data(**context), status=status)

    def post(self, request, pk):
        review = self.get_review()
        action = request.POST.get("action")
        actor = Actor(user=request.user)
        try:
            if action == "approve":
                services.review_approve(actor=actor, review=review)
                messages.success(request, _("Approved: “%(title)s” (%(enterprise)s).") % describe(review))
            elif action == "reject":
                form = ReasonForm(request.POST)
                if not form.is_valid():
                    return self.render_page(400, review=review, reject_form=form)
                services.review_reject(actor=actor, review=review, reason=form.cleaned_data["reason"])
                messages.success(
                    request, _("Rejected: “%(title)s” (%(enterprise)s); the brand sees the reason.") % describe(review)
                )
            else:
                return self.render_page(400, review=review, form_error=_("Choose an action."))
        except RuleViolation as violation:
            return self.render_page(409, review=self.get_review(), violation=violation_context(violation))
        following = next_in_queue(review)
        if following is None:
            return redirect("platform-note-reviews")
        return redirect("platform-note-review", pk=following.pk)


urlpatterns = [
    path("note-reviews/", NoteReviewQueueView.as_view(), name="platform-note-reviews"),
    path("note-quotas/", NoteQuotaPanelView.as_view(), name="platform-note-quotas"),
    path("note-reviews/<int:pk>/", NoteReviewDetailView.as_view(), name="platform-note-review"),
]
