"""The rollups' writes, set-based: each is an ORM queryset compiled to its SELECT and wrapped in INSERT … SELECT
(or an upsert), so rows go from the source tables to the rollups inside the database. Building the rows in Python
cost a second per 10,000-row metrics batch, five times the ingest itself (bench/README.md, Analytics).

A queryset here selects only annotations named `c_<column>`, in the target table's column order; the prefix keeps
them apart from the model's own field names."""

from django.db import connection
from django.db.models import Model, QuerySet

PREFIX = "c_"


def _select(queryset: QuerySet) -> tuple[list[str], str, tuple]:
    """The target columns, and the SELECT without the model's default ordering (an INSERT keeps no order)."""
    queryset = queryset.order_by()
    sql, params = queryset.query.sql_with_params()
    return _columns(queryset), sql, params


def _execute(sql: str, params) -> int:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Compiling these statements just in time took longer than running them (0.8 of 1.4 s for a week).
            cursor.execute("SET LOCAL jit = off")
        cursor.execute(sql, params)
        return cursor.rowcount


def _columns(queryset: QuerySet) -> list[str]:
    names = list(queryset.query.annotation_select)
    if not all(name.startswith(PREFIX) for name in names):
        raise ValueError(f"every selected name starts with {PREFIX!r}: {names}")
    return [connection.ops.quote_name(name.removeprefix(PREFIX)) for name in names]


def insert(model: type[Model], queryset: QuerySet) -> int:
    """INSERT INTO model's table the rows `queryset` selects; returns how many."""
    columns, sql, params = _select(queryset)
    return _execute(f"INSERT INTO {model._meta.db_table} ({', '.join(columns)}) {sql}", params)


def upsert(
    model: type[Model], queryset: QuerySet, *, key: tuple[str, ...], sets: tuple[str, ...], add: bool = False
) -> int:
    """Insert the selected rows; where a row with the same `key` columns exists, set its `sets` columns instead (or,
    with `add`, add the selected values to them)."""
    columns, sql, params = _select(queryset)
    quote = connection.ops.quote_name
    key_columns = [quote(name) for name in key]
    table = model._meta.db_table
    plus = f"{table}.{{0}} + " if add else ""
    updates = ", ".join(f"{quote(name)} = {plus.format(quote(name))}excluded.{quote(name)}" for name in sets)
    return _execute(
        f"INSERT INTO {table} ({', '.join(columns)}) {sql} "
        f"ON CONFLICT ({', '.join(key_columns)}) DO UPDATE SET {updates}",
        params,
    )
