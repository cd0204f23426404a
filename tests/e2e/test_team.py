"""Team management and the staff quota panel in Chromium at 1440 px: the owner opens 成员管理 from the sidebar, adds a
new login as operator, changes a role inline, sees the last-owner refusal and removes a member after confirming; the
new member signs in with the password the owner set. Staff change an enterprise's monthly quota inline with a reason.
The reset link on the login page. Screenshots in artifacts/screenshots/team/."""

import pytest
from playwright.sync_api import Page, expect

from accounts.choices import Role
from accounts.models import AuditEvent, Membership
from kos_platform import clock
from notes.models import NoteQuotaMonth
from tests.factories import EnterpriseFactory, MembershipFactory, UserFactory

from .conftest import save_screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SHOTS = "team"
WIDE = {"width": 1440, "height": 900}
NEW_PASSWORD = "Team-pass-2026!"


def shot(page: Page, name: str) -> None:
    save_screenshot(page, f"{SHOTS}/{name}")


def assert_no_horizontal_scroll(page: Page, width: int = WIDE["width"]) -> None:
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= width, f"{page.url} scrolls horizontally: {scroll_width}px wide at {width}px"


def test_the_owner_adds_a_member_changes_a_role_and_removes_one(new_page, login):
    enterprise = EnterpriseFactory(name="花漾美妆")
    MembershipFactory(enterprise=enterprise, role=Role.OWNER, user__username="brand_owner", user__display_name="林总")
    MembershipFactory(enterprise=enterprise, role=Role.ADMIN, user__username="brand_admin", user__display_name="周管理")
    MembershipFactory(
        enterprise=enterprise, role=Role.ANALYST, user__username="brand_analyst", user__display_name="吴分析"
    )
    page = new_page(viewport=WIDE)
    page.on("dialog", lambda dialog: dialog.accept())
    login(page, "brand_owner")

    page.get_by_test_id("team-nav").click()
    expect(page.locator("h1")).to_have_text("成员管理")
    expect(page.get_by_test_id("team-row")).to_have_count(3)
    assert_no_horizontal_scroll(page)
    shot(page, "01-team-list")

    form = page.get_by_test_id("team-add-form")
    form.get_by_label("用户名").fill("new_operator")
    form.get_by_label("角色").select_option("operator")
    form.get_by_label("姓名（新账号）").fill("郑运营")
    form.get_by_label("密码（新账号）").fill(NEW_PASSWORD)
    shot(page, "02-team-add-filled")
    form.get_by_test_id("team-add-submit").click()
    expect(page.locator(".alert-success")).to_contain_text("郑运营已成为成员，角色为运营。")
    expect(page.get_by_test_id("team-row")).to_have_count(4)
    shot(page, "03-team-added")

    analyst_row = page.locator('[data-testid="team-row"][data-username="brand_analyst"]')
    analyst_row.locator("select[name=role]").select_option("admin")
    analyst_row.get_by_test_id("team-role-save").click()
    expect(page.locator(".alert-success")).to_contain_text("吴分析的角色已改为管理员。")
    expect(page.locator('[data-testid="team-row"][data-username="brand_analyst"]')).to_have_attribute(
        "data-role", "admin"
    )

    owner_row = page.locator('[data-testid="team-row"][data-username="brand_owner"]')
    owner_row.locator("select[name=role]").select_option("admin")
    owner_row.get_by_test_id("team-role-save").click()
    expect(page.get_by_test_id("team-refusal")).to_contain_text("企业至少要保留一位所有者")
    shot(page, "04-team-last-owner")

    page.locator('[data-testid="team-row"][data-username="brand_admin"]').get_by_test_id("team-remove").click()
    expect(page.locator(".alert-success")).to_contain_text("周管理已不再是成员。")
    expect(page.get_by_test_id("team-row")).to_have_count(3)
    shot(page, "05-team-removed")

    assert Membership.objects.get(enterprise=enterprise, user__username="new_operator").role == "operator"
    assert Membership.objects.filter(enterprise=enterprise, role="owner").count() == 1
    assert set(AuditEvent.objects.filter(enterprise=enterprise).values_list("action", flat=True)) >= {
        "membership.added",
        "membership.role_changed",
        "membership.removed",
    }

    newcomer = new_page(viewport=WIDE)
    login(newcomer, "new_operator", password=NEW_PASSWORD)
    expect(newcomer.get_by_test_id("current-user")).to_have_text("郑运营")
    newcomer.get_by_test_id("team-nav").click()
    expect(newcomer.get_by_test_id("team-add-form")).to_have_count(0)
    shot(newcomer, "06-team-read-only-for-an-operator")


