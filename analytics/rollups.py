"""Keeping the daily rollups current (D01). Each ingest names what it touched — (note, day) pairs for metrics and
spend, (account, day) pairs for published notes, orders and binding changes — and after it commits a job
recomputes from the source rows exactly what those can change: a metrics batch its notes' days, an order batch its
accounts' order columns, and so on (`refresh`); a binding change, which moves whole days between enterprises,
recomputes everything of its account's days. The rebuild of a date range runs the same statements over every
account. On PostgreSQL the metrics ingest, the one that must take 20,000 rows a second, keeps its rollups itself
instead, in its own transaction (`metrics_written`).

The writes are set-based (`statements`: INSERT … SELECT of ORM querysets) and run under the lock of the one
`RollupState` row, so concurrent refreshes queue instead of interleaving; metrics ingests hold it shared among
themselves, as each only adds what its days changed. An account-day row none of whose figures is left is dropped,
so the incremental rows and a rebuild's are the same rows. Each enterprise-day (`EnterpriseDay`) changes by what its
account-days and note-days did in the same transaction."""

from collections.abc import Iterable
from datetime import date, datetime, timedelta

from django.db import connection, transaction
from django.db.models import Count, F, Max, Min, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Cast, Coalesce, Greatest, TruncDate
from django.utils import timezone

from bindings.models import Binding
from campaigns.choices import OrderStatus
from campaigns.models import AdSpendDaily, Order
from kos_platform import clock
from kos_platform.lookups import Pairs
from notes.models import Note, NoteDailyMetric

from . import data_version, statements
from .models import (
    ACCOUNT_RESULTS,
    NOTE_FIGURES,
    RATES,
    RESULTS,
    AccountDay,
    EnterpriseDay,
    NoteDay,
    RollupState,
    zero,
)

Key = tuple[int, date]  # (RED account id, Asia/Shanghai day), or (note id, day) for the note sources
INTERACTIONS = ("likes", "collects", "comments")  # engagement
REBUILD_DAYS = 31  # days per transaction of a rebuild
ACCOUNT_DAY_KEY = ("enterprise_id", "date", "red_account_id")
ENTERPRISE_DAY_KEY = ("enterprise_id", "date")
# What changed, and so what a refresh recomputes. The first two name (note, day) pairs, the others (account, day).
METRICS, SPEND, NOTES, ORDERS, BINDINGS = "metrics", "spend", "notes", "orders", "bindings"
NOTE_SOURCES = (METRICS, SPEND)


def local_day(at: datetime) -> date:
    return at.astimezone(timezone.get_default_timezone()).date()


def day_start(day: date) -> datetime:
    return datetime.combine(day, datetime.min.time(), tzinfo=timezone.get_default_timezone())


def _local_date(name: str) -> TruncDate:
    return TruncDate(name, tzinfo=timezone.get_default_timezone())


class Keys:
    """The keys a statement covers: the given pairs, or everything on the days `first`–`last`."""

    def __init__(self, pairs: Iterable[Key] = (), *, first: date | None = None, last: date | None = None):
        self.pairs, self.first, self.last = sorted(set(pairs)), first, last

    def on(self, key: str, day: str):
        if self.first is not None:
            return Q(**{f"{day}__range": (self.first, self.last)})
        return Pairs(key, day, self.pairs)


def _bound_enterprise(account: str, day: str) -> Subquery:
    """The enterprise the account was bound to on the day: the binding in effect from its effective day up to, not
    including, its end day (frozen still counts as bound); the latest such binding when one ended and the next
    began that day."""
    in_effect = (
        Binding.objects.annotate(first=_local_date("effective_at"), end=_local_date("ended_at"))
        .filter(red_account_id=OuterRef(account), first__lte=OuterRef(day))
        .filter(Q(ended_at__isnull=True) | Q(end__gt=OuterRef(day)))
        .order_by("-effective_at", "-id")
    )
    return Subquery(in_effect.values("enterprise_id")[:1])


