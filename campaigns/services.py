"""Every change of a campaign, a unit, the advanced features and the platform's ad settings: one transaction, the
deciding rows locked, the rule's error with its facts, and an audit record."""

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction

from accounts import audit
from kos_platform import clock
from kos_platform.errors import RuleViolation
from kos_platform.tenancy import Actor, Workspace
from notes.models import Note, NotePush

from . import ledger, rights
from .choices import ADVANCED_COMPONENTS, CampaignStatus, PauseReason, Placement
from .guidance import GUIDES
from .models import AdSpendDaily, AdvancedFeatures, Campaign, CampaignUnit, PlatformSettings, UnitKeyword, UnitNote

CAMPAIGN_FIELDS = ("name", "objective", "placement", "goal", "daily_budget", "start_date", "end_date")
UNIT_FIELDS = ("name", "negative_keywords", "components", "targeting", "bid")


# Campaigns -----------------------------------------------------------------------------------------------------


def _locked(campaign: Campaign) -> Campaign:
    return Campaign.objects.select_for_update().get(pk=campaign.pk)


def _record(workspace: Workspace, action: str, obj, **fields) -> None:
    audit.record(actor=workspace.actor, action=action, obj=obj, enterprise=workspace.enterprise, **fields)


@transaction.atomic
def campaign_create(*, workspace: Workspace, **fields) -> Campaign:
    campaign = Campaign.objects.create(
        enterprise=workspace.enterprise,
        created_at=clock.now(),
        created_by=workspace.user,
        via_agency=workspace.agency,
        **fields,
    )
    _record(workspace, "campaign.created", campaign, after=audit.snapshot(campaign, CAMPAIGN_FIELDS))
    return campaign


@transaction.atomic
def campaign_update(*, workspace: Workspace, campaign: Campaign, **fields) -> Campaign:
    """Change what the user set; an ended campaign never changes again."""
    campaign = _locked(campaign)
    if campaign.status == CampaignStatus.ENDED:
        raise RuleViolation("campaign_not_startable", status=campaign.status)
    before = audit.snapshot(campaign, fields)
    for name, value in fields.items():
        setattr(campaign, name, value)
    campaign.full_clean(exclude=["enterprise", "created_by", "via_agency"])
    campaign.save(update_fields=list(fields))
    _record(workspace, "campaign.updated", campaign, before=before, after=audit.snapshot(campaign, fields))
    return campaign


@transaction.atomic
def campaign_start(*, workspace: Workspace, campaign: Campaign) -> Campaign:
    """draft or paused → active (C01): after the first recharge (E05), with money left, with a unit to deliver and
    before its end date."""
    account = ledger.lock_account(workspace.enterprise)
    campaign = _locked(campaign)
    if campaign.status not in (CampaignStatus.DRAFT, CampaignStatus.PAUSED):
        raise RuleViolation("campaign_not_startable", status=campaign.status)
    if campaign.end_date is not None and campaign.end_date < clock.local_today():
        raise RuleViolation("campaign_not_startable", status=campaign.status, reason="ended_by_date")
    if not campaign.units.exists():
        raise RuleViolation("campaign_not_startable", status=campaign.status, reason="no_units")
    ledger.require_first_recharge(account, workspace.enterprise)
    if account.balance <= 0:
        raise RuleViolation("insufficient_balance", balance=str(account.balance))
    before = {"status": campaign.status, "paused_reason": campaign.paused_reason}
    campaign.status, campaign.paused_reason = CampaignStatus.ACTIVE, ""
    campaign.started_at = campaign.started_at or clock.now()
    campaign.save(update_fields=["status", "paused_reason", "started_at"])
    _record(workspace, "campaign.started", campaign, before=before, after={"status": campaign.status})
    return campaign


@transaction.atomic
def campaign_pause(*, workspace: Workspace, campaign: Campaign) -> Campaign:
    campaign = _locked(campaign)
    if campaign.status != CampaignStatus.ACTIVE:
        raise RuleViolation("campaign_not_startable", status=campaign.status)
    campaign.status, campaign.paused_reason = CampaignStatus.PAUSED, PauseReason.USER
    campaign.save(update_fields=["status", "paused_reason"])
    _record(
        workspace,
        "campaign.paused",
        campaign,
        before={"status": CampaignStatus.ACTIVE},
        after={"status": campaign.status, "paused_reason": campaign.paused_reason},
    )
    return campaign


@transaction.atomic
def campaign_end(*, workspace: Workspace, campaign: Campaign) -> Campaign:
    """→ ended, from any other state; an ended campaign never starts again."""
    campaign = _locked(campaign)
    if campaign.status == CampaignStatus.ENDED:
        raise RuleViolation("campaign_not_startable", status=campaign.status)
    before = {"status": campaign.status}
    campaign.status, campaign.paused_reason, campaign.ended_at = CampaignStatus.ENDED, "", clock.now()
    campaign.save(update_fields=["status", "paused_reason", "ended_at"])
    _record(workspace, "campaign.ended", campaign, before=before, after={"status": campaign.status})
    return campaign


@dataclass(frozen=True)
class Split:
    feed: Decimal
    search: Decimal


def budget_split(goal: str, budget: Decimal) -> Split:
    """C04: the goal's feed share of `budget`, half-up to the cent; search takes the rest, so the two add up."""
    feed = (budget * GUIDES[goal].feed_share).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return Split(feed=feed, search=budget - feed)


