"""The enterprise's ad account (聚光) and what governs it: the platform's settings, the ledger, advanced rights."""

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import Agency, Enterprise, User

from ..choices import LedgerKind

MONEY = {"max_digits": 14, "decimal_places": 2}
ZERO = Decimal("0.00")


def money_field(verbose_name, **options) -> models.DecimalField:
    return models.DecimalField(verbose_name, **MONEY, **options)


class PlatformSettings(models.Model):
    """The platform's tunable ad rules, one row (pk 1): the C03 threshold and window, the E05 minimums."""

    advanced_rights_threshold = money_field(
        _("advanced-rights spend threshold"), default=Decimal("5000.00"), validators=[MinValueValidator(ZERO)]
    )
    advanced_rights_window_days = models.PositiveSmallIntegerField(
        _("advanced-rights window (days)"), default=30, validators=[MinValueValidator(1), MaxValueValidator(365)]
    )
    minimum_service = money_field(_("first recharge minimum: service"), default=Decimal("20000.00"))
    minimum_consumer_goods = money_field(_("first recharge minimum: consumer goods"), default=Decimal("9000.00"))
    minimum_culture_tourism = money_field(_("first recharge minimum: culture & tourism"), default=Decimal("9000.00"))
    minimum_other = money_field(_("first recharge minimum: other"), default=Decimal("9000.00"))
    updated_at = models.DateTimeField(_("updated at"), null=True, blank=True)

    class Meta:
        verbose_name = _("platform ad settings")
        verbose_name_plural = _("platform ad settings")
        constraints = [
            models.CheckConstraint(condition=Q(pk=1), name="one_platform_settings_row"),
            models.CheckConstraint(
                condition=Q(
                    advanced_rights_threshold__gte=0,
                    minimum_service__gt=0,
                    minimum_consumer_goods__gt=0,
                    minimum_culture_tourism__gt=0,
                    minimum_other__gt=0,
                ),
                name="platform_settings_amounts_positive",
            ),
        ]

    def __str__(self):
        return str(_("platform ad settings"))

    def first_recharge_minimum(self, industry: str) -> Decimal:
        return getattr(self, f"minimum_{industry}")


class AdAccount(models.Model):
    """An enterprise's ad account. `balance` = `recharged_total` − `spent_total` (a check constraint holds it), and
    every movement is a ledger line written in the same transaction; writers lock this row before they check it."""

    enterprise = models.OneToOneField(
        Enterprise, primary_key=True, on_delete=models.CASCADE, related_name="ad_account", verbose_name=_("enterprise")
    )
    balance = money_field(_("balance"), default=ZERO)
    recharged_total = money_field(_("recharged in all"), default=ZERO)
    spent_total = money_field(_("spent in all"), default=ZERO)
    first_recharge_at = models.DateTimeField(_("first recharge at"), null=True, blank=True)

    class Meta:
        verbose_name = _("ad account")
        verbose_name_plural = _("ad accounts")
        constraints = [
            models.CheckConstraint(
                condition=Q(balance=models.F("recharged_total") - models.F("spent_total")),
                name="ad_account_balance_is_recharges_less_spend",
            ),
            models.CheckConstraint(condition=Q(recharged_total__gte=0), name="ad_account_recharges_not_negative"),
        ]

    def __str__(self):
        return f"{self.enterprise}: ¥{self.balance}"


class LedgerLine(models.Model):
    """One movement of an ad account's balance: a recharge (+), a boost (−), or a day's spend (− the change of
    that day's ingested spend, + when a restatement lowers it). Append-only."""

    account = models.ForeignKey(AdAccount, on_delete=models.CASCADE, related_name="ledger", db_index=False)
    at = models.DateTimeField(_("at"))
    kind = models.CharField(_("kind"), max_length=10, choices=LedgerKind.choices)
    amount = money_field(_("amount"))
    balance_after = money_field(_("balance after"))
    spend_date = models.DateField(_("spend date"), null=True, blank=True)
    reference = models.CharField(_("reference"), max_length=200, blank=True)
    created_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    via_agency = models.ForeignKey(Agency, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("ledger line")
        verbose_name_plural = _("ledger lines")
        ordering = ["-at", "-id"]
        constraints = [
            models.CheckConstraint(condition=~Q(amount=0), name="ledger_line_moves_money"),
            models.CheckConstraint(
                condition=Q(kind=LedgerKind.SPEND)
                | (Q(kind=LedgerKind.RECHARGE) & Q(amount__gt=0))
                | (Q(kind=LedgerKind.BOOST) & Q(amount__lt=0)),
                name="ledger_line_sign_by_kind",
            ),
        ]
        indexes = [models.Index(fields=["account", "-at", "-id"]), models.Index(fields=["account", "kind", "-at"])]

    def __str__(self):
        return f"{self.get_kind_display()} {self.amount}"


class AdvancedRightsState(models.Model):
    """C03 as the daily job last recorded it: the page and API compute the state at the instant from the spend;
    this row is what the job compares against to record each change once."""

    enterprise = models.OneToOneField(
        Enterprise, primary_key=True, on_delete=models.CASCADE, related_name="advanced_rights_state"
    )
    unlocked = models.BooleanField(_("unlocked"), default=False)
    changed_at = models.DateTimeField(_("changed at"))
    evaluated_at = models.DateTimeField(_("evaluated at"))

    class Meta:
        verbose_name = _("advanced rights (recorded)")
        verbose_name_plural = _("advanced rights (recorded)")

    def __str__(self):
        return f"{self.enterprise}: {self.unlocked}"


class AdvancedFeatures(models.Model):
    """What the enterprise configured for its advanced rights (C03): the DM service (welcome message, auto-reply
    rules, quick menu), the one-click dial card and the lead card. Kept while locked; served only while unlocked."""

    enterprise = models.OneToOneField(
        Enterprise, primary_key=True, on_delete=models.CASCADE, related_name="advanced_features"
    )
    welcome_message = models.CharField(_("welcome message"), max_length=500, blank=True)
    auto_replies = models.JSONField(_("auto-reply rules"), default=list, blank=True)
    quick_menu = models.JSONField(_("quick menu"), default=list, blank=True)
    dial_phone = models.CharField(_("dial card phone number"), max_length=20, blank=True)
    dial_label = models.CharField(_("dial card button text"), max_length=20, blank=True)
    lead_card_title = models.CharField(_("lead card title"), max_length=40, blank=True)
    lead_card_fields = models.JSONField(_("lead card fields"), default=list, blank=True)
    updated_at = models.DateTimeField(_("updated at"), null=True, blank=True)

    class Meta:
        verbose_name = _("advanced features")
        verbose_name_plural = _("advanced features")

    def __str__(self):
        return str(self.enterprise)