def _write_note_days(metrics) -> None:
    """NoteDay rows of the given metric rows (whose NoteDay rows the caller has deleted)."""
    rows = metrics.values(
        c_note_id=F("note_id"),
        c_date=F("date"),
        c_enterprise_id=_bound_enterprise("note__author_id", "date"),
        c_red_account_id=F("note__author_id"),
        c_exposure=F("exposure"),
        c_reads=F("reads"),
        c_engagement=F("likes") + F("collects") + F("comments"),
        c_leads=F("leads"),
        c_read_uv=F("read_uv"),
        **{f"c_{rate}": F(rate) for rate in RATES},
    )
    statements.insert(NoteDay, rows)


# The columns of an account-day by source (the metrics have none: their figures are the note-days'). Each source's
# statement selects whole rows (zeros in the other sources' columns, for a row it creates) and sets only its own
# columns in a row that exists.
COLUMNS = {NOTES: ("notes",), SPEND: ("spend",), ORDERS: ("orders", "gmv", "commission")}


def _grouped(queryset, enterprise: str, account: str | None, day: str, **figures):
    """`queryset` grouped into account-day rows (enterprise-day rows when `account` is None): `figures`, zeros in
    the table's other columns (an account-day has no note figures)."""
    zeros = {name: Value(zero(name)) for name in (ACCOUNT_RESULTS if account else RESULTS)}
    key = {"enterprise_id": F(enterprise), "red_account_id": F(account) if account else None, "date": F(day)}
    prefixed = {f"{statements.PREFIX}{name}": value for name, value in (zeros | figures).items()}
    columns = {f"{statements.PREFIX}{name}": value for name, value in key.items() if value is not None}
    return queryset.values(**columns).annotate(**prefixed)


def _note_days(scope: Keys):
    """The note-days of the scope's range, or of its (account, day) keys."""
    days = NoteDay.objects.filter(scope.on("red_account_id", "date"))
    return days if scope.first is not None else days.of_accounts({account for account, _day in scope.pairs})


def _account_rows(source: str, scope: Keys):
    """One source's account-day rows over the scope's (account, day) keys."""
    if source == NOTES:
        rows = (
            Note.objects.annotate(day=_local_date("published_at"))
            .filter(scope.on("author_id", "day"))
            .annotate(bound=_bound_enterprise("author_id", "day"))
            .filter(bound__isnull=False)
        )
        return _grouped(rows, "bound", "author_id", "day", notes=Count("pk"))
    if source == SPEND:
        rows = AdSpendDaily.objects.filter(scope.on("note__author_id", "date"))
        return _grouped(rows, "enterprise_id", "note__author_id", "date", spend=Sum("amount"))
    rows = Order.objects.filter(status=OrderStatus.PAID).annotate(day=_local_date("paid_at"))
    rows = rows.filter(scope.on("red_account_id", "day"))
    figures = {"orders": Count("pk"), "gmv": Sum("amount"), "commission": Sum("commission")}
    return _grouped(rows, "enterprise_id", "red_account_id", "day", **figures)


def _set_columns(source: str, scope: Keys) -> None:
    """Recompute one source's columns of the scope's account-days. A day can lose all its source rows (a refund, a
    deleted note), so the columns are zeroed first."""
    zeros = {name: zero(name) for name in COLUMNS[source]}
    AccountDay.objects.filter(scope.on("red_account_id", "date")).update(**zeros)
    statements.upsert(AccountDay, _account_rows(source, scope), key=ACCOUNT_DAY_KEY, sets=COLUMNS[source])


def _drop_empty(scope: Keys) -> None:
    AccountDay.objects.filter(scope.on("red_account_id", "date"), **dict.fromkeys(ACCOUNT_RESULTS, 0)).delete()


def _enterprise_rows(scope: Keys, sign: int = 1, *, note_days: bool = True) -> list:
    """The scope's account-days, and with `note_days` its note-days' figures, summed by enterprise and day (two
    querysets of enterprise-day rows), negated with `sign` -1."""

    def sums(names):
        # Cast to the columns' types: the counts' sums as bigint, not numeric, half the width in a rebuild's sort.
        fields = {name: EnterpriseDay._meta.get_field(name) for name in names}
        return {name: Cast(Sum(name), field) * Value(sign, output_field=field) for name, field in fields.items()}

    account_days = AccountDay.objects.filter(scope.on("red_account_id", "date"))
    rows = [_grouped(account_days, "enterprise_id", None, "date", **sums(ACCOUNT_RESULTS))]
    if note_days:
        figures = _note_days(scope).filter(enterprise__isnull=False)
        rows.append(_grouped(figures, "enterprise_id", None, "date", **sums(NOTE_FIGURES)))
    return rows


