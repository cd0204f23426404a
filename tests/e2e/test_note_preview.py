"""Note previews in a real browser at 1440 px: the brand's note lists and the staff review queue show each note's
cover (lazy, fixed size; a placeholder when there is none or when its host is not in CONTENT_IMAGE_HOSTS) and its
excerpt; staff open a note's review page, read it beside approve / reject, approve, and land on the next one. No
Content Security Policy violation, and no request to a host outside the setting. Screenshots:
artifacts/screenshots/preview/."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import Page, expect

from accounts.choices import Role
from kos_platform import clock
from notes.models import NoteReview
from tests.factories import EnterpriseFactory, MembershipFactory, RedAccountFactory, UserFactory
from tests.notes.factories import NoteFactory, bind, submit

from .conftest import SCREENSHOT_DIR

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SHOTS = SCREENSHOT_DIR / "preview"
WIDE = {"viewport": {"width": 1440, "height": 900}}
COVERS = Path(settings.BASE_DIR) / "static" / "img" / "demo-covers"
XHS_COVER = "https://sns-webpic-qc.xhscdn.com/202611/demo/cover.jpg"  # answered by the test, never the internet
FOREIGN_COVER = "https://images.evil.example/cover.jpg"
WATCH_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => window.__cspViolations.push(e.blockedURI));
"""


def shot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def watch(page: Page, site: str) -> list[str]:
    """Serve the content platform's cover from a local file, refuse any other outside host, and record what the
    page asked the internet for."""
    asked = []
    page.add_init_script(WATCH_VIOLATIONS)

    def outside(route):
        asked.append(route.request.url)
        if route.request.url == XHS_COVER:
            route.fulfill(path=str(COVERS / "cover-08.svg"), content_type="image/svg+xml")
        else:
            route.abort()

    page.route(lambda url: not url.startswith(site), outside)
    return asked


def settle(page: Page) -> None:
    page.wait_for_load_state("networkidle")
    assert page.evaluate("window.__cspViolations") == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 1440


def make_notes(enterprise):
    author = bind(enterprise, RedAccountFactory(red_id="95270001", nickname="小美导购日记"), name="李小美").red_account
    now = clock.now()
    covered = [
        NoteFactory(
            author=author,
            title=title,
            type=kind,
            cover_url=f"/static/img/demo-covers/cover-{number:02d}.svg",
            excerpt=excerpt,
            exposure=9000 - number * 700,
            reads=900 - number * 60,
            engagement=120 - number * 9,
            likes=80 - number * 5,
            comments=12,
            published_at=now - timedelta(days=number, hours=3),
        )
        for number, title, kind, excerpt in (
            (
                1,
                "秋冬通勤妆容｜10分钟出门不踩雷",
                "video",
                "早上时间紧？这套通勤妆只用五样产品：轻薄粉底、遮瑕、眉笔、大地色眼影和豆沙色口红，10分钟搞定，"
                "一整天不斑驳。重点是粉底要少量多次，遮瑕只点在需要的地方，眉毛顺着毛流画，眼影用指腹晕开。",
            ),
            (
                2,
                "门店新品试色：雾面唇釉真实上嘴",
                "image",
                "门店刚到的雾面唇釉，我把六个色号都试了一遍。黄皮友好的是03和05，显白又不拔干，附上自然光下的真实上嘴图。",
            ),
            (3, "敏感肌换季护肤清单，店长亲测", "image", "换季皮肤泛红起皮？店长分享自己的敏感肌护肤清单。"),
        )
    ]
    xhs = NoteFactory(
        author=author,
        title="约会氛围感妆容教程",
        cover_url=XHS_COVER,
        excerpt="约会前半小时也来得及：水光底妆、玫瑰色腮红、微闪眼影。",
        published_at=now - timedelta(days=4),
    )
    foreign = NoteFactory(
        author=author,
        title="外站图床的封面（不显示）",
        cover_url=FOREIGN_COVER,
        excerpt="封面地址不在允许的图片域名里，页面显示占位图。",
        published_at=now - timedelta(days=5),
    )
    bare = NoteFactory(author=author, title="没有封面也没有摘要的笔记", published_at=now - timedelta(days=6))
    return covered, xhs, foreign, bare


