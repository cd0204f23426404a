"""The header's bell and the notification centres in Chromium: a brand operator clicks the bell, reads the centre,
filters the unread, marks all read (a colleague still sees them unread) and opens a notice; platform staff and agency
staff find their own; the employee's centre on a 375 px phone."""

import re

import pytest
from playwright.sync_api import expect

from accounts.choices import Role
from bindings import services
from bindings.choices import Audience, NotificationKind
from bindings.models import Notification
from kos_platform import clock
from kos_platform.tenancy import Actor
from tests.bindings.helpers import bind, invite, send
from tests.factories import (
    AgencyFactory,
    AgencyMembershipFactory,
    AgencyReportFactory,
    EnterpriseFactory,
    MembershipFactory,
    RedAccountFactory,
    UserFactory,
)

from .conftest import SCREENSHOT_DIR

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

DESKTOP = {"viewport": {"width": 1440, "height": 900}, "locale": "zh-CN"}
PHONE = {
    "viewport": {"width": 375, "height": 812},
    "is_mobile": True,
    "has_touch": True,
    "device_scale_factor": 2,
    "locale": "zh-CN",
}


@pytest.fixture
def shot(screenshot):
    (SCREENSHOT_DIR / "notifications").mkdir(parents=True, exist_ok=True)
    return lambda page, name: screenshot(page, f"notifications/{name}")