def _add_to_enterprise_days(scope: Keys, sign: int, *, note_days: bool) -> list[tuple]:
    """Add (sign 1) or take away (-1) the scope's account-days (and with `note_days` its note-days) to or from
    their enterprises' days; returns the enterprise-days written. A refresh takes its rows away before it writes
    them and adds them back after, so each enterprise-day changes by exactly what its rows did."""
    return [
        key
        for rows in _enterprise_rows(scope, sign, note_days=note_days)
        for key in statements.add(EnterpriseDay, rows, key=ENTERPRISE_DAY_KEY, sets=RESULTS)
    ]


def _drop_empty_enterprise_days(written: list[tuple]) -> None:
    """Of the enterprise-days a refresh wrote, those left with no figures (none of their rows is left)."""
    EnterpriseDay.objects.filter(Keys(written).on("enterprise_id", "date"), **dict.fromkeys(RESULTS, 0)).delete()


def _fill(scope: Keys) -> None:
    """The scope's note-days and account-days from the source rows (the caller has removed the old ones); an
    account-day with nothing in it is not written."""
    if scope.first is not None and connection.vendor == "postgresql":
        statements.fill_note_days(scope.first, scope.last)
    else:
        _write_note_days(NoteDailyMetric.objects.filter(scope.on("note__author_id", "date")))
    sources = [_account_rows(source, scope) for source in (NOTES, SPEND, ORDERS)]
    statements.insert_summed(AccountDay, sources, key=ACCOUNT_DAY_KEY)


def _recompute(scope: Keys) -> None:
    """Everything of the scope's account-days, from nothing."""
    _note_days(scope).delete()
    AccountDay.objects.filter(scope.on("red_account_id", "date")).delete()
    _fill(scope)


def _create_state() -> None:
    """The one `RollupState` row, created on first use, before it is locked."""
    RollupState.objects.get_or_create(pk=1)


@transaction.atomic
def _locked(write, figures_through: date | None = None) -> None:
    _create_state()
    RollupState.objects.select_for_update().get(pk=1)
    write()
    _refreshed(figures_through)


def _refreshed(figures_through: date | None) -> None:
    """The rollups were written: "figures complete through" moves on to `figures_through` (never back), and the
    data centre's cached figures are dropped once the transaction commits."""
    changes = {"refreshed_at": clock.now()}
    if figures_through:
        through = Value(figures_through)
        changes["figures_through"] = Greatest(Coalesce("figures_through", through), through)
    RollupState.objects.filter(pk=1).update(**changes)
    data_version.changed()


def refresh(source: str, keys: Iterable[Key]) -> None:
    """Recompute what `source` changed at `keys`: (note, day) pairs for METRICS and SPEND, (account, day) pairs
    for the others. Metrics move "figures complete through" to their latest day."""
    keys = set(keys)
    if not keys:
        return
    if source in NOTE_SOURCES:
        authors = dict(Note.objects.filter(pk__any={note for note, _d in keys}).values_list("pk", "author_id"))
        accounts = Keys((authors[note], day) for note, day in keys if note in authors)
    else:
        accounts = Keys(keys)

    note_days = source in (METRICS, BINDINGS)  # the sources that change note-days

    def write():
        written = _add_to_enterprise_days(accounts, -1, note_days=note_days)
        if source == METRICS:
            notes = Keys(keys)
            NoteDay.objects.filter(notes.on("note_id", "date")).delete()
            _write_note_days(NoteDailyMetric.objects.filter(notes.on("note_id", "date")))
        elif source == BINDINGS:
            _recompute(accounts)
        else:
            _set_columns(source, accounts)
        written += _add_to_enterprise_days(accounts, 1, note_days=note_days)
        _drop_empty(accounts)
        _drop_empty_enterprise_days(written)

    _locked(write, max(day for _note, day in keys) if source == METRICS else None)


def _rebuild_range(scope: Keys) -> None:
    EnterpriseDay.objects.filter(date__range=(scope.first, scope.last)).delete()
    _recompute(scope)
    statements.insert_summed(EnterpriseDay, _enterprise_rows(scope), key=ENTERPRISE_DAY_KEY)


