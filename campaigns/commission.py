"""Commission (C05): attribution at `paid_at`, the amount earned, the append-only lines that follow each order, the
monthly statements and their settlement. A settled month never changes: a later change lands in the first month among
the paid month, the refund month and the current month that is still open."""

from bisect import bisect_right
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import NamedTuple

from django.db import connection, transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone

from accounts import audit
from accounts.models import Enterprise
from bindings.choices import BindingStatus
from bindings.models import Binding, BindingFreeze, BindingHolder
from kos_platform import clock
from kos_platform.errors import RuleViolation
from kos_platform.tenancy import Workspace

from . import statements
from .choices import CommissionKind, CommissionReason, OrderStatus, StatementStatus
from .models import CommissionLine, CommissionSettings, CommissionSettlement, Order
from .models.account import ZERO
from .models.commerce import DEFAULT_COMMISSION_RATE

CENT = Decimal("0.01")


class OrderFacts(NamedTuple):
    """An order as it is to be stored, in `statements.ORDER_COLUMNS` order."""

    order_id: str
    enterprise_id: int
    red_account_id: int
    product_id: int | None
    channel: str
    amount: Decimal
    paid_at: datetime
    status: str
    refunded_at: datetime | None
    binding_id: int | None
    holder_id: int | None
    rate: Decimal
    commission: Decimal
    commission_reason: str
    synced_at: datetime


def earned(amount: Decimal, rate: Decimal) -> Decimal:
    """amount × rate, half-up to the cent."""
    return (amount * rate).quantize(CENT, rounding=ROUND_HALF_UP)


def lock_settings(enterprise_ids) -> dict[int, Decimal]:
    """Each enterprise's default rate, its settings row created if new and locked in id order: batches of the same
    enterprise and its settlements queue here, so the lines they write never race a settled month."""
    ids = sorted(set(enterprise_ids))
    CommissionSettings.objects.bulk_create([CommissionSettings(enterprise_id=pk) for pk in ids], ignore_conflicts=True)
    rows = CommissionSettings.objects.select_for_update().filter(pk__in=ids).order_by("pk")
    return dict(rows.values_list("pk", "default_rate"))


@dataclass(frozen=True)
class Attribution:
    binding_id: int | None
    holder_id: int | None
    reason: str  # CommissionReason: "" when the order earns


class History:
    """The bindings of some (account, enterprise) pairs with their freezes and holders, loaded in three queries, to
    tell who held what at any instant."""

    def __init__(self, bindings, freezes, holders):
        self.bindings = bindings
        self.freezes = freezes
        self.holders = holders

    @classmethod
    def of(cls, pairs: set[tuple[int, int]]) -> "History":
        accounts, enterprises = {a for a, _e in pairs}, {e for _a, e in pairs}
        bindings = defaultdict(list)
        rows = Binding.objects.filter(red_account_id__any=accounts, enterprise_id__in=enterprises).order_by(
            "effective_at"
        )
        for row in rows.values(
            "pk", "red_account_id", "enterprise_id", "status", "effective_at", "frozen_at", "ended_at"
        ):
            bindings[(row["red_account_id"], row["enterprise_id"])].append(row)
        ids = {row["pk"] for spells in bindings.values() for row in spells}
        freezes = defaultdict(list)
        for binding, frozen, unfrozen in BindingFreeze.objects.filter(binding_id__any=ids).values_list(
            "binding_id", "frozen_at", "unfrozen_at"
        ):
            freezes[binding].append((frozen, unfrozen))
        holders = defaultdict(list)
        for pk, binding, started, ended in (
            BindingHolder.objects.filter(binding_id__any=ids)
            .order_by("started_at", "id")
            .values_list("pk", "binding_id", "started_at", "ended_at")
        ):
            holders[binding].append((started, ended, pk))
        return cls(bindings, freezes, holders)

    def _frozen(self, binding: dict, at: datetime) -> bool:
        if any(
            frozen <= at and (unfrozen is None or at < unfrozen) for frozen, unfrozen in self.freezes[binding["pk"]]
        ):
            return True
        # A binding frozen before freeze spells were kept (or written without one): frozen since `frozen_at`.
        return (
            not self.freezes[binding["pk"]]
            and binding["status"] == BindingStatus.FROZEN
            and binding["frozen_at"] is not None
            and binding["frozen_at"] <= at
        )

    def _holder(self, binding_id: int, at: datetime) -> int | None:
        spells = self.holders[binding_id]
        index = bisect_right([started for started, _e, _pk in spells], at) - 1
        if index >= 0:
            _started, ended, pk = spells[index]
            if ended is None or at < ended:
                return pk
        return spells[0][2] if spells else None

    def at(self, account_id: int, enterprise_id: int, at: datetime) -> Attribution:
        """C05: the binding of the account with the enterprise as it stood at `at`, its holder then, and why the
        order earns nothing (frozen or ended then: `binding_not_active`; never bound there: `not_bound_here`)."""
        started = [b for b in self.bindings[(account_id, enterprise_id)] if b["effective_at"] <= at]
        if not started:
            return Attribution(None, None, CommissionReason.NOT_BOUND_HERE)
        binding = started[-1]
        holder = self._holder(binding["pk"], at)
        if (binding["ended_at"] is not None and binding["ended_at"] <= at) or self._frozen(binding, at):
            return Attribution(binding["pk"], holder, CommissionReason.BINDING_NOT_ACTIVE)
        return Attribution(binding["pk"], holder, CommissionReason.NONE)