def test_brand_bell_centre_mark_all_read_and_open(new_page, live_server, login, shot, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    enterprise = EnterpriseFactory(name="花漾美妆")
    MembershipFactory(enterprise=enterprise, role=Role.OPERATOR, user__username="brand_operator")
    MembershipFactory(enterprise=enterprise, role=Role.ADMIN, user__username="brand_admin")
    binding = bind(enterprise, RedAccountFactory(red_id="95270001", nickname="小美导购日记"))
    Notification.objects.create(
        audience=Audience.ENTERPRISE,
        enterprise=enterprise,
        kind=NotificationKind.CAMPAIGNS_PAUSED_NO_BALANCE,
        count=2,
        created_at=clock.now(),
    )
    Notification.objects.create(
        audience=Audience.ENTERPRISE,
        enterprise=enterprise,
        kind=NotificationKind.ADVANCED_RIGHTS_UNLOCKED,
        created_at=clock.now(),
    )

    page = new_page(**DESKTOP)
    login(page, "brand_operator")
    bell = page.get_by_test_id("notification-bell")
    expect(bell.get_by_test_id("bell-count")).to_have_text("3")
    bell.click()
    expect(page).to_have_url(f"{live_server.url}/w/{enterprise.pk}/notifications/")
    expect(page.get_by_role("heading", level=1)).to_have_text("消息通知")
    notices = page.get_by_test_id("notification")
    expect(notices).to_have_count(3)
    expect(notices.first).to_contain_text("高级权益已解锁")
    expect(notices.nth(1)).to_contain_text("推广计划已暂停")
    expect(page.get_by_test_id("notification-list")).to_contain_text("小美导购日记 (95270001)已接受邀请")
    expect(page.locator("[data-testid=notification][data-unread]")).to_have_count(3)
    shot(page, "brand_centre_1440")

    page.get_by_test_id("filter-unread").click()
    expect(page).to_have_url(re.compile(r"\?filter=unread$"))
    with page.expect_navigation():
        page.get_by_test_id("mark-all-read").click()
    expect(page.locator("[data-testid=notification][data-unread]")).to_have_count(0)
    expect(page.get_by_test_id("notification-bell").get_by_test_id("bell-count")).to_have_count(0)
    expect(page.get_by_test_id("notification")).to_have_count(3)
    shot(page, "brand_centre_all_read_1440")

    # Opening the accepted invitation's notice goes to the invitation list; the ended binding's to the account.
    accepted = page.get_by_test_id("notification").filter(has_text="已接受邀请")
    with page.expect_navigation():
        accepted.get_by_test_id("notification-open").click()
    expect(page).to_have_url(re.compile(rf"/w/{enterprise.pk}/invitations/\?status=accepted$"))

    # A colleague still sees all three unread.
    colleague = new_page(**DESKTOP)
    login(colleague, "brand_admin")
    expect(colleague.get_by_test_id("notification-bell").get_by_test_id("bell-count")).to_have_text("3")
    shot(colleague, "brand_overview_bell_1440")
    assert binding.pk


def test_staff_and_agency_find_their_notices(new_page, live_server, login, shot, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    enterprise = EnterpriseFactory(name="花漾美妆")
    agency = AgencyFactory(name="星河代理")
    AgencyReportFactory(enterprise=enterprise, agency=agency)
    AgencyMembershipFactory(agency=agency, user__username="agency_staff")
    UserFactory(username="staff", is_staff=True)
    invitation = invite(enterprise, RedAccountFactory(red_id="95270002", nickname="阿杰"))
    Notification.objects.create(
        audience=Audience.ENTERPRISE,
        enterprise=enterprise,
        kind=NotificationKind.ADVANCED_RIGHTS_LOCKED,
        created_at=clock.now(),
    )

    staff = new_page(**DESKTOP)
    login(staff, "staff")
    expect(staff.get_by_test_id("notification-bell").get_by_test_id("bell-count")).to_have_text("1")
    staff.get_by_test_id("notification-bell").click()
    expect(staff).to_have_url(f"{live_server.url}/platform/notifications/")
    notice = staff.get_by_test_id("notification")
    expect(notice).to_have_count(1)
    expect(notice).to_contain_text("花漾美妆")
    expect(notice).to_contain_text("阿杰 (95270002)")
    shot(staff, "staff_centre_1440")
    with staff.expect_navigation():
        notice.get_by_test_id("notification-open").click()
    expect(staff).to_have_url(f"{live_server.url}/platform/invitations/{invitation.pk}/")
    expect(staff.get_by_test_id("notification-bell").get_by_test_id("bell-count")).to_have_count(0)

    agency_page = new_page(**DESKTOP)
    login(agency_page, "agency_staff")
    agency_page.goto("/agency/")
    expect(agency_page.get_by_test_id("notification-bell").get_by_test_id("bell-count")).to_have_text("1")
    agency_page.get_by_test_id("notification-bell").click()
    expect(agency_page).to_have_url(f"{live_server.url}/agency/notifications/")
    expect(agency_page.get_by_test_id("notification-brand")).to_have_text("花漾美妆")
    shot(agency_page, "agency_centre_1440")
    with agency_page.expect_navigation():
        agency_page.get_by_test_id("notification-open").click()
    expect(agency_page).to_have_url(f"{live_server.url}/w/{enterprise.pk}/ads/advanced-rights/")
    expect(agency_page.get_by_test_id("agency-banner")).to_be_visible()


def test_employee_centre_on_a_phone(new_page, live_server, login, shot, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    account = RedAccountFactory(red_id="95270003", nickname="婷婷", user__username="emp_tingting")
    first = send(EnterpriseFactory(name="花漾美妆"), account)
    send(EnterpriseFactory(name="洁家家政服务"), account)
    services.invitation_decline(actor=Actor(user=account.user), invitation=first)

    phone = new_page(**PHONE)
    login(phone, "emp_tingting")
    phone.goto("/m/notifications/")
    expect(phone.get_by_test_id("notification")).to_have_count(2)
    expect(phone.locator("[data-testid=notification][data-unread]")).to_have_count(1)
    expect(phone.get_by_test_id("notification-state")).to_have_text("已拒绝")  # the answered one says so
    expect(phone.get_by_test_id("tabbar").get_by_test_id("unread-count")).to_have_text("1")
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"scrolls horizontally: {width}px"
    tabs = phone.get_by_test_id("tabbar").get_by_role("link")
    assert tabs.count() == 5 and len({round(tabs.nth(n).bounding_box()["y"]) for n in range(5)}) == 1  # one row
    shot(phone, "employee_centre_375")
    with phone.expect_navigation():
        phone.get_by_test_id("mark-all-read").tap()
    expect(phone.locator("[data-testid=notification][data-unread]")).to_have_count(0)
    expect(phone.get_by_test_id("tabbar").get_by_test_id("unread-count")).to_have_count(0)
    shot(phone, "employee_centre_read_375")
    unread_tab = phone.get_by_test_id("filter-unread")
    unread_tab.tap()
    expect(phone.get_by_test_id("empty")).to_be_visible()