def test_brand_lists_and_staff_review_page_show_covers_and_excerpts(new_page, login, live_server):
    enterprise = EnterpriseFactory(name="花漾美妆")
    MembershipFactory(enterprise=enterprise, role=Role.OPERATOR, user__username="brand_operator")
    UserFactory(username="staff", is_staff=True)
    covered, xhs, foreign, bare = make_notes(enterprise)
    for number, note in enumerate((covered[0], xhs, covered[1], foreign)):
        submit(note, enterprise, at=clock.now() - timedelta(hours=6 - number))

    brand = new_page(**WIDE)
    asked = watch(brand, live_server.url)
    login(brand, "brand_operator")
    brand.goto(f"/w/{enterprise.pk}/notes/")
    rows = brand.get_by_test_id("note-row")
    expect(rows).to_have_count(2)  # the submitted four are under 已发起审核笔记
    expect(brand.locator("[data-cover=shown] img")).to_have_count(1)
    expect(brand.locator(f"[data-note-id='{bare.note_id}'] [data-cover=none]")).to_be_visible()
    cover = brand.locator(f"[data-note-id='{covered[2].note_id}'] .note-cover img")
    expect(cover).to_have_attribute("loading", "lazy")
    brand.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=cover.element_handle())
    box = brand.locator(f"[data-note-id='{covered[2].note_id}'] .note-cover").bounding_box()
    assert (round(box["width"]), round(box["height"])) == (54, 72)  # fixed, whatever the image's size
    expect(brand.locator(f"[data-note-id='{covered[2].note_id}'] [data-testid=note-excerpt]")).to_be_visible()
    settle(brand)
    shot(brand, "01_brand_pending")

    brand.goto(f"/w/{enterprise.pk}/notes/submitted/")
    expect(brand.get_by_test_id("note-row")).to_have_count(4)
    expect(brand.locator("[data-cover=shown] img")).to_have_count(3)
    expect(brand.locator(f"[data-note-id='{foreign.note_id}'] [data-cover=none]")).to_be_visible()
    expect(brand.locator(f"[data-note-id='{foreign.note_id}'] [data-testid=note-excerpt]")).to_be_visible()
    excerpt = brand.locator(f"[data-note-id='{covered[0].note_id}'] [data-testid=note-excerpt]")
    assert excerpt.evaluate("e => e.scrollHeight > e.clientHeight")  # the long excerpt is clamped
    settle(brand)
    shot(brand, "02_brand_submitted")
    assert asked == [XHS_COVER]  # the foreign cover was never requested

    staff = new_page(**WIDE)
    staff_asked = watch(staff, live_server.url)
    login(staff, "staff")
    staff.goto("/platform/note-reviews/")
    expect(staff.get_by_test_id("queue-row")).to_have_count(4)
    expect(staff.locator("[data-testid=queue-row] [data-cover=shown] img")).to_have_count(3)
    foreign_row = staff.locator(f"[data-testid=queue-row][data-note-id='{foreign.note_id}']")
    expect(foreign_row.locator("[data-cover=none]")).to_be_visible()
    settle(staff)
    shot(staff, "03_staff_queue")

    first = NoteReview.objects.get(note=covered[0])
    with staff.expect_navigation():
        staff.locator(f"[data-testid=queue-row][data-id='{first.pk}'] [data-testid=review-detail-link]").click()
    detail = staff.get_by_test_id("review-detail")
    expect(detail).to_have_attribute("data-id", str(first.pk))
    expect(staff.get_by_test_id("review-excerpt")).to_contain_text("粉底要少量多次")
    expect(staff.get_by_test_id("queue-position")).to_contain_text("1")
    big = staff.locator(".note-cover-lg img")
    staff.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=big.element_handle())
    assert big.bounding_box()["width"] >= 250
    expect(staff.get_by_test_id("original-link")).to_have_attribute("href", covered[0].url)
    settle(staff)
    shot(staff, "04_staff_review_page")

    with staff.expect_navigation():
        staff.get_by_test_id("approve").click()
    expect(staff.locator(".alert-success")).to_contain_text("秋冬通勤妆容")
    second = NoteReview.objects.get(note=xhs)
    expect(staff.get_by_test_id("review-detail")).to_have_attribute("data-id", str(second.pk))
    first.refresh_from_db()
    assert first.status == "approved"
    staff.get_by_test_id("reject-reason").fill("与品牌相关性不足")
    with staff.expect_navigation():
        staff.get_by_test_id("reject").click()
    second.refresh_from_db()
    assert (second.status, second.reason) == ("rejected", "与品牌相关性不足")
    settle(staff)
    shot(staff, "05_staff_next_after_decisions")

    staff.goto(f"/platform/note-reviews/{NoteReview.objects.get(note=foreign).pk}/")
    expect(staff.locator(".note-cover-lg[data-cover=none]")).to_be_visible()  # its host is not allowed
    settle(staff)
    shot(staff, "06_staff_review_page_placeholder")
    assert set(staff_asked) <= {XHS_COVER}
