"""The data centre's reads (D01), from the daily rollups only — never the raw metric, spend or order rows — plus the
bindings, notes and accounts for names and for who was bound. Two perspectives: the enterprise's (all its KOS
accounts) and the employee's (their own accounts, across the enterprises they were bound to).

Tables come back as `Rows`: the database sorts and pages them (`count()` and a slice are one query each), and
iterating streams them for an export. Rows carry codes, as the API shows them (`position`, `type`), and the labels a
page or an export shows (`position_label`, `type_label`), read in the language active when the table is asked for."""

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import CharField, Count, F, FilteredRelation, FloatField, Func, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Cast, Coalesce, NullIf

from accounts.models import Enterprise, RedAccount, User
from bindings.choices import Position
from bindings.models import Binding
from campaigns.models import AdSpendDaily
from notes.choices import NoteType

from . import data_version
from .data_forms import (
    EMPLOYEE_ORDERINGS,
    NOTE_ORDERINGS,
    EmployeeTableForm,
    NoteTableForm,
    RangeForm,
    check_ordering,
    previous_range,
)
from .models import (
    ACCOUNT_RESULTS,
    MONEY,
    NOTE_FIGURES,
    RESULTS,
    AccountDay,
    EnterpriseDay,
    NoteDay,
    RollupState,
    zero,
)
from .rollups import day_start

__all__ = [
    "EmployeeTableForm",
    "NoteTableForm",
    "RangeForm",
    "Rows",
    "Scope",
    "data_as_of",
    "employees",
    "notes_table",
    "previous_range",
    "summary",
    "timeseries",
]

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
CHUNK_ROWS = 2000
DAILY = tuple(name for name in RESULTS if name != "notes")
# A note's rates over a range: Σ(rate × reads) / Σ reads of the days that reported one, to these places.
RATE_PLACES = {"play_5s_rate": Decimal("0.0001"), "read_3s_rate": Decimal("0.0001"), "avg_view_seconds": CENT}


@dataclass(frozen=True)
class Scope:
    """Whose figures: an enterprise's (`enterprise`), or an employee's own accounts (`account_ids`) in every
    enterprise they were bound to; both narrow together when both are given."""

    enterprise: Enterprise | None = None
    account_ids: set[int] | None = None

    @classmethod
    def of_employee(cls, user: User) -> "Scope":
        """The RED account(s) of the user."""
        return cls(account_ids=set(RedAccount.objects.filter(user=user).values_list("pk", flat=True)))

    @property
    def key(self) -> tuple:
        """The scope in a cache key."""
        accounts = None if self.account_ids is None else tuple(sorted(self.account_ids))
        return (getattr(self.enterprise, "pk", None), accounts)

    def where(self) -> Q:
        """The scope's rows of a table with `enterprise` and `red_account` (rollups, bindings)."""
        q = Q()
        if self.enterprise is not None:
            q &= Q(enterprise=self.enterprise)
        if self.account_ids is not None:
            q &= Q(red_account_id__in=self.account_ids)
        return q


def data_as_of() -> date | None:
    """The last day whose figures are complete."""
    state = RollupState.objects.filter(pk=1).values_list("figures_through", flat=True)
    return data_version.cached("as-of", (), lambda: [state.first()])[0]


def _money(value) -> Decimal:
    return ZERO if value is None else Decimal(value).quantize(CENT, ROUND_HALF_UP)


def _figure(name: str, value):
    return _money(value) if name in MONEY else (value or 0)


def _range(start: date, end: date) -> Q:
    return Q(date__gte=start, date__lte=end)


def _bound_in(scope: Scope, start: date, end: date):
    """Bindings in effect at some time from `start` to `end`: effective before the range's end, not ended before
    its start."""
    return Binding.objects.filter(scope.where(), effective_at__lt=day_start(end + timedelta(days=1))).filter(
        Q(ended_at__isnull=True) | Q(ended_at__gt=day_start(start))
    )


# Summary and time series ----------------------------------------------------------------------------------------


