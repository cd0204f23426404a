"""Every change of a note's review or promotion: one transaction, the deciding rows locked, the rule's error with
its facts, and an audit record."""

from dataclasses import dataclass
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import F

from accounts import audit
from accounts.models import Enterprise
from bindings.choices import BindingStatus
from bindings.models import Binding
from campaigns import ledger
from kos_platform import clock
from kos_platform.errors import RuleViolation
from kos_platform.tenancy import Actor, Workspace

from . import rules
from .choices import ReviewStatus
from .counts import refresh_note_counts
from .models import CURRENT_REVIEW_FIELDS, Note, NoteBoost, NotePush, NoteQuotaMonth, NoteReview

MAX_NOTES_PER_SUBMISSION = 1000


@dataclass(frozen=True)
class Quota:
    month: str
    limit: int
    used: int

    @property
    def remaining(self) -> int:
        return max(0, self.limit - self.used)


def quota_of(enterprise: Enterprise, at=None) -> Quota:
    """N04: this calendar month's (Asia/Shanghai) limit, submissions and what is left."""
    month = clock.month_label(at)
    used = NoteQuotaMonth.objects.filter(enterprise=enterprise, month=month).values_list("used", flat=True).first()
    return Quota(month=month, limit=enterprise.monthly_note_quota, used=used or 0)


