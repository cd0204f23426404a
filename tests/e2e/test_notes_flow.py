"""The note flow end to end, in two browsers: the brand operator checks notes under 待审核笔记 and submits them
(发起笔记审核), sees the quota banner go down and the notes 审核中 under 已发起审核笔记; platform staff approve one in
the review console; the operator pushes it to the ad platform (前往聚光) and opens its detail with the charts.
Screenshots of every step land in artifacts/screenshots/notes/."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect

from accounts.choices import Role
from kos_platform import clock
from notes.models import NotePush, NoteReview
from tests.campaigns.helpers import recharge
from tests.factories import EnterpriseFactory, MembershipFactory, RedAccountFactory, UserFactory
from tests.notes.factories import NoteFactory, bind, metrics

from .conftest import SCREENSHOT_DIR

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SHOTS = "notes"


def accept_dialogs(page: Page) -> None:
    """Forms with data-confirm ask window.confirm (static/js/app.js): say yes."""
    page.on("dialog", lambda dialog: dialog.accept())


def assert_no_horizontal_scroll(page: Page, width: int = 1366) -> None:
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= width, f"{page.url} scrolls horizontally: {scroll_width}px wide at {width}px"


def make_notes(enterprise):
    """Two employees' notes: four recent ones (one a promising video with 20 days of figures) and an old one."""
    xiaomei = bind(enterprise, RedAccountFactory(red_id="95270001", nickname="小美导购日记"), name="李小美").red_account
    dali = bind(enterprise, RedAccountFactory(red_id="95270002", nickname="大力探店"), name="王大力").red_account
    now = clock.now()
    video = NoteFactory(
        author=xiaomei,
        title="人生第一次体验法式沉浸式下午茶",
        type="video",
        exposure=91091,
        reads=1091,
        engagement=1091,
        likes=800,
        comments=91,
        published_at=now - timedelta(days=1, hours=2),
    )
    image = NoteFactory(
        author=xiaomei,
        title="秋冬通勤穿搭｜一衣多穿",
        exposure=21890,
        reads=1640,
        engagement=230,
        likes=8,
        comments=2,
        published_at=now - timedelta(days=2, hours=5),
    )
    NoteFactory(
        author=dali,
        title="门店新品到货，周末来试",
        exposure=5120,
        reads=410,
        engagement=36,
        likes=30,
        published_at=now - timedelta(days=4),
    )
    NoteFactory(
        author=dali, title="新人报到", exposure=300, reads=20, engagement=2, published_at=now - timedelta(days=6)
    )
    NoteFactory(author=xiaomei, title="去年夏天的穿搭", exposure=800, reads=60, published_at=now - timedelta(days=120))
    today = clock.local_today()
    for back in range(20, 0, -1):
        metrics(
            video,
            today - timedelta(days=back),
            exposure=3000 + 250 * (20 - back),
            reads=40 + 3 * (20 - back),
            likes=30 + back % 5,
            collects=8,
            comments=3,
            read_uv=35 + 2 * (20 - back),
            play_5s_rate=Decimal("0.18") + Decimal(back % 7) / 100,
            avg_view_seconds=Decimal(5 + back % 4),
        )
    return video, image


