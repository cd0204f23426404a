"""The written-out SQL of the campaigns app, where a bench figure forced it (`make bench`): the spend upsert on
PostgreSQL. Tested against the ORM's answer (tests/campaigns/test_statements.py); other databases take the ORM."""

from datetime import date
from decimal import Decimal

from django.db import connection

from kos_platform.lookups import array_literal

SPEND_FIGURES = (
    "impressions",
    "clicks",
    "clicks_dm",
    "clicks_product",
    "clicks_lead_form",
    "clicks_store",
    "clicks_search",
)
_COLUMNS = ("enterprise_id", "note_id", "date", "unit_id", "amount", *SPEND_FIGURES)
_TYPES = ("bigint", "bigint", "date", "bigint", "numeric", *("integer",) * len(SPEND_FIGURES))

# One statement: every CTE reads the snapshot from before the upsert, so `was` holds the days as they were stored;
# the upsert returns the days as they are now; their difference, by (enterprise, day), is what the ledger takes.
# The caller holds the enterprises' ad-account locks, so no other batch writes these days meanwhile.
_UPSERT_SPEND = f"""
WITH incoming AS (
    SELECT * FROM unnest({", ".join(f"%s::{kind}[]" for kind in _TYPES)}) AS i({", ".join(_COLUMNS)})
), was AS (
    SELECT s.enterprise_id, s.note_id, s.date, s.amount
    FROM campaigns_adspenddaily s JOIN incoming i USING (enterprise_id, note_id, date)
), upserted AS (
    INSERT INTO campaigns_adspenddaily ({", ".join(_COLUMNS)})
    SELECT {", ".join(_COLUMNS)} FROM incoming
    ON CONFLICT (enterprise_id, note_id, date) DO UPDATE
    SET {", ".join(f"{c} = EXCLUDED.{c}" for c in _COLUMNS[3:])}
    RETURNING enterprise_id, note_id, date, amount
)
SELECT u.enterprise_id, u.date, sum(u.amount - coalesce(w.amount, 0)), count(w.amount)
FROM upserted u LEFT JOIN was w USING (enterprise_id, note_id, date)
GROUP BY u.enterprise_id, u.date
"""


def upsert_spend_days(columns: list[list]) -> tuple[dict[tuple[int, date], Decimal], int]:
    """Write the spend days given as parallel columns (`_COLUMNS` order); return each (enterprise, day)'s change
    of spend and how many of the rows replaced a stored day."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL jit = off")  # compiling the plan costs more than running it
        cursor.execute(_UPSERT_SPEND, [array_literal(column) for column in columns])
        rows = cursor.fetchall()
    return {(enterprise_id, day): change for enterprise_id, day, change, _n in rows}, sum(n for *_r, n in rows)