def _days(scope: Scope) -> list[tuple]:
    """The scope's daily rows, each with the figures it holds: an enterprise's own days (one row a day), else its
    accounts' days and their notes' days."""
    if scope.account_ids is None:
        return [(EnterpriseDay.objects.filter(enterprise=scope.enterprise), RESULTS)]
    return [(AccountDay.objects.filter(scope.where()), ACCOUNT_RESULTS), (_note_days(scope), NOTE_FIGURES)]


def summary(scope: Scope, start: date, end: date) -> dict:
    """The range's `accounts` (KOS accounts bound at any time in it), `notes` (published in it) and figures, and
    `previous`: the same for the equally long range just before. Two queries for an enterprise, three for an
    employee."""
    before, last = previous_range(start, end)
    now, then = Q(date__gte=start), Q(date__lt=start)
    totals = {}
    for days, names in _days(scope):
        totals |= days.filter(_range(before, end)).aggregate(
            **{f"now_{name}": Sum(name, filter=now) for name in names},
            **{f"then_{name}": Sum(name, filter=then) for name in names},
        )
    first = day_start(start)
    totals |= _bound_in(scope, before, end).aggregate(
        now_accounts=Count("red_account", distinct=True, filter=Q(ended_at__isnull=True) | Q(ended_at__gt=first)),
        then_accounts=Count("red_account", distinct=True, filter=Q(effective_at__lt=first)),
    )

    def period(key: str, period_start: date, period_end: date) -> dict:
        figures = {name: _figure(name, totals[f"{key}_{name}"]) for name in RESULTS}
        return {"from": period_start, "to": period_end, "accounts": totals[f"{key}_accounts"] or 0, **figures}

    return {**period("now", start, end), "previous": period("then", before, last)}


def timeseries(scope: Scope, start: date, end: date) -> list[dict]:
    """One entry per day from `start` to `end`, zeros included. One query for an enterprise, two for an employee."""
    by_day = {}
    for rows, names in _days(scope):
        sums = {f"total_{name}": Sum(name) for name in names if name in DAILY}
        for row in rows.filter(_range(start, end)).order_by().values("date").annotate(**sums):
            by_day.setdefault(row.pop("date"), {}).update(row)
    days = []
    for offset in range((end - start).days + 1):
        day = start + timedelta(days=offset)
        row = by_day.get(day, {})
        days.append({"date": day, **{name: _figure(name, row.get(f"total_{name}")) for name in DAILY}})
    return days


# Tables ---------------------------------------------------------------------------------------------------------


class Rows:
    """A table's rows as the database sorts them: `count()` and each slice are one query; iterating streams the
    rows in chunks (an export). `row` turns a database row into the table's."""

    def __init__(self, queryset, row: Callable[[dict], dict]):
        self.queryset, self.row = queryset, row

    def count(self) -> int:
        return self.queryset.count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self.row(found) for found in self.queryset[index]]
        return self.row(self.queryset[index])

    def __iter__(self) -> Iterator[dict]:
        return (self.row(found) for found in self.queryset.iterator(chunk_size=CHUNK_ROWS))


class CachedRows(Rows):
    """Rows whose count and pages are kept under the data's version (`data_version.cached`): a page of the largest
    enterprise's 90 days takes ~1.6 s to compute on a slow host (count 0.6 s, page 1.0 s: 5,500 accounts' sums of
    600,000 note-days, bench/README.md), and two cache reads when read again. An export streams from the
    database."""

    def __init__(self, queryset, row: Callable[[dict], dict], *, key: tuple):
        super().__init__(queryset, row)
        self.key = key

    def count(self) -> int:
        return data_version.cached("table-count", self.key, super().count)

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return super().__getitem__(index)
        found = data_version.cached(
            "table-page", (*self.key, index.start, index.stop), lambda: list(self.queryset[index])
        )
        return [self.row(one) for one in found]


def _ordered(expression: str, ordering: str):
    field = F(expression)
    return field.desc(nulls_last=True) if ordering.startswith("-") else field.asc(nulls_last=True)


