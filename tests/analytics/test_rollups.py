"""The daily rollups (D01): figures follow the binding of the day, spend the payer, orders their enterprise; the
ingests keep them current after commit; a rebuild gives the same rows; the job runs on a real worker."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db.models import Sum

from analytics import rollups
from analytics.models import ACCOUNT_RESULTS, NOTE_FIGURES, RESULTS, AccountDay, EnterpriseDay, NoteDay, RollupState
from bindings.choices import BindingStatus, EndReason
from kos_platform import clock
from notes.models import Note

from ..bindings.factories import BindingFactory
from ..factories import RedAccountFactory
from ..notes.helpers import metric_row, note_row, sync_metrics, sync_notes

pytestmark = pytest.mark.django_db


def at(day, hour=12):
    return rollups.day_start(day) + timedelta(hours=hour)


@pytest.fixture
def moved(world, django_capture_on_commit_callbacks):
    """An account bound to 花漾美妆 from 20 days ago until 10 days ago (ended at 15:00 that day), then to 别家品牌
    from 10 days ago (16:00); one note published 15 days ago with metrics on days -12, -10 and -5."""
    today = clock.local_today()
    account = RedAccountFactory()
    BindingFactory(
        enterprise=world.enterprise,
        red_account=account,
        effective_at=at(today - timedelta(days=20)),
        status=BindingStatus.ENDED,
        ended_at=at(today - timedelta(days=10), 15),
        end_reason=EndReason.UNBOUND_BY_ENTERPRISE,
    )
    BindingFactory(
        enterprise=world.other_enterprise, red_account=account, effective_at=at(today - timedelta(days=10), 16)
    )
    with django_capture_on_commit_callbacks(execute=True):
        row = note_row(account.red_id, published_at=at(today - timedelta(days=15)))
        sync_notes(world.client("staff"), [row])
    return account, Note.objects.get(note_id=row["note_id"]), today


def account_results() -> dict:
    """Each (enterprise, account, day)'s results as the readers sum them: its account-day's columns and its
    note-days' figures (zeros where it has none), leaving out those with nothing in them."""
    zeros = dict.fromkeys(RESULTS, 0)
    results = {}
    for row in AccountDay.objects.values("enterprise_id", "red_account_id", "date", *ACCOUNT_RESULTS):
        key = (row.pop("enterprise_id"), row.pop("red_account_id"), row.pop("date"))
        results[key] = zeros | row
    for row in (
        NoteDay.objects.filter(enterprise__isnull=False)
        .values("enterprise_id", "red_account_id", "date")
        .annotate(**{f"t_{name}": Sum(name) for name in NOTE_FIGURES})
    ):
        key = (row["enterprise_id"], row["red_account_id"], row["date"])
        results[key] = results.get(key, zeros) | {name: row[f"t_{name}"] for name in NOTE_FIGURES}
    return {key: figures for key, figures in results.items() if any(figures.values())}


def enterprise_days() -> dict:
    """The stored enterprise-days, after checking that each is the sum of its account-days and note-days and none
    is empty."""
    stored = {(row.pop("enterprise_id"), row.pop("date")): row for row in EnterpriseDay.objects.values()}
    expected = {}
    for (enterprise, _account, day), results in account_results().items():
        summed = expected.setdefault((enterprise, day), dict.fromkeys(results, 0))
        for name, value in results.items():
            summed[name] += value
    assert stored == expected
    return stored


def post_metrics(world, note, day, **figures):
    sync_metrics(world.client("staff"), [metric_row(note.note_id, day, **figures)])


