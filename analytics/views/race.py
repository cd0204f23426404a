"""赛马 (brand, D03), mounted under /w/<int:eid>/: the ranking of a range by a metric with its tiers (invest / keep /
replace) and the test-phase mark, the kept months' 汰换 history, and a campaign draft from the invest tier (posted,
confirmed, then the new campaign's page). Analysts read; "operate" drafts, as on the campaign pages."""

from decimal import Decimal

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from campaigns.templatetags.ads import yuan
from kos_platform.pages import WorkspacePageMixin
from notes.views.brand import back_url

from .. import horse_race
from ..choices import RaceMetric, Tier
from ..race_forms import RaceForm

SHARE_CHOICES = [Decimal(p) / 100 for p in (0, 5, 10, 15, 20, 25, 30, 40, 50)]
TIER_BADGES = {Tier.INVEST: "success", Tier.KEEP: "light border", Tier.REPLACE: "danger"}


def tier_labels() -> dict[str, str]:
    """The tiers as the page words them (汰换 rather than the generic "replace")."""
    return {Tier.INVEST: _("Invest"), Tier.KEEP: _("Keep"), Tier.REPLACE: _("To replace")}


def shown(value, metric: str) -> str:
    return yuan(value) if metric in horse_race.MONEY_METRICS else f"{value:,}"


def share_options(current: Decimal) -> list[tuple[Decimal, str, bool]]:
    """(value, label, selected) of a share select; a share typed into the address is offered too."""
    values = sorted({*SHARE_CHOICES, current})
    return [(value, f"{(value * 100).normalize():f}%", value == current) for value in values]


class HorseRacePage(WorkspacePageMixin, TemplateView):
    template_name = "analytics/horse_race.html"

    def get(self, request, *args, **kwargs):
        form = RaceForm(request.GET)
        valid = form.is_valid()
        query = form if valid else RaceForm({})
        if not valid:  # the errors, over the default ranking
            query.is_valid()
        data = query.cleaned_data
        metric = data["metric"]
        rows = horse_race.ranking(self.workspace.enterprise, **query.ranking_args())
        labels = tier_labels()
        table = [
            {
                "row": row,
                "value": shown(row.value, metric),
                "tier_label": labels[row.tier],
                "badge": TIER_BADGES[row.tier],
            }
            for row in rows
        ]
        invest = [row for row in rows if row.tier == Tier.INVEST]
        counts = {tier: sum(1 for row in rows if row.tier == tier) for tier in Tier.values}
        context = self.get_context_data(
            form=form,
            data=data,
            metrics=RaceMetric.choices,
            metric_label=RaceMetric(metric).label,
            invest_options=share_options(data["invest_share"]),
            replace_options=share_options(data["replace_share"]),
            table=table,
            counts=counts,
            invest=invest,
            few=len(rows) < horse_race.MIN_ACCOUNTS_FOR_TIERS and not (counts[Tier.INVEST] and counts[Tier.REPLACE]),
            history=horse_race.movements(self.workspace.enterprise),
            can_operate=self.workspace.can("operate"),
        )
        return self.render_to_response(context, status=200 if valid else 400)


class HorseRaceDraftView(WorkspacePageMixin, View):
    """POST `red_id` (repeated): the invest tier's accounts → a campaign draft, then its page."""

    capability = "operate"

    def post(self, request, eid):
        back = back_url(request, reverse("analytics-horse-race", args=[eid]))
        red_ids = list(dict.fromkeys(red_id for red_id in request.POST.getlist("red_id") if red_id))[:100]
        if not red_ids:
            messages.error(request, _("The invest tier is empty: there is no account to promote."))
            return redirect(back)
        unknown = horse_race.unknown_accounts(self.workspace.enterprise, red_ids)
        if unknown:
            messages.error(
                request,
                _("These accounts were never bound to this enterprise: %(red_ids)s.") % {"red_ids": ", ".join(unknown)},
            )
            return redirect(back)
        draft = horse_race.draft_campaign(self.workspace, red_ids)
        if draft.campaign is None:
            messages.error(
                request, _("None of these accounts has a note this enterprise pushed to ads; nothing was created.")
            )
            return redirect(back)
        messages.success(
            request,
            _("Created the campaign draft “%(name)s”: review its units, then start it.")
            % {"name": draft.campaign.name},
        )
        if draft.skipped:
            messages.warning(
                request,
                _("Skipped, no note pushed to ads: %(red_ids)s.") % {"red_ids": ", ".join(draft.skipped)},
            )
        return redirect("campaign-detail", eid=eid, campaign_id=draft.campaign.pk)


brand_urlpatterns = [
    path("analytics/horse-race/", HorseRacePage.as_view(), name="analytics-horse-race"),
    path("analytics/horse-race/campaign-draft/", HorseRaceDraftView.as_view(), name="analytics-horse-race-draft"),
]
