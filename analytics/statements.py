"""The rollups' writes, set-based: each is an ORM queryset compiled to its SELECT and wrapped in INSERT … SELECT
(or an upsert), so rows go from the source tables to the rollups inside the database. Building the rows in Python
cost a second per 10,000-row metrics batch, five times the ingest itself (bench/README.md, Analytics).

A queryset here selects only annotations named `c_<column>`, in the target table's column order; the prefix keeps
them apart from the model's own field names."""

from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache

from django.db import connection
from django.db.models import Model, QuerySet
from django.utils import timezone

from kos_platform.lookups import array_literal

from .models import NOTE_FIGURES, RATES, RESULTS

PREFIX = "c_"


def _select(queryset: QuerySet) -> tuple[list[str], str, tuple]:
    """The target columns, and the SELECT without the model's default ordering (an INSERT keeps no order)."""
    queryset = queryset.order_by()
    sql, params = queryset.query.sql_with_params()
    return _columns(queryset), sql, params


def _execute(sql: str, params, *, returning: bool = False):
    """The statement's row count, or with `returning` the rows of its RETURNING clause."""
    with connection.cursor() as cursor:  # JIT is off for the session (settings): it took 0.8 of 1.4 s for a week
        cursor.execute(sql, params)
        return cursor.fetchall() if returning else cursor.rowcount


def _columns(queryset: QuerySet) -> list[str]:
    names = list(queryset.query.annotation_select)
    if not all(name.startswith(PREFIX) for name in names):
        raise ValueError(f"every selected name starts with {PREFIX!r}: {names}")
    return [connection.ops.quote_name(name.removeprefix(PREFIX)) for name in names]


def insert(model: type[Model], queryset: QuerySet) -> int:
    """INSERT INTO model's table the rows `queryset` selects; returns how many."""
    columns, sql, params = _select(queryset)
    return _execute(f"INSERT INTO {model._meta.db_table} ({', '.join(columns)}) {sql}", params)


def _upsert(model: type[Model], queryset: QuerySet, key: tuple[str, ...], updates: str, returning: str = ""):
    columns, sql, params = _select(queryset)
    key_columns = ", ".join(connection.ops.quote_name(name) for name in key)
    upsert = f"INSERT INTO {model._meta.db_table} ({', '.join(columns)}) {sql} ON CONFLICT ({key_columns}) DO UPDATE"
    return _execute(f"{upsert} SET {updates}{returning}", params, returning=bool(returning))


def upsert(model: type[Model], queryset: QuerySet, *, key: tuple[str, ...], sets: tuple[str, ...]) -> int:
    """Insert the selected rows; where a row with the same `key` columns exists, set its `sets` columns instead."""
    quote = connection.ops.quote_name
    return _upsert(model, queryset, key, ", ".join(f"{quote(name)} = excluded.{quote(name)}" for name in sets))


def add(model: type[Model], queryset: QuerySet, *, key: tuple[str, ...], sets: tuple[str, ...]) -> list[tuple]:
    """Insert the selected rows; where a row with the same `key` columns exists, add the selected values to its
    `sets` columns. Returns the `key` of every row written."""
    quote, table = connection.ops.quote_name, model._meta.db_table
    updates = ", ".join(f"{quote(name)} = {table}.{quote(name)} + excluded.{quote(name)}" for name in sets)
    return _upsert(model, queryset, key, updates, f" RETURNING {', '.join(quote(name) for name in key)}")


def insert_summed(model: type[Model], querysets: list[QuerySet], *, key: tuple[str, ...]) -> int:
    """INSERT INTO model's table the rows of all `querysets` (the same columns in the same order) summed by their
    `key` columns, leaving out those whose sums are all zero: one write a row where an insert and an upsert for
    each further source would write it again."""
    selects = [_select(queryset) for queryset in querysets]
    columns = selects[0][0]
    if any(other != columns for other, _sql, _params in selects):
        raise ValueError("the querysets select different columns")
    quote = connection.ops.quote_name
    keys = [quote(f"{PREFIX}{name}") for name in key]
    inner = [quote(name) for name in querysets[0].query.annotation_select]  # the SELECTs' own names, prefixed
    sums = [name if name in keys else f"SUM({name})" for name in inner]
    something = " OR ".join(f"{total} <> 0" for total in sums if total.startswith("SUM("))
    union = " UNION ALL ".join(sql for _columns, sql, _params in selects)  # SQLite takes no parenthesised parts
    params = tuple(param for _columns, _sql, select_params in selects for param in select_params)
    return _execute(
        f"INSERT INTO {model._meta.db_table} ({', '.join(columns)}) SELECT {', '.join(sums)} FROM ({union}) AS source "
        f"GROUP BY {', '.join(keys)} HAVING {something}",
        params,
    )


