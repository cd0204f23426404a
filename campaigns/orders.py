"""The shop's bulk upserts (C05): products and orders, up to 10,000 rows a request, checked whole (every bad row named,
nothing stored), then written in a few statements. An order is attributed and commissioned as it is stored
(`campaigns.commission`): its commission lines always sum to what it earns now."""

import re
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import AuditEvent, Enterprise, RedAccount
from analytics import rollups
from kos_platform import clock, guard
from kos_platform.tenancy import Actor
from notes.ingest import BEFORE_EPOCH, CLOCK_SKEW, NOT_AN_INSTANT, RowErrors, _iso, _text, check_batch

from . import commission
from .choices import OrderChannel, OrderStatus
from .models import Order, Product
from .money import row_amount

CODE = re.compile(r"[0-9A-Za-z_.:-]{1,64}")
RATE_PLACES = Decimal("0.0001")
CHANNELS = frozenset(OrderChannel.values)
STATUSES = frozenset(OrderStatus.values)


def _code(errors: RowErrors, index: int, row: dict, field: str) -> str | None:
    value = row.get(field)
    if type(value) is str and CODE.fullmatch(value):
        return value
    value = _text(errors, index, row, field, 64)
    if value is not None and not CODE.fullmatch(value):
        errors.add(index, field, _("Letters, digits and - _ . : only."))
        return None
    return value


def _whole_id(errors: RowErrors, index: int, row: dict, field: str) -> int | None:
    value = row.get(field)
    if type(value) is int and 0 < value < 2**63:
        return value
    errors.add(index, field, _("This field is required.") if value is None else _("Must be a whole number."))
    return None


def _instant(
    errors: RowErrors, index: int, row: dict, field: str, bounds: tuple[datetime, datetime]
) -> datetime | None:
    parsed = _iso(errors, index, row, field, datetime.fromisoformat, NOT_AN_INSTANT)
    if parsed is None:
        return None
    earliest, latest = bounds
    if parsed.utcoffset() is None:
        errors.add(index, field, _("Give the UTC offset, e.g. 2026-11-21T09:30:00+08:00."))
    elif parsed > latest:
        errors.add(index, field, _("Lies in the future."))
    elif parsed < earliest:
        errors.add(index, field, BEFORE_EPOCH)
    else:
        return parsed
    return None


def _repeats(errors: RowErrors, keys: list, field: str) -> None:
    seen: dict = {}
    for index, key in enumerate(keys):
        if key is None or None in (key if isinstance(key, tuple) else (key,)):
            continue
        if key in seen:
            errors.add(index, field, _("Repeats row %(row)s of this batch.") % {"row": seen[key]})
        else:
            seen[key] = index


def _enterprises(errors: RowErrors, ids: list[int | None]) -> set[int]:
    known = set(Enterprise.objects.filter(pk__in={pk for pk in ids if pk}).values_list("pk", flat=True))
    for index, pk in enumerate(ids):
        if pk is not None and pk not in known:
            errors.add(index, "enterprise_id", _("No enterprise has this id."))
    return known


def _audit(actor: Actor, action: str, model, result: dict) -> None:
    AuditEvent.objects.create(
        at=clock.now(),
        actor=actor.user,
        action=action,
        object_type=model._meta.label_lower,
        object_id="",
        object_repr=_("%(n)s rows") % {"n": result["received"]},
        after=result,
    )


# Products ------------------------------------------------------------------------------------------------------


def _rate(errors: RowErrors, index: int, row: dict) -> Decimal | None:
    value = row.get("commission_rate")
    if value is None:
        return None
    try:
        rate = Decimal(value) if isinstance(value, str) and not isinstance(value, bool) else None
    except InvalidOperation:
        rate = None
    if rate is None or not rate.is_finite() or not 0 <= rate <= 1 or rate != rate.quantize(RATE_PLACES):
        errors.add(index, "commission_rate", _('A fraction from 0 to 1 with at most 4 places, e.g. "0.10".'))
        return None
    return rate


@transaction.atomic
def upsert_products(*, actor: Actor, rows) -> dict:
    """Create or update products by (enterprise, product ID)."""
    errors = RowErrors()
    parsed = []
    for index, row in enumerate(check_batch(rows)):
        parsed.append(
            (
                _whole_id(errors, index, row, "enterprise_id"),
                _code(errors, index, row, "product_id"),
                _text(errors, index, row, "name", 200),
                row_amount(errors, index, row, "price"),
                _rate(errors, index, row),
            )
        )
    _repeats(errors, [(e, p) for e, p, *_rest in parsed], "product_id")
    _enterprises(errors, [e for e, *_rest in parsed])
    errors.raise_if_any()
    existing = set(
        Product.objects.filter(
            enterprise_id__in={e for e, *_r in parsed}, product_id__in={p for _e, p, *_r in parsed}
        ).values_list("enterprise_id", "product_id")
    )
    now = clock.now()
    Product.objects.bulk_create(
        [
            Product(enterprise_id=e, product_id=p, name=name, price=price, commission_rate=rate, synced_at=now)
            for e, p, name, price, rate in parsed
        ],
        update_conflicts=True,
        unique_fields=["enterprise", "product_id"],
        update_fields=["name", "price", "commission_rate", "synced_at"],
    )
    created = sum((e, p) not in existing for e, p, *_r in parsed)
    result = {"received": len(parsed), "created": created, "updated": len(parsed) - created}
    _audit(actor, "products.synced", Product, result)
    return result


# Orders ----------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class OrderRow:
    order_id: str
    enterprise_id: int
    red_id: str
    channel: str
    amount: Decimal
    paid_at: datetime
    product_id: str | None
    status: str
    refunded_at: datetime | None


