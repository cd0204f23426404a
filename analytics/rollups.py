"""Keeping the daily rollups current (D01): each ingest names the (account, day) keys it touched, and after it
commits a job recomputes exactly those keys from the source rows — metrics, notes, spend, orders, bindings. The
rebuild of a date range is the same computation over every account, so the two cannot disagree.

A key's rows are recomputed whole (deleted and written again) under the lock of the one `RollupState` row, so
concurrent refreshes queue instead of interleaving their deletes and inserts."""

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from bindings.models import Binding
from campaigns.choices import OrderStatus
from campaigns.models import AdSpendDaily, Order
from kos_platform import clock
from notes.models import Note, NoteDailyMetric

from .models import AccountDay, NoteDay, RollupState

Key = tuple[int, date]  # (RED account id, Asia/Shanghai day)
ZERO = Decimal("0.00")
FIGURES = ("exposure", "reads", "engagement", "leads")
MONEY = ("spend", "gmv", "commission")


def local_day(at: datetime) -> date:
    return at.astimezone(timezone.get_default_timezone()).date()


def day_start(day: date) -> datetime:
    return datetime.combine(day, datetime.min.time(), tzinfo=timezone.get_default_timezone())


class Attribution:
    """Which enterprise each account was bound to on each day: the binding in effect from its effective day up to,
    not including, its end day (frozen still counts as bound)."""

    def __init__(self, accounts: set[int]):
        self.spells: dict[int, list[tuple[date, date | None, int]]] = defaultdict(list)
        rows = Binding.objects.filter(red_account_id__any=accounts).order_by("effective_at", "id")
        for account, enterprise, effective_at, ended_at in rows.values_list(
            "red_account_id", "enterprise_id", "effective_at", "ended_at"
        ):
            ended = local_day(ended_at) if ended_at else None
            self.spells[account].append((local_day(effective_at), ended, enterprise))

    def enterprise(self, account: int, day: date) -> int | None:
        found = None
        for start, end, enterprise in self.spells[account]:
            if start <= day and (end is None or day < end):
                found = enterprise  # the latest binding in effect wins (one ended and the next began that day)
        return found


def _weighted(rate, reads: int) -> tuple[Decimal, int]:
    return (Decimal(rate) * reads, reads) if rate is not None else (ZERO, 0)


def _note_days(accounts: set[int], days: set[date], attribution: Attribution) -> list[NoteDay]:
    rows = NoteDailyMetric.objects.filter(note__author_id__any=accounts, date__any=days).values_list(
        "note_id",
        "note__author_id",
        "date",
        "exposure",
        "reads",
        "likes",
        "collects",
        "comments",
        "leads",
        "read_uv",
        "play_5s_rate",
        "read_3s_rate",
        "avg_view_seconds",
    )
    result = []
    for note, account, day, exposure, reads, likes, collects, comments, leads, read_uv, p5, r3, seconds in rows:
        play_5s, play_reads = _weighted(p5, reads)
        read_3s, read_reads = _weighted(r3, reads)
        view, view_reads = _weighted(seconds, reads)
        result.append(
            NoteDay(
                note_id=note,
                date=day,
                enterprise_id=attribution.enterprise(account, day),
                red_account_id=account,
                exposure=exposure,
                reads=reads,
                engagement=likes + collects + comments,
                leads=leads,
                read_uv=read_uv,
                play_5s_weighted=play_5s,
                play_5s_reads=play_reads,
                read_3s_weighted=read_3s,
                read_3s_reads=read_reads,
                view_seconds_weighted=view,
                view_seconds_reads=view_reads,
            )
        )
    return result


def _account_days(accounts: set[int], days: set[date], attribution: Attribution) -> list[AccountDay]:
    rows: dict[tuple[int, int, date], dict] = defaultdict(dict)

    def add(enterprise: int | None, account: int, day: date, **figures) -> None:
        if enterprise is None or day not in days:
            return
        row = rows[(enterprise, account, day)]
        for name, value in figures.items():
            row[name] = row.get(name, 0) + value

    for figures in (
        NoteDay.objects.filter(red_account_id__any=accounts, date__any=days, enterprise__isnull=False)
        .order_by()
        .values("enterprise_id", "red_account_id", "date")
        .annotate(**{name: Sum(name) for name in FIGURES})
    ):
        add(figures.pop("enterprise_id"), figures.pop("red_account_id"), figures.pop("date"), **figures)
    first, last = day_start(min(days)), day_start(max(days) + timedelta(days=1))
    for account, published_at in Note.objects.filter(
        author_id__any=accounts, published_at__gte=first, published_at__lt=last
    ).values_list("author_id", "published_at"):
        day = local_day(published_at)
        add(attribution.enterprise(account, day), account, day, notes=1)
    for enterprise, account, day, amount in (
        AdSpendDaily.objects.filter(note__author_id__any=accounts, date__any=days)
        .order_by()
        .values_list("enterprise_id", "note__author_id", "date")
        .annotate(total=Sum("amount"))
    ):
        add(enterprise, account, day, spend=amount)
    for enterprise, account, paid_at, amount, commission in Order.objects.filter(
        red_account_id__any=accounts, status=OrderStatus.PAID, paid_at__gte=first, paid_at__lt=last
    ).values_list("enterprise_id", "red_account_id", "paid_at", "amount", "commission"):
        add(enterprise, account, local_day(paid_at), orders=1, gmv=amount, commission=commission)
    return [
        AccountDay(enterprise_id=enterprise, red_account_id=account, date=day, **figures)
        for (enterprise, account, day), figures in rows.items()
    ]