def share(model: type[Model], pk) -> None:
    """Hold the row `FOR KEY SHARE` until the transaction ends: beside other such holders and their updates of
    the row's other columns, but not beside `select_for_update()` (Django has no shared row lock)."""
    _execute(f"SELECT 1 FROM {model._meta.db_table} WHERE {model._meta.pk.column} = %s FOR KEY SHARE", (pk,))


def empty(*models: type[Model]) -> None:
    """Every row of the models' tables gone: TRUNCATE on PostgreSQL (no dead rows to vacuum), DELETE elsewhere."""
    if connection.vendor == "postgresql":
        _execute(f"TRUNCATE {', '.join(model._meta.db_table for model in models)}", ())
    else:
        for model in models:
            model._base_manager.all().delete()


@contextmanager
def indexes_built_after(*models: type[Model]) -> Iterator[None]:
    """On PostgreSQL, the models' tables without any index, keys included, for the block, and their indexes built
    again after it: one sort of the finished table each instead of an entry per row written (for empty tables
    being filled; nothing in the block may rely on a key)."""
    if connection.vendor != "postgresql":
        yield
        return
    tables = [model._meta.db_table for model in models]
    keys = _execute(
        "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE conrelid = ANY(%s::regclass[]) AND contype IN ('p', 'u')",
        (tables,),
        returning=True,
    )
    indexes = _execute(
        "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = ANY(%s) AND NOT indexname = ANY(%s)",
        (tables, [name for _table, name, _definition in keys]),
        returning=True,
    )
    for table, name, _definition in keys:
        _execute(f"ALTER TABLE {table} DROP CONSTRAINT {connection.ops.quote_name(name)}", ())
    for name, _definition in indexes:
        _execute(f"DROP INDEX {connection.ops.quote_name(name)}", ())
    yield
    for table, name, definition in keys:
        _execute(f"ALTER TABLE {table} ADD CONSTRAINT {connection.ops.quote_name(name)} {definition}", ())
    for _name, definition in indexes:
        _execute(definition, ())


# The metrics ingest's rollups on PostgreSQL, in one statement of the ingest's own transaction (see
# `rollups.metrics_written`): each incoming day becomes its note-day (attributed to the enterprise bound that day),
# replacing the stored one, whose figures are read as they were (by ctid, as the ingest reads its metric rows); the
# enterprise-days then move by new minus old, summed by key and written in key order. The account-days hold no
# figures of the notes, so the ingest writes none. The statement returns the enterprise-days it left with no
# figures at all, for the caller to drop. A refresh job recomputing the same keys from the metric rows took
# 1.4–1.9 s a 10,000-row batch (bench/README.md, Analytics).
_NOTE_DAY = ("note_id", "date", "enterprise_id", "red_account_id", *NOTE_FIGURES, "read_uv", *RATES)


def _sums(table: str) -> str:
    return ", ".join(f"{name} = {table}.{name} + excluded.{name}" for name in NOTE_FIGURES)


def _none_left() -> str:
    return " AND ".join(f"{name} = 0" for name in RESULTS)


def _changed() -> str:
    return " OR ".join(f"sum({name}) <> 0" for name in NOTE_FIGURES)


# The enterprise an account was bound to on a day, as `rollups._bound_enterprise` says.
_BOUND = """(SELECT b.enterprise_id FROM bindings_binding b
            WHERE b.red_account_id = {account} AND (b.effective_at AT TIME ZONE %(zone)s)::date <= {day}
                  AND (b.ended_at IS NULL OR (b.ended_at AT TIME ZONE %(zone)s)::date > {day})
            ORDER BY b.effective_at DESC, b.id DESC LIMIT 1)"""


def _add_change() -> str:
    """Add `change`, summed by enterprise and day, to the enterprise-days in key order (a missing one is created,
    zero in the other columns); return each written row's key and whether nothing is left in it."""
    table, columns = "analytics_enterpriseday", "enterprise_id, date"
    figures = ", ".join(f"sum({name})" if name in NOTE_FIGURES else "0" for name in RESULTS)
    return f"""INSERT INTO {table} ({columns}, {", ".join(RESULTS)})
    SELECT {columns}, {figures} FROM change GROUP BY {columns} HAVING {_changed()} ORDER BY {columns}
    ON CONFLICT ({columns}) DO UPDATE SET {_sums(table)}
    RETURNING {columns}, {_none_left()} AS empty"""


