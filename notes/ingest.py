"""The content platform's bulk upserts (N01): notes and their daily metrics, up to 10,000 rows a request.

Rows are checked in plain Python (a serializer per row costs more than the database work), every problem is
reported by row and field, and nothing is stored unless the whole batch is valid. A batch is then a handful of
statements whatever its size, with the columns sent as arrays and read with `unnest`: on PostgreSQL, notes go in
with `INSERT … ON CONFLICT DO UPDATE` (a row without a cover or an excerpt keeps the stored one); daily metrics
lock their notes, then one statement replaces the revised days, inserts the new ones and moves the kept totals
(`_UPSERT_METRICS`). The embedded SQLite default writes through `bulk_create` instead; tests/notes/test_preview.py
holds both paths to the same result."""

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from operator import itemgetter

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import URLValidator
from django.db import connection, transaction
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework.exceptions import ValidationError

from accounts.models import AuditEvent, RedAccount
from analytics import rollups
from bindings.choices import LIVE_BINDING_STATUSES
from bindings.models import Binding
from kos_platform import clock, guard
from kos_platform.lookups import array_literal
from kos_platform.tenancy import Actor

from .choices import NoteType
from .counts import refresh_note_counts
from .models import MAX_INGEST_ROWS, Note, NoteDailyMetric

NOTE_ID = re.compile(r"[0-9A-Za-z_-]{1,64}")
MAX_ERRORS = 100
MAX_COUNT = 2**31 - 1
MAX_VIEW_SECONDS = 999_999
COUNT_FIELDS = ("exposure", "reads", "likes", "collects", "comments", "shares", "leads", "read_uv")
RATE_FIELDS = ("play_5s_rate", "read_3s_rate")
CLOCK_SKEW = timedelta(minutes=5)
NOT_A_DATE = gettext_lazy("Not a date (YYYY-MM-DD).")  # lazy: translated only for a row that has the problem
NOT_AN_INSTANT = gettext_lazy("Not an ISO 8601 date and time.")
BEFORE_EPOCH = gettext_lazy("Lies before 2013-01-01.")
_url = URLValidator(schemes=["http", "https"])
MAX_COVER_URL = 500
EXCERPT_LENGTH = 200  # what is kept: the contract's "first ~200 characters"; a longer excerpt is cut there
MAX_EXCERPT_SENT = 1_000  # beyond this, the row holds more than an excerpt (the whole text?): refused


class RowErrors:
    """Problems by row and field, reported as `fields: {"[3].date": [message]}`."""

    def __init__(self):
        self.fields: dict[str, list[str]] = {}

    def add(self, index: int, field: str, message: str) -> None:
        if len(self.fields) < MAX_ERRORS:
            self.fields.setdefault(f"[{index}].{field}", []).append(str(message))

    def raise_if_any(self) -> None:
        if self.fields:
            raise ValidationError(self.fields)


def check_batch(rows) -> list[dict]:
    if not isinstance(rows, list):
        raise ValidationError({"non_field_errors": [_("Send a JSON list of rows.")]})
    if not rows:
        raise ValidationError({"non_field_errors": [_("The list is empty.")]})
    if len(rows) > MAX_INGEST_ROWS:
        raise ValidationError(
            {
                "non_field_errors": [
                    _("At most %(limit)s rows per request; this one has %(count)s. Split the batch.")
                    % {"limit": f"{MAX_INGEST_ROWS:,}", "count": f"{len(rows):,}"}
                ]
            }
        )
    errors = RowErrors()
    for index, row in enumerate(rows):
        if not isinstance(row, dict):
            errors.add(index, "non_field_errors", _("Each row is a JSON object."))
    errors.raise_if_any()
    return rows


def _text(errors: RowErrors, index: int, row: dict, field: str, max_length: int, *, blank=False) -> str | None:
    value = row.get(field)
    if value is None:
        errors.add(index, field, _("This field is required."))
        return None
    if not isinstance(value, str):
        errors.add(index, field, _("Must be text."))
        return None
    value = value.strip()
    if not value and not blank:
        errors.add(index, field, _("This field may not be blank."))
    elif len(value) > max_length:
        errors.add(index, field, _("At most %(n)s characters.") % {"n": max_length})
    else:  # refused characters were refused by the request's parser (kos_platform.guard)
        return value
    return None


def _note_id(errors: RowErrors, index: int, row: dict) -> str | None:
    value = row.get("note_id")
    if type(value) is str and NOTE_ID.fullmatch(value):  # the usual case, no space to strip
        return value
    value = _text(errors, index, row, "note_id", 64)
    if value is not None and not NOTE_ID.fullmatch(value):
        errors.add(index, "note_id", _("A note ID has letters, digits, '-' or '_' only."))
        return None
    return value


def _duplicates(errors: RowErrors, keys: list) -> None:
    seen = {}
    for index, key in enumerate(keys):
        if key is None or None in (key if isinstance(key, tuple) else (key,)):
            continue
        if key in seen:
            errors.add(index, "note_id", _("Repeats row %(row)s of this batch.") % {"row": seen[key]})
        else:
            seen[key] = index


