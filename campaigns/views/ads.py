"""Ads pages (brand), mounted by campaigns/urls.py under /w/<int:eid>/: 广告账户 (E05: the minimum, recharge, the
ledger), 推广计划 (C01: the derived delivery, today's spend against the budget, start / pause / end) and the campaign
wizard (C04 goal → objective and placement → unit → review). Pages read through `campaigns.selectors` and change
state only through the services; the wizard validates with the API's own serializers. Analysts read; owners,
admins, operators and reported agencies act ("operate")."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from kos_platform.errors import RuleViolation
from kos_platform.pages import WorkspacePageMixin
from notes.views.brand import back_url

from .. import delivery, ledger, rights, selectors, services
from ..api.serializers import RechargeRequestSerializer
from ..choices import (
    ADVANCED_COMPONENTS,
    AgeBand,
    CampaignStatus,
    Component,
    Gender,
    Goal,
    Interest,
    KeywordType,
    LedgerKind,
    Objective,
    Placement,
    Region,
)
from ..guidance import GUIDES
from ..models import Campaign
from ..models.campaign import MIN_DAILY_BUDGET
from . import forms

PAGE_SIZE = 20
KEYWORD_ROWS = 6


def paged(rows, request) -> dict:
    """A page of `rows` and what the pagination partial needs."""
    paginator = Paginator(rows, PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    return {
        "page": page,
        "page_range": list(paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)),
        "ellipsis": Paginator.ELLIPSIS,
    }


class AdsPage(WorkspacePageMixin, TemplateView):
    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "can_operate": self.workspace.can("operate")}


def refusal_text(violation: RuleViolation) -> str:
    """A refused rule in words, with the facts a user needs (the minimum, the balance)."""
    text = violation.message
    facts = violation.facts
    if "minimum" in facts:
        text += " " + _("The first recharge must be at least ¥%(minimum)s.") % {"minimum": facts["minimum"]}
    if "balance" in facts:
        text += " " + _("Balance: ¥%(balance)s.") % {"balance": facts["balance"]}
    if facts.get("reason") == "no_units":
        text += " " + _("Add a unit with the notes to promote first.")
    if facts.get("reason") == "ended_by_date":
        text += " " + _("Its end date has passed.")
    if "note_ids" in facts:
        text += " " + ", ".join(facts["note_ids"])
    return text


# 广告账户 ---------------------------------------------------------------------------------------------------------


class AdAccountPage(AdsPage):
    """The balance, the first-recharge minimum explained until it is met, recharge, and the ledger."""

    template_name = "campaigns/brand/ad_account.html"

    def get(self, request, *args, **kwargs):
        return self.render_page(RechargeRequestSerializer())

    def post(self, request, *args, **kwargs):
        self.require("operate")
        data = RechargeRequestSerializer(data={"amount": request.POST.get("amount", "")})
        if not data.is_valid():
            return self.render_page(data, status=400)
        try:
            line = ledger.recharge(workspace=self.workspace, amount=data.validated_data["amount"])
        except RuleViolation as violation:
            messages.error(request, refusal_text(violation))
            return self.render_page(data, status=409)
        messages.success(
            request,
            _("Recharged ¥%(amount)s; the balance is ¥%(balance)s.")
            % {
                "amount": f"{line.amount:,.2f}",
                "balance": f"{line.balance_after:,.2f}",
            },
        )
        return redirect("ads-account", eid=self.workspace.enterprise.pk)

    def render_page(self, recharge_form, status=200):
        enterprise = self.workspace.enterprise
        filters = selectors.LedgerFilterForm(self.request.GET)
        valid = filters.is_valid()
        lines = selectors.ledger_lines(enterprise, filters.cleaned_data if valid else {})
        export = reverse("api:enterprise-ad-account-ledger-export", args=[enterprise.pk])
        context = self.get_context_data(
            account=ledger.account_facts(enterprise),
            recharge_errors=getattr(recharge_form, "_errors", None) or {},
            amount=self.request.POST.get("amount", ""),
            filters=filters,
            kinds=LedgerKind.choices,
            **paged(lines.select_related("created_by", "via_agency"), self.request),
            exports=[
                (label, f"{export}?{urlencode({**self.request.GET.dict(), 'format': kind})}")
                for kind, label in (("csv", "CSV"), ("xlsx", "Excel"))
            ],
        )
        return self.render_to_response(context, status=status if valid else 400)


# 推广计划 ---------------------------------------------------------------------------------------------------------


def decorate(workspace, campaigns) -> None:
    """What a row shows beyond the campaign: its delivery now, with the reason, and today's spend against the budget."""
    facts = delivery.facts_for(workspace.enterprise, campaigns)
    for campaign in campaigns:
        campaign.facts = facts[campaign.pk]
        campaign.delivery = delivery.delivery_of(campaign, campaign.facts)
        budget = campaign.daily_budget or 1
        campaign.used_percent = min(100, int(campaign.facts.spent_today * 100 / budget))