def test_the_admin_sees_the_owner_out_of_reach(new_page, login):
    enterprise = EnterpriseFactory(name="花漾美妆")
    MembershipFactory(enterprise=enterprise, role=Role.OWNER, user__username="brand_owner", user__display_name="林总")
    MembershipFactory(enterprise=enterprise, role=Role.ADMIN, user__username="brand_admin", user__display_name="周管理")
    page = new_page(viewport=WIDE)
    login(page, "brand_admin")
    page.goto(f"/w/{enterprise.pk}/team/")
    owner_row = page.locator('[data-testid="team-row"][data-username="brand_owner"]')
    expect(owner_row.get_by_test_id("team-role")).to_have_text("所有者")
    expect(owner_row.get_by_test_id("team-remove")).to_have_count(0)
    expect(page.get_by_test_id("team-add-form").locator("select[name=role] option[value=owner]")).to_have_count(0)
    shot(page, "07-team-as-admin")


def test_staff_change_a_quota_inline_with_a_reason(new_page, login):
    UserFactory(username="staff", is_staff=True, display_name="平台审核")
    month = clock.month_label()
    brands = [EnterpriseFactory(name=name) for name in ("花漾美妆", "洁家家政服务", "山水文旅", "云帆数码")]
    for brand, used in zip(brands, (998, 120, 0, 1000), strict=True):
        if used:
            NoteQuotaMonth.objects.create(enterprise=brand, month=month, used=used)
    page = new_page(viewport=WIDE)
    login(page, "staff")
    page.goto("/platform/note-reviews/")
    page.get_by_test_id("console-nav-quotas").click()
    expect(page.get_by_test_id("quota-row")).to_have_count(4)
    assert_no_horizontal_scroll(page)
    shot(page, "08-quota-table")

    row = page.locator(f'[data-testid="quota-row"][data-enterprise="{brands[0].pk}"]')
    row.locator("input[name=monthly_note_quota]").fill("1500")
    row.get_by_test_id("quota-change-save").click()
    expect(page.get_by_test_id("quota-change-error")).to_contain_text("请填写修改额度的原因")
    shot(page, "09-quota-reason-required")

    row = page.locator(f'[data-testid="quota-row"][data-enterprise="{brands[0].pk}"]')
    row.locator("input[name=reason]").fill("旺季临时提额")
    row.get_by_test_id("quota-change-save").click()
    expect(page.locator(".alert-success")).to_contain_text("花漾美妆的每月笔记审核额度已设为1500。")
    row = page.locator(f'[data-testid="quota-row"][data-enterprise="{brands[0].pk}"]')
    expect(row).to_have_attribute("data-remaining", "502")
    page.get_by_label("企业名称").fill("山水")
    page.get_by_test_id("quota-filter").locator("button").click()
    expect(page.get_by_test_id("quota-row")).to_have_count(1)
    page.goto("/platform/note-quotas/")
    shot(page, "10-quota-changed")
    assert AuditEvent.objects.get(action="enterprise.updated").reason == "旺季临时提额"


def test_the_login_page_links_the_password_reset(new_page):
    page = new_page(viewport=WIDE)
    page.goto("/accounts/login/")
    shot(page, "11-login-with-reset-link")
    page.get_by_test_id("password-reset-link").click()
    expect(page.locator("h1")).to_have_text("重置密码")
    page.get_by_label("电子邮箱").fill("nobody@example.com")
    page.locator("main form button[type=submit]").click()
    expect(page.get_by_test_id("password-reset-done")).to_contain_text("请查收邮件")
    shot(page, "12-password-reset-done")
