"""Forms of the note pages: the brand's list (N02's filters for one tab, its sort and page size), the selection of
notes to submit (N03), a boost's budget (N06), a note's date range, and the staff console's queue filter, note
selection and monthly quota (N04, N05). The list filters are `selectors.NoteFilterForm`'s, shared with the API."""

from datetime import timedelta
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from accounts.models import Enterprise
from kos_platform import clock

from .choices import NOT_SUBMITTED, SUBMITTED, ReviewStatus
from .selectors import MetricRangeForm, NoteFilterForm
from .services import MAX_NOTES_PER_SUBMISSION

PENDING = "pending"
SUBMITTED_TAB = "submitted"
PAGE_SIZES = (10, 20, 50, 100)
DEFAULT_PAGE_SIZE = 20
TAB_ORDERING = {PENDING: "-published_at", SUBMITTED_TAB: "-submitted_at"}
SORTABLE = {
    PENDING: ("published_at", "exposure", "reads", "engagement"),
    SUBMITTED_TAB: ("published_at", "exposure", "reads", "engagement", "submitted_at"),
}
MAX_BOOST_BUDGET = Decimal("9999999999.99")
MAX_QUOTA = 1_000_000
RANGE_DAYS = (7, 30, 90)
DEFAULT_RANGE_DAYS = 30
MAX_RANGE_DAYS = 366


class NoteListForm(NoteFilterForm):
    """One tab of the brand's list: 待审核笔记 (not submitted) or 已发起审核笔记 (submitted, narrowed by `state`).

    The tab decides `review_status`, so the filter itself is not a field here; `state` is the 已发起 tab's
    全部 / 审核中 / 审核不通过 / 审核通过, `page_size` one of 10/20/50/100."""

    state = forms.ChoiceField(label=_("Review status"), required=False, choices=[("", _("All")), *ReviewStatus.choices])
    page_size = forms.TypedChoiceField(
        label=_("Per page"),
        required=False,
        coerce=int,
        empty_value=DEFAULT_PAGE_SIZE,
        choices=[(size, size) for size in PAGE_SIZES],
    )

    def __init__(self, *args, tab: str = PENDING, **kwargs):
        super().__init__(*args, **kwargs)
        self.tab = tab
        del self.fields["review_status"]
        if tab == PENDING:
            del self.fields["state"]
            del self.fields["submitted_from"]
            del self.fields["submitted_to"]
        allowed = SORTABLE[tab]
        self.fields["ordering"].choices = [(f"{sign}{key}", f"{sign}{key}") for key in allowed for sign in ("", "-")]
        for name in ("published_from", "published_to", "submitted_from", "submitted_to"):
            if name in self.fields:
                self.fields[name].widget = forms.DateInput(attrs={"type": "date"})

    def clean(self):
        data = super().clean()
        if self.tab == PENDING:
            data["review_status"] = NOT_SUBMITTED
        else:
            data["review_status"] = data.get("state") or SUBMITTED
        data["ordering"] = data.get("ordering") or TAB_ORDERING[self.tab]
        return data

    @property
    def narrows(self) -> bool:
        """Whether a filter beyond the tab (and its state) narrows the list; sort and page size do not."""
        ignored = {"state", "ordering", "page_size"}
        return any(self.cleaned_data.get(name) for name in self.fields if name not in ignored)

    def submitted_filters(self) -> dict:
        """The cleaned filters for the whole 已发起 tab (every state), for its state counts."""
        return {**self.cleaned_data, "review_status": SUBMITTED}

    def export_query(self) -> dict:
        """The valid filters as `selectors.NoteFilterForm` reads them (the export)."""
        query = {"review_status": self.cleaned_data["review_status"]}
        for name, value in self.cleaned_data.items():
            if name in ("review_status", "state", "page_size") or value in (None, ""):
                continue
            query[name] = value.isoformat() if hasattr(value, "isoformat") else value
        return query


