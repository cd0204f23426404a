"""The browser shell end to end: log in, the brand overview in both languages, and the agency's proxied route."""

import re

import pytest
from playwright.sync_api import expect

from accounts.choices import Role
from accounts.models import AuditEvent
from tests.factories import (
    AgencyFactory,
    AgencyMembershipFactory,
    AgencyReportFactory,
    EnterpriseFactory,
    MembershipFactory,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

NAVBAR_BACKGROUND = "rgb(38, 43, 51)"  # .bg-kos in static/css/app.css


def assert_styles_loaded(page):
    """Bootstrap and app.css are served by the live server: the navbar is dark, not the browser default."""
    response = page.request.get("/static/vendor/bootstrap/css/bootstrap.min.css")
    assert response.status == 200, "Bootstrap is not served: has `npm ci` been run?"
    expect(page.locator("nav.navbar")).to_have_css("background-color", NAVBAR_BACKGROUND)
    expect(page.locator("nav.navbar")).to_have_css("display", "flex")


def test_brand_operator_overview_in_chinese_and_english(page, live_server, login, screenshot):
    enterprise = EnterpriseFactory(name="花漾美妆")
    user = MembershipFactory(enterprise=enterprise, role=Role.OPERATOR, user__username="brand_operator").user

    login(page, "brand_operator", screenshot_as="login")
    expect(page).to_have_url(f"{live_server.url}/w/{enterprise.pk}/")
    assert_styles_loaded(page)
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(page.get_by_role("heading", level=1)).to_have_text("花漾美妆")
    expect(page.get_by_test_id("certification")).to_be_visible()
    expect(page.get_by_test_id("kos-permission")).to_be_visible()
    expect(page.get_by_test_id("kos-permission")).to_contain_text("员工账号管理权限")
    expect(page.locator("aside.sidebar").get_by_role("link", name="企业概览")).to_be_visible()
    expect(page.get_by_test_id("permission-reasons")).to_have_count(0)
    screenshot(page, "brand_overview")

    with page.expect_navigation():
        page.select_option("#language-select", "en")
    expect(page).to_have_url(f"{live_server.url}/w/{enterprise.pk}/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_test_id("kos-permission")).to_contain_text("Employee-account management permission")
    expect(page.locator("aside.sidebar").get_by_role("link", name="Overview")).to_be_visible()
    screenshot(page, "brand_overview_en")

    # A second brand, owned by the same user, without the permission and with only 3 stores.
    refused = EnterpriseFactory(name="小店品牌", kos_permission_granted_at=None, store_count=3)
    MembershipFactory(enterprise=refused, role=Role.OWNER, user=user)
    with page.expect_navigation():
        page.select_option("#language-select", "zh-hans")  # back to the default language
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    page.goto(f"/w/{refused.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("小店品牌")
    expect(page.get_by_test_id("kos-permission")).to_contain_text("未开通")
    reasons = page.get_by_test_id("permission-reasons")
    expect(reasons).to_be_visible()
    expect(reasons.locator("li")).to_contain_text(["中国境内线下门店少于 10 家"])
    screenshot(page, "brand_overview_refused")


def test_agency_staff_enter_a_reported_brand_through_the_console(page, live_server, login, screenshot):
    enterprise = EnterpriseFactory(name="花漾美妆")
    unreported = EnterpriseFactory(name="别家品牌")
    agency = AgencyFactory(name="星河代理")
    AgencyReportFactory(enterprise=enterprise, agency=agency)
    AgencyMembershipFactory(agency=agency, user__username="agency_staff")

    login(page, "agency_staff")
    expect(page).to_have_url(f"{live_server.url}/agency/")
    assert_styles_loaded(page)
    brands = page.get_by_test_id("reported-brands")
    expect(brands).to_be_visible()
    row = brands.locator("tbody tr", has_text="花漾美妆")
    expect(row).to_have_count(1)
    expect(brands).not_to_contain_text("别家品牌")
    screenshot(page, "agency_console")

    # The workspace is reached only through the console: a direct visit goes back with a message.
    page.goto(f"/w/{enterprise.pk}/")
    expect(page).to_have_url(f"{live_server.url}/agency/")
    expect(page.locator(".alert-info")).to_contain_text("代理商需从代理商控制台进入品牌的工作台")
    screenshot(page, "agency_console_redirected")
    assert not AuditEvent.objects.filter(action="agency.workspace_entered").exists()

    with page.expect_navigation():
        row.get_by_role("button", name="前往专业号平台").click()
    expect(page).to_have_url(f"{live_server.url}/w/{enterprise.pk}/")
    banner = page.get_by_test_id("agency-banner")
    expect(banner).to_be_visible()
    expect(banner).to_contain_text("星河代理")
    expect(banner).to_contain_text("花漾美妆")
    expect(page.get_by_role("heading", level=1)).to_have_text("花漾美妆")
    screenshot(page, "agency_workspace")

    assert AuditEvent.objects.filter(
        action="agency.workspace_entered", via_agency=agency, enterprise=enterprise
    ).exists()

    # A brand that did not report the agency does not exist for it.
    response = page.goto(f"/w/{unreported.pk}/")
    assert response.status == 404
    expect(page.get_by_test_id("agency-banner")).to_have_count(0)
    assert re.search("别家品牌", page.content()) is None
    screenshot(page, "agency_unreported_404")
