"""The binding flow end to end, in three browsers: the brand operator sends an invitation through the bind wizard,
platform staff approve it, the employee accepts it on a phone, and the brand sees the active employee account."""

import re

import pytest
from playwright.sync_api import Page, expect

from accounts.choices import Role
from accounts.models import AuditEvent
from bindings.models import Binding
from tests.bindings.helpers import png_bytes
from tests.factories import EnterpriseFactory, MembershipFactory, RedAccountFactory, UserFactory, valid_id_number

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

RED_ID = "95270001"
PHONE = {
    "viewport": {"width": 375, "height": 812},
    "is_mobile": True,
    "has_touch": True,
    "device_scale_factor": 2,
    "locale": "zh-CN",
}
COUNTDOWN = re.compile(r"\d+天|\d+小时|\d+分")  # static/js/countdown.js in Chinese: "1天23小时59分"


def accept_dialogs(page: Page) -> None:
    """Forms with data-confirm ask window.confirm (static/js/app.js): say yes."""
    page.on("dialog", lambda dialog: dialog.accept())


def assert_no_horizontal_scroll(page: Page, width: int = 375) -> None:
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= width, f"{page.url} scrolls horizontally: {scroll_width}px wide at {width}px"


def test_operator_invites_staff_approve_employee_accepts(
    page, new_page, live_server, login, screenshot, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"  # the uploaded proof stays out of artifacts/test-media
    enterprise = EnterpriseFactory(name="花漾美妆")
    assert enterprise.kos_permission
    MembershipFactory(enterprise=enterprise, role=Role.OPERATOR, user__username="brand_operator")
    UserFactory(username="staff", is_staff=True)
    account = RedAccountFactory(
        red_id=RED_ID,
        nickname="小美导购日记",
        real_name="李小美",
        id_number=valid_id_number(1),
        user__username="emp_xiaomei",
    )

    # 1. The brand operator fills in the bind wizard ---------------------------------------------------------------
    login(page, "brand_operator")
    expect(page).to_have_url(f"{live_server.url}/w/{enterprise.pk}/")
    page.locator("aside.sidebar").get_by_role("link", name="绑定员工账号").click()
    expect(page).to_have_url(f"{live_server.url}/w/{enterprise.pk}/employees/bind/")
    expect(page.get_by_role("heading", level=1)).to_have_text("绑定员工账号")
    expect(page.get_by_test_id("enterprise-blockers")).to_have_count(0)

    page.locator("label.mode-card", has_text="员工个人号授权").click()
    expect(page.locator("input[name=mode][value=personal_authorized]")).to_be_checked()
    page.locator("#id_red_id").fill(RED_ID)
    page.get_by_test_id("search-account").click()
    eligibility = page.get_by_test_id("eligibility")
    expect(eligibility).to_have_attribute("data-red-id", RED_ID)
    expect(eligibility).to_contain_text("小美导购日记")
    expect(eligibility).to_contain_text("符合条件")
    expect(eligibility.locator("[data-mode-verdict=personal_authorized]")).to_have_attribute("data-allowed", "1")

    page.get_by_label("姓名").fill("李小美")
    page.get_by_label("身份证号码").fill(valid_id_number(1))
    page.locator("#id_proof").set_input_files({"name": "在职证明.png", "mimeType": "image/png", "buffer": png_bytes()})
    page.get_by_label("所属区域").fill("上海·静安")
    screenshot(page, "e2e_bind_step1")

    page.get_by_role("button", name="下一步").click()  # hidden steps' buttons are not matched
    expect(page.get_by_text("2 · 选择岗位")).to_be_visible()
    page.get_by_role("radio", name="导购").check()
    expect(page.locator("[data-badge-position]")).to_have_text("导购")
    screenshot(page, "e2e_bind_step2")

    page.get_by_role("button", name="下一步").click()
    expect(page.get_by_text("3 · 查看员工号权限")).to_be_visible()
    screenshot(page, "e2e_bind_step3")

    page.get_by_role("button", name="下一步").click()
    expect(page.get_by_text("4 · 签署承诺书")).to_be_visible()
    page.get_by_label("我已阅读并签署《承诺书》").check()
    page.get_by_label("我已阅读并签署《服务协议》").check()
    summary = page.locator(".summary-card")
    expect(summary.locator("[data-summary=mode]")).to_have_text("员工个人号授权")
    expect(summary.locator("[data-summary=account]")).to_have_text(f"小美导购日记 · {RED_ID}")
    expect(summary.locator("[data-summary=position]")).to_have_text("导购")
    screenshot(page, "e2e_bind_step4")

    with page.expect_navigation():
        page.get_by_test_id("submit-invitation").click()
    expect(page).to_have_url(f"{live_server.url}/w/{enterprise.pk}/invitations/")
    expect(page.get_by_role("alert")).to_contain_text("等待平台审核")
    row = page.get_by_test_id("invitations-table").locator("tbody tr", has_text=RED_ID)
    expect(row).to_have_count(1)
    expect(row.locator(".status-pending_review")).to_have_text("等待平台审核")
    expect(row).to_contain_text("员工个人号授权")
    expect(row).to_contain_text("导购")
    screenshot(page, "e2e_bind_submitted")

    # 2. Platform staff review and approve ------------------------------------------------------------------------
    staff_page = new_page()
    accept_dialogs(staff_page)
    login(staff_page, "staff")
    expect(staff_page).to_have_url(f"{live_server.url}/platform/invitations/")
    queue_row = staff_page.get_by_test_id("queue-row").filter(has_text=RED_ID)
    expect(queue_row).to_contain_text("花漾美妆")
    expect(queue_row).to_contain_text("李小美")
    with staff_page.expect_navigation():
        queue_row.get_by_role("link", name="审核").click()
    proof = staff_page.get_by_test_id("proof-image")
    expect(proof).to_be_visible()
    staff_page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=proof.element_handle())
    expect(staff_page.get_by_test_id("account-eligible")).to_be_visible()
    expect(staff_page.get_by_test_id("application")).to_contain_text("李小美 ✓")
    screenshot(staff_page, "e2e_staff_review")
    with staff_page.expect_navigation():
        staff_page.get_by_test_id("approve").click()
    expect(staff_page).to_have_url(f"{live_server.url}/platform/invitations/")
    expect(staff_page.get_by_role("alert")).to_contain_text("审核通过")
    expect(staff_page.get_by_test_id("empty")).to_be_visible()
    screenshot(staff_page, "e2e_staff_approved")

    # 3. The employee accepts on a phone --------------------------------------------------------------------------
    phone = new_page(**PHONE)
    accept_dialogs(phone)
    login(phone, "emp_xiaomei")
    phone.get_by_test_id("tabbar").get_by_role("link", name="消息通知").click()
    expect(phone).to_have_url(f"{live_server.url}/m/notifications/")
    notice = phone.get_by_test_id("notification").filter(has_text="收到绑定邀请")
    expect(notice).to_have_count(1)
    expect(notice).to_contain_text("花漾美妆")
    assert_no_horizontal_scroll(phone)
    screenshot(phone, "e2e_employee_notifications")

    notice.get_by_test_id("notification-details").tap()
    expect(phone).to_have_url(re.compile(r"/m/invitations/\d+/$"))
    invitation_card = phone.get_by_test_id("invitation")
    expect(invitation_card).to_have_attribute("data-status", "sent")
    expect(invitation_card).to_contain_text("花漾美妆")
    expect(phone.get_by_test_id("ownership")).to_contain_text("员工个人号授权")
    expect(phone.get_by_test_id("ownership")).to_contain_text("账号归属员工个人，离职可带走")
    expect(phone.get_by_test_id("time-left").locator(".m-countdown")).to_have_text(COUNTDOWN)
    expect(phone.get_by_test_id("identity-check")).to_have_attribute("data-match", "1")
    assert_no_horizontal_scroll(phone)
    screenshot(phone, "e2e_employee_invitation")

    with phone.expect_navigation():
        phone.get_by_test_id("accept").tap()
    expect(phone).to_have_url(f"{live_server.url}/m/bindings/")
    expect(phone.get_by_role("alert")).to_contain_text("已接受绑定")
    binding_card = phone.get_by_test_id("binding")
    expect(binding_card).to_have_count(1)
    expect(binding_card).to_have_attribute("data-status", "active")
    expect(binding_card).to_contain_text("花漾美妆")
    expect(binding_card.get_by_test_id("binding-status")).to_have_text("有效")
    expect(binding_card.get_by_test_id("unbind-lock").locator(".m-countdown")).to_have_text(COUNTDOWN)
    assert_no_horizontal_scroll(phone)
    screenshot(phone, "e2e_employee_bindings")

    # 4. The brand sees the active employee account ---------------------------------------------------------------
    page.locator("aside.sidebar").get_by_role("link", name="员工账号", exact=True).click()
    expect(page).to_have_url(f"{live_server.url}/w/{enterprise.pk}/employees/")
    active_row = page.get_by_test_id("bindings-table").locator("tbody tr", has_text=RED_ID)
    expect(active_row).to_have_count(1)
    expect(active_row.locator(".badge")).to_have_text("有效")
    expect(active_row).to_contain_text("员工个人号授权")
    expect(active_row).to_contain_text("距可解绑")
    expect(active_row.locator("[data-countdown-until]")).to_have_text(COUNTDOWN)
    screenshot(page, "e2e_brand_active")

    assert Binding.objects.filter(red_account=account, status="active").count() == 1
    binding = Binding.objects.get(red_account=account)
    assert binding.enterprise_id == enterprise.pk
    assert binding.mode == "personal_authorized"
    assert binding.position == "shopping_guide"
    actions = set(AuditEvent.objects.filter(enterprise=enterprise).values_list("action", flat=True))
    assert {"invitation.created", "invitation.approved", "invitation.accepted", "binding.created"} <= actions
