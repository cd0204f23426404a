"""Product distribution (C05): the shop's products, orders attributed to KOS accounts, commission lines and the
months settled."""

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import Agency, Enterprise, RedAccount, User
from bindings.models import Binding, BindingHolder
from kos_platform import guard

from ..choices import CommissionKind, CommissionReason, OrderChannel, OrderStatus
from .account import money_field

RATE = {"max_digits": 5, "decimal_places": 4, "validators": [MinValueValidator(0), MaxValueValidator(1)]}
DEFAULT_COMMISSION_RATE = Decimal("0.1000")


class CommissionSettings(models.Model):
    """The enterprise's default commission rate, used where a product has none (C05)."""

    enterprise = models.OneToOneField(
        Enterprise, primary_key=True, on_delete=models.CASCADE, related_name="commission_settings"
    )
    default_rate = models.DecimalField(_("default commission rate"), default=DEFAULT_COMMISSION_RATE, **RATE)
    updated_at = models.DateTimeField(_("updated at"), null=True, blank=True)

    class Meta:
        verbose_name = _("commission settings")
        verbose_name_plural = _("commission settings")
        constraints = [
            models.CheckConstraint(condition=Q(default_rate__gte=0, default_rate__lte=1), name="default_rate_fraction")
        ]

    def __str__(self):
        return f"{self.enterprise}: {self.default_rate}"


class Product(models.Model):
    """A product of the enterprise's shop that KOS accounts may sell."""

    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="products", db_index=False)
    product_id = models.CharField(_("product ID"), max_length=64)
    name = models.CharField(_("name"), max_length=200)
    price = money_field(_("price"))
    commission_rate = models.DecimalField(_("commission rate"), null=True, blank=True, **RATE)
    synced_at = models.DateTimeField(_("synced at"))

    class Meta:
        verbose_name = _("product")
        verbose_name_plural = _("products")
        ordering = ["enterprise", "product_id"]
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "product_id"], name="unique_product_per_enterprise"),
            models.CheckConstraint(condition=Q(price__gte=0), name="product_price_not_negative"),
        ]

    def __str__(self):
        return self.name


class Order(models.Model):
    """An order the shop reports, attributed (C05 decision) to the binding of its RED account with the order's
    enterprise as it stood at `paid_at`, and to the holder at that instant. `commission` is what the order earns
    now (0 once refunded); its commission lines sum to it."""

    order_id = models.CharField(_("order ID"), max_length=64)
    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="orders", db_index=False)
    red_account = models.ForeignKey(RedAccount, on_delete=models.PROTECT, related_name="orders", db_index=False)
    # No index of their own on product, binding and holder: no list reads orders by them, and every index costs
    # the 10,000-row order ingest (`make bench`); only deleting one of them (never done by the product) scans.
    product = models.ForeignKey(
        Product, null=True, blank=True, on_delete=models.PROTECT, related_name="orders", db_index=False
    )
    channel = models.CharField(_("channel"), max_length=12, choices=OrderChannel.choices)
    amount = money_field(_("amount"))
    paid_at = models.DateTimeField(_("paid at"), validators=[guard.validate_content_date])
    status = models.CharField(_("status"), max_length=10, choices=OrderStatus.choices, default=OrderStatus.PAID)
    refunded_at = models.DateTimeField(_("refunded at"), null=True, blank=True)
    binding = models.ForeignKey(
        Binding, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", db_index=False
    )
    holder = models.ForeignKey(
        BindingHolder, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", db_index=False
    )
    rate = models.DecimalField(_("commission rate"), **RATE)
    commission = money_field(_("commission"))
    commission_reason = models.CharField(
        _("no commission because"), max_length=20, choices=CommissionReason.choices, blank=True
    )
    synced_at = models.DateTimeField(_("synced at"))

    class Meta:
        verbose_name = _("order")
        verbose_name_plural = _("orders")
        ordering = ["-paid_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["order_id"], name="unique_order_id"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="order_amount_positive"),
            models.CheckConstraint(
                condition=Q(status=OrderStatus.REFUNDED, refunded_at__isnull=False)
                | Q(status=OrderStatus.PAID, refunded_at__isnull=True),
                name="refunded_order_has_time",
            ),
        ]
        indexes = [
            models.Index(fields=["enterprise", "-paid_at", "-id"]),
            # an account's orders: the employee's own, and a brand's orders filtered by RED ID
            models.Index(fields=["red_account", "-paid_at", "-id"]),
        ]

    def __str__(self):
        return self.order_id


class CommissionLine(models.Model):
    """One movement of a KOS account's commission in a calendar month (Asia/Shanghai): an order's commission,
    its reversal on refund, or an adjustment when a restated order changes it. Append-only; a settled month
    gets no new lines, so a later change lands in the first open month."""

    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="+", db_index=False)
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="commission_lines")
    red_account = models.ForeignKey(RedAccount, on_delete=models.PROTECT, related_name="+", db_index=False)
    holder = models.ForeignKey(
        BindingHolder, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", db_index=False
    )
    month = models.CharField(_("month"), max_length=7)
    kind = models.CharField(_("kind"), max_length=12, choices=CommissionKind.choices)
    amount = money_field(_("amount"))
    at = models.DateTimeField(_("at"))

    class Meta:
        verbose_name = _("commission line")
        verbose_name_plural = _("commission lines")
        ordering = ["at", "id"]
        constraints = [models.CheckConstraint(condition=~Q(amount=0), name="commission_line_moves_money")]
        indexes = [
            models.Index(fields=["enterprise", "month", "red_account"]),  # a brand's statement
            models.Index(fields=["red_account", "month"]),  # the employee's own
        ]

    def __str__(self):
        return f"{self.month} {self.amount}"


class CommissionSettlement(models.Model):
    """A settled month of an enterprise's commission: its lines never change again."""

    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="+")
    month = models.CharField(_("month"), max_length=7)
    settled_at = models.DateTimeField(_("settled at"))
    settled_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    via_agency = models.ForeignKey(Agency, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("settled commission month")
        verbose_name_plural = _("settled commission months")
        ordering = ["-month"]
        constraints = [models.UniqueConstraint(fields=["enterprise", "month"], name="one_settlement_per_month")]

    def __str__(self):
        return f"{self.enterprise} {self.month}"
