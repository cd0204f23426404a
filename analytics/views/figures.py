"""What both data pages show (D01): the chosen range, the KPI cards beside the period before, the trend chart's data."""

from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from .. import selectors
from ..models import MONEY

RANGE_KEYS = ("preset", "from", "to")

# Every KPI of a summary, in the order the cards show them; the money figures are shown in yuan.
KPIS = (
    ("accounts", _("KOS accounts")),
    ("notes", _("Notes published")),
    ("exposure", _("Exposure")),
    ("reads", _("Reads")),
    ("engagement", _("Engagement")),
    ("leads", _("Leads")),
    ("spend", _("Ad spend")),
    ("orders", _("Orders")),
    ("gmv", _("GMV")),
    ("commission", _("Commission")),
)
KPI_LABELS = dict(KPIS)
# The daily figures the trend chart can switch between.
TREND_METRICS = selectors.DAILY
HUNDRED = Decimal(100)


def range_form(query) -> selectors.RangeForm:
    """The range of the request (a preset, or from / to), the last 30 days when it names none."""
    return selectors.RangeForm({key: query[key] for key in RANGE_KEYS if query.get(key)})


def range_errors(form) -> list[str]:
    return [str(error) for errors in form.errors.values() for error in errors]


def change(current, previous) -> Decimal | None:
    """The change against the period before, in per cent; None (N/A) when the previous figure is 0."""
    if not previous:
        return None
    return ((Decimal(current) - Decimal(previous)) * HUNDRED / Decimal(previous)).quantize(Decimal("0.1"))


def kpi_cards(summary: dict, keys=tuple(KPI_LABELS)) -> list[dict]:
    previous = summary.get("previous") or {}
    return [
        {
            "key": key,
            "label": KPI_LABELS[key],
            "value": summary[key],
            "previous": previous.get(key, 0),
            "change": change(summary[key], previous.get(key, 0)),
            "money": key in MONEY,
        }
        for key in keys
    ]


def trend_data(current: list[dict], previous: list[dict]) -> dict:
    """The chart's series: each metric's daily figures in the range and, day by day, in the period before."""

    def number(value):
        return float(value) if isinstance(value, Decimal) else value

    return {
        "dates": [day["date"].isoformat() for day in current],
        "previous_dates": [day["date"].isoformat() for day in previous],
        "money": list(MONEY),
        "metrics": {
            metric: {
                "current": [number(day[metric]) for day in current],
                "previous": [number(day[metric]) for day in previous],
            }
            for metric in TREND_METRICS
        },
    }


def trend_buttons() -> list[dict]:
    return [{"metric": metric, "label": KPI_LABELS[metric]} for metric in TREND_METRICS]


def period(scope, start, end) -> dict:
    """The summary, the cards and the trend of `scope` over start–end, each beside the period just before."""
    previous_start, previous_end = selectors.previous_range(start, end)
    summary = selectors.summary(scope, start, end)
    return {
        "summary": summary,
        "kpis": kpi_cards(summary),
        "trend": trend_data(
            selectors.timeseries(scope, start, end), selectors.timeseries(scope, previous_start, previous_end)
        ),
        "trend_buttons": trend_buttons(),
        "previous_start": previous_start,
        "previous_end": previous_end,
    }
