"""D03 in Chromium on the demo world: the owner opens 赛马 at 1440 px, switches the metric and the shares, reads the
tiers and the 汰换 history, and starts a campaign draft from the invest tier (confirmed), landing on the new
campaign; the page at 375 px has no horizontal scroll. Screenshots: artifacts/screenshots/race/"""

import io

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from accounts.management.commands.load_demo import PASSWORD
from accounts.models import Enterprise
from analytics import horse_race
from campaigns.models import Campaign

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SHOTS = "race"
DESKTOP = {"width": 1440, "height": 900}
PHONE = {"width": 375, "height": 812}


@pytest.fixture
def demo():
    call_command("load_demo", stdout=io.StringIO())
    enterprise = Enterprise.objects.get(name="花漾美妆")
    older = horse_race.previous_month(horse_race.month_range(horse_race.previous_month())[0])
    for month in (older, horse_race.previous_month()):
        horse_race.record_month(enterprise, month)
    return enterprise


def test_d03_the_owner_ranks_switches_and_drafts_a_campaign(demo, new_page, login, screenshot):
    page = new_page(viewport=DESKTOP)
    login(page, "brand_owner", password=PASSWORD)
    page.goto(f"/w/{demo.pk}/analytics/horse-race/")
    expect(page.locator("h1")).to_have_text("赛马")
    expect(page.get_by_test_id("race-row").first).to_be_visible()
    expect(page.get_by_test_id("history-row").first).to_be_visible()
    screenshot(page, f"{SHOTS}/01_race_engagement_1440")

    page.get_by_test_id("metric").select_option("exposure")
    page.get_by_test_id("invest-share").select_option(label="前50%")
    page.get_by_test_id("replace-share").select_option(label="后25%")
    with page.expect_navigation():
        page.locator("[data-testid=race-filters] button[type=submit]").click()
    assert "metric=exposure" in page.url
    expect(page.get_by_test_id("race-title")).to_contain_text("曝光量")
    expect(page.locator("[data-tier=invest]").first).to_be_visible()
    expect(page.locator("[data-tier=invest] [data-testid=tier-cell] [data-testid=tier]").first).to_have_text("投资")
    screenshot(page, f"{SHOTS}/02_race_exposure_1440")

    page.on("dialog", lambda dialog: dialog.accept())
    with page.expect_navigation():
        page.get_by_test_id("draft-campaign").click()
    campaign = Campaign.objects.get(enterprise=demo, name__startswith="赛马投资")
    assert page.url.endswith(f"/w/{demo.pk}/ads/campaigns/{campaign.pk}/")
    expect(page.get_by_test_id("campaign-name")).to_have_text(campaign.name)
    screenshot(page, f"{SHOTS}/03_draft_campaign_1440")

    phone = new_page(viewport=PHONE)
    login(phone, "brand_owner", password=PASSWORD)
    phone.goto(f"/w/{demo.pk}/analytics/horse-race/")
    expect(phone.get_by_test_id("race-row").first).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    screenshot(phone, f"{SHOTS}/04_race_375")
