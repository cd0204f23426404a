"""The content platform's daily note metrics (N01), up to 10,000 rows a request, checked as `ingest` checks notes:
the batch's notes are locked, then one statement replaces the revised days, inserts the new ones and moves the
notes' kept totals (`_UPSERT_METRICS`), and the data centre's rollups follow in the same transaction
(`analytics.rollups.metrics_written`). The embedded SQLite default writes through `bulk_create` instead."""

from dataclasses import dataclass
from datetime import date
from operator import itemgetter

from django.db import connection, transaction
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext as _

from analytics import rollups
from kos_platform import clock
from kos_platform.lookups import array_literal
from kos_platform.tenancy import Actor

from .ingest import (
    COUNT_FIELDS,
    MAX_COUNT,
    MAX_VIEW_SECONDS,
    RATE_FIELDS,
    RowErrors,
    _audit,
    _date,
    _duplicates,
    _note_id,
    check_batch,
)
from .models import Note, NoteDailyMetric


def _count(errors: RowErrors, index: int, row: dict, field: str) -> int:
    value = row.get(field)
    if type(value) is not int:  # bool is an int subclass, and not a count
        errors.add(index, field, _("This field is required.") if value is None else _("Must be a whole number."))
        return 0
    if not 0 <= value <= MAX_COUNT:
        errors.add(index, field, _("Must be between 0 and %(max)s.") % {"max": MAX_COUNT})
    return value


def _number(errors: RowErrors, index: int, row: dict, field: str, upper: float) -> float | None:
    """A figure with decimals (a rate, seconds); PostgreSQL rounds it to the column's places."""
    value = row.get(field)
    if value is None or (type(value) is float and 0 <= value <= upper):
        return value
    if type(value) not in (int, float, str):
        errors.add(index, field, _("Must be a number."))
        return None
    try:
        number = float(value)
    except ValueError:
        errors.add(index, field, _("Must be a number."))
        return None
    if not 0 <= number <= upper:  # also refuses NaN
        errors.add(index, field, _("Must be between 0 and %(max)s.") % {"max": upper})
        return None
    return number


_count_values = itemgetter(*COUNT_FIELDS)


def _counts(errors: RowErrors, index: int, row: dict) -> tuple[int, ...]:
    try:
        values = _count_values(row)
    except KeyError:
        values = None
    # Checked in bulk first (bool, an int subclass, is not a count); the field-by-field pass only finds the problems.
    if values is not None and set(map(type, values)) == {int} and min(values) >= 0 and max(values) <= MAX_COUNT:
        return values
    return tuple(_count(errors, index, row, field) for field in COUNT_FIELDS)


def parse_metric_rows(rows) -> tuple[list, list]:
    """(note_ids, columns): the batch as parallel columns in the order of the metric table."""
    errors = RowErrors()
    today = clock.local_today()
    note_ids, dates, counts, rates_5s, rates_3s, seconds = [], [], [], [], [], []
    for index, row in enumerate(check_batch(rows)):
        note_ids.append(_note_id(errors, index, row))
        dates.append(_date(errors, index, row, today))
        counts.append(_counts(errors, index, row))
        rates_5s.append(_number(errors, index, row, "play_5s_rate", 1))
        rates_3s.append(_number(errors, index, row, "read_3s_rate", 1))
        seconds.append(_number(errors, index, row, "avg_view_seconds", MAX_VIEW_SECONDS))
    _duplicates(errors, list(zip(note_ids, dates, strict=True)))
    errors.raise_if_any()
    return note_ids, [dates, *(list(column) for column in zip(*counts, strict=True)), rates_5s, rates_3s, seconds]


@dataclass(frozen=True)
class LockedNote:
    pk: int
    author_id: int
    published_on: date  # the local date
    metrics_through: date | None
    ctid: str | None  # where the locked row lies (PostgreSQL): the totals are updated there, without an index search


# The notes of a batch, locked in id order so that concurrent batches cannot deadlock.
_LOCK_NOTES = """
SELECT note_id, id, author_id, (published_at AT TIME ZONE %s)::date, metrics_through, ctid::text
FROM notes_note WHERE note_id = ANY(%s::text[]) ORDER BY id FOR NO KEY UPDATE
"""


def _lock_notes(note_ids: set[str]) -> dict[str, LockedNote]:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(_LOCK_NOTES, [timezone.get_current_timezone_name(), array_literal(note_ids)])
            return {note_id: LockedNote(*values) for note_id, *values in cursor.fetchall()}
    notes = Note.objects.filter(note_id__any=note_ids).order_by("pk").select_for_update(no_key=True)
    return {
        note_id: LockedNote(pk, author_id, published_on, through, None)
        for note_id, pk, author_id, published_on, through in notes.values_list(
            "note_id", "pk", "author_id", TruncDate("published_at"), "metrics_through"
        )
    }


def _resolve_notes(note_ids: list[str], dates: list[date]) -> tuple[list[LockedNote], list[bool]]:
    """(notes, revises): each row's note, locked until the batch commits, and whether its day may already be stored
    — on or before the note's last day (`metrics_through`); a later day is new. Unknown notes and days before a note
    was published are refused. A note locked after waiting is read as the other batch left it: see
    `_UPSERT_METRICS`."""
    errors = RowErrors()
    known = _lock_notes(set(note_ids))
    notes, revises = [], []
    for index, (note_id, day) in enumerate(zip(note_ids, dates, strict=True)):
        note = known.get(note_id)
        if note is None:
            errors.add(index, "note_id", _("No synced note has this ID."))
            continue
        if day < note.published_on:
            errors.add(index, "date", _("Before the note was published (%(day)s).") % {"day": note.published_on})
        notes.append(note)
        revises.append(note.metrics_through is not None and day <= note.metrics_through)
    errors.raise_if_any()
    return notes, revises