@transaction.atomic
def campaign_plan_create(
    *, workspace: Workspace, goal: str, name: str, objective: str, budget: Decimal, start_date: date, end_date=None
) -> tuple[Campaign, Campaign]:
    """C04 in one step: a feed campaign and a search campaign splitting the daily budget as the goal advises."""
    split = budget_split(goal, budget)
    common = {"objective": objective, "goal": goal, "start_date": start_date, "end_date": end_date}
    feed = campaign_create(
        workspace=workspace, name=f"{name} · 信息流"[:60], placement=Placement.FEED, daily_budget=split.feed, **common
    )
    search = campaign_create(
        workspace=workspace, name=f"{name} · 搜索"[:60], placement=Placement.SEARCH, daily_budget=split.search, **common
    )
    return feed, search


# Units ---------------------------------------------------------------------------------------------------------


def _check_unit(workspace: Workspace, campaign: Campaign, notes: list[Note] | None, components: list[str] | None):
    """The rules a unit must meet (C02, C03): its campaign is not ended, its notes were pushed, and advanced
    components need unlocked rights."""
    if campaign.status == CampaignStatus.ENDED:
        raise RuleViolation("campaign_not_startable", status=campaign.status)
    if notes:
        pushed = set(
            NotePush.objects.filter(enterprise=workspace.enterprise, note__in=notes).values_list("note_id", flat=True)
        )
        missing = [note.note_id for note in notes if note.pk not in pushed]
        if missing:
            raise RuleViolation("note_not_pushed", note_ids=missing)
    if components and set(components) & set(ADVANCED_COMPONENTS) and not rights.is_unlocked(workspace.enterprise):
        raise RuleViolation("advanced_rights_locked")


def _set_notes(unit: CampaignUnit, notes: list[Note]) -> None:
    unit.unit_notes.all().delete()
    UnitNote.objects.bulk_create(UnitNote(unit=unit, note=note) for note in notes)


def _set_keywords(unit: CampaignUnit, keywords: list[dict]) -> None:
    unit.keywords.all().delete()
    UnitKeyword.objects.bulk_create(UnitKeyword(unit=unit, text=k["text"], type=k["type"]) for k in keywords)


def _unit_snapshot(unit: CampaignUnit) -> dict:
    return {
        **audit.snapshot(unit, UNIT_FIELDS),
        "note_ids": list(unit.unit_notes.values_list("note__note_id", flat=True)),
        "keywords": list(unit.keywords.values_list("text", flat=True)),
    }


@transaction.atomic
def unit_create(*, workspace: Workspace, campaign: Campaign, notes: list[Note], keywords: list[dict], **fields):
    campaign = _locked(campaign)
    _check_unit(workspace, campaign, notes, fields.get("components"))
    unit = CampaignUnit.objects.create(campaign=campaign, created_at=clock.now(), **fields)
    _set_notes(unit, notes)
    _set_keywords(unit, keywords)
    _record(workspace, "campaign_unit.created", unit, after=_unit_snapshot(unit))
    return unit


@transaction.atomic
def unit_update(
    *, workspace: Workspace, unit: CampaignUnit, notes: list[Note] | None = None, keywords=None, **fields
) -> CampaignUnit:
    campaign = _locked(unit.campaign)
    unit = CampaignUnit.objects.select_for_update().get(pk=unit.pk)
    _check_unit(workspace, campaign, notes, fields.get("components"))
    before = _unit_snapshot(unit)
    for name, value in fields.items():
        setattr(unit, name, value)
    if fields:
        unit.save(update_fields=list(fields))
    if notes is not None:
        _set_notes(unit, notes)
    if keywords is not None:
        _set_keywords(unit, keywords)
    _record(workspace, "campaign_unit.updated", unit, before=before, after=_unit_snapshot(unit))
    return unit


@transaction.atomic
def unit_delete(*, workspace: Workspace, unit: CampaignUnit) -> None:
    """A unit that delivered keeps its history: deleting it is refused (`unit_has_spend`)."""
    campaign = _locked(unit.campaign)
    if campaign.status == CampaignStatus.ENDED:
        raise RuleViolation("campaign_not_startable", status=campaign.status)
    if AdSpendDaily.objects.filter(unit=unit).exists():
        raise RuleViolation("unit_has_spend")
    before = _unit_snapshot(unit)
    _record(workspace, "campaign_unit.deleted", unit, before=before)
    unit.delete()


# Advanced features and the platform's settings -------------------------------------------------------------------

FEATURE_FIELDS = (
    "welcome_message",
    "auto_replies",
    "quick_menu",
    "dial_phone",
    "dial_label",
    "lead_card_title",
    "lead_card_fields",
)


@transaction.atomic
def advanced_features_update(*, workspace: Workspace, **fields) -> AdvancedFeatures:
    """C03: configuring is allowed at any time; what is configured is served only while the rights are unlocked."""
    features, _created = AdvancedFeatures.objects.select_for_update().get_or_create(enterprise=workspace.enterprise)
    before = audit.snapshot(features, fields)
    for name, value in fields.items():
        setattr(features, name, value)
    features.updated_at = clock.now()
    features.save()
    _record(workspace, "advanced_features.updated", features, before=before, after=audit.snapshot(features, fields))
    return features


SETTINGS_FIELDS = (
    "advanced_rights_threshold",
    "advanced_rights_window_days",
    "minimum_service",
    "minimum_consumer_goods",
    "minimum_culture_tourism",
    "minimum_other",
)


@transaction.atomic
def platform_settings_update(*, actor: Actor, **fields) -> PlatformSettings:
    """Staff tune C03's threshold and window and E05's four minimums; a change applies at once."""
    PlatformSettings.objects.get_or_create(pk=1)
    settings = PlatformSettings.objects.select_for_update().get(pk=1)
    before = audit.snapshot(settings, fields)
    for name, value in fields.items():
        setattr(settings, name, value)
    settings.updated_at = clock.now()
    settings.save()
    audit.record(
        actor=actor,
        action="platform_settings.updated",
        obj=settings,
        before=before,
        after=audit.snapshot(settings, fields),
    )
    return settings