def _refund(errors: RowErrors, index: int, row: dict, paid_at, bounds) -> tuple[str, datetime | None]:
    status = row.get("status", OrderStatus.PAID)
    if not isinstance(status, str) or status not in STATUSES:
        errors.add(index, "status", _("One of: %(choices)s.") % {"choices": ", ".join(OrderStatus.values)})
        return OrderStatus.PAID, None
    if status == OrderStatus.PAID:
        if row.get("refunded_at") is not None:
            errors.add(index, "refunded_at", _("Only a refunded order has a refund time."))
        return status, None
    if row.get("refunded_at") is None:
        errors.add(index, "refunded_at", _("A refunded order needs its refund time."))
        return status, None
    refunded_at = _instant(errors, index, row, "refunded_at", bounds)
    if refunded_at is not None and paid_at is not None and refunded_at < paid_at:
        errors.add(index, "refunded_at", _("The refund cannot come before the payment."))
    return status, refunded_at


def parse_order_rows(rows) -> list[OrderRow]:
    errors = RowErrors()
    bounds = (guard.day_start(guard.CONTENT_EPOCH), clock.now() + CLOCK_SKEW)
    parsed = []
    for index, row in enumerate(check_batch(rows)):
        order_id = _code(errors, index, row, "order_id")
        enterprise_id = _whole_id(errors, index, row, "enterprise_id")
        red_id = _text(errors, index, row, "red_id", 32)
        channel = row.get("channel")
        if not isinstance(channel, str) or channel not in CHANNELS:
            errors.add(index, "channel", _("One of: %(choices)s.") % {"choices": ", ".join(OrderChannel.values)})
        amount = row_amount(errors, index, row, "amount", minimum=Decimal("0.01"))
        paid_at = _instant(errors, index, row, "paid_at", bounds)
        product_id = _code(errors, index, row, "product_id") if row.get("product_id") is not None else None
        status, refunded_at = _refund(errors, index, row, paid_at, bounds)
        parsed.append(
            OrderRow(order_id, enterprise_id, red_id, channel, amount, paid_at, product_id, status, refunded_at)
        )
    _repeats(errors, [r.order_id for r in parsed], "order_id")
    errors.raise_if_any()
    return parsed


def _resolve(parsed: list[OrderRow]) -> tuple[dict[str, int], dict[tuple[int, str], Product], set[str]]:
    """RED ID → account id, (enterprise, product ID) → product, the order IDs already stored; every unknown refused,
    and an order ID another enterprise already reported."""
    errors = RowErrors()
    _enterprises(errors, [r.enterprise_id for r in parsed])
    accounts = dict(RedAccount.objects.filter(red_id__any={r.red_id for r in parsed}).values_list("red_id", "pk"))
    products = {
        (p.enterprise_id, p.product_id): p
        for p in Product.objects.filter(
            enterprise_id__in={r.enterprise_id for r in parsed},
            product_id__any={r.product_id for r in parsed if r.product_id},
        ).only("pk", "enterprise_id", "product_id", "commission_rate")
    }
    stored = dict(
        Order.objects.filter(order_id__any={r.order_id for r in parsed}).values_list("order_id", "enterprise_id")
    )
    for index, row in enumerate(parsed):
        if row.red_id not in accounts:
            errors.add(index, "red_id", _("No Xiaohongshu account has this RED ID."))
        if row.product_id and (row.enterprise_id, row.product_id) not in products:
            errors.add(index, "product_id", _("This enterprise has no product with this ID."))
        if stored.get(row.order_id, row.enterprise_id) != row.enterprise_id:
            errors.add(index, "order_id", _("This order ID belongs to another enterprise's order."))
    errors.raise_if_any()
    return accounts, products, set(stored)


@transaction.atomic
def upsert_orders(*, actor: Actor, rows) -> dict:
    """Create or update orders by order ID; each is attributed at its `paid_at` and its commission lines follow."""
    parsed = parse_order_rows(rows)
    accounts, products, stored = _resolve(parsed)
    settings = commission.lock_settings({r.enterprise_id for r in parsed})
    history = commission.History.of({(accounts[r.red_id], r.enterprise_id) for r in parsed})
    now = clock.now()
    orders = []
    for r in parsed:
        account = accounts[r.red_id]
        product = products.get((r.enterprise_id, r.product_id)) if r.product_id else None
        attribution = history.at(account, r.enterprise_id, r.paid_at)
        rate = product.commission_rate if product and product.commission_rate is not None else settings[r.enterprise_id]
        earned = commission.earned(r.amount, rate) if not attribution.reason else Decimal("0.00")
        orders.append(
            commission.OrderFacts(
                order_id=r.order_id,
                enterprise_id=r.enterprise_id,
                red_account_id=account,
                product_id=product.pk if product else None,
                channel=r.channel,
                amount=r.amount,
                paid_at=r.paid_at,
                status=r.status,
                refunded_at=r.refunded_at,
                binding_id=attribution.binding_id,
                holder_id=attribution.holder_id,
                rate=rate,
                commission=Decimal("0.00") if r.status == OrderStatus.REFUNDED else earned,
                commission_reason=attribution.reason,
                synced_at=now,
            )
        )
    written = commission.write_orders(orders)
    rollups.touch(rollups.ORDERS, {(o.red_account_id, rollups.local_day(o.paid_at)) for o in orders})
    lines = commission.follow_orders(orders, written, now)
    created = sum(o.order_id not in stored for o in orders)
    result = {"received": len(orders), "created": created, "updated": len(orders) - created, "commission_lines": lines}
    _audit(actor, "orders.synced", Order, result)
    return result
