"""In Chromium: the review console's history reads in words (the object by its name, each change in words, the agency
and the reason), the brand's note detail shows the note's cover and excerpt at 1440 px and on a 375 px phone, and
the staff notification centre leads to the note reviews awaiting a decision. Screenshots: artifacts/screenshots/
first-use/."""

import re
from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect

from accounts.choices import Role
from bindings import services
from kos_platform import clock
from kos_platform.tenancy import Actor
from tests.bindings.helpers import bind, brand, employee_details
from tests.factories import AgencyFactory, EnterpriseFactory, MembershipFactory, RedAccountFactory, UserFactory
from tests.notes.factories import NoteFactory, submit

from .conftest import SCREENSHOT_DIR

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SHOTS = SCREENSHOT_DIR / "first-use"
WIDE = {"viewport": {"width": 1440, "height": 900}}
PHONE = {"viewport": {"width": 375, "height": 812}, "is_mobile": True, "has_touch": True}
CODE_WORDS = re.compile(r"\b(pending_review|sent|accepted|active|frozen|status|bindings\.\w+)\b")


def shot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_b10_console_history_reads_in_words(new_page, login):
    enterprise = EnterpriseFactory(name="花漾美妆")
    UserFactory(username="staff", is_staff=True)
    account = RedAccountFactory(red_id="95270001", nickname="小美导购日记", real_name="李小美")
    binding = bind(enterprise, account)
    agency = AgencyFactory(name="星河代理")
    workspace = brand(enterprise, agency=agency)
    services.binding_freeze(actor=workspace.actor, binding=binding, reason="员工离职交接中")

    page = new_page(**WIDE)
    login(page, "staff")
    page.goto(f"/platform/bindings/{binding.pk}/")
    history = page.get_by_test_id("history")
    expect(history.get_by_test_id("history-object").first).to_contain_text("小红书号95270001")
    expect(history).to_contain_text("经代理商星河代理")
    expect(history).to_contain_text("员工离职交接中")
    expect(history.get_by_test_id("history-changes").first).to_be_visible()
    assert not CODE_WORDS.search(history.inner_text())
    history.scroll_into_view_if_needed()
    shot(page, "01-platform-binding-history")

    page.goto(f"/platform/invitations/{binding.invitation_id}/")
    history = page.get_by_test_id("history")
    expect(history.get_by_test_id("history-event")).to_have_count(3)  # created, approved, accepted
    assert not CODE_WORDS.search(history.inner_text())
    shot(page, "02-platform-invitation-history")


def test_n01_the_brand_note_detail_shows_the_cover_and_excerpt(new_page, login):
    enterprise = EnterpriseFactory(name="花漾美妆")
    MembershipFactory(enterprise=enterprise, role=Role.OPERATOR, user__username="brand_operator")
    binding = bind(enterprise, RedAccountFactory(red_id="95270001", nickname="小美导购日记", real_name="李小美"))
    note = NoteFactory(
        author=binding.red_account,
        title="秋冬通勤妆容｜10分钟出门不踩雷",
        type="video",
        cover_url="/static/img/demo-covers/cover-01.svg",
        excerpt="早上时间紧？这套通勤妆只用五样产品：轻薄粉底、遮瑕、眉笔、大地色眼影和豆沙色口红，10分钟搞定，"
        "一整天不斑驳。重点是粉底要少量多次，遮瑕只点在需要的地方。",
        published_at=clock.now() - timedelta(days=2),
    )
    bare = NoteFactory(author=binding.red_account, title="没有封面也没有摘要的笔记")

    for name, options in (("wide", WIDE), ("phone", PHONE)):
        page = new_page(**options)
        login(page, "brand_operator")
        page.goto(f"/w/{enterprise.pk}/notes/{note.note_id}/")
        cover = page.locator("[data-testid=note-detail-cover] img")
        expect(cover).to_be_visible()
        assert cover.evaluate("img => img.complete && img.naturalWidth > 0")
        expect(page.get_by_test_id("note-detail-excerpt")).to_contain_text("这套通勤妆只用五样产品")
        assert page.evaluate("document.documentElement.scrollWidth") <= options["viewport"]["width"]
        shot(page, f"03-note-detail-{name}")

    page.goto(f"/w/{enterprise.pk}/notes/{bare.note_id}/")
    expect(page.locator("[data-testid=note-detail-cover] [data-cover=none]")).to_be_visible()
    expect(page.get_by_test_id("note-detail-no-excerpt")).to_be_visible()
    shot(page, "04-note-detail-bare-phone")


def test_n05_the_staff_centre_leads_to_the_note_reviews_awaiting(new_page, login):
    enterprise = EnterpriseFactory(name="花漾美妆")
    UserFactory(username="staff", is_staff=True)
    account = RedAccountFactory(red_id="95270001", nickname="小美导购日记", real_name="李小美")
    bind(enterprise, account)
    candidate = RedAccountFactory(red_id="95270002", nickname="阿杰的店")
    invitation = services.invitation_create(
        workspace=brand(enterprise), red_account=candidate, mode="enterprise_owned", details=employee_details(candidate)
    )
    for _ in range(2):
        submit(NoteFactory(author=account), enterprise)

    page = new_page(**WIDE)
    login(page, "staff")
    page.goto("/platform/notifications/")
    expect(page.get_by_test_id("notification-bell")).to_have_attribute("data-unread", "3")
    item = page.get_by_test_id("note-reviews-awaiting")
    expect(item).to_contain_text("2篇笔记等待审核")
    expect(page.locator("[data-testid=notification][data-unread]")).to_have_count(1)  # the open invitation
    shot(page, "05-staff-notification-centre")
    item.click()
    expect(page).to_have_url(re.compile(r"/platform/note-reviews/$"))
    services.invitation_approve(actor=Actor(user=UserFactory(is_staff=True)), invitation=invitation)
    page.goto("/platform/notifications/")
    expect(page.get_by_test_id("notification-bell")).to_have_attribute("data-unread", "2")
