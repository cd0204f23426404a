from decimal import Decimal

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from ..choices import CommissionReason, OrderChannel, OrderStatus, StatementStatus
from .serializers import money

RATE = {"max_digits": 5, "decimal_places": 4, "min_value": Decimal("0"), "max_value": Decimal("1")}


class ProductSerializer(serializers.Serializer):
    product_id = serializers.CharField()
    name = serializers.CharField()
    price = money()
    commission_rate = serializers.DecimalField(**RATE, help_text=_("The product's own rate, else the enterprise's."))
    own_rate = serializers.BooleanField(help_text=_("Whether the product has a rate of its own."))


class CommissionSettingsSerializer(serializers.Serializer):
    default_rate = serializers.DecimalField(
        **RATE, help_text=_("A fraction such as 0.10; applies to orders stored from now on, where a product has none.")
    )


class OrderSerializer(serializers.Serializer):
    order_id = serializers.CharField()
    red_id = serializers.CharField(source="red_account.red_id")
    holder_name = serializers.SerializerMethodField()
    channel = serializers.ChoiceField(choices=OrderChannel.choices)
    product_id = serializers.SerializerMethodField()
    amount = money()
    paid_at = serializers.DateTimeField()
    status = serializers.ChoiceField(choices=OrderStatus.choices)
    refunded_at = serializers.DateTimeField(allow_null=True)
    commission = money()
    commission_reason = serializers.ChoiceField(choices=CommissionReason.choices, allow_blank=True)

    def get_holder_name(self, order) -> str:
        return order.holder.name if order.holder else ""

    def get_product_id(self, order) -> str | None:
        return order.product.product_id if order.product else None


class MyOrderSerializer(OrderSerializer):
    enterprise = serializers.CharField(source="enterprise.name")


class StatementRowSerializer(serializers.Serializer):
    red_id = serializers.CharField()
    nickname = serializers.CharField()
    holder_name = serializers.CharField()
    orders = serializers.IntegerField()
    gmv = money()
    commission = money()
    status = serializers.ChoiceField(choices=StatementStatus.choices)


class MyStatementRowSerializer(StatementRowSerializer):
    enterprise = serializers.CharField(source="enterprise_name")


class SettlementSerializer(serializers.Serializer):
    month = serializers.CharField()
    settled_at = serializers.DateTimeField()
    status = serializers.ChoiceField(choices=StatementStatus.choices)


class ProductRowSerializer(serializers.Serializer):
    """A row of `POST /api/v1/platform/products/` (for the schema; rows are checked in `campaigns.orders`)."""

    product_id = serializers.CharField()
    enterprise_id = serializers.IntegerField()
    name = serializers.CharField()
    price = serializers.CharField(help_text=_('A decimal string, e.g. "129.00".'))
    commission_rate = serializers.CharField(required=False, help_text=_('A fraction, e.g. "0.10".'))


class OrderRowSerializer(serializers.Serializer):
    """A row of `POST /api/v1/platform/orders/` (for the schema; rows are checked in `campaigns.orders`)."""

    order_id = serializers.CharField()
    enterprise_id = serializers.IntegerField()
    red_id = serializers.CharField()
    channel = serializers.ChoiceField(choices=OrderChannel.choices)
    amount = serializers.CharField(help_text=_('A decimal string, e.g. "129.00".'))
    paid_at = serializers.DateTimeField()
    product_id = serializers.CharField(required=False)
    status = serializers.ChoiceField(choices=OrderStatus.choices, required=False)
    refunded_at = serializers.DateTimeField(required=False)


class IngestResultSerializer(serializers.Serializer):
    received = serializers.IntegerField()
    created = serializers.IntegerField()
    updated = serializers.IntegerField()


class OrderIngestResultSerializer(IngestResultSerializer):
    commission_lines = serializers.IntegerField()
