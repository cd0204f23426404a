from decimal import Decimal

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from kos_platform import clock

from ..choices import (
    AgeBand,
    CampaignStatus,
    Component,
    Delivery,
    Gender,
    Goal,
    Interest,
    KeywordType,
    LedgerKind,
    Objective,
    PauseReason,
    Placement,
    Region,
)
from ..models import Campaign, CampaignUnit
from ..models.campaign import MAX_KEYWORD_LENGTH, MAX_KEYWORDS, MIN_DAILY_BUDGET

MAX_MONEY = Decimal("9999999999.99")


def money(**options) -> serializers.DecimalField:
    return serializers.DecimalField(max_digits=12, decimal_places=2, max_value=MAX_MONEY, **options)


class AdAccountSerializer(serializers.Serializer):
    industry = serializers.CharField()
    first_recharge_minimum = money()
    first_recharge_met = serializers.BooleanField()
    balance = money()
    recharged_total = money()
    spent_total = money()


class RechargeRequestSerializer(serializers.Serializer):
    amount = money(min_value=Decimal("0.01"))


class RechargeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    amount = money()
    balance = money(source="balance_after")
    created_at = serializers.DateTimeField(source="at")


class LedgerLineSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    at = serializers.DateTimeField()
    kind = serializers.ChoiceField(choices=LedgerKind.choices)
    amount = money()
    balance_after = money()
    reference = serializers.CharField()
    spend_date = serializers.DateField(allow_null=True)


class CampaignSerializer(serializers.ModelSerializer):
    """A campaign as the user set it, with its delivery derived now (`delivery`, `delivery_reason`) and today's
    spend against the daily budget; `facts` (context) holds each campaign's delivery.CampaignFacts."""

    status = serializers.ChoiceField(choices=CampaignStatus.choices, read_only=True)
    paused_reason = serializers.ChoiceField(choices=PauseReason.choices, read_only=True, allow_blank=True)
    delivery = serializers.SerializerMethodField()
    delivery_reason = serializers.SerializerMethodField()
    spent_today = serializers.SerializerMethodField()
    daily_budget = money(min_value=MIN_DAILY_BUDGET)
    units = serializers.SerializerMethodField()

    class Meta:
        model = Campaign
        fields = [
            "id",
            "name",
            "objective",
            "placement",
            "goal",
            "daily_budget",
            "start_date",
            "end_date",
            "status",
            "paused_reason",
            "delivery",
            "delivery_reason",
            "spent_today",
            "units",
            "created_at",
            "started_at",
            "ended_at",
        ]
        read_only_fields = ["id", "created_at", "started_at", "ended_at"]
        extra_kwargs = {"goal": {"required": False}, "end_date": {"required": False}}

    def _facts(self, campaign):
        return self.context["facts"][campaign.pk]

    @extend_schema_field(serializers.ChoiceField(choices=Delivery.choices))
    def get_delivery(self, campaign) -> str:
        return self.context["delivery"](campaign).value

    def get_delivery_reason(self, campaign) -> str:
        return str(self.context["delivery"](campaign).label)

    @extend_schema_field(money())
    def get_spent_today(self, campaign) -> str:
        return f"{self._facts(campaign).spent_today:.2f}"

    def get_units(self, campaign) -> int:
        return self._facts(campaign).units

    def to_representation(self, campaign):
        """The fields above written out: a list page renders many campaigns, and DRF's field-by-field rendering
        cost more than the rest of the request (`make bench`); tests hold it equal to `field_representation`."""
        facts, delivery = self._facts(campaign), self.context["delivery"](campaign)
        return {
            "id": campaign.pk,
            "name": campaign.name,
            "objective": campaign.objective,
            "placement": campaign.placement,
            "goal": campaign.goal,
            "daily_budget": f"{campaign.daily_budget:.2f}",
            "start_date": campaign.start_date.isoformat(),
            "end_date": campaign.end_date and campaign.end_date.isoformat(),
            "status": campaign.status,
            "paused_reason": campaign.paused_reason,
            "delivery": delivery.value,
            "delivery_reason": str(delivery.label),
            "spent_today": f"{facts.spent_today:.2f}",
            "units": facts.units,
            "created_at": clock.instant(campaign.created_at),
            "started_at": clock.instant(campaign.started_at),
            "ended_at": clock.instant(campaign.ended_at),
        }

    def field_representation(self, campaign):
        """DRF's own rendering of the fields, which `to_representation` must equal."""
        return super().to_representation(campaign)

    def validate_start_date(self, value):
        if self.instance is None and value < clock.local_today():
            raise serializers.ValidationError(_("The start date cannot lie in the past."))
        return value

    def validate(self, attrs):
        start = attrs.get("start_date", getattr(self.instance, "start_date", None))
        end = attrs.get("end_date", getattr(self.instance, "end_date", None))
        if start and end and end < start:
            raise serializers.ValidationError({"end_date": [_("The end date cannot come before the start date.")]})
        return attrs


