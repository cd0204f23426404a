"""N04, the staff quota panel `/platform/note-quotas/`: every enterprise with this month's limit, used and remaining,
searched by name, sorted and paged in a constant number of queries; a limit changes inline with a required reason,
which the audit record keeps; staff only. (The review queue keeps a line with the chosen enterprise's use.)"""

import re
from urllib.parse import quote

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from accounts.models import AuditEvent, Enterprise
from kos_platform import clock
from notes.models import NoteQuotaMonth

from ..factories import EnterpriseFactory

pytestmark = pytest.mark.django_db

PANEL = "/platform/note-quotas/"
ROW = re.compile(
    r'data-testid="quota-row" data-enterprise="(\d+)" data-limit="(\d+)" data-used="(\d+)" data-remaining="(\d+)"'
)


@pytest.fixture
def staff_page(world):
    client = Client()
    client.force_login(world.users["staff"])
    return client


def rows(response) -> dict[int, tuple[int, int, int]]:
    return {
        int(e): (int(limit), int(used), int(left)) for e, limit, used, left in ROW.findall(response.content.decode())
    }


def order(response) -> list[int]:
    return [int(e) for e, *_ in ROW.findall(response.content.decode())]


def test_n04_the_table_shows_each_enterprises_limit_used_and_remaining_this_month(world, staff_page):
    month = clock.month_label()
    NoteQuotaMonth.objects.create(enterprise=world.enterprise, month=month, used=998)
    NoteQuotaMonth.objects.create(enterprise=world.enterprise, month="2001-01", used=7)  # another month: not counted
    world.other_enterprise.monthly_note_quota = 5
    world.other_enterprise.save(update_fields=["monthly_note_quota"])
    NoteQuotaMonth.objects.create(enterprise=world.other_enterprise, month=month, used=9)  # over a lowered limit

    response = staff_page.get(PANEL)

    assert response.status_code == 200
    assert rows(response) == {world.enterprise.pk: (1000, 998, 2), world.other_enterprise.pk: (5, 9, 0)}
    content = response.content.decode()
    assert "每月笔记审核额度" in content and month in content
    assert 'data-testid="console-nav-quotas"' in content


def test_n04_search_by_name_sort_and_paging(world, staff_page):
    NoteQuotaMonth.objects.create(enterprise=world.other_enterprise, month=clock.month_label(), used=3)
    for n in range(25):
        EnterpriseFactory(name=f"连锁{n:02d}")

    assert set(rows(staff_page.get(PANEL + "?q=花漾"))) == {world.enterprise.pk}
    assert rows(staff_page.get(PANEL + "?q=不存在")) == {}
    assert "没有名称匹配的企业。" in staff_page.get(PANEL + "?q=不存在").content.decode()
    assert order(staff_page.get(PANEL + "?sort=-used"))[0] == world.other_enterprise.pk
    first = staff_page.get(PANEL + "?q=连锁")
    assert len(rows(first)) == 20 and "1 / 2" in first.content.decode()
    second = staff_page.get(PANEL + "?q=连锁&page=2")
    assert len(rows(second)) == 5 and not set(rows(first)) & set(rows(second))
    assert len(rows(staff_page.get(PANEL + "?page_size=100"))) == 27


def test_n04_the_table_runs_a_constant_number_of_queries_at_page_sizes_1_20_100(world, staff_page):
    month = clock.month_label()
    for n in range(120):
        enterprise = EnterpriseFactory(name=f"企业{n:03d}")
        if n % 2:
            NoteQuotaMonth.objects.create(enterprise=enterprise, month=month, used=n)

    def count(size: int) -> int:
        with CaptureQueriesContext(connection) as queries:
            response = staff_page.get(PANEL + f"?page_size={size}")
        assert len(rows(response)) == size
        return len(queries)

    staff_page.get(PANEL)
    assert count(1) == count(20) == count(100)


def test_n04_staff_change_a_limit_inline_with_a_reason_and_it_is_audited(world, staff_page):
    operator = Client()
    operator.force_login(world.users["operator"])

    response = staff_page.post(
        PANEL + "?q=" + quote("花漾"),
        {"enterprise": world.enterprise.pk, "monthly_note_quota": 1500, "reason": "旺季临时提额"},
        follow=True,
    )

    assert response.redirect_chain[-1][0] == PANEL + "?q=%E8%8A%B1%E6%BC%BE"  # back to the same search
    assert "花漾美妆的每月笔记审核额度已设为1500。" in response.content.decode()
    assert rows(response)[world.enterprise.pk] == (1500, 0, 1500)
    world.enterprise.refresh_from_db()
    assert world.enterprise.monthly_note_quota == 1500
    event = AuditEvent.objects.get(action="enterprise.updated")
    assert event.before == {"monthly_note_quota": 1000} and event.after == {"monthly_note_quota": 1500}
    assert event.reason == "旺季临时提额" and event.actor == world.users["staff"]
    quota = world.client("operator").get(f"/api/v1/enterprises/{world.enterprise.pk}/note-quota/").json()
    assert (quota["limit"], quota["remaining"]) == (1500, 1500)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"monthly_note_quota": 10, "reason": ""}, "请填写修改额度的原因"),
        ({"monthly_note_quota": -1, "reason": "x"}, "0"),
        ({"monthly_note_quota": "", "reason": "x"}, "请填写每月笔记数。"),
        ({"monthly_note_quota": 10_000_001, "reason": "x"}, "1000000"),
    ],
    ids=["no-reason", "negative", "empty", "too-big"],
)
def test_n04_a_bad_change_is_said_on_its_row_and_stores_nothing(world, staff_page, unchanged, body, message):
    with unchanged():
        response = staff_page.post(PANEL, {"enterprise": world.enterprise.pk, **body})
    assert response.status_code == 400
    content = response.content.decode()
    assert 'data-testid="quota-change-error"' in content and message in content


def test_n04_an_unknown_enterprise_is_refused(world, staff_page, unchanged):
    with unchanged():
        response = staff_page.post(PANEL, {"enterprise": 999999, "monthly_note_quota": 5, "reason": "x"})
    assert response.status_code == 400
    assert Enterprise.objects.get(pk=world.enterprise.pk).monthly_note_quota == 1000


@pytest.mark.parametrize("actor", ["owner", "operator", "agency_reported", "employee"])
def test_n04_only_staff_reach_the_panel(world, unchanged, actor):
    client = Client()
    client.force_login(world.users[actor])
    assert client.get(PANEL).status_code == 403
    with unchanged():
        posted = client.post(PANEL, {"enterprise": world.enterprise.pk, "monthly_note_quota": 5, "reason": "x"})
    assert posted.status_code == 403


def test_n04_anonymous_is_sent_to_log_in(client):
    response = client.get(PANEL)
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")


def test_n04_the_review_queue_shows_the_chosen_enterprises_use_and_links_the_panel(world, staff_page):
    NoteQuotaMonth.objects.create(enterprise=world.enterprise, month=clock.month_label(), used=4)
    staff_page.cookies["kos_language"] = "en"
    content = staff_page.get(f"/platform/note-reviews/?enterprise={world.enterprise.pk}").content.decode()
    assert 'data-testid="quota-usage"' in content and "4 of 1000 used" in content
    assert f'href="{PANEL}?q=' in content
    assert 'name="monthly_note_quota"' not in content  # the blank picker and number field are gone
