"""Reading notes: the brand's list with every N02 filter and sort, the page's decorations (employee names and the
N07 signals of each author), the figures over time, the review queue, the pushed notes."""

import re
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django import forms
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Enterprise
from bindings.choices import LIVE_BINDING_STATUSES, BindingStatus
from bindings.models import Binding
from kos_platform import clock
from kos_platform.guard import BoundedDateFormField
from kos_platform.prepared import prepared_cursor

from . import rules
from .choices import NOT_SUBMITTED, SUBMITTED, NoteType, ReviewStatus
from .counts import note_counts
from .models import Note, NoteDailyMetric, NotePush, NoteReview

ORDERINGS = {
    "published_at": ("published_at", "id"),
    "-published_at": ("-published_at", "-id"),
    "exposure": ("exposure", "id"),
    "-exposure": ("-exposure", "-id"),
    "reads": ("reads", "id"),
    "-reads": ("-reads", "-id"),
    "engagement": ("engagement", "id"),
    "-engagement": ("-engagement", "-id"),
    "submitted_at": (F("submitted_at").asc(nulls_last=True), "id"),
    "-submitted_at": (F("submitted_at").desc(nulls_last=True), "-id"),
}
DEFAULT_ORDERING = "-published_at"
NOTE_ID_IN_LINK = re.compile(r"(?<![0-9a-f])([0-9a-f]{24})(?![0-9a-f])")


class NoteFilterForm(forms.Form):
    """N02's filters and sorts, for the API's query string and the page's search form alike."""

    review_status = forms.ChoiceField(
        label=_("Review status"),
        required=False,
        choices=[
            ("", _("All")),
            (NOT_SUBMITTED, _("Not submitted")),
            (SUBMITTED, _("Submitted, any state")),
            *ReviewStatus.choices,
        ],
    )
    title = forms.CharField(label=_("Note title"), required=False, max_length=100)
    employee = forms.CharField(label=_("Employee name"), required=False, max_length=50)
    note_id = forms.CharField(label=_("Note ID"), required=False, max_length=64)
    url = forms.CharField(label=_("Note link"), required=False, max_length=500)
    type = forms.ChoiceField(label=_("Note type"), required=False, choices=[("", _("All")), *NoteType.choices])
    published_from = BoundedDateFormField(label=_("Published from"), required=False)
    published_to = BoundedDateFormField(label=_("Published to"), required=False)
    submitted_from = BoundedDateFormField(label=_("Submitted from"), required=False)
    submitted_to = BoundedDateFormField(label=_("Submitted to"), required=False)
    ordering = forms.ChoiceField(
        label=_("Sort by"), required=False, choices=[(key, key) for key in ORDERINGS], initial=DEFAULT_ORDERING
    )

    def clean(self):
        data = super().clean()
        for start, end in (("published_from", "published_to"), ("submitted_from", "submitted_to")):
            if data.get(start) and data.get(end) and data[start] > data[end]:
                self.add_error(end, _("The end date is before the start date."))
        return data

    @property
    def narrows(self) -> bool:
        """Whether anything beyond the review tab narrows the list (then the list is counted, not looked up)."""
        return any(self.cleaned_data.get(name) for name in self.fields if name not in ("review_status", "ordering"))


class ReviewFilterForm(forms.Form):
    """`?status=&month=` of the submission lists."""

    status = forms.ChoiceField(required=False, choices=[("", _("All")), *ReviewStatus.choices])
    month = forms.RegexField(required=False, regex=r"^\d{4}-(0[1-9]|1[0-2])$", error_messages={"invalid": _("YYYY-MM")})


def filter_reviews(reviews: QuerySet[NoteReview], data: dict) -> QuerySet[NoteReview]:
    if data.get("status"):
        reviews = reviews.filter(status=data["status"])
    if data.get("month"):
        reviews = reviews.filter(month=data["month"])
    return reviews