class CampaignPlanSerializer(serializers.Serializer):
    """C04: one goal, a daily budget split into a feed and a search campaign."""

    goal = serializers.ChoiceField(choices=Goal.choices)
    name = serializers.CharField(max_length=50)
    objective = serializers.ChoiceField(choices=Objective.choices)
    budget = money(min_value=Decimal("0.01"), help_text=_("The total daily budget of the two campaigns."))
    start_date = serializers.DateField()
    end_date = serializers.DateField(required=False, allow_null=True)

    def validate(self, attrs):
        from ..services import budget_split

        split = budget_split(attrs["goal"], attrs["budget"])
        if min(split.feed, split.search) < MIN_DAILY_BUDGET:
            raise serializers.ValidationError(
                {"budget": [_("Each campaign needs a daily budget of at least ¥100; raise the total budget.")]}
            )
        if attrs["start_date"] < clock.local_today():
            raise serializers.ValidationError({"start_date": [_("The start date cannot lie in the past.")]})
        end = attrs.get("end_date")
        if end and end < attrs["start_date"]:
            raise serializers.ValidationError({"end_date": [_("The end date cannot come before the start date.")]})
        return attrs


class KeywordSerializer(serializers.Serializer):
    text = serializers.CharField(min_length=1, max_length=MAX_KEYWORD_LENGTH)
    type = serializers.ChoiceField(choices=KeywordType.choices)


class TargetingSerializer(serializers.Serializer):
    """All optional; an empty list means everyone."""

    regions = serializers.ListField(
        child=serializers.ChoiceField(choices=Region.choices), required=False, max_length=40
    )
    age_bands = serializers.ListField(
        child=serializers.ChoiceField(choices=AgeBand.choices), required=False, max_length=len(AgeBand.values)
    )
    gender = serializers.ChoiceField(choices=Gender.choices, required=False, allow_blank=True)
    interests = serializers.ListField(
        child=serializers.ChoiceField(choices=Interest.choices), required=False, max_length=len(Interest.values)
    )


def _unique(values: list[str], message) -> None:
    if len(set(values)) != len(values):
        raise serializers.ValidationError(message)


class UnitSerializer(serializers.ModelSerializer):
    note_ids = serializers.ListField(child=serializers.CharField(max_length=64), min_length=1, max_length=100)
    keywords = KeywordSerializer(many=True, required=False, max_length=MAX_KEYWORDS)
    negative_keywords = serializers.ListField(
        child=serializers.CharField(min_length=1, max_length=MAX_KEYWORD_LENGTH),
        required=False,
        max_length=MAX_KEYWORDS,
    )
    components = serializers.ListField(
        child=serializers.ChoiceField(choices=Component.choices), required=False, max_length=len(Component.values)
    )
    targeting = TargetingSerializer(required=False)
    bid = money(min_value=Decimal("0.01"), required=False, allow_null=True)

    class Meta:
        model = CampaignUnit
        fields = [
            "id",
            "name",
            "note_ids",
            "keywords",
            "negative_keywords",
            "components",
            "targeting",
            "bid",
            "created_at",
        ]
        read_only_fields = ["id", "created_at"]

    def to_representation(self, unit):
        return {
            "id": unit.pk,
            "name": unit.name,
            "note_ids": [link.note.note_id for link in unit.unit_notes.all()],
            "keywords": [{"text": k.text, "type": k.type} for k in unit.keywords.all()],
            "negative_keywords": unit.negative_keywords,
            "components": unit.components,
            "targeting": unit.targeting,
            "bid": None if unit.bid is None else f"{unit.bid:.2f}",
            "created_at": clock.instant(unit.created_at),
        }

    def validate_note_ids(self, value):
        _unique(value, _("A note is listed twice."))
        return value

    def validate_keywords(self, value):
        _unique([k["text"] for k in value], _("A keyword is listed twice; keywords are unique in a unit."))
        return value

    def validate_negative_keywords(self, value):
        _unique(value, _("A negative keyword is listed twice."))
        return value

    def validate_components(self, value):
        _unique(value, _("A component is listed twice."))
        return value

    def validate(self, attrs):
        placement = self.context["campaign"].placement
        keywords = attrs.get("keywords", None if self.instance else [])
        if keywords is None:
            keywords = list(self.instance.keywords.values("text"))
        if placement == Placement.SEARCH and not keywords:
            raise serializers.ValidationError({"keywords": [_("A search campaign's unit needs keywords.")]})
        return attrs


