"""B10 in words: every audit record the services write reads in the user's language — the action, the object by its
domain name, states through their choices, fields through their names, money as ¥, times in Asia/Shanghai — on the
操作日志 page, in its CSV/XLSX export and in the API's `summary`; with the page's and the API's filters and a
constant number of queries whatever the page size."""

import csv
import io
import re

import openpyxl
import pytest
from django.test import Client
from django.utils import timezone, translation

from accounts import audit_display
from accounts.audit import ACTION_LABELS
from accounts.models import AuditEvent, Membership, RedAccount, User
from kos_platform import clock
from notes.models import Note

from ..bindings.helpers import client_for
from ..factories import UserFactory
from .audit_log_world import CAMPAIGN_NAME, EMPLOYEE_NAME, KEY_NAME, NOTE_TITLE, UNIT_NAME, write_varied_log

pytestmark = pytest.mark.django_db

SNAKE = re.compile(r"[A-Za-z]+_[A-Za-z_]+")
MODEL_LABEL = re.compile(r"\b[a-z]+\.[a-z_]+\b")
ISO_INSTANT = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:")
LATIN_WORD = re.compile(r"[a-z]{2,}")


@pytest.fixture(autouse=True)
def private_media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def log(world):
    return write_varied_log(world.enterprise, world.users["owner"], world.agency)


@pytest.fixture
def browser(world):
    def login(actor):
        client = Client()
        client.force_login(world.users[actor])
        return client

    return login


def domain_values() -> list[str]:
    """What may legitimately hold Latin letters or underscores: logins, note IDs and titles, RED IDs."""
    values = [*User.objects.values_list("username", flat=True), *User.objects.values_list("display_name", flat=True)]
    values += [*Note.objects.values_list("note_id", flat=True), *Note.objects.values_list("title", flat=True)]
    values += [*RedAccount.objects.values_list("red_id", flat=True)]
    return sorted((value for value in values if value), key=len, reverse=True)


def texts(event) -> list[str]:
    return [event.label, event.kind_label, event.object_text, event.changes_text, event.summary, event.actor_name]


def without_domain_values(text: str, values: list[str]) -> str:
    for value in values:
        text = text.replace(value, "")
    return text


def test_b10_every_recorded_kind_and_action_reads_in_chinese_without_codes(log):
    events = list(AuditEvent.objects.select_related("actor", "via_agency"))
    registered = audit_display.kinds()
    assert {event.object_type for event in events} <= set(registered), "a recorded kind is not registered"
    assert {event.action for event in events} <= set(ACTION_LABELS), "a recorded action has no words"
    assert len({event.object_type for event in events}) >= 20 and len({event.action for event in events}) >= 40
    values = domain_values()
    with translation.override("zh-hans"):
        audit_display.describe(events)
        for event in events:
            for text in texts(event):
                plain = without_domain_values(text, values)
                assert not SNAKE.search(plain), (event.action, text)
                assert not MODEL_LABEL.search(plain), (event.action, text)
                assert not ISO_INSTANT.search(plain), (event.action, text)
                assert " #" not in plain, (event.action, text)
                assert not LATIN_WORD.search(plain), (event.action, text)


def by_action(action: str, events=None):
    events = events if events is not None else AuditEvent.objects.select_related("actor", "via_agency")
    return audit_display.describe(events.filter(action=action))[0]


def test_b10_objects_read_by_their_domain_names(world, log):
    with translation.override("zh-hans"):
        rejected = by_action("note_review.rejected")
        assert rejected.object_text == "笔记审核 · 《夏日清透底妆》"
        assert rejected.changes_text == "审核状态：审核中 → 审核不通过"
        assert rejected.summary == (
            f"平台审核员 · {rejected.label} · 笔记审核 · 《夏日清透底妆》："
            "审核状态：审核中 → 审核不通过。原因：与品牌无关"
        )
        boosted = by_action("note.boosted")
        assert f"《{NOTE_TITLE}》" in boosted.object_text and "¥500.00" in boosted.changes_text
        frozen = by_action("binding.frozen")
        assert EMPLOYEE_NAME in frozen.object_name and "95880001" in frozen.object_name
        assert frozen.object_url == f"/w/{world.enterprise.pk}/employees/{log['binding'].pk}/"
        created = by_action("campaign.created")
        assert created.object_name == CAMPAIGN_NAME and "¥1,234.50" in created.changes_text
        assert "搜索" in created.changes_text and "产品种草" in created.changes_text
        unit = by_action("campaign_unit.created", AuditEvent.objects.filter(object_id=str(log["unit"].pk)))
        assert unit.object_name == f"{CAMPAIGN_NAME} / {UNIT_NAME}"
        assert "私信" in unit.changes_text and "上海" in unit.changes_text and "¥1.20" in unit.changes_text
        assert by_action("campaign_unit.deleted").object_name == "备用单元"  # gone: the name it had
        assert "¥9,000.00" in by_action("ad_account.recharged").changes_text
        assert "12.5%" in by_action("commission_settings.updated").changes_text
        assert by_action("api_key.created").object_name == KEY_NAME
        assert by_action("enterprise.updated").object_name == world.enterprise.name
        assert "1000 → 1200" in by_action("enterprise.updated").changes_text
        assert "new_analyst" in by_action("membership.set").object_name
        assert "分析员" in by_action("membership.set").changes_text
        pushed = by_action("note.pushed_to_ads")
        assert pushed.agency_name == world.agency.name and "代理商" in pushed.summary
        locked = by_action("user.locked_out")
        until = timezone.localtime(clock.now()).strftime("%Y-%m-%d")
        assert until in locked.changes_text and "10.0.0.8" in locked.changes_text