class MetricRangeForm(forms.Form):
    """`?from=&to=` of a note's daily figures."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["from"] = BoundedDateFormField(label=_("From"), required=False)
        self.fields["to"] = BoundedDateFormField(label=_("To"), required=False)

    def clean(self):
        data = super().clean()
        if data.get("from") and data.get("to") and data["from"] > data["to"]:
            self.add_error("to", _("The end date is before the start date."))
        return data


class CountedPaginator(Paginator):
    """A paginator told the count it would otherwise ask the database for (see `list_count`)."""

    def __init__(self, object_list, per_page, count: int | None = None, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        if count is not None:
            self.__dict__["count"] = count  # `count` is a cached_property


def find_notes(enterprise: Enterprise, note_ids: list[str]) -> tuple[dict[str, Note], list[str]]:
    """The enterprise's notes by note ID, and the IDs that are not among them (unknown, or another's)."""
    found = {note.note_id: note for note in notes_for_enterprise(enterprise).filter(note_id__any=note_ids)}
    return found, [note_id for note_id in note_ids if note_id not in found]


def unknown_notes_message(note_ids: list[str]) -> str:
    shown = ", ".join(note_ids[:10]) + (" …" if len(note_ids) > 10 else "")
    return _("Not among this enterprise's notes: %(ids)s.") % {"ids": shown}


UNFILTERED = NoteFilterForm({})
UNFILTERED.full_clean()


def _day_start(day):
    return timezone.make_aware(datetime.combine(day, time.min))


def _next_day_start(day):
    return _day_start(day + timedelta(days=1))


def notes_for_enterprise(enterprise: Enterprise) -> QuerySet[Note]:
    """N01: the notes of the authors bound to the enterprise now."""
    return Note.objects.filter(enterprise=enterprise)


def filter_notes(queryset: QuerySet[Note], data: dict, enterprise: Enterprise) -> QuerySet[Note]:
    """Apply NoteFilterForm's cleaned data (N02)."""
    status = data.get("review_status")
    if status == NOT_SUBMITTED:
        queryset = queryset.filter(review_status="")
    elif status == SUBMITTED:
        queryset = queryset.exclude(review_status="")
    elif status:
        queryset = queryset.filter(review_status=status)
    if data.get("title"):
        queryset = queryset.filter(title__icontains=data["title"])
    if data.get("employee"):
        holders = Binding.objects.filter(
            enterprise=enterprise,
            red_account=OuterRef("author_id"),
            status__in=LIVE_BINDING_STATUSES,
            name__icontains=data["employee"],
        )
        queryset = queryset.filter(Q(Exists(holders)) | Q(author__nickname__icontains=data["employee"]))
    if data.get("note_id"):
        queryset = queryset.filter(note_id=data["note_id"].strip())
    if data.get("url"):
        match = NOTE_ID_IN_LINK.search(data["url"])
        queryset = queryset.filter(note_id=match.group(1)) if match else queryset.filter(url=data["url"].strip())
    if data.get("type"):
        queryset = queryset.filter(type=data["type"])
    if data.get("published_from"):
        queryset = queryset.filter(published_at__gte=_day_start(data["published_from"]))
    if data.get("published_to"):
        queryset = queryset.filter(published_at__lt=_next_day_start(data["published_to"]))
    if data.get("submitted_from"):
        queryset = queryset.filter(submitted_at__gte=_day_start(data["submitted_from"]))
    if data.get("submitted_to"):
        queryset = queryset.filter(submitted_at__lt=_next_day_start(data["submitted_to"]))
    return queryset.order_by(*ORDERINGS[data.get("ordering") or DEFAULT_ORDERING])


def list_count(form: NoteFilterForm, enterprise: Enterprise) -> int | None:
    """The list's count from the kept counts when only the review tab narrows it; None means count the rows."""
    if form.narrows:
        return None
    counts = note_counts(enterprise)
    status = form.cleaned_data.get("review_status")
    if not status:
        return counts.total
    if status == SUBMITTED:
        return counts.total - counts.not_submitted
    return getattr(counts, status)