def write_orders(orders: list[OrderFacts]) -> dict[str, tuple[int, Decimal | None]]:
    """Insert or update the orders by order ID; order ID → (primary key, the sum of its commission lines so far, None
    when it has none)."""
    if not orders:
        return {}
    if connection.vendor == "postgresql":
        return statements.upsert_orders([list(column) for column in zip(*orders, strict=True)])
    return write_orders_by_orm(orders)


def write_orders_by_orm(orders: list[OrderFacts]) -> dict[str, tuple[int, Decimal | None]]:
    """The embedded SQLite default's way of `write_orders`."""
    Order.objects.bulk_create(
        [Order(**order._asdict()) for order in orders],
        update_conflicts=True,
        unique_fields=["order_id"],
        update_fields=[column.removesuffix("_id") for column in statements.ORDER_COLUMNS[1:]],
    )
    keys = dict(Order.objects.filter(order_id__any=[o.order_id for o in orders]).values_list("order_id", "pk"))
    sums = dict(
        CommissionLine.objects.filter(order_id__any=keys.values())
        .order_by()
        .values_list("order_id")
        .annotate(total=Sum("amount"))
    )
    return {order_id: (pk, sums.get(pk)) for order_id, pk in keys.items()}


def _first_open(enterprise_id: int, months, settled: set[tuple[int, str]]) -> str:
    return next(month for month in months if (enterprise_id, month) not in settled)


def follow_orders(orders: list[OrderFacts], written: dict[str, tuple[int, Decimal | None]], now: datetime) -> int:
    """One line for each order whose lines no longer sum to what it earns; returns how many were written."""
    settled = set(
        CommissionSettlement.objects.filter(enterprise_id__in={o.enterprise_id for o in orders}).values_list(
            "enterprise_id", "month"
        )
    )
    current = clock.month_label(now)
    lines = []
    for order in orders:
        pk, before = written[order.order_id]
        change = order.commission - (before or ZERO)
        if not change:
            continue
        refunded = order.status == OrderStatus.REFUNDED
        months = [clock.month_label(order.paid_at)]
        if refunded:
            months.append(clock.month_label(order.refunded_at))
        months.append(current)
        kind = (
            CommissionKind.REFUND
            if refunded
            else CommissionKind.COMMISSION
            if before is None
            else CommissionKind.ADJUSTMENT
        )
        month = _first_open(order.enterprise_id, months, settled)
        lines.append((order.enterprise_id, pk, order.red_account_id, order.holder_id, month, kind, change, now))
    if lines and connection.vendor == "postgresql":
        statements.insert_commission_lines([list(column) for column in zip(*lines, strict=True)])
    elif lines:
        insert_lines_by_orm(lines)
    return len(lines)


def insert_lines_by_orm(lines: list[tuple]) -> None:
    """The embedded SQLite default's way of inserting commission lines (`statements.LINE_COLUMNS` order)."""
    CommissionLine.objects.bulk_create(
        [CommissionLine(**dict(zip(statements.LINE_COLUMNS, line, strict=True))) for line in lines]
    )


# Statements ------------------------------------------------------------------------------------------------------


