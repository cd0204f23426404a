"""Helpers for the note tests: note IDs, ingest rows, URLs, and calls through the API."""

import csv
import io
import itertools
from datetime import date, datetime, timedelta

import openpyxl
from django.utils import timezone

from kos_platform import clock

COUNT_FIELDS = ("exposure", "reads", "likes", "collects", "comments", "shares", "leads", "read_uv")
_serial = itertools.count(1)


def new_note_id() -> str:
    """A fresh 24-hex note ID, like the content platform's."""
    return f"649baff8{next(_serial):016x}"


def iso(moment: datetime) -> str:
    """An instant as the API writes it: ISO 8601 in Asia/Shanghai."""
    return timezone.localtime(moment).isoformat()


def local(day: date, hour: int = 0, minute: int = 0) -> datetime:
    """An aware instant at `day hour:minute` Asia/Shanghai."""
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour, minute))


def note_row(red_id: str, note_id: str | None = None, *, published_at: datetime | None = None, **fields) -> dict:
    """One row of `POST /api/v1/platform/notes/`."""
    note_id = note_id or new_note_id()
    return {
        "note_id": note_id,
        "red_id": red_id,
        "title": f"笔记 {note_id[-4:]}",
        "type": "image",
        "url": f"https://www.xiaohongshu.com/explore/{note_id}",
        "published_at": iso(published_at or clock.now() - timedelta(days=2)),
    } | fields


def metric_row(note_id: str, day: date | None = None, **figures) -> dict:
    """One row of `POST /api/v1/platform/note-metrics/`; every count 0 unless given."""
    return (
        {"note_id": note_id, "date": (day or clock.local_today()).isoformat()}
        | dict.fromkeys(COUNT_FIELDS, 0)
        | figures
    )


def sync_notes(staff, rows: list[dict]) -> dict:
    response = staff.post("/api/v1/platform/notes/", rows, format="json")
    assert response.status_code == 200, response.content
    return response.json()


def sync_metrics(staff, rows: list[dict]) -> dict:
    response = staff.post("/api/v1/platform/note-metrics/", rows, format="json")
    assert response.status_code == 200, response.content
    return response.json()


def brand_url(enterprise, rest: str = "") -> str:
    return f"/api/v1/enterprises/{enterprise.pk}/{rest}"


def listed(client, enterprise, query: str = "") -> dict:
    """The brand's note list (one page of up to 100) as JSON."""
    separator = "&" if query else ""
    response = client.get(brand_url(enterprise, f"notes/?page_size=100{separator}{query}"))
    assert response.status_code == 200, response.content
    return response.json()


def listed_ids(client, enterprise, query: str = "") -> list[str]:
    return [row["note_id"] for row in listed(client, enterprise, query)["results"]]


def submit(client, enterprise, note_ids: list[str]):
    return client.post(brand_url(enterprise, "note-reviews/"), {"note_ids": note_ids}, format="json")


def quota(client, enterprise) -> dict:
    response = client.get(brand_url(enterprise, "note-quota/"))
    assert response.status_code == 200, response.content
    return response.json()


def downloaded(response) -> bytes:
    assert response.status_code == 200, response.content
    return b"".join(response.streaming_content)


def csv_rows(response) -> list[list[str]]:
    """The rows of a CSV download (header first), checking the BOM Excel needs."""
    data = downloaded(response)
    assert data.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def xlsx_rows(response) -> list[tuple]:
    sheet = openpyxl.load_workbook(io.BytesIO(downloaded(response))).active
    return list(sheet.iter_rows(values_only=True))
