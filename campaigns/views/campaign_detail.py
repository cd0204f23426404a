"""推广计划详情 (brand), mounted by campaigns/urls.py under /w/<int:eid>/: what the user set (objective, placement,
goal, daily budget, dates, status) beside what is true now (the delivery derived by `campaigns.delivery`, with its
reason), today's spend against the daily budget, start / pause / end (posted to `campaign-action` of ads.py), the
units (promoted notes, keywords with their types, negative keywords, components, targeting, bid) and the figures of
a date range (C01, C02): spend, impressions and clicks by day and the component clicks, from
`selectors.campaign_stats`. Another enterprise's campaign is a 404. Analysts read; "operate" acts."""

from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

from django import forms
from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from kos_platform import clock
from kos_platform.pages import WorkspacePageMixin

from .. import delivery, rights, selectors
from ..choices import (
    ADVANCED_COMPONENTS,
    CLICK_COMPONENTS,
    AgeBand,
    Component,
    Delivery,
    Gender,
    Interest,
    KeywordType,
    Region,
)
from ..models import Campaign

RANGE_PRESETS = (7, 30, 90)
DEFAULT_DAYS = selectors.DEFAULT_RANGE_DAYS


class StatsRangeForm(selectors.RangeForm):
    """The figures' range: the last 7, 30 or 90 days (`days`), or a custom `from`–`to` (which wins)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["days"] = forms.TypedChoiceField(
            label=gettext_lazy("Range"),
            required=False,
            coerce=int,
            empty_value=None,
            choices=[(days, days) for days in RANGE_PRESETS],
        )

    def clean(self):
        days = self.cleaned_data.get("days")
        custom = self.data.get("from") or self.data.get("to")
        if days and not custom:
            self.cleaned_data["from"] = clock.local_today() - timedelta(days=days - 1)
        return super().clean()

    def preset(self) -> int | None:
        """The preset the range is, to mark its button; None for a custom range."""
        if self.data.get("from") or self.data.get("to"):
            return None
        return self.cleaned_data.get("days") or DEFAULT_DAYS


def _labels(choices, values) -> list[str]:
    names = dict(choices)
    return [str(names.get(value, value)) for value in values]


def targeting_in_words(targeting: dict) -> list[tuple[str, str]]:
    """A unit's targeting as (what, whom) lines; "everyone" for what is not narrowed."""
    anyone = _("Any")
    gender = targeting.get("gender")
    return [
        (_("Regions"), "、".join(_labels(Region.choices, targeting.get("regions") or [])) or anyone),
        (_("Age"), "、".join(_labels(AgeBand.choices, targeting.get("age_bands") or [])) or anyone),
        (_("Gender"), _labels(Gender.choices, [gender])[0] if gender else anyone),
        (_("Interests"), "、".join(_labels(Interest.choices, targeting.get("interests") or [])) or anyone),
    ]


def delivery_hint(campaign: Campaign, state: Delivery) -> str:
    """What to do about the delivery, or what comes next, in a sentence."""
    if state == Delivery.DRAFT:
        return _("Start it to deliver from its start date.")
    if state == Delivery.NOT_STARTED:
        return _("It delivers from %(day)s.") % {"day": campaign.start_date.isoformat()}
    if state == Delivery.ENDED_BY_DATE:
        return _("Its end date %(day)s has passed.") % {"day": campaign.end_date.isoformat()}
    if state == Delivery.PAUSED:
        return _("Start it again to deliver.")
    if state == Delivery.BALANCE_EXHAUSTED:
        return _("Recharge the ad account, then start the campaign again.")
    if state == Delivery.BUDGET_REACHED:
        return _("Delivery resumes tomorrow (Beijing time).")
    if state == Delivery.ENDED:
        return _("An ended campaign never starts again.")
    return ""


def _money(value: Decimal) -> str:
    return f"{value:.2f}"


def chart_data(stats: dict) -> dict:
    """The chart script's input: one list per series; money as decimal strings (never floats)."""
    return {
        "dates": [day["date"].isoformat() for day in stats["days"]],
        "spend": [_money(day["spend"]) for day in stats["days"]],
        "impressions": [day["impressions"] for day in stats["days"]],
        "clicks": [day["clicks"] for day in stats["days"]],
        "components": [
            {"name": str(Component(code).label), "value": stats["component_clicks"][code]} for code in CLICK_COMPONENTS
        ],
    }


def rates(stats: dict) -> dict:
    """Click-through rate and average cost per click of the range, or None without impressions or clicks."""
    impressions, clicks = stats["impressions"], stats["clicks"]
    ctr = (Decimal(clicks * 100) / impressions).quantize(Decimal("0.01"), ROUND_HALF_UP) if impressions else None
    cpc = (stats["spend"] / clicks).quantize(Decimal("0.01"), ROUND_HALF_UP) if clicks else None
    return {"ctr": ctr, "cpc": cpc}


class CampaignDetailPage(WorkspacePageMixin, TemplateView):
    template_name = "campaigns/brand/campaign_detail.html"

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "can_operate": self.workspace.can("operate")}

    def get(self, request, *args, **kwargs):
        enterprise = self.workspace.enterprise
        campaign = get_object_or_404(selectors.campaigns_for(enterprise), pk=kwargs["campaign_id"])
        form = StatsRangeForm(request.GET)
        valid = form.is_valid()
        if not valid:  # show the errors over the default range
            fallback = StatsRangeForm({})
            fallback.is_valid()
            filters, preset = fallback.cleaned_data, DEFAULT_DAYS
        else:
            filters, preset = form.cleaned_data, form.preset()
        facts = delivery.facts_for(enterprise, [campaign])[campaign.pk]
        state = delivery.delivery_of(campaign, facts)
        budget = campaign.daily_budget or 1
        stats = selectors.campaign_stats(campaign, filters)
        context = self.get_context_data(
            campaign=campaign,
            facts=facts,
            delivery=state,
            delivery_hint=delivery_hint(campaign, state),
            used_percent=min(100, int(facts.spent_today * 100 / budget)),
            units=self.units(campaign, stats),
            unlocked=rights.is_unlocked(enterprise),
            form=form,
            range={"start": filters["from"], "end": filters["to"], "days": preset},
            range_presets=RANGE_PRESETS,
            stats=stats,
            rates=rates(stats),
            chart=chart_data(stats),
            has_figures=any(day["spend"] or day["impressions"] or day["clicks"] for day in stats["days"]),
        )
        return self.render_to_response(context, status=200 if valid else 400)

    def units(self, campaign: Campaign, stats: dict) -> list:
        """The units with what a row shows in words: labels, targeting, and their figures in the range."""
        by_unit = {row["unit_id"]: row for row in stats["units"]}
        by_note = {row["note_id"]: row for row in stats["notes"]}
        types, components = dict(KeywordType.choices), dict(Component.choices)
        units = list(selectors.units_for(campaign))
        for unit in units:
            unit.figures = by_unit.get(unit.pk)
            unit.note_rows = [(link.note, by_note.get(link.note.note_id)) for link in unit.unit_notes.all()]
            unit.keyword_rows = [
                (keyword.text, types.get(keyword.type, keyword.type)) for keyword in unit.keywords.all()
            ]
            unit.component_rows = [
                (str(components.get(code, code)), code in ADVANCED_COMPONENTS) for code in unit.components
            ]
            unit.targeting_rows = targeting_in_words(unit.targeting or {})
        return units


brand_urlpatterns = [
    path("ads/campaigns/<int:campaign_id>/", CampaignDetailPage.as_view(), name="campaign-detail"),
]