class CampaignListPage(AdsPage):
    template_name = "campaigns/brand/campaign_list.html"

    def get(self, request, *args, **kwargs):
        form = selectors.CampaignFilterForm(request.GET)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form, page=None), status=400)
        listing = paged(selectors.campaigns_for(self.workspace.enterprise, form.cleaned_data), request)
        decorate(self.workspace, listing["page"].object_list)
        return self.render_to_response(
            self.get_context_data(
                form=form,
                **listing,
                statuses=CampaignStatus.choices,
                account=ledger.account_facts(self.workspace.enterprise),
            )
        )


class CampaignActionView(WorkspacePageMixin, View):
    """POST `action` = start | pause | end, then back to where the user was."""

    capability = "operate"
    ACTIONS = {
        "start": (services.campaign_start, _("“%(name)s” is delivering.")),
        "pause": (services.campaign_pause, _("“%(name)s” is paused.")),
        "end": (services.campaign_end, _("“%(name)s” has ended; it cannot start again.")),
    }

    def post(self, request, eid, campaign_id):
        campaign = get_object_or_404(Campaign, enterprise=self.workspace.enterprise, pk=campaign_id)
        default = reverse("campaign-list", args=[eid])
        if request.POST.get("action") not in self.ACTIONS:
            messages.error(request, _("Choose start, pause or end."))
            return redirect(back_url(request, default))
        service, done = self.ACTIONS[request.POST["action"]]
        try:
            service(workspace=self.workspace, campaign=campaign)
        except RuleViolation as violation:
            messages.error(request, refusal_text(violation))
        else:
            messages.success(request, done % {"name": campaign.name})
        return redirect(back_url(request, default))


# The wizard -------------------------------------------------------------------------------------------------------


class CampaignWizardPage(AdsPage):
    """新建推广计划: goal (C04) → objective and placement → a unit (pushed notes, keywords with their types, negative
    keywords, components, targeting, bid) → review. With a goal it can create the feed and the search campaign at
    once. Everything is created in one transaction or not at all."""

    template_name = "campaigns/brand/campaign_wizard.html"
    capability = "operate"

    def get(self, request, *args, **kwargs):
        chosen = set(request.GET.getlist("note"))
        return self.render_page(forms.WizardInput.initial(chosen), {})

    def post(self, request, *args, **kwargs):
        entered = forms.WizardInput.from_post(request.POST)
        errors = entered.check(self.workspace)
        if errors:
            return self.render_page(entered, errors, status=400)
        try:
            campaigns = self.create(entered)
        except RuleViolation as violation:
            return self.render_page(entered, {"__all__": [refusal_text(violation)]}, status=409)
        first = campaigns[0]
        names = "、".join(c.name for c in campaigns)
        messages.success(request, _("Created %(names)s.") % {"names": names})
        if entered.start_now:
            for campaign in campaigns:
                try:
                    services.campaign_start(workspace=self.workspace, campaign=campaign)
                except RuleViolation as violation:
                    messages.warning(
                        request,
                        _("“%(name)s” stays a draft: %(why)s")
                        % {
                            "name": campaign.name,
                            "why": refusal_text(violation),
                        },
                    )
        return redirect("campaign-detail", eid=self.workspace.enterprise.pk, campaign_id=first.pk)

    @transaction.atomic
    def create(self, entered: "forms.WizardInput") -> list[Campaign]:
        workspace = self.workspace
        if entered.split:
            campaigns = list(services.campaign_plan_create(workspace=workspace, **entered.plan_fields()))
        else:
            campaigns = [services.campaign_create(workspace=workspace, **entered.campaign_fields())]
        for campaign in campaigns:
            services.unit_create(workspace=workspace, campaign=campaign, **entered.unit_fields(campaign))
        return campaigns

    def render_page(self, entered, errors, status=200):
        enterprise = self.workspace.enterprise
        notes = list(selectors.pushed_notes_for(enterprise)[:200])
        unlocked = rights.is_unlocked(enterprise)
        keywords = entered.keywords + [{"text": "", "type": ""}] * max(0, KEYWORD_ROWS - len(entered.keywords))
        context = self.get_context_data(
            entered=entered,
            errors=errors,
            notes=notes,
            goals=[(GUIDES[goal], goal.label) for goal in Goal],
            objectives=Objective.choices,
            placements=Placement.choices,
            keyword_types=KeywordType.choices,
            keywords=keywords,
            components=[(value, label, value in ADVANCED_COMPONENTS) for value, label in Component.choices],
            regions=Region.choices,
            age_bands=AgeBand.choices,
            genders=Gender.choices,
            interests=Interest.choices,
            unlocked=unlocked,
            account=ledger.account_facts(enterprise),
            min_daily_budget=MIN_DAILY_BUDGET,
        )
        return self.render_to_response(context, status=status)


brand_urlpatterns = [
    path("ads/account/", AdAccountPage.as_view(), name="ads-account"),
    path("ads/campaigns/", CampaignListPage.as_view(), name="campaign-list"),
    path("ads/campaigns/new/", CampaignWizardPage.as_view(), name="campaign-wizard"),
    path("ads/campaigns/<int:campaign_id>/action/", CampaignActionView.as_view(), name="campaign-action"),
]
