"""A campaign's delivery status, derived at read time from facts — its dates, the user's state, the ad account's
balance and today's spend — with its reason, in the order ad platforms weigh them; never stored."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Sum

from kos_platform import clock

from .choices import CampaignStatus, Delivery, PauseReason
from .models import AdAccount, AdSpendDaily, Campaign
from .models.account import ZERO


@dataclass(frozen=True)
class CampaignFacts:
    """What a campaign's delivery is read from: the enterprise's balance and the campaign's spend today."""

    balance: Decimal
    spent_today: Decimal


def delivery_of(campaign: Campaign, facts: CampaignFacts, today: date | None = None) -> Delivery:
    today = today or clock.local_today()
    if campaign.status == CampaignStatus.DRAFT:
        return Delivery.DRAFT
    if campaign.status == CampaignStatus.ENDED:
        return Delivery.ENDED
    if campaign.start_date > today:
        return Delivery.NOT_STARTED
    if campaign.end_date is not None and campaign.end_date < today:
        return Delivery.ENDED_BY_DATE
    if campaign.status == CampaignStatus.PAUSED and campaign.paused_reason == PauseReason.USER:
        return Delivery.PAUSED
    if campaign.status == CampaignStatus.PAUSED or facts.balance <= 0:
        return Delivery.BALANCE_EXHAUSTED
    if facts.spent_today >= campaign.daily_budget:
        return Delivery.BUDGET_REACHED
    return Delivery.DELIVERING


def spent_on(campaign_ids: Iterable[int], day: date) -> dict[int, Decimal]:
    """Each campaign's spend on `day`, from the spend rows of its units, in one query."""
    rows = (
        AdSpendDaily.objects.filter(unit__campaign_id__in=list(campaign_ids), date=day)
        .order_by()
        .values_list("unit__campaign_id")
        .annotate(total=Sum("amount"))
    )
    return dict(rows)


def facts_for(enterprise_id: int, campaigns: list[Campaign], today: date | None = None) -> dict[int, CampaignFacts]:
    """The facts of many campaigns of one enterprise in two queries, whatever their number."""
    today = today or clock.local_today()
    balance = AdAccount.objects.filter(pk=enterprise_id).values_list("balance", flat=True).first() or ZERO
    spent = spent_on([c.pk for c in campaigns], today)
    return {c.pk: CampaignFacts(balance=balance, spent_today=spent.get(c.pk, ZERO)) for c in campaigns}
