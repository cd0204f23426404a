"""Campaigns on pushed employee notes (C01, C02) and the ad platform's daily spend rows."""

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from accounts.models import Agency, Enterprise, User
from kos_platform import guard
from notes.models import Note

from ..choices import CampaignStatus, Goal, KeywordType, Objective, PauseReason, Placement
from .account import money_field

MIN_DAILY_BUDGET = Decimal("100.00")
MAX_KEYWORDS = 500  # C01 decision: per unit
MAX_KEYWORD_LENGTH = 40


class Campaign(models.Model):
    """推广计划: the user's state (`status`, `paused_reason`) is kept apart from the delivery status, which
    `campaigns.delivery` derives at read time from the dates, the balance and today's spend."""

    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="campaigns", db_index=False)
    name = models.CharField(_("name"), max_length=60)
    objective = models.CharField(_("objective"), max_length=20, choices=Objective.choices)
    placement = models.CharField(_("placement"), max_length=12, choices=Placement.choices)
    goal = models.CharField(_("goal"), max_length=16, choices=Goal.choices, blank=True)
    daily_budget = money_field(_("daily budget"), validators=[MinValueValidator(MIN_DAILY_BUDGET)])
    start_date = models.DateField(_("start date"), validators=[guard.validate_enterprise_date])
    end_date = models.DateField(_("end date"), null=True, blank=True, validators=[guard.validate_enterprise_date])
    status = models.CharField(_("status"), max_length=8, choices=CampaignStatus.choices, default=CampaignStatus.DRAFT)
    paused_reason = models.CharField(_("paused because"), max_length=20, choices=PauseReason.choices, blank=True)
    created_at = models.DateTimeField(_("created at"))
    created_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    via_agency = models.ForeignKey(Agency, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    started_at = models.DateTimeField(_("first started at"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(daily_budget__gte=MIN_DAILY_BUDGET), name="campaign_daily_budget_min"),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")), name="campaign_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(status=CampaignStatus.PAUSED, paused_reason__in=PauseReason.values)
                | (~Q(status=CampaignStatus.PAUSED) & Q(paused_reason="")),
                name="campaign_paused_has_reason",
            ),
        ]
        indexes = [
            models.Index(fields=["enterprise", "-created_at", "-id"]),
            models.Index(fields=["enterprise", "status"]),
        ]

    def __str__(self):
        return self.name


class CampaignUnit(models.Model):
    """推广单元: the pushed notes it promotes, its keywords, components, targeting and bid (C01, C02)."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="units")
    name = models.CharField(_("name"), max_length=60)
    notes = models.ManyToManyField(Note, through="UnitNote", related_name="+")
    negative_keywords = models.JSONField(_("negative keywords"), default=list, blank=True)
    components = models.JSONField(_("components"), default=list, blank=True)
    targeting = models.JSONField(_("targeting"), default=dict, blank=True)
    bid = money_field(_("bid"), null=True, blank=True, validators=[MinValueValidator(Decimal("0.01"))])
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        verbose_name = _("campaign unit")
        verbose_name_plural = _("campaign units")
        ordering = ["campaign", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(bid__isnull=True) | Q(bid__gt=0), name="unit_bid_positive"),
        ]

    def __str__(self):
        return self.name


class UnitNote(models.Model):
    unit = models.ForeignKey(CampaignUnit, on_delete=models.CASCADE, related_name="unit_notes")
    note = models.ForeignKey(Note, on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("promoted note")
        verbose_name_plural = _("promoted notes")
        constraints = [models.UniqueConstraint(fields=["unit", "note"], name="one_note_per_unit")]

    def __str__(self):
        return f"{self.unit_id}: {self.note_id}"


class UnitKeyword(models.Model):
    """A search keyword of a unit, with its C01 type; unique in its unit."""

    unit = models.ForeignKey(CampaignUnit, on_delete=models.CASCADE, related_name="keywords")
    text = models.CharField(_("keyword"), max_length=MAX_KEYWORD_LENGTH)
    type = models.CharField(_("keyword type"), max_length=20, choices=KeywordType.choices)

    class Meta:
        verbose_name = _("keyword")
        verbose_name_plural = _("keywords")
        ordering = ["unit", "id"]
        constraints = [models.UniqueConstraint(fields=["unit", "text"], name="unique_keyword_per_unit")]

    def __str__(self):
        return self.text


class AdSpendDaily(models.Model):
    """What the ad platform reports an enterprise spent on one of its pushed notes on one day (Asia/Shanghai), with
    the unit when it knows it; a restated day replaces the figure and the ledger takes the difference."""

    pk = models.CompositePrimaryKey("enterprise", "note", "date")
    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="+", db_constraint=False)
    note = models.ForeignKey(Note, on_delete=models.CASCADE, related_name="+", db_index=False, db_constraint=False)
    date = models.DateField(_("date"), validators=[guard.validate_content_date])
    unit = models.ForeignKey(
        CampaignUnit, null=True, blank=True, on_delete=models.PROTECT, related_name="spend", db_constraint=False
    )
    amount = money_field(_("spend"))
    impressions = models.PositiveIntegerField(_("impressions"), default=0)
    clicks = models.PositiveIntegerField(_("clicks"), default=0)
    clicks_dm = models.PositiveIntegerField(_("direct-message clicks"), default=0)
    clicks_product = models.PositiveIntegerField(_("product-card clicks"), default=0)
    clicks_lead_form = models.PositiveIntegerField(_("lead-form clicks"), default=0)
    clicks_store = models.PositiveIntegerField(_("store clicks"), default=0)
    clicks_search = models.PositiveIntegerField(_("search clicks"), default=0)

    class Meta:
        verbose_name = _("daily ad spend")
        verbose_name_plural = _("daily ad spend")
        ordering = ["enterprise", "date"]
        constraints = [models.CheckConstraint(condition=Q(amount__gte=0), name="spend_not_negative")]
        indexes = [
            models.Index(fields=["enterprise", "date"], name="spend_enterprise_date"),
            models.Index(fields=["unit", "date"], name="spend_unit_date"),
        ]

    def __str__(self):
        return f"{self.enterprise_id} {self.note_id} {self.date}: ¥{self.amount}"