def _lock_quota_month(enterprise: Enterprise, month: str) -> NoteQuotaMonth:
    """The month's row, created if new and locked: submissions of one enterprise and month queue here, so the
    count they check is the count they update (N04 under concurrency)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO notes_notequotamonth (enterprise_id, month, used) VALUES (%s, %s, 0) "
            "ON CONFLICT (enterprise_id, month) DO NOTHING",
            [enterprise.pk, month],
        )
    return NoteQuotaMonth.objects.select_for_update().get(enterprise=enterprise, month=month)


def _active_authors(enterprise_id: int, author_ids) -> set[int]:
    return set(
        Binding.objects.filter(
            enterprise_id=enterprise_id, status=BindingStatus.ACTIVE, red_account_id__in=author_ids
        ).values_list("red_account_id", flat=True)
    )


@dataclass(frozen=True)
class Submission:
    results: list[dict]  # {note_id, status} or {note_id, code}, in the request's order
    quota: Quota


@transaction.atomic
def submit_for_review(*, workspace: Workspace, notes: list[Note]) -> Submission:
    """发起笔记审核 (N03–N05) for notes already known to be in the enterprise's list. Each note is accepted or
    refused with its rule's code; if the accepted ones outnumber the month's remaining quota, nothing is stored
    and the whole request is refused (`quota_exceeded`, with `remaining`)."""
    enterprise = workspace.enterprise
    now = clock.now()
    month = clock.month_label(now)
    quota_row = _lock_quota_month(enterprise, month)
    limit = Enterprise.objects.values_list("monthly_note_quota", flat=True).get(pk=enterprise.pk)
    # Read again under the lock: a submission that just committed may have changed the notes' reviews.
    fresh = Note.objects.in_bulk([note.pk for note in notes])
    bound = _active_authors(enterprise.pk, {note.author_id for note in fresh.values()})
    decisions = []
    for note in (fresh[note.pk] for note in notes):
        in_list = note.enterprise_id == enterprise.pk
        code = rules.submit_refusal(note, author_bound=in_list and note.author_id in bound, now=now)
        decisions.append((note, code))
    accepted = [note for note, code in decisions if not code]
    remaining = max(0, limit - quota_row.used)
    if len(accepted) > remaining:
        raise RuleViolation("quota_exceeded", remaining=remaining, requested=len(accepted))
    actor = workspace.actor
    reviews = NoteReview.objects.bulk_create(
        NoteReview(
            enterprise=enterprise,
            note=note,
            month=month,
            submitted_at=now,
            submitted_by=actor.user,
            via_agency=actor.agency,
        )
        for note in accepted
    )
    for note, review in zip(accepted, reviews, strict=True):
        note.set_current_review(review)
    Note.objects.bulk_update(accepted, CURRENT_REVIEW_FIELDS)
    NoteQuotaMonth.objects.filter(pk=quota_row.pk).update(used=F("used") + len(accepted))
    audit.record_many(
        actor=actor,
        action="note_review.submitted",
        objs=reviews,
        enterprise_id=enterprise.pk,
        after=lambda review: {"status": review.status, "note_id": review.note.note_id, "month": review.month},
        describe=lambda review: review.note.note_id,
        at=now,
    )
    refresh_note_counts([enterprise.pk])
    results = [
        {"note_id": note.note_id, "code": code} if code else {"note_id": note.note_id, "status": ReviewStatus.IN_REVIEW}
        for note, code in decisions
    ]
    return Submission(results=results, quota=Quota(month=month, limit=limit, used=quota_row.used + len(accepted)))


def _decide(actor: Actor, review: NoteReview, status: str, reason: str = "") -> NoteReview:
    review = NoteReview.objects.select_for_update().select_related("note").get(pk=review.pk)
    if review.status != ReviewStatus.IN_REVIEW:
        raise RuleViolation("review_not_open", status=review.status)
    review.status, review.reason = status, reason
    review.reviewed_at, review.reviewed_by = clock.now(), actor.user
    review.save(update_fields=["status", "reason", "reviewed_at", "reviewed_by"])
    Note.objects.filter(pk=review.note_id, current_review=review).update(
        review_status=status, reviewed_at=review.reviewed_at, review_reason=reason
    )
    audit.record(
        actor=actor,
        action=f"note_review.{status}",
        obj=review,
        enterprise_id=review.enterprise_id,
        before={"status": ReviewStatus.IN_REVIEW},
        after={"status": status},
        reason=reason,
    )
    refresh_note_counts([review.enterprise_id])
    return review


@transaction.atomic
def review_approve(*, actor: Actor, review: NoteReview) -> NoteReview:
    """N05: platform staff find the note within community rules and relevant to the brand."""
    return _decide(actor, review, ReviewStatus.APPROVED)


@transaction.atomic
def review_reject(*, actor: Actor, review: NoteReview, reason: str) -> NoteReview:
    """N05: refused, with the reason the brand sees; the note can be submitted again."""
    return _decide(actor, review, ReviewStatus.REJECTED, reason)


def _promotable(workspace: Workspace, note: Note) -> Note:
    note = Note.objects.select_for_update().get(pk=note.pk)
    bound = note.enterprise_id == workspace.enterprise.pk and bool(
        _active_authors(workspace.enterprise.pk, [note.author_id])
    )
    code = rules.promotion_refusal(note, author_bound=bound)
    if code:
        raise RuleViolation(code)
    return note


@transaction.atomic
def note_boost(*, workspace: Workspace, note: Note, budget: Decimal) -> NoteBoost:
    """内容加热 (N06): only an approved note; the budget is drawn from the ad account (E05: after the first recharge,
    within the balance)."""
    note = _promotable(workspace, note)
    ledger.draw_boost(workspace=workspace, budget=budget, note_id=note.note_id)
    boost = NoteBoost.objects.create(
        enterprise=workspace.enterprise,
        note=note,
        budget=budget,
        created_at=clock.now(),
        created_by=workspace.user,
        via_agency=workspace.agency,
    )
    audit.record(
        actor=workspace.actor,
        action="note.boosted",
        obj=boost,
        enterprise=workspace.enterprise,
        after={"note_id": note.note_id, "budget": str(budget)},
    )
    return boost


@transaction.atomic
def note_push_to_ads(*, workspace: Workspace, note: Note) -> tuple[NotePush, bool]:
    """前往聚光 (N06): only an approved note; pushing again changes nothing. Returns the push and whether it is new."""
    note = _promotable(workspace, note)
    push, created = NotePush.objects.get_or_create(
        enterprise=workspace.enterprise,
        note=note,
        defaults={"pushed_at": clock.now(), "pushed_by": workspace.user, "via_agency": workspace.agency},
    )
    if created:
        audit.record(
            actor=workspace.actor,
            action="note.pushed_to_ads",
            obj=push,
            enterprise=workspace.enterprise,
            after={"note_id": note.note_id},
        )
    return push, created