@cache
def _keep_metrics_statement() -> str:
    return f"""
WITH incoming AS (
    SELECT * FROM unnest(%(notes)s::bigint[], %(authors)s::bigint[], %(dates)s::date[], %(exposure)s::bigint[],
                         %(reads)s::bigint[], %(engagement)s::bigint[], %(leads)s::bigint[], %(read_uv)s::bigint[],
                         %(play_5s_rate)s::numeric[], %(read_3s_rate)s::numeric[], %(avg_view_seconds)s::numeric[],
                         %(revises)s::boolean[])
           AS i(note_id, red_account_id, date, exposure, reads, engagement, leads, read_uv, play_5s_rate,
                read_3s_rate, avg_view_seconds, revises)
), days AS (
    SELECT i.note_id, i.date,
           {_BOUND.format(account="i.red_account_id", day="i.date")} AS enterprise_id,
           i.red_account_id, i.exposure, i.reads, i.engagement, i.leads, i.read_uv,
           {", ".join(f"i.{rate}" for rate in RATES)}, i.revises
    FROM incoming i
), was AS (
    UPDATE analytics_noteday d SET {", ".join(f"{name} = n.{name}" for name in _NOTE_DAY[2:])}
    FROM days n, analytics_noteday old
    WHERE n.revises AND d.note_id = n.note_id AND d.date = n.date AND old.ctid = d.ctid
    RETURNING d.note_id, d.date, old.enterprise_id, {", ".join(f"old.{name}" for name in NOTE_FIGURES)}
), added AS (
    INSERT INTO analytics_noteday ({", ".join(_NOTE_DAY)})
    SELECT {", ".join(f"n.{name}" for name in _NOTE_DAY)} FROM days n
    WHERE NOT EXISTS (SELECT FROM was WHERE was.note_id = n.note_id AND was.date = n.date)
), change AS (
    SELECT enterprise_id, date, {", ".join(NOTE_FIGURES)} FROM days WHERE enterprise_id IS NOT NULL
    UNION ALL
    SELECT enterprise_id, date, {", ".join(f"-{name}" for name in NOTE_FIGURES)}
    FROM was WHERE enterprise_id IS NOT NULL
), enterprise_days AS (
    {_add_change()}
)
SELECT enterprise_id, date FROM enterprise_days WHERE empty
"""


def keep_metrics(days: dict[str, list]) -> list[tuple]:
    """Write the incoming metric days' rollups (`days`: parallel columns, see `_keep_metrics_statement`; `revises` says
    which days may be stored already, as the ingest knows from the note's last day: only those are looked up);
    returns the (enterprise, date) of the enterprise-days left with no figures."""
    params = {name: array_literal(column) for name, column in days.items()}
    params["zone"] = timezone.get_default_timezone_name()
    return _execute(_keep_metrics_statement(), params, returning=True)


# Every note-day of a range, for a rebuild: each account's days cut into spells at every day one of its bindings
# begins or ends, so that the same bindings are in effect all through a spell, and each spell's enterprise found
# once; the metric rows then join their author's spell (a hash join) instead of looking up the binding of each
# (35 % of a full rebuild, bench/README.md, Analytics).
_FILL_NOTE_DAYS = f"""
WITH edges AS (
    SELECT red_account_id, (effective_at AT TIME ZONE %(zone)s)::date AS day FROM bindings_binding
    UNION
    SELECT red_account_id, (ended_at AT TIME ZONE %(zone)s)::date FROM bindings_binding WHERE ended_at IS NOT NULL
), spells AS (
    SELECT e.red_account_id, e.day AS first, lead(e.day) OVER (PARTITION BY e.red_account_id ORDER BY e.day) AS next,
           {_BOUND.format(account="e.red_account_id", day="e.day")} AS enterprise_id
    FROM edges e
)
INSERT INTO analytics_noteday ({", ".join(_NOTE_DAY)})
SELECT m.note_id, m.date, s.enterprise_id, n.author_id, m.exposure, m.reads, m.likes + m.collects + m.comments,
       m.leads, m.read_uv, {", ".join(f"m.{rate}" for rate in RATES)}
FROM notes_notedailymetric m JOIN notes_note n ON n.id = m.note_id
LEFT JOIN spells s ON s.red_account_id = n.author_id AND s.first <= m.date AND (s.next IS NULL OR m.date < s.next)
WHERE m.date BETWEEN %(first)s AND %(last)s
"""


def fill_note_days(first, last) -> int:
    """Insert the note-days of every metric row from `first` to `last` (PostgreSQL; the caller has removed the
    range's old ones); returns how many."""
    params = {"zone": timezone.get_default_timezone_name(), "first": first, "last": last}
    return _execute(_FILL_NOTE_DAYS, params)
