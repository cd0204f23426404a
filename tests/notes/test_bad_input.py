"""Bad input to the note endpoints: 400 `invalid` naming the row and field (or the query parameter), and nothing
stored — the whole ingest batch or nothing (N01), the brand's submission (N03) and list filters (N02)."""

from datetime import timedelta

import pytest

from kos_platform import clock
from notes.models import MAX_INGEST_ROWS, Note

from ..factories import RedAccountFactory
from .factories import NoteFactory, bind
from .helpers import brand_url, iso, local, metric_row, note_row, sync_notes

pytestmark = pytest.mark.django_db

NOTES = "/api/v1/platform/notes/"
METRICS = "/api/v1/platform/note-metrics/"


def assert_invalid(response, *fields: str) -> dict:
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["code"] == "invalid"
    assert body["detail"]
    assert sorted(body["fields"]) == sorted(fields), body["fields"]
    assert all(messages and all(isinstance(m, str) for m in messages) for messages in body["fields"].values())
    return body


@pytest.fixture
def synced(world, staff, bound_account):
    """A note of the bound employee published at 00:30 Asia/Shanghai five days ago (its local publication day is
    that day), synced through the API."""
    row = note_row(bound_account.red_id, published_at=local(clock.local_today() - timedelta(days=5), 0, 30))
    sync_notes(staff, [row])
    return row


# Ingest: notes ------------------------------------------------------------------------------------------------


def test_n01_more_than_10000_rows_is_refused_with_the_limit_in_the_message(staff, bound_account, unchanged):
    rows = [note_row(bound_account.red_id) for _ in range(MAX_INGEST_ROWS + 1)]

    with unchanged():
        response = staff.post(NOTES, rows, format="json")

    body = assert_invalid(response, "non_field_errors")
    assert "10,000" in body["fields"]["non_field_errors"][0]


def test_n01_exactly_10000_rows_are_accepted(staff, bound_account):
    rows = [note_row(bound_account.red_id) for _ in range(MAX_INGEST_ROWS)]

    assert sync_notes(staff, rows) == {"received": 10_000, "created": 10_000, "updated": 0}
    assert Note.objects.filter(enterprise__isnull=False).count() == 10_000


@pytest.mark.parametrize("body", [{}, {"note_id": "x"}, "rows", 42, [], [[1, 2]], ["row"]])
def test_n01_the_body_must_be_a_list_of_row_objects(staff, body, unchanged, db):
    with unchanged():
        response = staff.post(NOTES, body, format="json")
        metrics = staff.post(METRICS, body, format="json")

    field = "[0].non_field_errors" if isinstance(body, list) and body else "non_field_errors"
    assert_invalid(response, field)
    assert_invalid(metrics, field)


def test_n01_a_body_that_is_not_json_is_400(staff, unchanged, db):
    with unchanged():
        response = staff.generic("POST", NOTES, "[{not json", content_type="application/json")

    assert (response.status_code, response.json()["code"]) == (400, "invalid")


NOTE_ROW_ERRORS = [
    pytest.param({"published_at": "2026-13-01T10:00:00+08:00"}, "published_at", id="published_at_month_13"),
    pytest.param({"published_at": "yesterday"}, "published_at", id="published_at_words"),
    pytest.param({"published_at": "2026-11-01T10:00:00"}, "published_at", id="published_at_naive"),
    pytest.param({"published_at": "2026-11-01"}, "published_at", id="published_at_date_only"),
    pytest.param({"published_at": 1700000000}, "published_at", id="published_at_number"),
    pytest.param({"published_at": None}, "published_at", id="published_at_missing"),
    pytest.param({"published_at": "future"}, "published_at", id="published_at_future"),
    pytest.param({"red_id": "00000000"}, "red_id", id="unknown_red_id"),
    pytest.param({"red_id": None}, "red_id", id="red_id_missing"),
    pytest.param({"note_id": "abc def"}, "note_id", id="note_id_with_space"),
    pytest.param({"note_id": "649baff8\x000000000000000001"}, "note_id", id="note_id_with_nul"),
    pytest.param({"note_id": "a" * 65}, "note_id", id="note_id_too_long"),
    pytest.param({"note_id": ""}, "note_id", id="note_id_blank"),
    pytest.param({"type": "gif"}, "type", id="type_unknown"),
    pytest.param({"type": "视频"}, "type", id="type_label_not_value"),
    pytest.param({"url": "javascript:alert(1)"}, "url", id="url_javascript"),
    pytest.param({"url": "ftp://example.com/x"}, "url", id="url_ftp"),
    pytest.param({"title": "标" * 201}, "title", id="title_too_long"),
    pytest.param({"title": "a\x00b"}, "title", id="title_with_nul"),
    pytest.param({"title": 12}, "title", id="title_not_text"),
]