def test_d01_a_days_figures_belong_to_the_enterprise_bound_that_day(world, moved, django_capture_on_commit_callbacks):
    _account, note, today = moved
    with django_capture_on_commit_callbacks(execute=True):
        for days_ago, exposure in ((12, 100), (10, 200), (5, 400)):
            post_metrics(
                world, note, today - timedelta(days=days_ago), exposure=exposure, reads=10, likes=3, comments=2
            )
    by_day = {row.date: row.enterprise_id for row in NoteDay.objects.filter(note=note)}
    assert by_day == {
        today - timedelta(days=12): world.enterprise.pk,
        today - timedelta(days=10): world.other_enterprise.pk,  # ended that day: the next binding holds it
        today - timedelta(days=5): world.other_enterprise.pk,
    }
    rows = {(e, d): (r["exposure"], r["engagement"], r["notes"]) for (e, _a, d), r in account_results().items()}
    assert rows == {
        (world.enterprise.pk, today - timedelta(days=15)): (0, 0, 1),  # the note was published while bound here
        (world.enterprise.pk, today - timedelta(days=12)): (100, 5, 0),
        (world.other_enterprise.pk, today - timedelta(days=10)): (200, 5, 0),
        (world.other_enterprise.pk, today - timedelta(days=5)): (400, 5, 0),
    }
    assert RollupState.objects.get().figures_through == today - timedelta(days=5)
    assert enterprise_days()[(world.other_enterprise.pk, today - timedelta(days=10))]["exposure"] == 200


def test_d01_spend_goes_to_the_payer_and_orders_to_their_enterprise_less_refunds(world, moved):
    from campaigns.models import AdSpendDaily, Order

    account, note, today = moved
    day = today - timedelta(days=12)
    AdSpendDaily.objects.create(enterprise=world.enterprise, note=note, date=day, amount=Decimal("30.50"))
    common = {"enterprise": world.enterprise, "red_account": account, "channel": "note", "rate": Decimal("0.1")}
    common |= {"synced_at": clock.now()}
    Order.objects.create(
        order_id="A", amount=Decimal("99.90"), paid_at=at(day, 23), commission=Decimal("9.99"), **common
    )
    Order.objects.create(
        order_id="B",
        amount=Decimal("50.00"),
        paid_at=at(day, 1),
        status="refunded",
        refunded_at=at(day, 2),
        commission=Decimal("0.00"),
        **common,
    )
    rollups.refresh(rollups.SPEND, [(note.pk, day)])
    rollups.refresh(rollups.ORDERS, [(account.pk, day)])
    row = AccountDay.objects.get(enterprise=world.enterprise, date=day)
    assert (row.spend, row.orders, row.gmv, row.commission) == (
        Decimal("30.50"),
        1,
        Decimal("99.90"),
        Decimal("9.99"),
    )


def paid_order(world, account, enterprise, order_id, paid_at, **fields):
    from campaigns.models import Order

    common = {"red_account": account, "channel": "note", "rate": Decimal("0.1"), "synced_at": clock.now()}
    return Order.objects.create(
        enterprise=enterprise, order_id=order_id, amount=Decimal("80.00"), commission=Decimal("8.00"),
        paid_at=paid_at, **common | fields,
    )  # fmt: skip


def test_d01_a_refund_takes_the_order_out_of_its_day(world, moved):
    """Orders can leave a day (a refund): their columns are recomputed from zero, and a day left empty is dropped."""
    account, _note, today = moved
    day = today - timedelta(days=3)
    order = paid_order(world, account, world.other_enterprise, "R1", at(day, 9))
    rollups.refresh(rollups.ORDERS, [(account.pk, day)])
    row = AccountDay.objects.get(red_account=account, date=day)
    assert (row.enterprise_id, row.orders, row.gmv, row.commission) == (
        world.other_enterprise.pk, 1, Decimal("80.00"), Decimal("8.00")
    )  # fmt: skip
    assert enterprise_days()[(world.other_enterprise.pk, day)]["gmv"] == Decimal("80.00")

    type(order).objects.filter(pk=order.pk).update(status="refunded", refunded_at=at(day, 10), commission=0)
    rollups.refresh(rollups.ORDERS, [(account.pk, day)])
    assert not AccountDay.objects.filter(red_account=account, date=day).exists()
    assert (world.other_enterprise.pk, day) not in enterprise_days()