def employees(
    enterprise: Enterprise,
    start: date,
    end: date,
    *,
    q: str = "",
    position: str = "",
    region: str = "",
    ordering: str = "-engagement",
) -> Rows:
    """One row per KOS account bound to `enterprise` at some time in the range (zeros when it has no figures), and
    per account with the enterprise's figures in it (spend or orders after it left): `red_id, nickname,
    holder_name, position, position_label, region` from its latest binding with the enterprise effective by the
    range's end (blank when none) and the range's figures. `q` searches RED ID, nickname and holder name;
    `ordering` is one of EMPLOYEE_ORDERINGS, `-` for descending (ties by RED ID). The notes' figures are the
    account's note-days summed (the enterprise's note-days of the range, joined), the other figures its
    account-days' (a lookup through their account index, for the page's rows only). Two queries a page, none
    when the page is cached (`CachedRows`)."""
    check_ordering(ordering, EMPLOYEE_ORDERINGS)
    in_range = Q(note_days__enterprise=enterprise, note_days__date__gte=start, note_days__date__lte=end)
    account_days = AccountDay.objects.filter(enterprise=enterprise, date__gte=start, date__lte=end)
    bound = _bound_in(Scope(enterprise=enterprise), start, end).values("red_account_id")
    latest = Binding.objects.filter(
        enterprise=enterprise, red_account=OuterRef("pk"), effective_at__lt=day_start(end + timedelta(days=1))
    ).order_by("-effective_at", "-id")
    holder = {
        f"t_{name}": Coalesce(Subquery(latest.values(field)[:1]), Value(""))
        for name, field in (("holder_name", "name"), ("position", "position"), ("region", "region"))
    }
    accounts = RedAccount.objects.all()
    if q or position or region:  # by the holder's fields, per account before the figures are joined
        chosen = RedAccount.objects.annotate(**holder)
        if q:
            chosen = chosen.filter(Q(red_id__icontains=q) | Q(nickname__icontains=q) | Q(t_holder_name__icontains=q))
        if position:
            chosen = chosen.filter(t_position=position)
        if region:
            chosen = chosen.filter(t_region=region)
        accounts = accounts.filter(pk__in=chosen.values("pk"))
    accounts = (
        accounts.annotate(days=FilteredRelation("note_days", condition=in_range))
        .filter(Q(pk__in=bound) | Q(days__date__isnull=False) | Q(pk__in=account_days.values("red_account_id")))
        .values("pk", "red_id", "nickname")
        .annotate(
            **{name: OncePerGroup(expression, output_field=CharField()) for name, expression in holder.items()},
            **{f"t_{name}": Coalesce(Sum(f"days__{name}"), Value(0)) for name in NOTE_FIGURES},
            **{f"t_{name}": _account_sum(account_days, name) for name in ACCOUNT_RESULTS},
        )
    )
    column = ordering.lstrip("-")
    accounts = accounts.order_by(
        _ordered(column if column in ("red_id", "nickname") else f"t_{column}", ordering), "red_id"
    )
    fields = ("red_id", "nickname", "holder_name", "position", "region", *RESULTS)
    labels = {code: str(label) for code, label in Position.choices}

    def row(found: dict) -> dict:
        values = {name: found.get(f"t_{name}", found.get(name)) for name in fields}
        values.update({name: _money(values[name]) for name in MONEY})
        return {**values, "position_label": labels.get(values["position"], "")}

    names = ("red_id", "nickname", *(f"t_{name}" for name in fields[2:]))
    key = (enterprise.pk, start, end, q, position, region, ordering)
    return CachedRows(accounts.values(*names), row, key=key)


def _note_days(scope: Scope):
    """The rollup days of the scope's notes: an employee's, the days they were bound somewhere."""
    days = NoteDay.objects.all()
    if scope.account_ids is not None:
        days = days.of_accounts(scope.account_ids)
    if scope.enterprise is not None:
        return days.filter(enterprise=scope.enterprise)
    return days.filter(enterprise__isnull=False)