def test_b10_a_member_who_is_gone_reads_by_the_login_recorded(world):
    membership = Membership.objects.get(user=world.users["analyst"])
    AuditEvent.objects.create(
        at=clock.now(),
        enterprise=world.enterprise,
        action="membership.set",
        object_type="accounts.membership",
        object_id=str(membership.pk + 1000),
        after={"user": "gone_user", "role": "analyst"},
    )
    with translation.override("zh-hans"):
        event = audit_display.describe(AuditEvent.objects.all())[0]
    assert event.object_name == "gone_user" and event.changes_text == "角色：分析员（只读）"


def test_b10_records_read_in_english_too(log):
    events = list(AuditEvent.objects.select_related("actor", "via_agency"))
    values = domain_values()
    with translation.override("en"):
        audit_display.describe(events)
        for event in events:
            for text in texts(event):
                plain = without_domain_values(text, values)
                assert not SNAKE.search(plain) and not MODEL_LABEL.search(plain), (event.action, text)
        rejected = by_action("note_review.rejected")
        assert rejected.label == "Note review rejected"
        assert "In review → Rejected" in rejected.changes_text
        assert rejected.object_text == "Note review · “夏日清透底妆”"


# The page, its export and the API ------------------------------------------------------------------------------


def page_events(client, eid, query=""):
    response = client.get(f"/w/{eid}/audit/?{query}")
    assert response.status_code == 200
    return list(response.context["page"]), response.content.decode()


def test_b10_the_page_shows_words_and_the_export_holds_the_same_rows(world, log, browser):
    eid = world.enterprise.pk
    client = browser("analyst")
    events, html = page_events(client, eid, "object_type=campaigns.campaign")
    assert events and all(event.object_type == "campaigns.campaign" for event in events)
    assert CAMPAIGN_NAME in html and "campaigns.campaign #" not in html and "¥1,234.50" in html
    assert f"/api/v1/enterprises/{eid}/audit-log/export/?object_type=campaigns.campaign&amp;format=csv" in html
    rows = [
        [
            timezone.localtime(e.at).strftime("%Y-%m-%d %H:%M:%S"),
            e.actor_name,
            e.agency_name,
            e.label,
            e.object_text,
            e.changes_text,
            e.reason,
        ]
        for e in events
    ]
    exported = client.get(f"/api/v1/enterprises/{eid}/audit-log/export/?object_type=campaigns.campaign&format=csv")
    assert exported.status_code == 200 and exported["Content-Type"].startswith("text/csv")
    body = b"".join(exported.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    parsed = list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))
    assert parsed[0] == ["时间", "操作人", "代理商", "操作", "对象", "变更前 → 变更后", "原因"]
    assert parsed[1:] == rows

    exported = client.get(f"/api/v1/enterprises/{eid}/audit-log/export/?object_type=campaigns.campaign&format=xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(exported.streaming_content))).active
    cells = list(sheet.iter_rows(values_only=True))
    assert list(cells[0]) == parsed[0]
    assert [
        [row[0].strftime("%Y-%m-%d %H:%M:%S"), *("" if value is None else value for value in row[1:])]
        for row in cells[1:]
    ] == rows


def test_b10_the_whole_export_matches_every_record(world, log):
    client = world.client("analyst")
    response = client.get(f"/api/v1/enterprises/{world.enterprise.pk}/audit-log/export/?format=csv")
    parsed = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode().lstrip("\ufeff"))))
    assert len(parsed) - 1 == AuditEvent.objects.filter(enterprise=world.enterprise).count()
    response = client.get(
        f"/api/v1/enterprises/{world.enterprise.pk}/audit-log/export/?format=csv", HTTP_ACCEPT_LANGUAGE="en"
    )
    english = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode().lstrip("\ufeff"))))
    assert english[0][0] == "Time" and parsed[0][0] == "时间"  # the request's language
    assert client.get(f"/api/v1/enterprises/{world.enterprise.pk}/audit-log/export/?format=pdf").status_code == 400