@transaction.atomic
def refresh(keys: Iterable[Key], *, figures_through: date | None = None) -> int:
    """Recompute the rollups of every account and day named in `keys` (all their combinations); returns the
    number of account-day rows written. `figures_through`: the latest day of metrics just stored."""
    keys = set(keys)
    state, _ = RollupState.objects.get_or_create(pk=1)
    state = RollupState.objects.select_for_update().get(pk=1)
    if keys:
        accounts, days = {account for account, _d in keys}, {day for _a, day in keys}
        attribution = Attribution(accounts)
        NoteDay.objects.filter(red_account_id__any=accounts, date__any=days).delete()
        NoteDay.objects.bulk_create(_note_days(accounts, days, attribution), batch_size=5000)
        AccountDay.objects.filter(red_account_id__any=accounts, date__any=days).delete()
        written = AccountDay.objects.bulk_create(_account_days(accounts, days, attribution), batch_size=5000)
    else:
        written = []
    if figures_through and (state.figures_through is None or figures_through > state.figures_through):
        state.figures_through = figures_through
    state.refreshed_at = clock.now()
    state.save()
    return len(written)


def rebuild(first: date, last: date, *, progress=None) -> int:
    """Recompute every account's rollups from `first` to `last`, a day at a time (the management command)."""
    total = 0
    day = first
    while day <= last:
        accounts = _accounts_with_data_on(day)
        total += refresh([(account, day) for account in accounts], figures_through=_metrics_through(day))
        if progress:
            progress(day, total)
        day += timedelta(days=1)
    return total


def _accounts_with_data_on(day: date) -> set[int]:
    start, end = day_start(day), day_start(day + timedelta(days=1))
    return (
        set(NoteDailyMetric.objects.filter(date=day).values_list("note__author_id", flat=True).distinct())
        | set(Note.objects.filter(published_at__gte=start, published_at__lt=end).values_list("author_id", flat=True))
        | set(AdSpendDaily.objects.filter(date=day).values_list("note__author_id", flat=True).distinct())
        | set(Order.objects.filter(paid_at__gte=start, paid_at__lt=end).values_list("red_account_id", flat=True))
        | set(NoteDay.objects.filter(date=day).values_list("red_account_id", flat=True).distinct())
        | set(AccountDay.objects.filter(date=day).values_list("red_account_id", flat=True).distinct())
    )


def _metrics_through(day: date) -> date | None:
    return day if NoteDailyMetric.objects.filter(date=day).exists() else None


# Hooks of the ingests ------------------------------------------------------------------------------------------


def touch(*, accounts_days: Iterable[Key] = (), notes_days: Iterable[tuple[int, date]] = (), metrics=False) -> None:
    """Ask for the rollups of these keys to be recomputed once the caller's transaction commits. `notes_days`
    are (note id, day) pairs, resolved to their authors by the job; `metrics`: the days are metric days, so the
    latest of them moves "figures complete through"."""
    from . import tasks

    accounts_days = sorted({(a, d.isoformat()) for a, d in accounts_days})
    notes_days = sorted({(n, d.isoformat()) for n, d in notes_days})
    if accounts_days or notes_days:
        transaction.on_commit(
            lambda: tasks.refresh_rollups.delay(accounts_days=accounts_days, notes_days=notes_days, metrics=metrics)
        )


def keys_of_notes(notes_days: Iterable[tuple[int, date]]) -> set[Key]:
    notes_days = list(notes_days)
    authors = dict(Note.objects.filter(pk__any={note for note, _d in notes_days}).values_list("pk", "author_id"))
    return {(authors[note], day) for note, day in notes_days if note in authors}
