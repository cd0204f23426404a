"""The rollups' writes, set-based: each is an ORM queryset compiled to its SELECT and wrapped in INSERT … SELECT
(or an upsert), so rows go from the source tables to the rollups inside the database. Building the rows in Python
cost a second per 10,000-row metrics batch, five times the ingest itself (bench/README.md, Analytics).

A queryset here selects only annotations named `c_<column>`, in the target table's column order; the prefix keeps
them apart from the model's own field names."""

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection
from django.db.models import Model, QuerySet

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
    `key` columns: one write a row where an insert and an upsert for each further source would write it again."""
    selects = [_select(queryset) for queryset in querysets]
    columns = selects[0][0]
    if any(other != columns for other, _sql, _params in selects):
        raise ValueError("the querysets select different columns")
    quote = connection.ops.quote_name
    keys = [quote(f"{PREFIX}{name}") for name in key]
    inner = [quote(name) for name in querysets[0].query.annotation_select]  # the SELECTs' own names, prefixed
    sums = [name if name in keys else f"SUM({name})" for name in inner]
    union = " UNION ALL ".join(sql for _columns, sql, _params in selects)  # SQLite takes no parenthesised parts
    params = tuple(param for _columns, _sql, select_params in selects for param in select_params)
    return _execute(
        f"INSERT INTO {model._meta.db_table} ({', '.join(columns)}) SELECT {', '.join(sums)} FROM ({union}) AS source "
        f"GROUP BY {', '.join(keys)}",
        params,
    )


def empty(*models: type[Model]) -> None:
    """Every row of the models' tables gone: TRUNCATE on PostgreSQL (no dead rows to vacuum), DELETE elsewhere."""
    if connection.vendor == "postgresql":
        _execute(f"TRUNCATE {', '.join(model._meta.db_table for model in models)}", ())
    else:
        for model in models:
            model._base_manager.all().delete()


@contextmanager
def indexes_built_after(*models: type[Model]) -> Iterator[None]:
    """On PostgreSQL, the models' secondary indexes (`Meta.indexes`) dropped for the block and built again after it:
    one sort of the finished table instead of an index entry per row written."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.schema_editor(atomic=False) as editor:
        for model in models:
            for index in model._meta.indexes:
                editor.remove_index(model, index)
    yield
    with connection.schema_editor(atomic=False) as editor:
        for model in models:
            for index in model._meta.indexes:
                editor.add_index(model, index)