def test_b10_the_api_keeps_codes_and_adds_a_summary_in_the_requests_language(world, log):
    client = world.client("analyst")
    url = f"/api/v1/enterprises/{world.enterprise.pk}/audit-log/?action=note_review.rejected"
    row = client.get(url).json()["results"][0]
    assert row["action"] == "note_review.rejected" and row["object"]["type"] == "notes.notereview"
    assert row["before"] == {"status": "in_review"} and row["after"] == {"status": "rejected"}
    assert "《夏日清透底妆》" in row["summary"] and "审核中 → 审核不通过" in row["summary"]
    english = client.get(url, HTTP_ACCEPT_LANGUAGE="en").json()["results"][0]
    assert "“夏日清透底妆”" in english["summary"] and "In review → Rejected" in english["summary"]


@pytest.mark.parametrize(
    "query, expected",
    [
        ("actor=agency_worker", lambda e: e.actor and e.actor.username == "agency_worker"),
        ("action=binding.frozen", lambda e: e.action == "binding.frozen"),
        ("object_type=accounts.apikey", lambda e: e.object_type == "accounts.apikey"),
        ("via_agency=yes", lambda e: e.via_agency_id is not None),
        ("via_agency=no", lambda e: e.via_agency_id is None),
        ("from={today}&to={today}", lambda e: True),
        ("to=2013-01-01", lambda e: False),
    ],
)
def test_b10_the_log_filters_on_the_page_and_in_the_api(world, log, browser, query, expected):
    eid = world.enterprise.pk
    query = query.format(today=clock.local_today().isoformat())
    records = AuditEvent.objects.filter(enterprise=world.enterprise).select_related("actor")
    wanted = sorted(e.pk for e in records if expected(e))
    api = world.client("analyst").get(f"/api/v1/enterprises/{eid}/audit-log/?page_size=100&{query}").json()
    assert sorted(row["id"] for row in api["results"]) == wanted
    shown = [e.pk for e in page_events(browser("analyst"), eid, query)[0]]
    assert set(shown) <= set(wanted) and len(shown) == min(20, len(wanted))


def test_b10_filter_by_one_agency(world, log, browser):
    eid = world.enterprise.pk
    query = f"via_agency={world.agency.pk}"
    api = world.client("analyst").get(f"/api/v1/enterprises/{eid}/audit-log/?{query}").json()
    assert api["count"] == AuditEvent.objects.filter(via_agency=world.agency).count() > 0
    events, html = page_events(browser("analyst"), eid, query)
    assert {e.agency_name for e in events} == {world.agency.name}
    assert f'<option value="{world.agency.pk}" selected>' in html


@pytest.mark.parametrize(
    "query, field",
    [
        ("action=zzz", "action"),
        ("object_type=notes.nothing", "object_type"),
        ("via_agency=maybe", "via_agency"),
        ("from=2026-13-01", "from"),
        ("from=2026-02-02&to=2026-02-01", "__all__"),
    ],
)
def test_b10_an_invalid_filter_is_a_400(world, query, field):
    response = world.client("analyst").get(f"/api/v1/enterprises/{world.enterprise.pk}/audit-log/?{query}")
    assert response.status_code == 400 and response.json()["code"] == "invalid"
    assert field in response.json()["fields"]
    export = world.client("analyst").get(
        f"/api/v1/enterprises/{world.enterprise.pk}/audit-log/export/?format=csv&{query}"
    )
    assert export.status_code == 400


def test_b10_the_log_runs_a_bounded_number_of_queries_whatever_the_page_size(world, django_assert_max_num_queries):
    """A page names its objects with one query per kind on it, never per record."""
    owner = world.users["owner"]
    kinds = ["bindings.binding", "accounts.apikey", "campaigns.campaign", "notes.notereview", "accounts.membership"]
    for n in range(105):
        AuditEvent.objects.create(
            at=clock.now(),
            enterprise=world.enterprise,
            actor=UserFactory() if n % 2 else owner,
            via_agency=world.agency if n % 3 else None,
            action="binding.frozen",
            object_type=kinds[n % len(kinds)],
            object_id=str(n),
            before={"status": "active"},
            after={"status": "frozen"},
        )
    client = client_for(owner)
    url = f"/api/v1/enterprises/{world.enterprise.pk}/audit-log/"
    client.get(url)  # the key's first use records last_used_at
    for size in (1, 20, 100):
        with django_assert_max_num_queries(4 + len(kinds)):
            response = client.get(f"{url}?page_size={size}")
        assert len(response.json()["results"]) == size