class SelectedIdsField(forms.Field):
    """The ids of checked rows (hidden inputs or checkboxes sharing a name), in order, without repeats;
    `clean_item` cleans one (and raises for a bad one); empty ones it lets through are dropped."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value):
        if not value:
            return []
        ids = []
        for item in [value] if isinstance(value, str) else value:
            item = self.clean_item(str(item).strip())
            if item != "" and item not in ids:
                ids.append(item)
        return ids

    def clean_item(self, item: str):
        return item


class NoteIdsField(SelectedIdsField):
    """The note IDs of a selection (checkboxes named `note_ids`)."""

    default_error_messages = {
        "required": _("Select at least one note."),
        "too_many": _("Select at most %(max)s notes at once."),
        "invalid": _("A note ID is not valid."),
    }

    def validate(self, value):
        super().validate(value)
        if len(value) > MAX_NOTES_PER_SUBMISSION:
            raise ValidationError(
                self.error_messages["too_many"], code="too_many", params={"max": MAX_NOTES_PER_SUBMISSION}
            )
        for item in value:
            if len(item) > 64:
                raise ValidationError(self.error_messages["invalid"], code="invalid")


class NoteSelectionForm(forms.Form):
    """发起笔记审核: the notes to submit (the page's checkboxes, or one row's button)."""

    note_ids = NoteIdsField()


class BoostForm(forms.Form):
    """内容加热: the budget, in yuan."""

    budget = forms.DecimalField(
        label=_("Budget (¥)"),
        min_value=Decimal("0.01"),
        max_value=MAX_BOOST_BUDGET,
        max_digits=12,
        decimal_places=2,
        error_messages={"required": _("Enter a budget.")},
        widget=forms.NumberInput(attrs={"step": "0.01", "min": "0.01", "inputmode": "decimal"}),
    )


class NoteMetricRangeForm(MetricRangeForm):
    """The detail page's date range: the last 7, 30 or 90 days, or a custom from–to (at most a year)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["days"] = forms.TypedChoiceField(
            label=_("Range"),
            required=False,
            coerce=int,
            empty_value=None,
            choices=[(days, days) for days in RANGE_DAYS],
        )
        for name in ("from", "to"):
            self.fields[name].widget = forms.DateInput(attrs={"type": "date"})

    def clean(self):
        data = super().clean()
        start, end = data.get("from"), data.get("to")
        if start and end and (end - start).days >= MAX_RANGE_DAYS:
            self.add_error("to", _("Choose at most a year."))
        return data

    def bounds(self):
        """(start, end, preset days or None) of the chosen range; the last 30 days when nothing is chosen."""
        today = clock.local_today()
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        start, end = data.get("from"), data.get("to")
        if start or end:
            end = end or today
            start = start or end - timedelta(days=DEFAULT_RANGE_DAYS - 1)
            return start, end, None
        days = data.get("days") or DEFAULT_RANGE_DAYS
        return today - timedelta(days=days - 1), today, days


# Staff console ------------------------------------------------------------------------------------------------

ALL = "all"


class ReviewQueueFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[*ReviewStatus.choices, (ALL, _("All statuses"))],
        widget=forms.Select(attrs={"class": "form-select form-select-sm w-auto"}),
    )
    enterprise = forms.ModelChoiceField(
        label=_("Enterprise"),
        required=False,
        queryset=Enterprise.objects.order_by("name", "id"),
        empty_label=_("All enterprises"),
        widget=forms.Select(attrs={"class": "form-select form-select-sm w-auto"}),
    )


class ReviewIdsField(SelectedIdsField):
    """The review ids checked in the queue."""

    default_error_messages = {"required": _("Select at least one note."), "invalid": _("A review id is not valid.")}

    def clean_item(self, item: str) -> int:
        if not (item.isascii() and item.isdigit()) or len(item) > 18:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return int(item)


class ReviewSelectionForm(forms.Form):
    """Approve many: the reviews checked in the queue."""

    review_ids = ReviewIdsField()


class QuotaForm(forms.Form):
    """N04: an enterprise's monthly note-review limit, set by platform staff."""

    enterprise = forms.ModelChoiceField(
        label=_("Enterprise"),
        queryset=Enterprise.objects.order_by("name", "id"),
        empty_label=_("Choose an enterprise"),
        error_messages={"required": _("Choose an enterprise.")},
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )
    monthly_note_quota = forms.IntegerField(
        label=_("Monthly note-review quota"),
        min_value=0,
        max_value=MAX_QUOTA,
        widget=forms.NumberInput(attrs={"class": "form-control form-control-sm", "min": 0, "max": MAX_QUOTA}),
    )


class QuotaChangeForm(forms.Form):
    """N04, the staff quota panel: an enterprise's new monthly limit and why it changes (kept in the audit log)."""

    enterprise = forms.ModelChoiceField(
        queryset=Enterprise.objects.all(), error_messages={"required": _("Choose an enterprise.")}
    )
    monthly_note_quota = forms.IntegerField(
        label=_("Notes per month"),
        min_value=0,
        max_value=MAX_QUOTA,
        error_messages={"required": _("Enter the number of notes per month.")},
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=500,
        error_messages={"required": _("Say why the quota changes; it is kept in the audit log.")},
    )


class QuotaTableFilterForm(forms.Form):
    q = forms.CharField(label=_("Enterprise name"), max_length=100, required=False)
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[("name", _("Name")), ("-used", _("Most used first")), ("remaining", _("Least remaining first"))],
    )