class OncePerGroup(Func):
    """An expression of the outer query's grouped columns (a correlated subquery): computed once per group. Django
    would also group by it, and PostgreSQL then compute it for every row before grouping."""

    template = "%(expressions)s"

    def get_group_by_cols(self):
        return []


def _account_sum(account_days, name: str) -> OncePerGroup:
    """Σ `name` of the outer account's `account_days`, zero when it has none."""
    field = AccountDay._meta.get_field(name)
    total = account_days.filter(red_account=OuterRef("pk")).order_by().values("red_account").annotate(t=Sum(name))
    summed = Coalesce(Subquery(total.values("t"), output_field=field), Value(zero(name)))
    return OncePerGroup(summed, output_field=field)


def _note_spend(scope: Scope, start: date, end: date):
    """Σ spend on the outer note in the range, by the enterprise, or by those the employee was bound to (the
    spend's key is (enterprise, note, date))."""
    payers = (
        Q(enterprise=scope.enterprise)
        if scope.enterprise is not None
        else Q(enterprise__in=Binding.objects.filter(scope.where()).values("enterprise_id"))
    )
    spend = AdSpendDaily.objects.filter(payers, note=OuterRef("note"), date__gte=start, date__lte=end)
    total = spend.order_by().values("note").annotate(t=Sum("amount")).values("t")
    amount = AdSpendDaily._meta.get_field("amount")
    return OncePerGroup(Coalesce(Subquery(total, output_field=amount), Value(ZERO)), output_field=amount)


def notes_table(
    scope: Scope, start: date, end: date, *, q: str = "", type: str = "", ordering: str = "-exposure"
) -> Rows:
    """One row per note with rollup days of the scope in the range: `note_id, title, type, type_label, red_id,
    published_at`, the range's figures, `read_uv`, the rates (None when no day reported one) and `spend` by the
    scope's enterprise(s). `q` searches note ID, title and RED ID; `ordering` is one of NOTE_ORDERINGS (ties by
    the newest note). Two queries a page."""
    check_ordering(ordering, NOTE_ORDERINGS)
    days = _note_days(scope).filter(date__gte=start, date__lte=end)
    if type:
        days = days.filter(note__type=type)
    if q:
        days = days.filter(
            Q(note__note_id__icontains=q) | Q(note__title__icontains=q) | Q(note__author__red_id__icontains=q)
        )
    weighted = {}
    for name in RATE_PLACES:
        weighted[f"t_{name}_weighted"] = Sum(F(name) * F("reads"))
        weighted[f"t_{name}_reads"] = Sum("reads", filter=Q(**{f"{name}__isnull": False}))
        weighted[f"t_{name}"] = Cast(weighted[f"t_{name}_weighted"], FloatField()) / NullIf(
            weighted[f"t_{name}_reads"], 0
        )
    notes = (
        days.order_by()
        .values("note")
        .annotate(
            t_note_id=F("note__note_id"),
            t_title=F("note__title"),
            t_type=F("note__type"),
            t_red_id=F("note__author__red_id"),
            t_published_at=F("note__published_at"),
            **{f"t_{name}": Sum(name) for name in (*NOTE_FIGURES, "read_uv")},
            **weighted,
            t_spend=_note_spend(scope, start, end),
        )
    )
    column = ordering.lstrip("-")
    notes = notes.order_by(_ordered(f"t_{column}", ordering), "-t_published_at", "-note")
    labels = {code: str(label) for code, label in NoteType.choices}

    def row(found: dict) -> dict:
        values = {name: found[f"t_{name}"] for name in ("note_id", "title", "type", "red_id", "published_at")}
        values |= {name: found[f"t_{name}"] or 0 for name in (*NOTE_FIGURES, "read_uv")}
        for name, places in RATE_PLACES.items():
            reads = found[f"t_{name}_reads"]
            rate = Decimal(found[f"t_{name}_weighted"]) / reads if reads else None
            values[name] = None if rate is None else rate.quantize(places, ROUND_HALF_UP)
        return {**values, "spend": _money(found["t_spend"]), "type_label": labels.get(values["type"], "")}

    return Rows(notes, row)
