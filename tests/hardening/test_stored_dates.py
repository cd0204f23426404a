"""A content date stored before the guard existed (1 BC, year 10,000) breaks nothing; new ones are refused."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection

from notes.models import Note
from tests.notes.factories import NoteFactory
from tests.notes.helpers import brand_url, csv_rows, note_row, xlsx_rows

pytestmark = pytest.mark.django_db


def store_published_at(note: Note, literal: str) -> None:
    """Write a time no request can send any more, as an older version of the platform stored it."""
    with connection.cursor() as cursor:
        cursor.execute("UPDATE notes_note SET published_at = %s::timestamptz WHERE id = %s", [literal, note.pk])


@pytest.fixture
def year_one_note(bound_account):
    for _ in range(25):  # the stored note lands on page 2 of the list sorted by publish time
        NoteFactory(author=bound_account)
    note = NoteFactory(author=bound_account, title="远古笔记")
    store_published_at(note, "0001-01-01T00:00:00+14:00")
    return note


def test_the_year_one_note_is_refused_by_the_ingest(staff, bound_account, unchanged):
    row = note_row(bound_account.red_id)
    row["published_at"] = "0001-01-01T00:00:00+14:00"

    with unchanged():
        response = staff.post("/api/v1/platform/notes/", [row], format="json")

    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["[0].published_at"]


def test_a_stored_year_one_note_does_not_break_the_list_detail_or_exports(world, operator, year_one_note):
    base = brand_url(world.enterprise)
    answers = [
        operator.get(f"{base}notes/?ordering=published_at"),
        operator.get(f"{base}notes/?ordering=-published_at&page=2"),
        operator.get(f"{base}notes/{year_one_note.note_id}/"),
    ]
    assert [a.status_code for a in answers] == [200, 200, 200]
    assert answers[0].json()["results"][0]["note_id"] == year_one_note.note_id
    assert answers[0].json()["results"][0]["published_at"].startswith("0001-01-01T")

    csv_export = operator.get(f"{base}notes/export/?format=csv")
    xlsx_export = operator.get(f"{base}notes/export/?format=xlsx")
    assert len(csv_rows(csv_export)) == 1 + 26
    assert len(xlsx_rows(xlsx_export)) == 1 + 26


def test_a_stored_year_one_note_does_not_break_the_pages(world, client, year_one_note):
    client.force_login(world.users["operator"])
    base = f"/w/{world.enterprise.pk}/notes/"

    pages = [
        client.get(base),
        client.get(f"{base}?ordering=published_at"),
        client.get(f"{base}{year_one_note.note_id}/"),
    ]
    exports = [client.get(f"/w/{world.enterprise.pk}/notes/export.{fmt}") for fmt in ("csv", "xlsx")]

    assert [p.status_code for p in pages + exports] == [200] * 5
    assert "远古笔记" in pages[1].content.decode()
    assert len(b"".join(exports[0].streaming_content).decode("utf-8-sig").splitlines()) == 1 + 26


def test_the_report_command_lists_stored_content_dates_out_of_bounds(year_one_note, note):
    out = StringIO()
    call_command("report_out_of_bounds_dates", stdout=out)

    report = out.getvalue()
    assert year_one_note.note_id in report and note.note_id not in report
    assert "published_at" in report