def test_operator_submits_staff_approve_operator_pushes(page, new_page, live_server, login, screenshot):
    (SCREENSHOT_DIR / SHOTS).mkdir(parents=True, exist_ok=True)
    enterprise = EnterpriseFactory(name="花漾美妆")
    operator = MembershipFactory(enterprise=enterprise, role=Role.OPERATOR, user__username="brand_operator").user
    recharge(enterprise, operator, "9000.00")  # E05: a boost draws from the ad account
    UserFactory(username="staff", is_staff=True)
    video, image = make_notes(enterprise)
    accept_dialogs(page)

    # 1. The operator opens 待审核笔记 -----------------------------------------------------------------------------
    login(page, "brand_operator")
    page.locator("aside.sidebar").get_by_role("link", name="待审核笔记").click()
    expect(page).to_have_url(f"{live_server.url}/w/{enterprise.pk}/notes/")
    expect(page.get_by_test_id("notes-tabs").get_by_role("link", name="待审核笔记")).to_have_class(re.compile("active"))
    banner = page.get_by_test_id("quota-text")
    expect(banner).to_have_text("本月剩余可发起审核申请笔记额度 1000/1000")
    expect(page.get_by_test_id("note-row")).to_have_count(5)
    expect(page.get_by_test_id("total-count")).to_have_text("共5条")
    first = page.locator(f"[data-note-id='{video.note_id}']")
    expect(first.locator("[data-signal=promising]")).to_have_text("潜力笔记")
    expect(first).to_contain_text("91,091")
    expect(page.locator("[data-testid=refusal]")).to_have_text("笔记发布时间超过 90 日。")
    expect(page.get_by_test_id("submit-selected")).to_be_disabled()
    assert_no_horizontal_scroll(page)
    screenshot(page, f"{SHOTS}/01_pending")

    # Sorting by 曝光量 puts the video first, ascending last
    page.locator("th a.sort-link", has_text="曝光量").click()
    expect(page).to_have_url(re.compile(r"ordering=-exposure"))
    expect(page.get_by_test_id("note-row").first).to_have_attribute("data-note-id", video.note_id)

    # 2. Two notes checked, then 发起笔记审核 -----------------------------------------------------------------------
    page.locator(f"[data-note-id='{video.note_id}'] input[data-select-item]").check()
    page.locator(f"[data-note-id='{image.note_id}'] input[data-select-item]").check()
    expect(page.get_by_test_id("submit-selected")).to_have_text("发起笔记审核 (2)")
    screenshot(page, f"{SHOTS}/02_selected")
    with page.expect_navigation():
        page.get_by_test_id("submit-selected").click()
    expect(page.locator(".alert-success")).to_contain_text("已对2篇笔记发起审核。")
    expect(banner).to_have_text("本月剩余可发起审核申请笔记额度 998/1000")
    expect(page.get_by_test_id("note-row")).to_have_count(3)
    screenshot(page, f"{SHOTS}/03_submitted_message")
    assert NoteReview.objects.filter(enterprise=enterprise, status="in_review").count() == 2

    # Select all on the page, then submit: the old note stays unchecked (disabled)
    page.get_by_test_id("select-all").check()
    expect(page.get_by_test_id("submit-selected")).to_have_text("发起笔记审核 (2)")
    page.get_by_test_id("select-all").uncheck()

    # 3. 已发起审核笔记: both 审核中 ----------------------------------------------------------------------------------
    page.get_by_test_id("notes-tabs").get_by_role("link", name="已发起审核笔记").click()
    expect(page.get_by_test_id("note-row")).to_have_count(2)
    expect(page.get_by_test_id("review-status")).to_have_text(["审核中", "审核中"])
    expect(page.locator("[data-state=in_review]")).to_have_text("审核中2")
    expect(page.locator("[data-state=in_review] [data-testid=state-count]")).to_have_text("2")
    expect(banner).to_have_text("本月剩余可发起审核申请笔记额度 998/1000")
    assert_no_horizontal_scroll(page)
    screenshot(page, f"{SHOTS}/04_submitted_tab")

    # 4. Staff approve the video in the console -------------------------------------------------------------------
    staff = new_page()
    accept_dialogs(staff)
    login(staff, "staff")
    staff.get_by_test_id("console-nav").get_by_role("link", name=re.compile("笔记审核")).click()
    expect(staff).to_have_url(f"{live_server.url}/platform/note-reviews/")
    expect(staff.get_by_test_id("queue-row")).to_have_count(2)
    screenshot(staff, f"{SHOTS}/05_console")
    row = staff.locator(f"[data-testid=queue-row][data-note-id='{video.note_id}']")
    with staff.expect_navigation():
        row.get_by_test_id("approve").click()
    expect(staff.locator(".alert-success")).to_contain_text("已审核通过")
    expect(staff.get_by_test_id("queue-row")).to_have_count(1)
    # a rejection needs its reason
    other = staff.get_by_test_id("queue-row").first
    other.locator("input[name=reason]").fill("笔记内容与品牌无关")
    with staff.expect_navigation():
        other.get_by_test_id("reject").click()
    expect(staff.get_by_test_id("empty")).to_be_visible()
    assert_no_horizontal_scroll(staff)
    screenshot(staff, f"{SHOTS}/06_console_decided")

    # 5. The operator sees 审核通过 and pushes it (前往聚光) -----------------------------------------------------------
    page.reload()
    expect(page.locator("[data-state=approved]")).to_have_text("审核通过1")
    expect(page.locator("[data-state=rejected]")).to_have_text("审核不通过1")
    approved = page.locator(f"[data-note-id='{video.note_id}']")
    expect(approved.get_by_test_id("review-status")).to_have_text("审核通过")
    rejected = page.locator(f"[data-note-id='{image.note_id}']")
    expect(rejected.get_by_test_id("reject-reason")).to_have_text("笔记内容与品牌无关")
    expect(rejected.get_by_test_id("resubmit")).to_have_text("发起审核申请")
    approved.get_by_test_id("boost").click()
    expect(approved.locator(".boost-menu")).to_be_visible()
    screenshot(page, f"{SHOTS}/07_boost_menu")
    approved.locator("input[name=budget]").fill("500")
    with page.expect_navigation():
        approved.get_by_test_id("boost-submit").click()
    expect(page.locator(".alert-success")).to_contain_text("内容加热")
    with page.expect_navigation():
        page.locator(f"[data-note-id='{video.note_id}']").get_by_test_id("push").click()
    expect(page.locator(".alert-success")).to_contain_text("已推送至聚光")
    # 前往聚光 leads on to the campaign wizard with the note chosen.
    expect(page).to_have_url(re.compile(r"/ads/campaigns/new/\?note="))
    expect(page.locator(f"input[name=note_ids][value='{video.note_id}']")).to_be_checked()
    page.go_back()
    page.reload()
    expect(page.locator(f"[data-note-id='{video.note_id}']").get_by_test_id("pushed-button")).to_have_text("去投放")
    screenshot(page, f"{SHOTS}/08_pushed")
    assert NotePush.objects.get().note == video

    # 6. The note's detail with its figures over time ------------------------------------------------------------
    page.locator(f"[data-note-id='{video.note_id}']").get_by_test_id("detail-link").click()
    expect(page.get_by_test_id("note-title")).to_have_text(video.title)
    expect(page.locator("#chart-traffic canvas")).to_have_count(1)
    expect(page.locator("#chart-quality canvas")).to_have_count(1)
    expect(page.get_by_test_id("metrics-table").locator("tbody tr")).to_have_count(20)
    expect(page.get_by_test_id("push-status")).to_contain_text("推送至聚光")
    page.wait_for_timeout(600)  # the charts' entry animation
    assert_no_horizontal_scroll(page)
    screenshot(page, f"{SHOTS}/09_detail")
    page.locator("[data-range='7']").click()
    expect(page.get_by_test_id("metrics-table").locator("tbody tr")).to_have_count(6)  # yesterday back to 6 days ago
