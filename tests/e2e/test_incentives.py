"""D02 in Chromium on the demo world: the owner opens 激励活动 at 1440 px (the create form pre-filled with the deck's
template), a running period's live leaderboard, closes a period that is over (confirmed) and sees its awards and
exports; the employee's 我的激励 at 375 px has no horizontal scroll. Screenshots: artifacts/screenshots/incentives/"""

import io

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from accounts.management.commands.load_demo import PASSWORD
from accounts.models import Enterprise

from ..analytics.incentive_helpers import make_period

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SHOTS = "incentives"
DESKTOP = {"width": 1440, "height": 900}
PHONE = {"width": 375, "height": 812}


@pytest.fixture
def demo():
    call_command("load_demo", stdout=io.StringIO())
    brand = Enterprise.objects.get(name="花漾美妆")
    return {
        "brand": brand,
        "over": make_period(brand, first=90, last=31, name="秋季笔记激励"),
        "running": make_period(brand, first=30, last=-5, name="冬季笔记激励"),
    }


def test_d02_the_owner_follows_and_closes_a_period_and_the_employee_sees_their_place(demo, new_page, login, screenshot):
    eid = demo["brand"].pk
    page = new_page(viewport=DESKTOP)
    login(page, "brand_owner", password=PASSWORD)
    page.goto(f"/w/{eid}/incentives/")
    expect(page.locator("h1")).to_have_text("激励活动")
    expect(page.get_by_label("互动量高于")).to_have_value("100")
    screenshot(page, f"{SHOTS}/01_list_1440")

    page.goto(f"/w/{eid}/incentives/{demo['running'].pk}/")
    expect(page.get_by_test_id("standing").first).to_be_visible()
    expect(page.get_by_test_id("closes-from")).to_be_visible()
    screenshot(page, f"{SHOTS}/02_running_1440")

    page.goto(f"/w/{eid}/incentives/{demo['over'].pk}/")
    page.once("dialog", lambda dialog: dialog.accept())
    with page.expect_navigation():
        page.get_by_test_id("close-period").click()
    expect(page.get_by_test_id("awards")).to_be_visible()
    expect(page.get_by_test_id("export-csv")).to_be_visible()
    screenshot(page, f"{SHOTS}/03_closed_with_awards_1440")

    phone = new_page(viewport=PHONE, is_mobile=True, has_touch=True)
    login(phone, "emp_xiaolu", password=PASSWORD)
    phone.goto("/m/incentives/")
    expect(phone.get_by_test_id("open-period").first).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(phone, f"{SHOTS}/04_employee_375")