@pytest.mark.parametrize("override, field", NOTE_ROW_ERRORS)
def test_n01_a_bad_note_row_refuses_the_whole_batch(staff, bound_account, override, field, unchanged):
    """The second row is bad: 400 naming `[1].field`, and the good first row is not stored either."""
    if override.get("published_at") == "future":
        override = {"published_at": iso(clock.now() + timedelta(hours=1))}
    rows = [note_row(bound_account.red_id), note_row(bound_account.red_id) | override]

    with unchanged():
        response = staff.post(NOTES, rows, format="json")

    assert_invalid(response, f"[1].{field}")


def test_n01_a_publication_a_few_minutes_ahead_is_clock_skew_not_future(staff, bound_account):
    row = note_row(bound_account.red_id, published_at=clock.now() + timedelta(minutes=4))

    assert sync_notes(staff, [row])["created"] == 1


def test_n01_duplicate_rows_in_a_batch(staff, bound_account, unchanged):
    row = note_row(bound_account.red_id)

    with unchanged():
        response = staff.post(NOTES, [row, note_row(bound_account.red_id), dict(row)], format="json")

    assert_invalid(response, "[2].note_id")


def test_n01_a_note_cannot_change_author(staff, bound_account, synced, unchanged):
    other = RedAccountFactory()

    with unchanged():
        response = staff.post(NOTES, [note_row(other.red_id, synced["note_id"])], format="json")

    assert_invalid(response, "[0].red_id")


# Ingest: metrics ----------------------------------------------------------------------------------------------


METRIC_ROW_ERRORS = [
    pytest.param({"date": "2026-02-30"}, "date", id="date_feb_30"),
    pytest.param({"date": "20261101"}, "date", id="date_without_dashes"),
    pytest.param({"date": "2026-11-01T00:00:00+08:00"}, "date", id="date_with_time"),
    pytest.param({"date": None}, "date", id="date_missing"),
    pytest.param({"date": "tomorrow"}, "date", id="date_future"),
    pytest.param({"likes": -1}, "likes", id="negative_likes"),
    pytest.param({"reads": 1.5}, "reads", id="fractional_reads"),
    pytest.param({"exposure": "12"}, "exposure", id="exposure_as_text"),
    pytest.param({"comments": True}, "comments", id="comments_boolean"),
    pytest.param({"read_uv": None}, "read_uv", id="read_uv_missing"),
    pytest.param({"shares": 2**31}, "shares", id="shares_over_int32"),
    pytest.param({"play_5s_rate": 1.0001}, "play_5s_rate", id="rate_above_1"),
    pytest.param({"read_3s_rate": 2}, "read_3s_rate", id="rate_2"),
    pytest.param({"read_3s_rate": -0.1}, "read_3s_rate", id="negative_rate"),
    pytest.param({"play_5s_rate": "abc"}, "play_5s_rate", id="rate_text"),
    pytest.param({"play_5s_rate": [0.5]}, "play_5s_rate", id="rate_list"),
    pytest.param({"avg_view_seconds": -3}, "avg_view_seconds", id="negative_seconds"),
    pytest.param({"note_id": "ffffffffffffffffffffffff"}, "note_id", id="unknown_note"),
    pytest.param({"date": "before_publication"}, "date", id="day_before_publication"),
]