def tab_counts(queryset: QuerySet[Note]) -> dict[str, int]:
    """全部 / 审核中 / 审核不通过 / 审核通过 for a filtered list (the submitted notes among it)."""
    return queryset.order_by().aggregate(
        submitted=Count("pk", filter=~Q(review_status="")),
        **{status: Count("pk", filter=Q(review_status=status)) for status in ReviewStatus.values},
    )


INDEXED_ORDERINGS = ("published_at", "-published_at")  # Note(enterprise, -published_at, -id) serves them


_NOTE_COLUMNS = [field.attname for field in Note._meta.concrete_fields]
_LATEST_PAGE = (
    f"SELECT {', '.join(_NOTE_COLUMNS)} FROM notes_note WHERE enterprise_id = %s "
    "ORDER BY published_at DESC, id DESC LIMIT %s OFFSET %s"
)


class LatestNotes:
    """The list as it opens, for the paginator: each page is one written-out, prepared statement over the
    (enterprise, -published_at, -id) index — compiling the ORM's query cost more than running it."""

    def __init__(self, enterprise: Enterprise):
        self.enterprise_id = enterprise.pk

    def __getitem__(self, window: slice) -> list[Note]:
        with prepared_cursor() as cursor:
            cursor.execute(_LATEST_PAGE, [self.enterprise_id, window.stop - window.start, window.start])
            return [Note.from_db(connection.alias, _NOTE_COLUMNS, row) for row in cursor.fetchall()]


def list_source(queryset: QuerySet[Note], data: dict, enterprise: Enterprise):
    """What to paginate for NoteFilterForm's cleaned data. The list as it opens (UNFILTERED: newest first, nothing
    filtered), its most requested page, is `LatestNotes` on PostgreSQL (SQLite returns times as text to a bare
    cursor, so the embedded default reads through the ORM). Otherwise, in publication order, the filtered rows
    themselves: the index gives the page directly. Sorted by a total, the bare ordered ids: sorting an
    enterprise's 100,000 notes is a top-N sort, which stays narrow on the bare table (no joins before the sort);
    `page_rows` then loads the page's rows."""
    if data is UNFILTERED.cleaned_data and connection.vendor == "postgresql":
        return LatestNotes(enterprise)
    notes = filter_notes(queryset, data, enterprise)
    if (data.get("ordering") or DEFAULT_ORDERING) in INDEXED_ORDERINGS:
        return notes
    return notes.values_list("pk", flat=True)


def page_rows(items) -> list[Note]:
    """The page of `list_source`'s queryset as notes, in order."""
    items = list(items)
    if not items or isinstance(items[0], Note):
        return items
    return rows_in_order(items)


def rows_in_order(ids) -> list[Note]:
    ids = list(ids)
    rows = Note.objects.filter(pk__any=ids).in_bulk()
    return [rows[pk] for pk in ids]


@dataclass(frozen=True)
class AuthorFacts:
    """What a row shows about its author: the account, the employee's name in this enterprise, whether the binding
    is active (N03/N06), and the N07 account signals."""

    red_id: str
    nickname: str
    employee_name: str
    binding_active: bool
    signals: rules.AccountSignals


_AUTHOR_FACTS = f"""
SELECT a.id, a.red_id, a.nickname, a.followers, b.name, b.status,
       (SELECT count(*) FROM notes_note n WHERE n.author_id = a.id),
       (SELECT count(*) FROM notes_note n WHERE n.author_id = a.id AND n.published_at >= %s)
FROM accounts_redaccount a
LEFT JOIN bindings_binding b
       ON b.red_account_id = a.id AND b.enterprise_id = %s
      AND b.status IN ({", ".join(f"'{status}'" for status in LIVE_BINDING_STATUSES)})
WHERE a.id IN ({{ids}})
"""