class ComponentClicksSerializer(serializers.Serializer):
    dm = serializers.IntegerField()
    product = serializers.IntegerField()
    lead_form = serializers.IntegerField()
    store = serializers.IntegerField()
    search = serializers.IntegerField()


class FiguresSerializer(serializers.Serializer):
    spend = money()
    impressions = serializers.IntegerField()
    clicks = serializers.IntegerField()
    component_clicks = ComponentClicksSerializer()


class StatsDaySerializer(FiguresSerializer):
    date = serializers.DateField()


class StatsUnitSerializer(FiguresSerializer):
    unit_id = serializers.IntegerField()
    name = serializers.CharField()


class StatsNoteSerializer(FiguresSerializer):
    note_id = serializers.CharField()
    title = serializers.CharField()


class StatsSerializer(FiguresSerializer):
    days = StatsDaySerializer(many=True)
    units = StatsUnitSerializer(many=True)
    notes = StatsNoteSerializer(many=True)


class BudgetGuidanceSerializer(serializers.Serializer):
    goal = serializers.ChoiceField(choices=Goal.choices)
    budget = money()
    feed = money()
    search = money()
    feed_share = serializers.DecimalField(max_digits=3, decimal_places=2)
    content_advice = serializers.CharField()
    audiences = serializers.CharField()
    keyword_types = serializers.ListField(child=serializers.ChoiceField(choices=KeywordType.choices))


class AdvancedRightsSerializer(serializers.Serializer):
    window_days = serializers.IntegerField()
    threshold = money()
    spend = money()
    unlocked = serializers.BooleanField()
    features = serializers.ListField(child=serializers.CharField())
    since = serializers.DateField(allow_null=True)
    locks_on = serializers.DateField(allow_null=True)
    needed_to_keep = money(allow_null=True)
    needed_to_unlock = money(allow_null=True)


class RuleSerializer(serializers.Serializer):
    keyword = serializers.CharField(min_length=1, max_length=20)
    reply = serializers.CharField(min_length=1, max_length=300)


class MenuItemSerializer(serializers.Serializer):
    label = serializers.CharField(min_length=1, max_length=16)
    reply = serializers.CharField(min_length=1, max_length=300)


LEAD_FIELDS = ("name", "phone", "city", "wechat", "note")


class AdvancedFeaturesSerializer(serializers.Serializer):
    """C03's features as configured; `served` says whether they are served now (only while unlocked)."""

    welcome_message = serializers.CharField(max_length=500, allow_blank=True, required=False)
    auto_replies = RuleSerializer(many=True, required=False, max_length=20)
    quick_menu = MenuItemSerializer(many=True, required=False, max_length=6)
    dial_phone = serializers.RegexField(r"^\+?[0-9][0-9-]{4,19}$", allow_blank=True, required=False)
    dial_label = serializers.CharField(max_length=20, allow_blank=True, required=False)
    lead_card_title = serializers.CharField(max_length=40, allow_blank=True, required=False)
    lead_card_fields = serializers.ListField(
        child=serializers.ChoiceField(choices=LEAD_FIELDS), required=False, max_length=len(LEAD_FIELDS)
    )
    served = serializers.BooleanField(read_only=True)

    def validate_lead_card_fields(self, value):
        _unique(value, _("A field is listed twice."))
        return value


class MinimumsSerializer(serializers.Serializer):
    service = money(min_value=Decimal("0.01"), source="minimum_service", required=False)
    consumer_goods = money(min_value=Decimal("0.01"), source="minimum_consumer_goods", required=False)
    culture_tourism = money(min_value=Decimal("0.01"), source="minimum_culture_tourism", required=False)
    other = money(min_value=Decimal("0.01"), source="minimum_other", required=False)


class PlatformSettingsSerializer(serializers.Serializer):
    advanced_rights_threshold = money(min_value=Decimal("0.00"), required=False)
    advanced_rights_window_days = serializers.IntegerField(min_value=1, max_value=365, required=False)
    first_recharge_minimums = MinimumsSerializer(source="*", required=False)


class SpendRowSerializer(serializers.Serializer):
    """A row of `POST /api/v1/platform/ad-spend/` (for the schema; rows are checked in `campaigns.spend`)."""

    enterprise_id = serializers.IntegerField()
    note_id = serializers.CharField()
    date = serializers.DateField()
    unit_id = serializers.IntegerField(required=False, allow_null=True)
    amount = serializers.CharField(help_text=_('A decimal string with at most two places, e.g. "35.20".'))
    impressions = serializers.IntegerField(min_value=0)
    clicks = serializers.IntegerField(min_value=0)
    component_clicks = ComponentClicksSerializer(required=False)


class SpendIngestResultSerializer(serializers.Serializer):
    received = serializers.IntegerField()
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    ledger_lines = serializers.IntegerField()
    paused_campaigns = serializers.IntegerField()
