"""Ads and commerce downloads as CSV or XLSX, streamed: the ledger, orders, commission statements. Labels are read
in the request's language."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework.exceptions import ValidationError

from accounts.models import Enterprise
from kos_platform import clock, exports
from notes.exports import KIND_ERROR, KINDS, XLSX_TYPE

from .choices import CommissionReason, LedgerKind, OrderChannel, OrderStatus, StatementStatus

__all__ = ["KINDS", "XLSX_TYPE", "kind_of", "ledger_export", "orders_export", "statement_export"]

LEDGER_COLUMNS = (
    ("at", gettext_lazy("Time")),
    ("kind", gettext_lazy("Kind")),
    ("amount", gettext_lazy("Amount (yuan)")),
    ("balance_after", gettext_lazy("Balance after (yuan)")),
    ("reference", gettext_lazy("Reference")),
)


def kind_of(request) -> str:
    """`?format=csv|xlsx` of a download; anything else is a 400."""
    kind = request.query_params.get("format")
    if kind not in KINDS:
        raise ValidationError({"format": [KIND_ERROR]})
    return kind


def ledger_export(kind: str, lines, enterprise: Enterprise):
    kinds = {value: str(label) for value, label in LedgerKind.choices}
    rows = lines.values_list(*(field for field, _label in LEDGER_COLUMNS))

    def labelled():
        for at, line_kind, amount, balance_after, reference in rows.iterator(chunk_size=2000):
            yield at, kinds[line_kind], amount, balance_after, reference

    stem = _("ledger-%(enterprise)s-%(date)s") % {"enterprise": enterprise.name, "date": clock.local_today()}
    return exports.export_response(kind, [str(label) for _f, label in LEDGER_COLUMNS], labelled(), stem)


ORDER_COLUMNS = (
    gettext_lazy("Order ID"),
    gettext_lazy("RED ID"),
    gettext_lazy("Holder"),
    gettext_lazy("Channel"),
    gettext_lazy("Product ID"),
    gettext_lazy("Amount (yuan)"),
    gettext_lazy("Paid at"),
    gettext_lazy("Status"),
    gettext_lazy("Refunded at"),
    gettext_lazy("Commission (yuan)"),
    gettext_lazy("No commission because"),
)


def orders_export(kind: str, orders, enterprise: Enterprise):
    channels = {value: str(label) for value, label in OrderChannel.choices}
    statuses = {value: str(label) for value, label in OrderStatus.choices}
    reasons = {value: str(label) for value, label in CommissionReason.choices if value}

    def rows():
        for order in orders.iterator(chunk_size=2000):
            yield (
                order.order_id,
                order.red_account.red_id,
                order.holder.name if order.holder else "",
                channels[order.channel],
                order.product.product_id if order.product else "",
                order.amount,
                order.paid_at,
                statuses[order.status],
                order.refunded_at,
                order.commission,
                reasons.get(order.commission_reason, ""),
            )

    stem = _("orders-%(enterprise)s-%(date)s") % {"enterprise": enterprise.name, "date": clock.local_today()}
    return exports.export_response(kind, [str(label) for label in ORDER_COLUMNS], rows(), stem)


STATEMENT_COLUMNS = (
    gettext_lazy("RED ID"),
    gettext_lazy("Nickname"),
    gettext_lazy("Holder"),
    gettext_lazy("Orders"),
    gettext_lazy("GMV (yuan)"),
    gettext_lazy("Commission (yuan)"),
    gettext_lazy("Status"),
)


def statement_export(kind: str, rows: list[dict], month: str, enterprise: Enterprise):
    statuses = {value: str(label) for value, label in StatementStatus.choices}
    body = (
        (r["red_id"], r["nickname"], r["holder_name"], r["orders"], r["gmv"], r["commission"], statuses[r["status"]])
        for r in rows
    )
    stem = _("commission-%(enterprise)s-%(month)s") % {"enterprise": enterprise.name, "month": month}
    return exports.export_response(kind, [str(label) for label in STATEMENT_COLUMNS], body, stem)