def _months(first: date, last: date) -> Iterable[Keys]:
    day = first
    while day <= last:
        through = min(day + timedelta(days=REBUILD_DAYS - 1), last)
        yield Keys(first=day, last=through)
        day = through + timedelta(days=1)


def _last_metrics_day(scope: Keys) -> date | None:
    return NoteDailyMetric.objects.filter(date__range=(scope.first, scope.last)).aggregate(last=Max("date"))["last"]


def rebuild(first: date, last: date, *, progress=None) -> int:
    """Recompute every account's rollups from `first` to `last`, a month per transaction (the management command);
    returns the number of account-day rows in the range."""
    for scope in _months(first, last):
        _locked(lambda scope=scope: _rebuild_range(scope), _last_metrics_day(scope))
        if progress:
            progress(scope.last)
    return AccountDay.objects.filter(date__range=(first, last)).count()


def first_day() -> date | None:
    """The first day any source has figures for: a note's publication, a metric, a spend or a paid order."""
    days = [
        Note.objects.aggregate(first=Min("published_at"))["first"],
        NoteDailyMetric.objects.aggregate(first=Min("date"))["first"],
        AdSpendDaily.objects.aggregate(first=Min("date"))["first"],
        Order.objects.filter(status=OrderStatus.PAID).aggregate(first=Min("paid_at"))["first"],
    ]
    days = [local_day(day) if isinstance(day, datetime) else day for day in days if day is not None]
    return min(days, default=None)


@transaction.atomic
def rebuild_all() -> int:
    """Every rollup again, from the first source day to today, in one transaction and one pass: the tables are
    emptied and their indexes, keys included, built after the rows (a month at a time over the old rows took over
    three times as long, bench/README.md). The data centre's reads wait for it to commit. Returns the number of
    account-days."""
    last = clock.local_today()
    everything = Keys(first=min(first_day() or last, last), last=last)

    def write():
        statements.empty(NoteDay, AccountDay, EnterpriseDay)
        with statements.indexes_built_after(NoteDay, AccountDay, EnterpriseDay):
            _fill(everything)
            statements.insert_summed(EnterpriseDay, _enterprise_rows(everything), key=ENTERPRISE_DAY_KEY)

    _locked(write, NoteDailyMetric.objects.aggregate(last=Max("date"))["last"])
    return AccountDay.objects.count()


# Hooks of the ingests ------------------------------------------------------------------------------------------


def metrics_written(notes: list[int], authors: list[int], days: dict[str, list], revises: list[bool]) -> None:
    """The metrics ingest has written these notes' days (`days`: the metric columns, parallel to `notes`, their
    `authors` and whether each day may have been stored before, `revises`). On PostgreSQL their rollups are kept
    in the ingest's own transaction, by what each day changed (`statements.keep_metrics`): a refresh job
    recomputing them from the metric rows made the ingest five times slower (bench/README.md, Analytics).
    Elsewhere (the embedded default) the refresh job does it."""
    if connection.vendor != "postgresql":
        touch(METRICS, zip(notes, days["date"], strict=True))
        return
    columns = {"notes": notes, "authors": authors, "dates": days["date"], "revises": revises}
    columns |= {name: days[name] for name in ("exposure", "reads", "leads", "read_uv", *RATES)}
    columns["engagement"] = [sum(counts) for counts in zip(*(days[name] for name in INTERACTIONS), strict=True)]
    _keep_metrics(columns, max(days["date"]))


@transaction.atomic
def _keep_metrics(columns: dict[str, list], figures_through: date) -> None:
    """Under the shared hold of the `RollupState` row: ingests keeping their own rollups (each adds what its days
    changed, in key order) run side by side, and a refresh or rebuild (which takes the row for itself) waits for
    them, and they for it."""
    _create_state()
    statements.share(RollupState, pk=1)
    empty = statements.keep_metrics(columns)
    if empty:
        _drop_empty_enterprise_days(empty)
    _refreshed(figures_through)


def touch(source: str, keys: Iterable[Key]) -> None:
    """Ask for the rollups of these keys to be recomputed once the caller's transaction commits (see `refresh`)."""
    from . import tasks

    keys = sorted({(key, day.isoformat()) for key, day in keys})
    if keys:
        transaction.on_commit(lambda: tasks.refresh_rollups.delay(source=source, keys=keys))