def test_d01_the_rebuild_equals_the_incremental_rollups(world, moved, django_capture_on_commit_callbacks):
    from campaigns.models import AdSpendDaily

    account, note, today = moved
    odd = RedAccountFactory()  # a binding inside another's days (not made by the product, but possible in data)
    for enterprise, first, end in ((world.enterprise, 25, 3), (world.other_enterprise, 20, 15)):
        BindingFactory(
            enterprise=enterprise,
            red_account=odd,
            effective_at=at(today - timedelta(days=first)),
            status=BindingStatus.ENDED,
            ended_at=at(today - timedelta(days=end)),
            end_reason=EndReason.UNBOUND_BY_ENTERPRISE,
        )
    with django_capture_on_commit_callbacks(execute=True):
        row = note_row(odd.red_id, published_at=at(today - timedelta(days=24)))
        sync_notes(world.client("staff"), [row])
        for days_ago in (14, 12, 10, 9, 2):
            post_metrics(world, note, today - timedelta(days=days_ago), exposure=days_ago * 10, reads=7, collects=1)
        odd_note = Note.objects.get(note_id=row["note_id"])
        for days_ago in (24, 18, 15, 12, 2):
            post_metrics(world, odd_note, today - timedelta(days=days_ago), exposure=days_ago)
    assert {d.date: d.enterprise_id for d in NoteDay.objects.filter(note=odd_note)} == {
        today - timedelta(days=24): world.enterprise.pk,
        today - timedelta(days=18): world.other_enterprise.pk,  # the binding that began last
        today - timedelta(days=15): world.enterprise.pk,  # the inner one ended that day
        today - timedelta(days=12): world.enterprise.pk,
        today - timedelta(days=2): None,
    }
    for days_ago, enterprise in ((12, world.enterprise), (9, world.other_enterprise), (4, world.other_enterprise)):
        day = today - timedelta(days=days_ago)
        AdSpendDaily.objects.create(enterprise=enterprise, note=note, date=day, amount=Decimal("12.30"))
        rollups.refresh(rollups.SPEND, [(note.pk, day)])
        paid_order(world, account, enterprise, f"O{days_ago}", at(day, 20))
        rollups.refresh(rollups.ORDERS, [(account.pk, day)])

    def snapshot():
        notes = sorted(NoteDay.objects.values_list("note_id", "date", "enterprise_id", "exposure", "engagement"))
        accounts = sorted(AccountDay.objects.values_list("enterprise_id", "red_account_id", "date", *ACCOUNT_RESULTS))
        return notes, accounts, enterprise_days()

    incremental = snapshot()
    NoteDay.objects.all().delete()
    AccountDay.objects.all().delete()
    EnterpriseDay.objects.all().delete()
    call_command("rebuild_analytics", "--from", (today - timedelta(days=30)).isoformat(), verbosity=0)
    assert snapshot() == incremental
    call_command("rebuild_analytics", "--all", verbosity=0)  # emptied, refilled, indexes built after the rows
    assert snapshot() == incremental
    assert len(incremental[1]) == 4 + 1  # the publications (-15, odd's -24) and the days of spend and orders