def _audit(actor: Actor, action: str, after: dict) -> None:
    AuditEvent.objects.create(
        at=clock.now(),
        actor=actor.user,
        action=action,
        object_type=Note._meta.label_lower,
        object_id="",
        object_repr=_("%(n)s rows") % {"n": after["received"]},
        after=after,
    )


# Notes ---------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class NoteRow:
    note_id: str
    red_id: str
    title: str
    type: str
    url: str
    published_at: datetime
    cover_url: str = ""  # "" when not sent: an update keeps the stored value
    excerpt: str = ""


def _iso(errors: RowErrors, index: int, row: dict, field: str, parse, message):
    """The field's text parsed by `parse` (`date.fromisoformat`, `datetime.fromisoformat`), or None and an error."""
    value = row.get(field)
    if not isinstance(value, str):
        errors.add(index, field, _("This field is required.") if value is None else _("Must be text."))
        return None
    try:
        return parse(value)
    except ValueError:
        errors.add(index, field, message)
        return None


def _published_at(errors: RowErrors, index: int, row: dict, latest: datetime) -> datetime | None:
    parsed = _iso(errors, index, row, "published_at", datetime.fromisoformat, NOT_AN_INSTANT)
    if parsed is None:
        return None
    if timezone.is_naive(parsed):
        errors.add(index, "published_at", _("Give the UTC offset, e.g. 2026-11-21T09:30:00+08:00."))
        return None
    if parsed > latest:
        errors.add(index, "published_at", _("Lies in the future."))
        return None
    if parsed < guard.day_start(guard.CONTENT_EPOCH):
        errors.add(index, "published_at", BEFORE_EPOCH)
        return None
    return parsed


def _optional_text(errors: RowErrors, index: int, row: dict, field: str, max_length: int) -> str:
    """An optional text field, trimmed: "" when absent, null or blank."""
    value = row.get(field)
    if value is None:
        return ""
    if not isinstance(value, str):
        errors.add(index, field, _("Must be text."))
        return ""
    value = value.strip()
    if len(value) > max_length:
        errors.add(index, field, _("At most %(n)s characters.") % {"n": f"{max_length:,}"})
        return ""
    return value


def _cover_url(errors: RowErrors, index: int, row: dict, site_covers: bool) -> str:
    """An http(s) address of at most 500 characters (whether a page shows it is the setting CONTENT_IMAGE_HOSTS');
    with `site_covers` (the demo only, never the API) also a path on this site, such as /static/…"""
    value = _optional_text(errors, index, row, "cover_url", MAX_COVER_URL)
    if site_covers and value.startswith("/") and not value.startswith(("//", "/\\")):
        return value
    if value:
        try:
            _url(value)
        except DjangoValidationError:
            errors.add(index, "cover_url", _("Not a valid http(s) link."))
            return ""
    return value


def _excerpt(errors: RowErrors, index: int, row: dict) -> str:
    """The first ~200 characters of the note's text: kept up to 200 (cut there, with "…"); over 1,000 refused."""
    value = _optional_text(errors, index, row, "excerpt", MAX_EXCERPT_SENT)
    if len(value) > EXCERPT_LENGTH:
        value = value[: EXCERPT_LENGTH - 1].rstrip() + "…"
    return value


def parse_note_rows(rows, *, site_covers: bool = False) -> list[NoteRow]:
    errors = RowErrors()
    parsed = []
    latest = clock.now() + CLOCK_SKEW
    for index, row in enumerate(check_batch(rows)):
        note_id = _note_id(errors, index, row)
        red_id = _text(errors, index, row, "red_id", 32)
        title = _text(errors, index, row, "title", 200, blank=True)
        kind = row.get("type")
        if kind not in NoteType.values:
            errors.add(index, "type", _("One of: %(choices)s.") % {"choices": ", ".join(NoteType.values)})
        url = _text(errors, index, row, "url", 500)
        if url is not None:
            try:
                _url(url)
            except DjangoValidationError:
                errors.add(index, "url", _("Not a valid http(s) link."))
        published_at = _published_at(errors, index, row, latest)
        cover_url = _cover_url(errors, index, row, site_covers) if "cover_url" in row else ""
        excerpt = _excerpt(errors, index, row) if "excerpt" in row else ""
        parsed.append(NoteRow(note_id, red_id, title, kind, url, published_at, cover_url, excerpt))
    _duplicates(errors, [row.note_id for row in parsed])
    errors.raise_if_any()
    return parsed


def _check_authors(rows: list[NoteRow]) -> tuple[dict[str, int], set[str]]:
    """(RED ID → account id, the note IDs already synced). An unknown account, or a note synced before for another
    author, is refused: a note's author never changes."""
    errors = RowErrors()
    accounts = dict(RedAccount.objects.filter(red_id__any={r.red_id for r in rows}).values_list("red_id", "pk"))
    authors = dict(Note.objects.filter(note_id__any=[r.note_id for r in rows]).values_list("note_id", "author__red_id"))
    for index, row in enumerate(rows):
        if row.red_id not in accounts:
            errors.add(index, "red_id", _("No Xiaohongshu account has this RED ID."))
        elif authors.get(row.note_id, row.red_id) != row.red_id:
            errors.add(
                index,
                "red_id",
                _("This note was synced for another account (%(red_id)s).") % {"red_id": authors[row.note_id]},
            )
    errors.raise_if_any()
    return accounts, set(authors)


