"""The content platform's bulk upserts (N01): notes here, their daily metrics in `metrics_ingest`, up to 10,000
rows a request; the row checks both share (and the ads ingests too).

Rows are checked in plain Python (a serializer per row costs more than the database work), every problem is
reported by row and field, and nothing is stored unless the whole batch is valid. A batch is then a handful of
statements whatever its size, with the columns sent as arrays and read with `unnest`: on PostgreSQL, notes go in
with `INSERT … ON CONFLICT DO UPDATE` (a row without a cover or an excerpt keeps the stored one). The embedded
SQLite default writes through `bulk_create` instead; tests/notes/test_preview.py holds both paths to the same
result."""

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import URLValidator
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework.exceptions import ValidationError

from accounts.models import AuditEvent, RedAccount
from analytics import rollups
from bindings.choices import LIVE_BINDING_STATUSES
from bindings.models import Binding
from kos_platform import clock, guard
from kos_platform.tenancy import Actor

from .choices import NoteType
from .counts import refresh_note_counts
from .models import MAX_INGEST_ROWS, Note

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


def _date(errors: RowErrors, index: int, row: dict, today: date) -> date | None:
    day = _iso(errors, index, row, "date", date.fromisoformat, NOT_A_DATE)
    if day is not None and day > today:
        errors.add(index, "date", _("Lies in the future."))
        return None
    if day is not None and day < guard.CONTENT_EPOCH:
        errors.add(index, "date", BEFORE_EPOCH)
        return None
    return day
