"""The written-out SQL of the campaigns app, where a bench figure forced it (`make bench`): the spend upsert, the
order upsert and the commission lines' insert on PostgreSQL (other databases take the ORM), the advanced-rights
evaluation, and the campaign list's delivery facts (portable SQL, the one way on every database). Tested against the
ORM's answer (tests/campaigns/test_statements.py)."""

from datetime import date
from decimal import Decimal

from django.db import connection
from django.db.models import DecimalField, IntegerField
from django.db.models.expressions import RawSQL

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
        cursor.execute(_UPSERT_SPEND, [array_literal(column) for column in columns])
        rows = cursor.fetchall()
    return {(enterprise_id, day): change for enterprise_id, day, change, _n in rows}, sum(n for *_r, n in rows)


ORDER_COLUMNS = (
    "order_id",
    "enterprise_id",
    "red_account_id",
    "product_id",
    "channel",
    "amount",
    "paid_at",
    "status",
    "refunded_at",
    "binding_id",
    "holder_id",
    "rate",
    "commission",
    "commission_reason",
    "synced_at",
)
_ORDER_TYPES = (
    "text",
    "bigint",
    "bigint",
    "bigint",
    "text",
    "numeric",
    "timestamptz",
    "text",
    "timestamptz",
    "bigint",
    "bigint",
    "numeric",
    "numeric",
    "text",
    "timestamptz",
)

# The orders as they are now, each with the sum of its commission lines so far (read from the snapshot before the
# upsert; the upsert writes no lines). The caller holds the enterprises' commission-settings locks.
_UPSERT_ORDERS = f"""
WITH upserted AS (
    INSERT INTO campaigns_order ({", ".join(ORDER_COLUMNS)})
    SELECT * FROM unnest({", ".join(f"%s::{kind}[]" for kind in _ORDER_TYPES)})
    ON CONFLICT (order_id) DO UPDATE
    SET {", ".join(f"{c} = EXCLUDED.{c}" for c in ORDER_COLUMNS[1:])}
    RETURNING id, order_id
)
SELECT u.order_id, u.id, (SELECT sum(l.amount) FROM campaigns_commissionline l WHERE l.order_id = u.id)
FROM upserted u
"""


def upsert_orders(columns: list[list]) -> dict[str, tuple[int, Decimal | None]]:
    """Write the orders given as parallel columns (`ORDER_COLUMNS` order); order ID → (primary key, the sum of its
    commission lines before, None when it has none)."""
    with connection.cursor() as cursor:
        cursor.execute(_UPSERT_ORDERS, [array_literal(column) for column in columns])
        return {order_id: (pk, lines) for order_id, pk, lines in cursor.fetchall()}


LINE_COLUMNS = ("enterprise_id", "order_id", "red_account_id", "holder_id", "month", "kind", "amount", "at")
_LINE_TYPES = ("bigint", "bigint", "bigint", "bigint", "text", "text", "numeric", "timestamptz")
_INSERT_LINES = f"""
INSERT INTO campaigns_commissionline ({", ".join(LINE_COLUMNS)})
SELECT * FROM unnest({", ".join(f"%s::{kind}[]" for kind in _LINE_TYPES)})
"""


def insert_commission_lines(columns: list[list]) -> None:
    """Append the commission lines given as parallel columns (`LINE_COLUMNS` order)."""
    with connection.cursor() as cursor:
        cursor.execute(_INSERT_LINES, [array_literal(column) for column in columns])


# A campaign's delivery facts as annotations of a campaign queryset: correlated subqueries written out, because
# building and compiling the ORM's `Subquery` pair cost the campaign list more than the rest of its query work.
_UNIT_COUNT = "SELECT count(*) FROM campaigns_campaignunit u WHERE u.campaign_id = campaigns_campaign.id"
_SPENT_ON = """
SELECT coalesce(sum(s.amount), 0) FROM campaigns_adspenddaily s JOIN campaigns_campaignunit u ON u.id = s.unit_id
WHERE u.campaign_id = campaigns_campaign.id AND s.date = %s
"""


def campaign_facts(day: date) -> dict:
    """`unit_count` (the campaign's units) and `spent_today` (its units' spend on `day`)."""
    return {
        "unit_count": RawSQL(_UNIT_COUNT, (), output_field=IntegerField()),
        "spent_today": RawSQL(_SPENT_ON, (day,), output_field=DecimalField(max_digits=14, decimal_places=2)),
    }