METRIC_COLUMNS = ("date", *COUNT_FIELDS, *RATE_FIELDS, "avg_view_seconds")
METRIC_TYPES = ("date", *("integer",) * len(COUNT_FIELDS), *("numeric",) * (len(RATE_FIELDS) + 1))
_TOTALS = COUNT_FIELDS
# One statement. The days that may be stored (`revises`) are replaced in place, each returning what it changed
# by (the row as it was is read by its ctid, on the page the update has just read); the others are added; then
# each touched note's totals move by what its days changed by — instead of summing every day of 10,000 notes
# again. The notes are locked first (`_resolve_notes`), so no other batch writes their days meanwhile, and a
# concurrent batch of the same notes waits and then reads this one's days. A locked row stays where the lock
# found it until the batch commits, so the totals are written at that ctid, without searching the index again.
_UPSERT_METRICS = f"""
WITH incoming AS (
    SELECT * FROM unnest(%s::bigint[], {", ".join(f"%s::{kind}[]" for kind in METRIC_TYPES)}, %s::boolean[])
           AS i(note_id, {", ".join(METRIC_COLUMNS)}, revises)
), replaced AS (
    UPDATE notes_notedailymetric m SET {", ".join(f"{c} = i.{c}" for c in METRIC_COLUMNS[1:])}
    FROM incoming i, notes_notedailymetric was
    WHERE i.revises AND m.note_id = i.note_id AND m.date = i.date AND was.ctid = m.ctid
    RETURNING m.note_id, m.date, {", ".join(f"m.{c} - was.{c} AS {c}" for c in _TOTALS)}
), added AS (
    INSERT INTO notes_notedailymetric (note_id, {", ".join(METRIC_COLUMNS)})
    SELECT note_id, {", ".join(METRIC_COLUMNS)} FROM incoming i
    WHERE NOT EXISTS (SELECT FROM replaced r WHERE r.note_id = i.note_id AND r.date = i.date)
    RETURNING note_id, date, {", ".join(_TOTALS)}
), change AS (
    SELECT note_id, {", ".join(f"sum({c}) AS {c}" for c in _TOTALS)}, max(date) AS through
    FROM (SELECT * FROM replaced UNION ALL SELECT * FROM added) AS days
    GROUP BY note_id
)
UPDATE notes_note n SET {", ".join(f"{c} = n.{c} + change.{c}" for c in _TOTALS)},
       engagement = n.engagement + change.likes + change.collects + change.comments,
       metrics_through = greatest(n.metrics_through, change.through)
FROM change JOIN unnest(%s::bigint[], %s::tid[]) AS locked(id, ctid) ON locked.id = change.note_id
WHERE n.ctid = locked.ctid
"""
_SUM_TOTALS = f"""
UPDATE notes_note SET {", ".join(f"{c} = t.{c}" for c in _TOTALS)},
       engagement = t.likes + t.collects + t.comments, metrics_through = t.through
FROM (SELECT note_id, {", ".join(f"sum({c}) AS {c}" for c in _TOTALS)}, max(date) AS through
      FROM notes_notedailymetric WHERE note_id {{keys}} GROUP BY note_id) AS t
WHERE notes_note.id = t.note_id
"""


def sum_totals(note_pks) -> None:
    """Set the notes' kept totals to the sums of all their days: the embedded SQLite default's way, and the
    benchmark's after putting its days back."""
    pks = sorted(set(note_pks))
    if connection.vendor == "postgresql":
        keys, params = "= ANY(%s::bigint[])", [array_literal(pks)]
    else:
        keys, params = f"IN ({', '.join(['%s'] * len(pks))})", pks
    with connection.cursor() as cursor:
        cursor.execute(_SUM_TOTALS.format(keys=keys), params)


def _write_metrics(notes: list[LockedNote], columns: list[list], revises: list[bool]) -> None:
    """Upsert the days and bring the touched notes' totals along."""
    pks = [note.pk for note in notes]
    if connection.vendor == "postgresql":
        locked = {note.pk: note.ctid for note in notes}
        with connection.cursor() as cursor:
            cursor.execute(
                _UPSERT_METRICS,
                [array_literal(column) for column in (pks, *columns, revises, locked, locked.values())],
            )
        return
    NoteDailyMetric.objects.bulk_create(  # the embedded SQLite default of the run command: sum the days again
        [
            NoteDailyMetric(note_id=pk, **dict(zip(METRIC_COLUMNS, values, strict=True)))
            for pk, *values in zip(pks, *columns, strict=True)
        ],
        update_conflicts=True,
        unique_fields=["note", "date"],
        update_fields=list(METRIC_COLUMNS[1:]),
    )
    sum_totals(pks)


def _by_name(columns: list[list]) -> dict[str, list]:
    return dict(zip(METRIC_COLUMNS, columns, strict=True))


@transaction.atomic
def upsert_metrics(*, actor: Actor, rows) -> dict:
    """Create or replace each (note, day)'s figures; the touched notes' totals follow their days."""
    note_ids, columns = parse_metric_rows(rows)
    notes, revises = _resolve_notes(note_ids, columns[0])
    _write_metrics(notes, columns, revises)
    result = {"received": len(notes), "notes": len({note.pk for note in notes})}
    _audit(actor, "note_metrics.synced", result)
    # Last: its locks on the shared account-days and enterprise-days are held until the commit.
    authors = [note.author_id for note in notes]
    rollups.metrics_written([note.pk for note in notes], authors, _by_name(columns), revises)
    return result
