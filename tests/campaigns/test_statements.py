"""The written-out spend upsert (campaigns.statements) gives the ORM path's answer on the same batches."""

from datetime import timedelta
from decimal import Decimal

import pytest

from campaigns import commission, spend, statements
from campaigns.models import AdSpendDaily, CommissionLine, Order
from kos_platform import clock

from ..bindings.factories import BindingFactory
from .helpers import pushed_note

pytestmark = pytest.mark.django_db


def test_the_spend_statement_equals_the_orm_path(world, monkeypatch):
    enterprise = world.enterprise
    notes = [pushed_note(enterprise) for _ in range(3)]
    today = clock.local_today()

    def batch(amounts):
        return [
            spend.SpendRow(
                enterprise.pk, note.note_id, today - timedelta(days=d), None, Decimal(amount), (d, 1, 0, 0, 0, 0, 0)
            )
            for note in notes
            for d, amount in enumerate(amounts)
        ]

    keys = {note.note_id: note.pk for note in notes}
    answers = []
    for write in (spend._write, spend._changes_by_orm):
        AdSpendDaily.objects.all().delete()
        first = write(batch(["10.00", "20.50"]), keys)
        second = write(batch(["7.25", "20.50", "3.00"]), keys)
        rows = sorted(AdSpendDaily.objects.values_list("note_id", "date", "amount", "impressions", "clicks"))
        answers.append((first, second, rows))
    assert answers[0] == answers[1]
    changes, replaced = answers[0][1]
    assert replaced == 6
    assert changes[(enterprise.pk, today)] == Decimal("-8.25")
    assert changes[(enterprise.pk, today - timedelta(days=2))] == Decimal("9.00")


def test_c05_the_order_statements_equal_the_orm_path(world):
    """The written-out order upsert and commission-line insert store what the ORM path stores, and report each
    order's lines so far."""
    account = BindingFactory(enterprise=world.enterprise, effective_at=clock.now() - timedelta(days=60)).red_account
    now = clock.now()

    def facts(order_id, amount, commission_amount, status="paid"):
        return commission.OrderFacts(
            order_id=order_id,
            enterprise_id=world.enterprise.pk,
            red_account_id=account.pk,
            product_id=None,
            channel="note",
            amount=Decimal(amount),
            paid_at=now - timedelta(hours=2),
            status=status,
            refunded_at=now - timedelta(hours=1) if status == "refunded" else None,
            binding_id=None,
            holder_id=None,
            rate=Decimal("0.1000"),
            commission=Decimal(commission_amount),
            commission_reason="",
            synced_at=now,
        )

    def stored():
        orders = Order.objects.order_by("order_id").values_list("order_id", "amount", "status", "commission")
        lines = CommissionLine.objects.order_by("order__order_id", "id").values_list(
            "order__order_id", "month", "kind", "amount"
        )
        return list(orders), list(lines)

    def run(write, insert):
        first = [facts("S-1", "100.00", "10.00"), facts("S-2", "35.55", "3.56")]
        written = write(first)
        insert(
            [
                (f.enterprise_id, written[f.order_id][0], account.pk, None, "2026-11", "commission", f.commission, now)
                for f in first
            ]
        )
        again = write([facts("S-1", "100.00", "0.00", "refunded"), facts("S-3", "9.99", "1.00")])
        answer = ({k: v[1] for k, v in written.items()}, {k: v[1] for k, v in again.items()}, stored())
        Order.objects.all().delete()
        return answer

    by_statements = run(
        lambda orders: statements.upsert_orders([list(c) for c in zip(*orders, strict=True)]),
        lambda lines: statements.insert_commission_lines([list(c) for c in zip(*lines, strict=True)]),
    )
    by_orm = run(commission.write_orders_by_orm, commission.insert_lines_by_orm)
    assert by_statements == by_orm
    assert by_orm[1] == {"S-1": Decimal("10.00"), "S-3": None}
    assert by_orm[2][0] == [
        ("S-1", Decimal("100.00"), "refunded", Decimal("0.00")),
        ("S-2", Decimal("35.55"), "paid", Decimal("3.56")),
        ("S-3", Decimal("9.99"), "paid", Decimal("1.00")),
    ]


def test_c01_the_campaign_list_facts_equal_the_orm_answer(world):
    """The written-out delivery facts of the campaign list (units, today's spend) equal the ORM's count and sum,
    for campaigns with several units, with none, with spend only on other days."""
    from django.db.models import Sum

    from campaigns import selectors, services
    from campaigns.models import CampaignUnit

    from .helpers import recharge, workspace_of

    enterprise, today = world.enterprise, clock.local_today()
    recharge(enterprise, world.users["owner"], "9000.00")
    workspace = workspace_of(enterprise, world.users["owner"])
    notes = [pushed_note(enterprise) for _ in range(3)]
    campaigns = [
        services.campaign_create(
            workspace=workspace,
            name=f"计划{n}",
            objective="product_seeding",
            placement="feed",
            daily_budget=Decimal("100.00"),
            start_date=today,
        )
        for n in range(3)
    ]
    units = [
        services.unit_create(workspace=workspace, campaign=campaigns[c], name=f"单元{n}", notes=[notes[n]], keywords=[])
        for c, n in ((0, 0), (0, 1), (1, 2))
    ]
    for unit, note, day, amount in (
        (units[0], notes[0], today, "12.34"),
        (units[1], notes[1], today, "0.66"),
        (units[1], notes[1], today - timedelta(days=1), "99.00"),
        (units[2], notes[2], today - timedelta(days=1), "5.00"),
        (None, notes[2], today, "7.00"),
    ):
        AdSpendDaily.objects.create(
            enterprise=enterprise, note=note, unit=unit, date=day, amount=Decimal(amount), impressions=1, clicks=0
        )
    listed = {c.pk: (c.unit_count, c.spent_today) for c in selectors.campaigns_for(enterprise)}
    orm = {
        c.pk: (
            CampaignUnit.objects.filter(campaign=c).count(),
            AdSpendDaily.objects.filter(unit__campaign=c, date=today).aggregate(total=Sum("amount"))["total"]
            or Decimal("0.00"),
        )
        for c in campaigns
    }
    assert listed == orm
    assert orm[campaigns[0].pk] == (2, Decimal("13.00"))
    assert orm[campaigns[1].pk] == (1, Decimal("0.00"))
    assert orm[campaigns[2].pk] == (0, Decimal("0.00"))
