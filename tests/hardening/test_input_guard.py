"""The input guard (API.md "Input limits"): refused characters, path ids, JSON depth, body sizes, date bounds."""

import json
from datetime import date

import pytest
from rest_framework.test import APIClient

from accounts.models import Enterprise
from kos_platform import guard
from notes.models import NoteReview
from tests.notes.factories import submit
from tests.notes.helpers import brand_url, local, metric_row, new_note_id, note_row

pytestmark = pytest.mark.django_db


def assert_invalid(response, *fields: str) -> dict:
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["code"] == "invalid" and body["detail"]
    assert sorted(body["fields"]) == sorted(fields), body["fields"]
    return body


# Refused characters: NUL, lone surrogates, bidirectional and zero-width controls --------------------------------


@pytest.mark.parametrize("query", ["q=%00", "q=%E2%80%AEevil", "q=a%E2%80%8Bb", "status=%00", "region=%EF%BB%BF"])
def test_nul_and_controls_in_a_list_query_are_400_naming_the_parameter(world, query):
    response = world.client("analyst").get(f"/api/v1/enterprises/{world.enterprise.pk}/bindings/?{query}")

    assert_invalid(response, query.split("=")[0])


def test_nul_in_the_platform_search_is_400(world):
    assert_invalid(world.client("staff").get("/api/v1/platform/red-accounts/?q=%00"), "q")


def test_nul_in_a_red_id_path_and_body_is_400(world, unchanged):
    staff = world.client("staff")
    with unchanged():
        in_path = staff.patch("/api/v1/platform/red-accounts/95%0027/", {"nickname": "x"}, format="json")
        in_body = staff.post("/api/v1/platform/red-accounts/", {"red_id": "95\x0027", "nickname": "x"}, format="json")

    assert_invalid(in_path, "red_id")
    assert_invalid(in_body, "red_id")


def test_a_lone_surrogate_in_a_note_title_refuses_the_batch(staff, bound_account, unchanged):
    body = json.dumps([note_row(bound_account.red_id, title="TITLE")]).replace("TITLE", "\\ud800 bad")
    with unchanged():
        response = staff.post("/api/v1/platform/notes/", body, content_type="application/json")

    assert_invalid(response, "[0].title")


def test_emoji_written_as_surrogate_pairs_are_kept(staff, bound_account):
    note_id = new_note_id()
    title = "\\ud83d\\ude00 \\u4f60\\u597d\\u200d"  # 😀 你好 and a zero-width joiner, escaped as JSON writes them
    body = json.dumps([note_row(bound_account.red_id, note_id, title="TITLE")]).replace("TITLE", title)
    response = staff.post("/api/v1/platform/notes/", body, content_type="application/json")

    assert response.status_code == 200, response.content


def test_a_bidirectional_override_in_a_page_form_is_refused_with_a_page(world, client, unchanged):
    client.force_login(world.users["owner"])
    with unchanged():
        response = client.post(f"/w/{world.enterprise.pk}/agencies/", {"agency": "\u202e1"})

    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    assert "不允许" in response.content.decode()


def test_refused_characters_in_json_keys_and_nested_values_name_the_top_field(world, unchanged):
    owner = world.client("owner")
    with unchanged():
        response = owner.post(
            f"/api/v1/enterprises/{world.enterprise.pk}/agencies/",
            {"agency_id": 1, "x\x00": {"y": ["\u2066"]}},
            format="json",
        )

    assert_invalid(response, "x\ufffd")


# Path ids ---------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("pk", ["false", "%D9%A1", "-1", "1e3", "%20%201"])
def test_a_path_id_that_is_not_ascii_digits_is_400_and_changes_nothing(world, pk, unchanged):
    staff = world.client("staff")
    with unchanged():
        response = staff.post(f"/api/v1/platform/note-reviews/{pk}/reject/", {"reason": "x"})

    assert_invalid(response, "pk")


def test_a_path_id_past_the_integer_range_is_404(world):
    staff = world.client("staff")
    answers = [
        staff.get("/api/v1/platform/invitations/99999999999999999999/"),
        staff.get("/api/v1/enterprises/99999999999999999999/"),
    ]

    assert [(a.status_code, a.json()["code"]) for a in answers] == [(404, "not_found")] * 2