def test_d01_an_unbinding_moves_todays_figures_out_of_the_brand(world, django_capture_on_commit_callbacks):
    """Figures already stored for today leave the brand when the binding ends today; yesterday's stay."""
    from bindings import services
    from kos_platform.tenancy import Actor

    today = clock.local_today()
    account = RedAccountFactory()
    binding = BindingFactory(
        enterprise=world.enterprise, red_account=account, effective_at=at(today - timedelta(days=40))
    )
    with django_capture_on_commit_callbacks(execute=True):
        row = note_row(account.red_id, published_at=at(today - timedelta(days=8)))
        sync_notes(world.client("staff"), [row])
        note = Note.objects.get(note_id=row["note_id"])
        post_metrics(world, note, today - timedelta(days=1), exposure=50)
        post_metrics(world, note, today, exposure=70)
    assert {(e, r["exposure"]) for (e, _a, _d), r in account_results().items() if r["exposure"]} == {
        (world.enterprise.pk, 50),
        (world.enterprise.pk, 70),
    }
    with django_capture_on_commit_callbacks(execute=True):
        services.binding_unbind(actor=Actor(user=world.users["owner"]), binding=binding)
    assert {(e, r["exposure"]) for (e, _a, _d), r in account_results().items() if r["exposure"]} == {
        (world.enterprise.pk, 50)
    }
    assert NoteDay.objects.get(note=note, date=today).enterprise_id is None
    assert [(key, row["exposure"]) for key, row in enterprise_days().items() if row["exposure"]] == [
        ((world.enterprise.pk, today - timedelta(days=1)), 50)
    ]


def rollup_rows() -> tuple:
    return (
        sorted(NoteDay.objects.values_list()),
        sorted(AccountDay.objects.values_list("enterprise_id", "red_account_id", "date", *ACCOUNT_RESULTS)),
        enterprise_days(),
    )


def test_d01_the_metrics_ingest_keeps_its_rollups_as_the_refresh_job_computes_them(
    world, moved, django_capture_on_commit_callbacks
):
    """On PostgreSQL the ingest keeps the rollups itself, by what each day changed: revised days, a day revised to
    nothing (its enterprise-day goes), an unbound author's days, and a day whose binding was changed
    since it was stored, which moves with its revision. The refresh job's recomputation from the metric rows then
    changes nothing."""
    account, note, today = moved
    loner = RedAccountFactory()  # bound nowhere: note-days without an enterprise
    with django_capture_on_commit_callbacks(execute=True):
        row = note_row(loner.red_id, published_at=at(today - timedelta(days=15)))
        sync_notes(world.client("staff"), [row])
    stray = Note.objects.get(note_id=row["note_id"])
    days = {n: today - timedelta(days=n) for n in (12, 11, 10, 5)}
    with django_capture_on_commit_callbacks(execute=True):
        sync_metrics(
            world.client("staff"),
            [metric_row(note.note_id, day, exposure=n * 10, reads=n, likes=1) for n, day in days.items()]
            + [metric_row(stray.note_id, days[5], exposure=9)],
        )
        post_metrics(world, note, days[12], exposure=500, reads=50, likes=4, collects=2)  # revised
        post_metrics(world, note, days[5])  # revised to nothing
    assert (world.other_enterprise.pk, days[5]) not in enterprise_days()
    assert not AccountDay.objects.filter(date=days[5]).exists()
    assert NoteDay.objects.get(note=stray, date=days[5]).enterprise_id is None
    # Day -11 now falls to 别家品牌 (the first binding rewritten to end on day -11): its revision moves it there.
    first = account.bindings.get(enterprise=world.enterprise)
    account.bindings.filter(pk=first.pk).update(ended_at=at(days[11], 9))
    account.bindings.exclude(pk=first.pk).update(effective_at=at(days[11], 10))
    with django_capture_on_commit_callbacks(execute=True):
        post_metrics(world, note, days[11], exposure=111, reads=11)
    assert {(e, d): (r["exposure"], r["engagement"]) for (e, _a, d), r in account_results().items()} == {
        (world.enterprise.pk, today - timedelta(days=15)): (0, 0),  # the note's publication
        (world.enterprise.pk, days[12]): (500, 6),
        (world.other_enterprise.pk, days[11]): (111, 0),
        (world.other_enterprise.pk, days[10]): (100, 1),
    }
    kept = rollup_rows()
    rollups.refresh(rollups.METRICS, [(note.pk, day) for day in days.values()] + [(stray.pk, days[5])])
    assert rollup_rows() == kept
