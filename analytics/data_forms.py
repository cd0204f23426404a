"""The data centre's queries: date ranges (Asia/Shanghai days, both ends included, chosen by a preset or given as
from / to) and the tables' search, filters and sort."""

from datetime import date, timedelta

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _

from bindings.choices import Position
from campaigns import selectors as campaigns_selectors
from kos_platform import clock
from kos_platform.pagination import ORDERING_MESSAGE
from notes.choices import NoteType

from .models import NOTE_FIGURES, RESULTS

DEFAULT_PRESET = "last_30"
EMPLOYEE_ORDERINGS = ("red_id", "nickname", "holder_name", "position", "region", *RESULTS)
NOTE_ORDERINGS = ("published_at", *NOTE_FIGURES, "read_uv", "play_5s_rate", "read_3s_rate", "avg_view_seconds", "spend")


class Preset(models.TextChoices):
    TODAY = "today", _("Today")
    YESTERDAY = "yesterday", _("Yesterday")
    LAST_7 = "last_7", _("Last 7 days")
    LAST_28 = "last_28", _("Last 28 days")
    LAST_30 = "last_30", _("Last 30 days")
    LAST_90 = "last_90", _("Last 90 days")
    THIS_MONTH = "this_month", _("This month")
    LAST_MONTH = "last_month", _("Last month")
    CUSTOM = "custom", _("Custom")


LAST_DAYS = {Preset.LAST_7: 7, Preset.LAST_28: 28, Preset.LAST_30: 30, Preset.LAST_90: 90}


def preset_range(preset: str, today: date) -> tuple[date, date]:
    """The days a preset (other than custom) covers, ending today or, for yesterday and last month, before it."""
    if preset == Preset.TODAY:
        return today, today
    if preset == Preset.YESTERDAY:
        return today - timedelta(days=1), today - timedelta(days=1)
    if preset == Preset.THIS_MONTH:
        return today.replace(day=1), today
    if preset == Preset.LAST_MONTH:
        last = today.replace(day=1) - timedelta(days=1)
        return last.replace(day=1), last
    return today - timedelta(days=LAST_DAYS[preset] - 1), today


def previous_range(start: date, end: date) -> tuple[date, date]:
    """The equally long range just before `start`."""
    length = (end - start).days + 1
    return start - timedelta(days=length), start - timedelta(days=1)


class RangeForm(campaigns_selectors.RangeForm):
    """`?preset=` or `?from=&to=`. cleaned_data has `preset`, `from` and `to` (dates, both ends included): the preset's
    days; dates given without a preset are a custom range (`to` defaults to today, `from` to 30 days up to `to`);
    nothing given is the last 30 days. At most 366 days; the end not before the start."""

    preset = forms.ChoiceField(label=_("Range"), choices=Preset.choices, required=False)

    def chosen_range(self, data: dict) -> tuple[date, date]:
        custom = data.get("from") or data.get("to")
        data["preset"] = preset = str(data.get("preset") or (Preset.CUSTOM if custom else DEFAULT_PRESET))
        if preset == Preset.CUSTOM:
            return super().chosen_range(data)
        return preset_range(preset, clock.local_today())


def check_ordering(value: str, allowed: tuple[str, ...]) -> str:
    """`value` if it sorts by one of `allowed` (`-` for descending), else a ValidationError naming them."""
    if value.lstrip("-") not in allowed:
        raise forms.ValidationError(ORDERING_MESSAGE % {"fields": ", ".join(sorted(allowed))})
    return value


class _TableForm(RangeForm):
    orderings: tuple[str, ...] = ()
    default_ordering = ""

    q = forms.CharField(label=_("Search"), max_length=64, required=False)
    ordering = forms.CharField(label=_("Sort by"), max_length=40, required=False)

    def clean_ordering(self) -> str:
        return check_ordering(self.cleaned_data["ordering"] or self.default_ordering, self.orderings)


class EmployeeTableForm(_TableForm):
    """The per-employee table's query: the range, `q`, `position`, `region`, `ordering`."""

    orderings, default_ordering = EMPLOYEE_ORDERINGS, "-engagement"
    position = forms.ChoiceField(label=_("Position"), choices=[("", _("All")), *Position.choices], required=False)
    region = forms.CharField(label=_("Region"), max_length=50, required=False)

    def table_filters(self) -> dict:
        return {name: self.cleaned_data[name] for name in ("q", "position", "region", "ordering")}


class NoteTableForm(_TableForm):
    """The per-note table's query: the range, `q`, `type`, `ordering`."""

    orderings, default_ordering = NOTE_ORDERINGS, "-exposure"
    type = forms.ChoiceField(label=_("Note type"), choices=[("", _("All")), *NoteType.choices], required=False)

    def table_filters(self) -> dict:
        return {name: self.cleaned_data[name] for name in ("q", "type", "ordering")}