def author_facts(notes: list[Note], enterprise: Enterprise) -> dict[int, AuthorFacts]:
    """One query for the authors of a page of notes (written out and prepared: on the list's hot path, compiling
    the same query through the ORM, and planning it, cost more than running it)."""
    ids = sorted({note.author_id for note in notes})
    if not ids:
        return {}
    since = clock.now() - clock.days(rules.WEEK_DAYS)
    with prepared_cursor() as cursor:
        cursor.execute(_AUTHOR_FACTS.format(ids=", ".join(["%s"] * len(ids))), [since, enterprise.pk, *ids])
        rows = cursor.fetchall()
    return {
        pk: AuthorFacts(
            red_id=red_id,
            nickname=nickname,
            employee_name=name or "",
            binding_active=status == BindingStatus.ACTIVE,
            signals=rules.AccountSignals(followers=followers, total_notes=total, recent_notes=recent),
        )
        for pk, red_id, nickname, followers, name, status, total, recent in rows
    }


def note_for_enterprise(enterprise: Enterprise, note_id: str) -> Note | None:
    return notes_for_enterprise(enterprise).select_related("author", "current_review").filter(note_id=note_id).first()


def daily_metrics(note: Note, start=None, end=None) -> QuerySet[NoteDailyMetric]:
    rows = NoteDailyMetric.objects.filter(note=note)
    if start:
        rows = rows.filter(date__gte=start)
    if end:
        rows = rows.filter(date__lte=end)
    return rows.order_by("date")


def reviews_of(enterprise: Enterprise, note: Note) -> QuerySet[NoteReview]:
    return NoteReview.objects.filter(enterprise=enterprise, note=note).select_related("submitted_by", "reviewed_by")


def reviews_for_enterprise(enterprise: Enterprise) -> QuerySet[NoteReview]:
    return NoteReview.objects.filter(enterprise=enterprise).select_related("note", "submitted_by", "via_agency")


def review_queue() -> QuerySet[NoteReview]:
    """Every enterprise's submissions for the platform, oldest first (the order they are reviewed in)."""
    return NoteReview.objects.select_related("note__author", "enterprise", "submitted_by").order_by(
        "submitted_at", "id"
    )


def pushed_notes(enterprise: Enterprise) -> QuerySet[NotePush]:
    """N06: the notes the enterprise pushed to the ad platform and whose author is still bound to it, for its
    campaigns."""
    return NotePush.objects.filter(enterprise=enterprise, note__enterprise=enterprise).select_related(
        "note__author", "pushed_by"
    )


QUOTA_TABLE_SORTS = {
    "name": ("name", "id"),
    "-used": ("-used", "name", "id"),
    "remaining": ("remaining", "name", "id"),
}


def quota_table(*, q: str = "", sort: str = "name", month: str | None = None) -> QuerySet[Enterprise]:
    """N04, the staff quota panel: every enterprise (its name containing `q`) with this month's (Asia/Shanghai)
    `used` and `remaining` beside its limit, in one statement — the month's row joined as a subquery, no query per
    enterprise."""
    from django.db.models import IntegerField, OuterRef, Subquery, Value
    from django.db.models.functions import Coalesce, Greatest

    from .models import NoteQuotaMonth

    month = month or clock.month_label()
    used = NoteQuotaMonth.objects.filter(enterprise=OuterRef("pk"), month=month).values("used")[:1]
    queryset = Enterprise.objects.annotate(
        used=Coalesce(Subquery(used, output_field=IntegerField()), Value(0)),
    ).annotate(remaining=Greatest(F("monthly_note_quota") - F("used"), Value(0)))
    if q:
        queryset = queryset.filter(name__icontains=q)
    return queryset.only("id", "name", "monthly_note_quota").order_by(*QUOTA_TABLE_SORTS.get(sort, ("name", "id")))
