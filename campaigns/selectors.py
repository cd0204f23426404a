"""Read queries of ads and commerce, always given the enterprise (tenant scoping in one place)."""

import re
from datetime import timedelta
from decimal import Decimal

from django import forms
from django.db.models import Prefetch, Sum
from django.utils.translation import gettext_lazy as _

from accounts.models import Enterprise
from kos_platform import clock
from kos_platform.guard import BoundedDateFormField, day_start
from notes.models import Note, NotePush

from . import delivery
from .choices import CLICK_COMPONENTS, CampaignStatus, Goal, LedgerKind, OrderStatus
from .models import AdSpendDaily, Campaign, LedgerLine, Order, Product, UnitNote
from .models.account import ZERO

DEFAULT_RANGE_DAYS = 30
MAX_RANGE_DAYS = 366
DEFAULT_GUIDANCE_BUDGET = Decimal("1000.00")


class RangeForm(forms.Form):
    """`?from=&to=`, Asia/Shanghai dates, both ends included; the last 30 days by default."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["from"] = BoundedDateFormField(label=_("From"), required=False)
        self.fields["to"] = BoundedDateFormField(label=_("To"), required=False)

    def clean(self):
        data = super().clean()
        start, to = self.chosen_range(data)
        if start > to:
            self.add_error("to", _("The end date is before the start date."))
        elif (to - start).days >= MAX_RANGE_DAYS:
            self.add_error("to", _("A range covers at most 366 days."))
        data["from"], data["to"] = start, to
        return data

    def chosen_range(self, data: dict) -> tuple:
        """The days asked for: `to` (today by default) and `from` (30 days up to `to` by default)."""
        to = data.get("to") or clock.local_today()
        return data.get("from") or to - timedelta(days=DEFAULT_RANGE_DAYS - 1), to


class LedgerFilterForm(RangeForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=[("", _("All")), *LedgerKind.choices], required=False)

    def clean(self):
        data = forms.Form.clean(self)  # the ledger is not limited to a range unless one is given
        if data.get("from") and data.get("to") and data["from"] > data["to"]:
            self.add_error("to", _("The end date is before the start date."))
        return data


class GuidanceForm(forms.Form):
    goal = forms.ChoiceField(label=_("Goal"), choices=Goal.choices)
    budget = forms.DecimalField(
        label=_("Budget"), max_digits=12, decimal_places=2, min_value=Decimal("0.01"), required=False, initial=None
    )

    def clean_budget(self):
        return self.cleaned_data["budget"] or DEFAULT_GUIDANCE_BUDGET


class CampaignFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=[("", _("All")), *CampaignStatus.choices], required=False)
    q = forms.CharField(label=_("Name contains"), max_length=60, required=False)


def ledger_lines(enterprise: Enterprise, filters: dict):
    lines = LedgerLine.objects.filter(account_id=enterprise.pk)
    if filters.get("kind"):
        lines = lines.filter(kind=filters["kind"])
    if filters.get("from"):
        lines = lines.filter(at__gte=day_start(filters["from"]))
    if filters.get("to"):
        lines = lines.filter(at__lt=day_start(filters["to"] + timedelta(days=1)))
    return lines.order_by("-at", "-id")


def campaigns_for(enterprise: Enterprise, filters: dict | None = None):
    """The enterprise's campaigns, each with its number of units and today's spend (what `delivery.facts_for`
    reads), newest first."""
    campaigns = Campaign.objects.filter(enterprise=enterprise).annotate(**delivery.facts_annotations())
    filters = filters or {}
    if filters.get("status"):
        campaigns = campaigns.filter(status=filters["status"])
    if filters.get("q"):
        campaigns = campaigns.filter(name__icontains=filters["q"])
    return campaigns.order_by("-created_at", "-id")


def units_for(campaign: Campaign):
    return campaign.units.prefetch_related(
        Prefetch("unit_notes", queryset=UnitNote.objects.select_related("note").order_by("id")), "keywords"
    ).order_by("id")


def pushed_notes_for(enterprise: Enterprise):
    """The notes this enterprise pushed to ads (N06), with their figures: what a unit may promote."""
    pushed = NotePush.objects.filter(enterprise=enterprise).values("note_id")
    return Note.objects.filter(pk__in=pushed).select_related("author").order_by("-published_at")


class StatsForm(RangeForm):
    """`?from=&to=` and, to narrow the figures, `unit_id` (one of the campaign's units) or `note_id`."""

    unit_id = forms.IntegerField(label=_("Unit"), required=False, min_value=1, max_value=2**63 - 1)
    note_id = forms.CharField(label=_("Note ID"), required=False, max_length=64)


def _figures(row: dict) -> dict:
    return {
        "spend": row.get("spend") or ZERO,
        "impressions": row.get("impressions") or 0,
        "clicks": row.get("clicks") or 0,
        "component_clicks": {c: row.get(f"clicks_{c}") or 0 for c in CLICK_COMPONENTS},
    }


SUMS = {
    "spend": Sum("amount"),
    "impressions": Sum("impressions"),
    "clicks": Sum("clicks"),
    **{f"clicks_{c}": Sum(f"clicks_{c}") for c in CLICK_COMPONENTS},
}


def campaign_stats(campaign: Campaign, filters: dict) -> dict:
    """Spend, impressions, clicks and component clicks of the campaign's units in the range (C02), in all, by day
    (zeros included), by unit and by note, from the ad platform's spend rows; narrowed to a unit or a note if asked."""
    start, end = filters["from"], filters["to"]
    rows = AdSpendDaily.objects.filter(unit__campaign=campaign, date__gte=start, date__lte=end).order_by()
    if filters.get("unit_id"):
        rows = rows.filter(unit_id=filters["unit_id"])
    if filters.get("note_id"):
        rows = rows.filter(note__note_id=filters["note_id"])
    by_day = {row["date"]: row for row in rows.values("date").annotate(**SUMS)}
    days = []
    day = start
    while day <= end:
        days.append({"date": day, **_figures(by_day.get(day, {}))})
        day += timedelta(days=1)
    units = [
        {"unit_id": row["unit_id"], "name": row["unit__name"], **_figures(row)}
        for row in rows.values("unit_id", "unit__name").annotate(**SUMS).order_by("unit_id")
    ]
    notes = [
        {"note_id": row["note__note_id"], "title": row["note__title"], **_figures(row)}
        for row in rows.values("note__note_id", "note__title").annotate(**SUMS).order_by("-spend", "note__note_id")
    ]
    return {**_figures(rows.aggregate(**SUMS)), "days": days, "units": units, "notes": notes}


# Commerce ------------------------------------------------------------------------------------------------------

MONTH = re.compile(r"(?P<year>\d{4})-(?P<month>0[1-9]|1[0-2])")
MONTH_MESSAGE = _("A month as YYYY-MM.")


def valid_month(value: str) -> bool:
    found = MONTH.fullmatch(value or "")
    return bool(found) and 2013 <= int(found["year"]) <= 2100


class MonthForm(forms.Form):
    """`?month=YYYY-MM` (Asia/Shanghai), this month by default."""

    month = forms.CharField(label=_("Month"), required=False, max_length=7)

    def clean_month(self):
        month = self.cleaned_data["month"] or clock.month_label()
        if not valid_month(month):
            raise forms.ValidationError(MONTH_MESSAGE)
        return month


class OrderFilterForm(RangeForm):
    """`?red_id=&from=&to=&status=` of the orders; no range unless one is given."""

    red_id = forms.CharField(label=_("RED ID"), required=False, max_length=32)
    status = forms.ChoiceField(label=_("Status"), choices=[("", _("All")), *OrderStatus.choices], required=False)

    def clean(self):
        data = forms.Form.clean(self)
        if data.get("from") and data.get("to") and data["from"] > data["to"]:
            self.add_error("to", _("The end date is before the start date."))
        return data


def products_for(enterprise: Enterprise):
    return Product.objects.filter(enterprise=enterprise).order_by("product_id")


def orders_for(enterprise: Enterprise | None, filters: dict, *, account_id: int | None = None):
    """The enterprise's orders (or one account's, across enterprises), newest first, filtered."""
    orders = (
        Order.objects.filter(enterprise=enterprise)
        if enterprise is not None
        else Order.objects.filter(red_account_id=account_id)
    )
    if filters.get("red_id"):
        orders = orders.filter(red_account__red_id=filters["red_id"])
    if filters.get("status"):
        orders = orders.filter(status=filters["status"])
    if filters.get("from"):
        orders = orders.filter(paid_at__gte=day_start(filters["from"]))
    if filters.get("to"):
        orders = orders.filter(paid_at__lt=day_start(filters["to"] + timedelta(days=1)))
    return orders.select_related("red_account", "holder", "product", "enterprise").order_by("-paid_at", "-id")
