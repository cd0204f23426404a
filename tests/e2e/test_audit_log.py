"""操作日志 in Chromium (B10): a brand owner opens the audit log with varied records — bindings, notes, ads, members,
keys, an agency's action — reads them in words, filters by kind of object, and sees the export buttons.
Screenshots (1440 px, zh-hans): artifacts/screenshots/audit/"""

import pytest
from playwright.sync_api import expect

from accounts.choices import Role
from tests.accounts.audit_log_world import CAMPAIGN_NAME, EMPLOYEE_NAME, KEY_NAME, NOTE_TITLE, write_varied_log
from tests.factories import AgencyFactory, AgencyReportFactory, EnterpriseFactory, MembershipFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SHOTS = "audit"
WIDE = {"width": 1440, "height": 900}


@pytest.fixture(autouse=True)
def private_media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_owner_reads_the_audit_log_in_words_and_filters_it(new_page, login, screenshot):
    enterprise = EnterpriseFactory(name="花漾美妆")
    owner = MembershipFactory(
        enterprise=enterprise, role=Role.OWNER, user__username="brand_owner", user__display_name="周品牌"
    ).user
    agency = AgencyFactory(name="星河代理")
    AgencyReportFactory(enterprise=enterprise, agency=agency)
    write_varied_log(enterprise, owner, agency)
    page = new_page(viewport=WIDE)
    login(page, "brand_owner")

    page.goto(f"/w/{enterprise.pk}/audit/")
    table = page.get_by_test_id("audit-table")
    expect(table).to_contain_text(KEY_NAME)
    expect(table).to_contain_text("经代理商星河代理")
    expect(table).not_to_contain_text(" #")
    expect(page.get_by_test_id("export-1")).to_have_attribute(
        "href", f"/api/v1/enterprises/{enterprise.pk}/audit-log/export/?format=csv"
    )
    screenshot(page, f"{SHOTS}/01_audit_log")

    page.locator("#audit-object").select_option(label="推广计划")
    with page.expect_navigation():
        page.get_by_role("button", name="筛选").click()
    expect(table).to_contain_text(CAMPAIGN_NAME)
    expect(table).to_contain_text("¥1,234.50")
    expect(page.get_by_test_id("export-2")).to_have_attribute(
        "href", f"/api/v1/enterprises/{enterprise.pk}/audit-log/export/?object_type=campaigns.campaign&format=xlsx"
    )
    screenshot(page, f"{SHOTS}/02_audit_log_campaigns")

    page.locator("#audit-object").select_option(label="员工账号")
    with page.expect_navigation():
        page.get_by_role("button", name="筛选").click()
    expect(table).to_contain_text(f"{EMPLOYEE_NAME}（小红书号95880001）")
    expect(table).to_contain_text("已冻结")

    page.locator("#audit-object").select_option(label="笔记审核")
    with page.expect_navigation():
        page.get_by_role("button", name="筛选").click()
    expect(table).to_contain_text(f"《{NOTE_TITLE}》")
    expect(table).to_contain_text("审核中")
    screenshot(page, f"{SHOTS}/03_audit_log_note_reviews")