# JSON depth and body sizes ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/api/v1/auth/token/", "/api/v1/platform/notes/", "/api/v1/platform/enterprises/"])
def test_deep_json_is_400_before_python_recurses(world, path):
    body = "[" * 100_000 + "]" * 100_000

    response = world.client("staff").post(path, body, content_type="application/json")

    assert_invalid(response, "non_field_errors")


def test_json_of_64_levels_is_parsed_and_65_refused():
    assert not guard.json_depth_exceeds(b"[" * 64 + b"]" * 64)
    assert guard.json_depth_exceeds(b"[" * 65 + b"]" * 65)
    assert not guard.json_depth_exceeds(b'{"a": "' + b"[" * 200 + b'\\"\\\\", "b": [1]}')


def test_the_documented_10000_row_ingest_of_28_mb_is_accepted(staff, bound_account):
    """10,000 rows with full-precision rates: 1,000 notes × 10 days, about 2.8 MB."""
    note_ids = [new_note_id() for _ in range(1000)]
    notes = [note_row(bound_account.red_id, note_id, published_at=local(date(2026, 10, 1), 9)) for note_id in note_ids]
    assert staff.post("/api/v1/platform/notes/", notes, format="json").status_code == 200
    rates = {"play_5s_rate": 0.12345678901234567, "read_3s_rate": 0.98765432109876543, "avg_view_seconds": 12.345678901}
    rows = [
        metric_row(note_id, date(2026, 10, day), exposure=1234567, reads=234567, read_uv=123456, **rates)
        for note_id in note_ids
        for day in range(1, 11)
    ]
    body = json.dumps(rows)
    assert len(body) > 2_600_000

    response = staff.post("/api/v1/platform/note-metrics/", body, content_type="application/json")

    assert response.status_code == 200, response.content[:500]
    assert response.json()["received"] == 10_000


def test_a_body_over_the_limit_is_413_too_large_in_the_error_shape(world, unchanged):
    staff = world.client("staff")
    big = json.dumps({"name": "x" * 2_700_000})
    huge = "[" + "0," * (8 * 1024 * 1024) + "0]"
    with unchanged():
        answers = [
            staff.post("/api/v1/platform/enterprises/", big, content_type="application/json"),
            staff.post("/api/v1/platform/note-metrics/", huge, content_type="application/json"),
        ]

    for response in answers:
        assert response.status_code == 413
        assert response.json()["code"] == "too_large" and "MB" in response.json()["detail"]


# Date bounds ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query, field",
    [
        ("published_to=9999-12-31", "published_to"),
        ("published_from=0001-01-01", "published_from"),
        ("submitted_from=2012-12-31", "submitted_from"),
        ("published_to=2026-02-30", "published_to"),
    ],
)
def test_list_filters_out_of_bounds_or_malformed_are_400(world, operator, query, field):
    assert_invalid(operator.get(brand_url(world.enterprise, f"notes/?{query}")), field)


@pytest.mark.parametrize(
    "field, value", [("annual_review_valid_until", "0865-01-01"), ("serious_violation_at", "2101-01-01T00:00:00+08:00")]
)
def test_enterprise_dates_outside_1990_to_2100_are_refused(world, field, value, unchanged):
    staff = world.client("staff")
    with unchanged():
        created = staff.post(
            "/api/v1/platform/enterprises/", {"name": "远古", "industry": "other", field: value}, format="json"
        )
        changed = staff.patch(f"/api/v1/platform/enterprises/{world.enterprise.pk}/", {field: value}, format="json")

    assert_invalid(created, field)
    assert_invalid(changed, field)
    assert not Enterprise.objects.filter(name="远古").exists()


def test_a_metric_day_before_2013_is_refused(staff, note, unchanged):
    with unchanged():
        response = staff.post(
            "/api/v1/platform/note-metrics/", [metric_row(note.note_id, date(2012, 12, 31))], format="json"
        )

    assert_invalid(response, "[0].date")


# No 5xx, and nothing stored, when the write's answer would fail ---------------------------------------------------


def test_approving_with_a_list_filter_in_the_query_approves_and_answers_200(world, note):
    review = submit(note, world.enterprise)

    response = world.client("staff").post(f"/api/v1/platform/note-reviews/{review.pk}/approve/?status=rejected")

    assert response.status_code == 200, response.content
    assert response.json()["status"] == "approved"
    assert NoteReview.objects.get(pk=review.pk).status == "approved"


# The error shape under /api/, and no-store ----------------------------------------------------------------------