def month_bounds(month: str) -> tuple[datetime, datetime]:
    """The first instant of the month (Asia/Shanghai) and of the next."""
    year, number = map(int, month.split("-"))
    start = timezone.make_aware(datetime(year, number, 1))
    end = timezone.make_aware(datetime(year + number // 12, number % 12 + 1, 1))
    return start, end


def is_settled(enterprise: Enterprise, month: str) -> bool:
    return CommissionSettlement.objects.filter(enterprise=enterprise, month=month).exists()


def statement_rows(month: str, *, enterprise: Enterprise | None = None, account_id: int | None = None) -> list[dict]:
    """One row per (KOS account, holder) with commission in the month or orders paid in it: the orders paid in the
    month and not refunded, their GMV, the month's commission lines and whether the month is settled. For one
    enterprise, or for one account across enterprises (the employee's own)."""
    start, end = month_bounds(month)
    scope = Q(enterprise=enterprise) if enterprise is not None else Q(red_account_id=account_id)
    keys = ("enterprise_id", "enterprise__name", "red_account__red_id", "red_account__nickname", "holder__name")
    sales = (
        Order.objects.filter(scope, paid_at__gte=start, paid_at__lt=end, status=OrderStatus.PAID)
        .order_by()
        .values(*keys)
        .annotate(orders=Count("pk"), gmv=Sum("amount"))
    )
    earnings = (
        CommissionLine.objects.filter(scope, month=month).order_by().values(*keys).annotate(commission=Sum("amount"))
    )
    settled = set(
        CommissionSettlement.objects.filter(
            month=month, **({"enterprise": enterprise} if enterprise is not None else {})
        ).values_list("enterprise_id", flat=True)
    )
    rows: dict[tuple, dict] = {}
    for row in sales:
        rows[tuple(row[k] for k in keys)] = {"orders": row["orders"], "gmv": row["gmv"], "commission": ZERO}
    for row in earnings:
        entry = rows.setdefault(tuple(row[k] for k in keys), {"orders": 0, "gmv": ZERO, "commission": ZERO})
        entry["commission"] = row["commission"]
    result = []
    for key, figures in rows.items():
        enterprise_id, enterprise_name, red_id, nickname, holder = key
        result.append(
            {
                "enterprise_id": enterprise_id,
                "enterprise_name": enterprise_name,
                "red_id": red_id,
                "nickname": nickname,
                "holder_name": holder or "",
                **figures,
                "status": StatementStatus.SETTLED if enterprise_id in settled else StatementStatus.OPEN,
            }
        )
    return sorted(result, key=lambda r: (-r["commission"], r["red_id"], r["holder_name"]))


@transaction.atomic
def settle_month(*, workspace: Workspace, month: str) -> CommissionSettlement:
    """Settle a month that is over (Asia/Shanghai): its lines never change again."""
    enterprise = workspace.enterprise
    lock_settings([enterprise.pk])
    _start, end = month_bounds(month)
    if clock.now() < end:
        raise RuleViolation("month_not_over", month=month)
    if is_settled(enterprise, month):
        raise RuleViolation("month_already_settled", month=month)
    settlement = CommissionSettlement.objects.create(
        enterprise=enterprise,
        month=month,
        settled_at=clock.now(),
        settled_by=workspace.user,
        via_agency=workspace.agency,
    )
    total = CommissionLine.objects.filter(enterprise=enterprise, month=month).aggregate(total=Sum("amount"))["total"]
    audit.record(
        actor=workspace.actor,
        action="commission.settled",
        obj=settlement,
        enterprise=enterprise,
        after={"month": month, "commission": str(total or ZERO)},
    )
    return settlement


@transaction.atomic
def default_rate_set(*, workspace: Workspace, rate: Decimal) -> CommissionSettings:
    """The enterprise's default rate, for orders stored from now on (a product's own rate comes first)."""
    lock_settings([workspace.enterprise.pk])
    settings = CommissionSettings.objects.get(pk=workspace.enterprise.pk)
    before = {"default_rate": str(settings.default_rate)}
    settings.default_rate, settings.updated_at = rate, clock.now()
    settings.save(update_fields=["default_rate", "updated_at"])
    audit.record(
        actor=workspace.actor,
        action="commission_settings.updated",
        obj=settings,
        enterprise=workspace.enterprise,
        before=before,
        after={"default_rate": str(rate)},
    )
    return settings


def default_rate(enterprise: Enterprise) -> Decimal:
    stored = CommissionSettings.objects.filter(pk=enterprise.pk).values_list("default_rate", flat=True).first()
    return DEFAULT_COMMISSION_RATE if stored is None else stored