@pytest.mark.parametrize("override, field", METRIC_ROW_ERRORS)
def test_n01_a_bad_metric_row_refuses_the_whole_batch(staff, synced, override, field, unchanged):
    """The second row is bad: 400 naming `[1].field`; the good first row is not stored either."""
    today = clock.local_today()
    if override.get("date") == "tomorrow":
        override = {"date": (today + timedelta(days=1)).isoformat()}
    if override.get("date") == "before_publication":
        override = {"date": (today - timedelta(days=6)).isoformat()}
    rows = [
        metric_row(synced["note_id"], today, likes=3),
        metric_row(synced["note_id"], today - timedelta(days=1)) | override,
    ]

    with unchanged():
        response = staff.post(METRICS, rows, format="json")

    assert_invalid(response, f"[1].{field}")


def test_n01_metrics_from_the_local_publication_day_are_accepted(staff, synced):
    """Published at 00:30 Asia/Shanghai (16:30 UTC the day before): that local day is the first allowed."""
    first_day = clock.local_today() - timedelta(days=5)

    response = staff.post(METRICS, [metric_row(synced["note_id"], first_day, reads=1, play_5s_rate=1)], format="json")

    assert response.status_code == 200, response.content


def test_n01_duplicate_days_in_a_metric_batch(staff, synced, unchanged):
    rows = [metric_row(synced["note_id"]), metric_row(synced["note_id"], likes=4)]

    with unchanged():
        response = staff.post(METRICS, rows, format="json")

    assert_invalid(response, "[1].note_id")


def test_n01_more_than_10000_metric_rows(staff, synced, unchanged):
    today = clock.local_today()
    rows = [metric_row(synced["note_id"], today)] * (MAX_INGEST_ROWS + 1)

    with unchanged():
        response = staff.post(METRICS, rows, format="json")

    body = assert_invalid(response, "non_field_errors")
    assert "10,000" in body["fields"]["non_field_errors"][0]


# Brand side: submission ---------------------------------------------------------------------------------------


@pytest.fixture
def bad_submit(world, operator, unchanged):
    def post(body):
        with unchanged():
            return operator.post(brand_url(world.enterprise, "note-reviews/"), body, format="json")

    return post


def test_n03_unknown_note_ids_are_400(bad_submit, note):
    body = assert_invalid(bad_submit({"note_ids": [note.note_id, "ffffffffffffffffffffffff"]}), "note_ids")
    assert "ffffffffffffffffffffffff" in body["fields"]["note_ids"][0]


def test_n03_a_note_of_another_enterprises_employee_is_unknown_here(world, bad_submit, note):
    theirs = NoteFactory(author=bind(world.other_enterprise).red_account)

    body = assert_invalid(bad_submit({"note_ids": [note.note_id, theirs.note_id]}), "note_ids")
    assert theirs.note_id in body["fields"]["note_ids"][0]
    assert note.note_id not in body["fields"]["note_ids"][0]


def test_n03_a_note_of_an_author_no_longer_bound_is_unknown_here(world, staff, bad_submit, note):
    binding = note.author.bindings.get()
    staff.post(f"/api/v1/platform/bindings/{binding.pk}/remove-for-violation/", {"reason": "违规"})

    assert_invalid(bad_submit({"note_ids": [note.note_id]}), "note_ids")