_NOTE_FIELDS = ("title", "type", "url", "published_at", "synced_at")
_PREVIEW_FIELDS = ("cover_url", "excerpt")  # "" means not sent: the stored value stays
_UPSERT_NOTES = f"""
INSERT INTO notes_note (note_id, author_id, title, type, url, published_at, synced_at, enterprise_id,
                        exposure, reads, likes, collects, comments, shares, leads, engagement, read_uv,
                        cover_url, excerpt)
SELECT i.note_id, i.author_id, i.title, i.type, i.url, i.published_at, %s, i.enterprise_id, 0, 0, 0, 0, 0, 0, 0, 0, 0,
       i.cover_url, i.excerpt
FROM unnest(%s::text[], %s::bigint[], %s::text[], %s::text[], %s::text[], %s::timestamptz[], %s::bigint[],
            %s::text[], %s::text[])
     AS i(note_id, author_id, title, type, url, published_at, enterprise_id, cover_url, excerpt)
ON CONFLICT (note_id) DO UPDATE SET {", ".join(f"{c} = EXCLUDED.{c}" for c in _NOTE_FIELDS)},
    {", ".join(f"{c} = coalesce(nullif(EXCLUDED.{c}, ''), notes_note.{c})" for c in _PREVIEW_FIELDS)}
"""


def _write_notes(parsed: list[NoteRow], accounts: dict[str, int], enterprises: dict[int, int], now) -> None:
    authors = [accounts[r.red_id] for r in parsed]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                _UPSERT_NOTES,
                [
                    now,
                    [r.note_id for r in parsed],
                    authors,
                    [r.title for r in parsed],
                    [r.type for r in parsed],
                    [r.url for r in parsed],
                    [r.published_at for r in parsed],
                    [enterprises.get(author) for author in authors],
                    [r.cover_url for r in parsed],
                    [r.excerpt for r in parsed],
                ],
            )
        return
    Note.objects.bulk_create(  # the embedded SQLite default of the run command
        [
            Note(
                note_id=r.note_id,
                author_id=author,
                title=r.title,
                type=r.type,
                url=r.url,
                published_at=r.published_at,
                synced_at=now,
                enterprise_id=enterprises.get(author),
                cover_url=r.cover_url,
                excerpt=r.excerpt,
            )
            for r, author in zip(parsed, authors, strict=True)
        ],
        update_conflicts=True,
        unique_fields=["note_id"],
        update_fields=list(_NOTE_FIELDS),
    )
    # The previews sent, over what is stored (a new note has them already: this rewrites the same values).
    previews = [r for r in parsed if r.cover_url or r.excerpt]
    if previews:
        stored = Note.objects.filter(note_id__in=[r.note_id for r in previews]).in_bulk(field_name="note_id")
        for r in previews:
            note = stored[r.note_id]
            note.cover_url = r.cover_url or note.cover_url
            note.excerpt = r.excerpt or note.excerpt
        Note.objects.bulk_update(list(stored.values()), _PREVIEW_FIELDS, batch_size=500)


@transaction.atomic
def upsert_notes(*, actor: Actor, rows, site_covers: bool = False) -> dict:
    """Create or update notes by `note_id`; a new note lands in the list of its author's enterprise (N01).
    `site_covers`: the demo's covers are paths on this site (see `_cover_url`)."""
    parsed = parse_note_rows(rows, site_covers=site_covers)
    accounts, known = _check_authors(parsed)
    enterprises = dict(
        Binding.objects.filter(
            red_account_id__any=set(accounts.values()), status__in=LIVE_BINDING_STATUSES
        ).values_list("red_account_id", "enterprise_id")
    )
    _write_notes(parsed, accounts, enterprises, clock.now())
    rollups.touch(rollups.NOTES, {(accounts[r.red_id], rollups.local_day(r.published_at)) for r in parsed})
    created = [r for r in parsed if r.note_id not in known]
    refresh_note_counts(enterprises.get(accounts[r.red_id]) for r in created)
    result = {"received": len(parsed), "created": len(created), "updated": len(parsed) - len(created)}
    _audit(actor, "notes.synced", result)
    return result


# Daily metrics -------------------------------------------------------------------------------------------------


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


def _date(errors: RowErrors, index: int, row: dict, today: date) -> date | None:
    day = _iso(errors, index, row, "date", date.fromisoformat, NOT_A_DATE)
    if day is not None and day > today:
        errors.add(index, "date", _("Lies in the future."))
        return None
    if day is not None and day < guard.CONTENT_EPOCH:
        errors.add(index, "date", BEFORE_EPOCH)
        return None
    return day


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
