"""A campaign's delivery status, derived at read time from facts — its dates, the user's state, the ad account's
balance and today's spend — with its reason, in the order ad platforms weigh them; never stored."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from kos_platform import clock

from . import statements
from .choices import CampaignStatus, Delivery, PauseReason
from .models import AdAccount, Campaign
from .models.account import ZERO

CENT = Decimal("0.01")  # SQLite sums money as floats


@dataclass(frozen=True)
class CampaignFacts:
    """What a campaign's delivery is read from — the enterprise's balance and the campaign's spend today — and how
    many units it has."""

    balance: Decimal
    spent_today: Decimal
    units: int = 0


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


def facts_annotations(today: date | None = None) -> dict:
    """What `facts_for` reads off each campaign, as annotations of its queryset: its units and today's spend."""
    return statements.campaign_facts(today or clock.local_today())


def facts_for(enterprise, campaigns: list[Campaign]) -> dict[int, CampaignFacts]:
    """The facts of campaigns annotated with `facts_annotations` (the balance comes with the enterprise when it was
    loaded with its `ad_account`)."""
    balance = _balance(enterprise)
    return {
        c.pk: CampaignFacts(balance=balance, spent_today=c.spent_today.quantize(CENT), units=c.unit_count)
        for c in campaigns
    }


def _balance(enterprise) -> Decimal:
    try:
        return enterprise.ad_account.balance
    except AdAccount.DoesNotExist:
        return ZERO
