"""The ad pages: 广告账户 (E05), 推广计划 with the derived delivery (C01), the campaign wizard (C04, C01, C02) and the
note page's 前往聚光 leading to it. Roles, tenancy, Chinese by default, no raw codes."""

from datetime import timedelta

import pytest

from campaigns.models import Campaign, CampaignUnit, LedgerLine
from kos_platform import clock

from .helpers import post_spend, pushed_note, recharge, spend_row

pytestmark = pytest.mark.django_db
RAW_CODES = ("balance_exhausted", "product_seeding", "recharge_below_minimum", "budget_reached", "not_started")


@pytest.fixture
def page(world):
    return lambda rest="": f"/w/{world.enterprise.pk}/ads/{rest}"


def html(response) -> str:
    return response.content.decode()


def test_e05_the_account_page_explains_the_minimum_before_the_first_recharge(world, browser, page):
    content = html(browser("owner").get(page("account/")))
    assert "消费品行业的首次充值不得低于¥9,000.00" in content
    assert 'data-testid="recharge-form"' in content


def test_e05_recharge_from_the_page_with_a_refusal_in_words(world, browser, page, unchanged):
    client = browser("operator")
    with unchanged():
        refused = client.post(page("account/"), {"amount": "8999.99"})
    assert refused.status_code == 409
    assert "首次充值不得低于¥9000.00" in html(refused)
    with unchanged():
        invalid = client.post(page("account/"), {"amount": "12.345"})
    assert invalid.status_code == 400
    done = client.post(page("account/"), {"amount": "9000"}, follow=True)
    content = html(done)
    assert "¥9,000.00" in content and 'data-testid="minimum-explained"' not in content
    assert LedgerLine.objects.get().amount == 9000
    assert "充值" in content


def test_e05_the_ledger_filters_and_pages(world, browser, page):
    recharge(world.enterprise, world.users["owner"], "9000.00")
    for _ in range(25):
        recharge(world.enterprise, world.users["owner"], "1.00")
    client = browser("analyst")
    first = html(client.get(page("account/")))
    assert first.count("<tr>") >= 20 and "?page=2" in first
    assert 'data-testid="recharge-form"' not in first
    assert client.get(page("account/?kind=spend")).status_code == 200
    assert client.get(page("account/?from=2026-13-40")).status_code == 400


def test_c01_the_list_shows_delivery_and_todays_spend_in_words(world, browser, page):
    recharge(world.enterprise, world.users["owner"], "9000.00")
    note = pushed_note(world.enterprise)
    client = browser("operator")
    wizard = {
        "name": "春季上新",
        "objective": "product_seeding",
        "placement": "feed",
        "budget": "100.00",
        "start_date": clock.local_today().isoformat(),
        "note_ids": [note.note_id],
        "start_now": "on",
    }
    created = client.post(page("campaigns/new/"), wizard)
    assert created.status_code == 302, html(created)
    unit = CampaignUnit.objects.get()
    post_spend(world.client("staff"), [spend_row(world.enterprise, note, amount="100.00", unit_id=unit.pk)])
    content = html(client.get(page("campaigns/")))
    assert "春季上新" in content and "今日消耗已达日预算" in content and "¥100.00" in content
    for code in RAW_CODES:
        assert code not in content
    campaign = Campaign.objects.get()
    paused = client.post(page(f"campaigns/{campaign.pk}/action/"), {"action": "pause", "next": page("campaigns/")})
    assert paused.status_code == 302
    assert Campaign.objects.get().status == "paused"
    again = client.post(page(f"campaigns/{campaign.pk}/action/"), {"action": "pause"}, follow=True)
    assert "当前状态不能执行此操作" in html(again) or "不能" in html(again)


def test_c04_the_wizard_creates_the_feed_and_search_campaigns_with_a_unit_each(world, browser, page):
    note = pushed_note(world.enterprise)
    client = browser("operator")
    form = html(client.get(page(f"campaigns/new/?note={note.note_id}")))
    assert f'value="{note.note_id}" id="note-{note.pk}" checked' in form
    assert "经验分享、行业揭秘" in form and "信息流70%" in form
    body = {
        "goal": "seed_potential",
        "split": "on",
        "name": "秋冬种草",
        "objective": "product_seeding",
        "budget": "1000.00",
        "start_date": (clock.local_today() + timedelta(days=1)).isoformat(),
        "note_ids": [note.note_id],
        "keyword_text": ["通勤穿搭", "", "品牌A"],
        "keyword_type": ["category", "", "brand"],
        "negative_keywords": "免费\n\n二手",
        "components": ["dm", "product"],
        "regions": ["shanghai", "zhejiang"],
        "gender": "female",
        "bid": "0.80",
    }
    response = client.post(page("campaigns/new/"), body)
    assert response.status_code == 302, html(response)
    feed, search = Campaign.objects.order_by("pk")
    assert (feed.placement, feed.daily_budget, search.placement, search.daily_budget) == ("feed", 700, "search", 300)
    assert {c.status for c in (feed, search)} == {"draft"}
    unit = search.units.get()
    assert list(unit.keywords.values_list("text", "type")) == [("通勤穿搭", "category"), ("品牌A", "brand")]
    assert unit.negative_keywords == ["免费", "二手"]
    assert unit.targeting == {"regions": ["shanghai", "zhejiang"], "gender": "female"}
    assert feed.units.get().unit_notes.get().note == note


def test_c01_the_wizard_refuses_what_the_api_refuses_and_stores_nothing(world, browser, page, unchanged):
    note = pushed_note(world.enterprise)
    client = browser("operator")
    body = {
        "name": "搜索计划",
        "objective": "lead_collection",
        "placement": "search",
        "budget": "99",
        "start_date": clock.local_today().isoformat(),
        "note_ids": [note.note_id],
    }
    with unchanged():
        response = client.post(page("campaigns/new/"), body)
    assert response.status_code == 400
    content = html(response)
    assert "搜索计划的推广单元需要关键词" in content
    assert 'data-testid="form-errors"' in content


def test_c01_start_now_before_the_first_recharge_keeps_a_draft_and_says_why(world, browser, page):
    note = pushed_note(world.enterprise)
    client = browser("operator")
    body = {
        "name": "先建后投",
        "objective": "product_seeding",
        "placement": "feed",
        "budget": "200",
        "start_date": clock.local_today().isoformat(),
        "note_ids": [note.note_id],
        "start_now": "on",
    }
    response = client.post(page("campaigns/new/"), body, follow=True)
    assert Campaign.objects.get().status == "draft"
    assert "首次充值" in html(response)


def test_pages_roles_and_tenancy(world, browser, page):
    for actor in ("owner", "admin", "operator", "analyst", "agency_reported"):
        client = browser(actor)
        for rest in ("account/", "campaigns/"):
            assert client.get(page(rest)).status_code == 200, (actor, rest)
    assert browser("analyst").get(page("campaigns/new/")).status_code == 403
    assert browser("agency_reported").get(page("campaigns/new/")).status_code == 200
    assert browser("other_member").get(page("account/")).status_code == 404
    assert browser("analyst").post(page("account/"), {"amount": "9000"}).status_code == 403


def test_the_pages_speak_english_on_request(world, browser, page):
    client = browser("owner")
    client.cookies["kos_language"] = "en"
    content = html(client.get(page("account/")))
    assert "The first recharge for the Consumer goods industry must be at least ¥9,000.00." in content
