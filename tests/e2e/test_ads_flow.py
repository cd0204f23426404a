"""The ad flow end to end in Chromium (E05, C01, C02, C04): the operator sees the first-recharge minimum and recharges,
builds a campaign with a unit through the wizard from a goal, starts it; the ad platform's spend arrives; the
campaign's page draws spend, impressions and clicks by day. Screenshots (1440 px): artifacts/screenshots/ads/"""

import re
from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect
from rest_framework.test import APIClient

from accounts.choices import Role
from campaigns.models import AdAccount, Campaign, CampaignUnit
from kos_platform import clock
from tests.campaigns.helpers import pushed_note, spend_row
from tests.factories import EnterpriseFactory, MembershipFactory, UserFactory, user_token

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SHOTS = "ads"
WIDE = {"width": 1440, "height": 900}


def accept_dialogs(page: Page) -> None:
    page.on("dialog", lambda dialog: dialog.accept())


def test_operator_recharges_builds_a_campaign_through_the_wizard_and_sees_its_spend(new_page, login, screenshot):
    enterprise = EnterpriseFactory(name="花漾美妆")
    MembershipFactory(enterprise=enterprise, role=Role.OPERATOR, user__username="brand_operator")
    note = pushed_note(enterprise, title="门店新品试色：雾面唇釉真实上嘴")
    eid = enterprise.pk
    page = new_page(viewport=WIDE)
    accept_dialogs(page)
    login(page, "brand_operator")

    # 1. The ad account: the minimum is explained, then the first recharge ---------------------------------------
    page.goto(f"/w/{eid}/ads/account/")
    expect(page.get_by_test_id("minimum-explained")).to_contain_text("¥9,000.00")
    screenshot(page, f"{SHOTS}/01_account_before_recharge")
    page.locator("#id_amount").fill("8000")
    with page.expect_navigation():
        page.get_by_test_id("recharge").click()
    expect(page.locator(".alert-danger")).to_contain_text("首次充值不得低于")
    page.locator("#id_amount").fill("9000")
    with page.expect_navigation():
        page.get_by_test_id("recharge").click()
    expect(page.get_by_test_id("balance")).to_have_text("¥9,000.00")
    expect(page.get_by_test_id("ledger").locator("tbody tr")).to_have_count(1)
    screenshot(page, f"{SHOTS}/02_account_after_recharge")

    # 2. The wizard: goal → objective and placement → unit → review ---------------------------------------------
    page.goto(f"/w/{eid}/ads/campaigns/")
    page.get_by_test_id("new-campaign").click()
    page.get_by_test_id("goal-seed_potential").click()
    screenshot(page, f"{SHOTS}/03_wizard_goal")
    page.locator("fieldset[data-step='1'] [data-next]").click()
    expect(page.locator("input[name=objective][value=product_seeding]")).to_be_checked()  # proposed by the goal
    page.locator("fieldset[data-step='2'] [data-next]").click()
    expect(page.locator("fieldset[data-step='2'] [data-step-problem]")).to_contain_text("请填写推广计划名称")
    page.locator("#id_name").fill("秋冬新品种草")
    page.locator("#id_budget").fill("300")
    page.locator("#placement-feed").check()
    page.locator("#id_start_date").fill(clock.local_today().isoformat())
    screenshot(page, f"{SHOTS}/04_wizard_plan")
    page.locator("fieldset[data-step='2'] [data-next]").click()
    page.locator("fieldset[data-step='3'] [data-next]").click()
    expect(page.locator("fieldset[data-step='3'] [data-step-problem]")).to_contain_text("请至少选择一篇")
    page.locator(f"input[name=note_ids][value='{note.note_id}']").check()
    page.locator("input[name=keyword_text]").first.fill("雾面唇釉")
    page.locator("select[name=keyword_type]").first.select_option("category")
    page.locator("#component-dm").check()
    page.locator("#region-shanghai").check()
    screenshot(page, f"{SHOTS}/05_wizard_unit")
    page.locator("fieldset[data-step='3'] [data-next]").click()
    expect(page.locator("[data-summary=name]")).to_have_text("秋冬新品种草")
    expect(page.locator("[data-summary=notes]")).to_contain_text("雾面唇釉")
    page.locator("#id_start_now").check()
    screenshot(page, f"{SHOTS}/06_wizard_review")
    with page.expect_navigation():
        page.get_by_test_id("create-campaign").click()
    campaign = Campaign.objects.get()
    expect(page).to_have_url(re.compile(rf"/ads/campaigns/{campaign.pk}/$"))
    assert campaign.status == "active" and campaign.placement == "feed"
    unit = CampaignUnit.objects.get()
    assert list(unit.keywords.values_list("text", "type")) == [("雾面唇釉", "category")]

    # 3. The ad platform reports a week of spend; the campaign's page draws it ---------------------------------
    staff = APIClient()
    staff.credentials(HTTP_AUTHORIZATION=f"Bearer {user_token(UserFactory(username='staff', is_staff=True))}")
    today = clock.local_today()
    rows = [
        spend_row(
            enterprise,
            note,
            today - timedelta(days=d),
            f"{100 + d * 10}.00",
            unit_id=unit.pk,
            component_clicks={"dm": d},
        )
        for d in range(7)
    ]
    assert staff.post("/api/v1/platform/ad-spend/", rows, format="json").status_code == 200
    page.reload()
    expect(page.locator("canvas").first).to_be_visible()
    expect(page.get_by_text("投放中").first).to_be_visible()
    screenshot(page, f"{SHOTS}/07_campaign_detail")
    assert AdAccount.objects.get(pk=eid).balance == 9000 - sum(100 + d * 10 for d in range(7))

    # 4. The list shows the campaign with its delivery in words ------------------------------------------------
    page.goto(f"/w/{eid}/ads/campaigns/")
    expect(page.get_by_test_id("delivery").first).to_have_text("投放中")  # ¥100.00 of ¥300.00 today
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDE["width"]
    screenshot(page, f"{SHOTS}/08_campaign_list")