def test_errors_outside_drf_are_json_under_api_and_pages_elsewhere(world, client):
    api = APIClient()
    missing = api.get("/api/v1/no-such-thing/")
    page = client.get("/no-such-page/")

    assert (missing.status_code, missing.json()) == (404, {"code": "not_found", "detail": "未找到。"})
    assert missing["Cache-Control"] == "no-store"
    assert page.status_code == 404 and page["Content-Type"].startswith("text/html")


def test_api_answers_carry_no_store(world):
    response = world.client("owner").get("/api/v1/enterprises/")

    assert response.status_code == 200 and "no-store" in response["Cache-Control"]


def test_a_server_error_under_api_is_json_in_the_language(world, monkeypatch):
    from accounts.api import views

    def explode(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(views.MeView, "get", explode)
    client = world.client("owner")
    client.raise_request_exception = False

    zh = client.get("/api/v1/me/")
    en = client.get("/api/v1/me/", HTTP_ACCEPT_LANGUAGE="en")

    assert zh.status_code == 500 and zh.json()["code"] == "server_error"
    assert en.json()["detail"] == "Something went wrong on our side. Please try again in a moment."


# Invalid filter and paging values: 400 on every list alike ---------------------------------------------------------


@pytest.mark.parametrize(
    "path, field",
    [
        ("enterprises/{eid}/bindings/?status=zzz", "status"),
        ("enterprises/{eid}/bindings/?mode=zzz", "mode"),
        ("enterprises/{eid}/bindings/?position=ceo", "position"),
        ("enterprises/{eid}/invitations/?status=zzz", "status"),
        ("enterprises/{eid}/audit-log/?action=zzz", "action"),
        ("enterprises/{eid}/bindings/?page_size=abc", "page_size"),
        ("enterprises/{eid}/notes/?page_size=0", "page_size"),
        ("enterprises/{eid}/bindings/?page=-1", "page"),
        ("enterprises/{eid}/bindings/?ordering=password", "ordering"),
        ("platform/bindings/?status=zzz", "status"),
        ("platform/enterprises/?ordering=zzz", "ordering"),
        ("platform/enterprises/?page_size=x", "page_size"),
        ("platform/note-reviews/?status=zzz", "status"),
    ],
)
def test_an_invalid_filter_or_paging_value_is_400_on_brand_and_platform_lists(world, path, field):
    client = world.client("staff" if path.startswith("platform/") else "owner")

    response = client.get("/api/v1/" + path.format(eid=world.enterprise.pk))

    assert_invalid(response, field)


def test_a_page_size_over_100_shows_100(world):
    response = world.client("owner").get(f"/api/v1/enterprises/{world.enterprise.pk}/bindings/?page_size=500")

    assert response.status_code == 200


@pytest.mark.parametrize(
    "body, refused",
    [
        (b'["\\ud800"]', True),
        (b'["\\u4f60\\udc00"]', True),
        (b'["\\ud83d\\ude00\\udc00"]', True),
        (b'["\\ud83d\\ude00"]', False),
        (b'["a\\u200bb"]', True),
        ('["a\u202eb"]'.encode(), True),
        ('["“引号” — 你好"]'.encode(), False),
        (b'["plain"]', False),
    ],
)
def test_the_quick_look_at_raw_json_never_misses_a_refused_character(body, refused):
    assert guard.may_hold_refused_characters(body) is refused
    assert guard.holds_refused_characters(json.loads(body)) is refused


def test_a_query_string_past_8000_bytes_is_answered_by_the_api_in_json(world):
    response = world.client("owner").get(f"/api/v1/enterprises/{world.enterprise.pk}/bindings/?q={'x' * 8000}")

    assert_invalid(response, "query")


def test_an_unknown_api_path_is_the_json_404_in_debug_mode_too(client, settings):
    settings.DEBUG = True

    response = client.get("/api/v1/no-such-thing/")

    assert (response.status_code, response.json()["code"]) == (404, "not_found")


def test_a_session_post_without_csrf_under_api_is_the_json_403(world):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users["owner"])

    answers = [
        client.post("/api/v1/enterprises/null,null/agencies/", {}, content_type="application/json"),
        client.post("/api/v1/no-such-thing/", {}, content_type="application/json"),
    ]

    assert [a.status_code for a in answers] == [404, 404]
    assert all(a["Content-Type"] == "application/json" for a in answers)
    page = client.post("/i18n/setlang/", {"language": "en"})
    assert page.status_code == 403 and page["Content-Type"].startswith("text/html")