@pytest.mark.parametrize(
    "body",
    [
        pytest.param({"note_ids": []}, id="empty_list"),
        pytest.param({}, id="missing"),
        pytest.param({"note_ids": "abc"}, id="not_a_list"),
        pytest.param({"note_ids": [None]}, id="null_id"),
        pytest.param({"note_ids": [{"id": 1}]}, id="object_id"),
        pytest.param({"note_ids": ["a" * 65]}, id="id_too_long"),
        pytest.param({"note_ids": ["649baff8\x000000000000000001"]}, id="nul_in_id"),
        pytest.param({"note_ids": ["x"] * 1001}, id="over_1000_ids"),
    ],
)
def test_n03_malformed_submissions_are_400(bad_submit, note, body):
    assert_invalid(bad_submit(body), "note_ids")


def test_n03_duplicate_note_ids_are_400(bad_submit, note):
    assert_invalid(bad_submit({"note_ids": [note.note_id, note.note_id]}), "note_ids")


def test_n03_a_nul_byte_among_valid_ids_is_400(bad_submit, note):
    assert_invalid(bad_submit({"note_ids": [note.note_id, note.note_id + "\x00"]}), "note_ids")


# Brand side: list filters -------------------------------------------------------------------------------------

FILTER_ERRORS = [
    pytest.param("title=%00", "title", id="nul_in_title"),
    pytest.param("title=a%00b", "title", id="nul_inside_title"),
    pytest.param("employee=%00", "employee", id="nul_in_employee"),
    pytest.param("note_id=%00", "note_id", id="nul_in_note_id"),
    pytest.param("url=https%3A%2F%2Fx.com%2F%00", "url", id="nul_in_url"),
    pytest.param("title=%01", "title", id="control_character"),
    pytest.param("published_from=2026-13-01", "published_from", id="published_from_month_13"),
    pytest.param("published_to=2026-02-30", "published_to", id="published_to_feb_30"),
    pytest.param("submitted_from=yesterday", "submitted_from", id="submitted_from_words"),
    pytest.param("submitted_to=2026-11-01T00:00", "submitted_to", id="submitted_to_with_time"),
    pytest.param("published_from=2026-11-02&published_to=2026-11-01", "published_to", id="published_end_before_start"),
    pytest.param("submitted_from=2026-11-02&submitted_to=2026-11-01", "submitted_to", id="submitted_end_before_start"),
    pytest.param("review_status=pending", "review_status", id="unknown_review_status"),
    pytest.param("type=gif", "type", id="unknown_type"),
    pytest.param("ordering=title", "ordering", id="unsortable_field"),
    pytest.param("ordering=-likes", "ordering", id="unsortable_likes"),
    pytest.param("title=" + "x" * 101, "title", id="title_too_long"),
]


@pytest.mark.parametrize("query, field", FILTER_ERRORS)
def test_n02_bad_filters_are_400(world, operator, note, query, field, unchanged):
    with unchanged():
        response = operator.get(brand_url(world.enterprise, f"notes/?{query}"))

    assert_invalid(response, field)


def test_n02_the_export_refuses_the_same_bad_filters(world, operator, note, unchanged):
    with unchanged():
        answers = [
            (operator.get(brand_url(world.enterprise, f"notes/export/?format=csv&{param.values[0]}")), param.values[1])
            for param in FILTER_ERRORS
        ]

    for response, field in answers:
        assert_invalid(response, field)


def test_n02_a_nul_byte_in_the_note_path_is_400_naming_it(world, operator, note, unchanged):
    with unchanged():
        answers = [
            operator.get(brand_url(world.enterprise, "notes/%00/")),
            operator.post(brand_url(world.enterprise, "notes/%00/push-to-ads/")),
        ]

    for response in answers:
        assert_invalid(response, "note_id")


@pytest.mark.parametrize(
    "query, field", [("from=2026-13-01", "from"), ("to=nope", "to"), ("from=2026-11-02&to=2026-11-01", "to")]
)
def test_n01_bad_metric_ranges_are_400(world, operator, note, query, field):
    response = operator.get(brand_url(world.enterprise, f"notes/{note.note_id}/metrics/?{query}"))

    assert_invalid(response, field)
