"""Every brand page on a 375 px phone: no horizontal scroll of the page (a table may scroll inside its own card),
the workspace navigation is a menu that the "菜单" button opens; and the desktop layout is unchanged at 1440 px.

The world is the demo (`load_demo`): a brand with employees, invitations, notes with months of figures, campaigns,
advanced rights and orders. The brand URL patterns are read from the URLconf, so a new `/w/<id>/…` page fails
here until this test knows how to fill its URL. Screenshots: artifacts/screenshots/phone/"""

import io
import re

import pytest
from django.core.management import call_command
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from playwright.sync_api import Page, expect

from accounts.management.commands.load_demo import PASSWORD
from accounts.models import Enterprise
from bindings.models import Binding
from campaigns.models import Campaign
from kos_platform import clock
from notes.models import Note

from ..analytics.incentive_helpers import make_period

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SHOTS = "phone"
PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1440, "height": 900}
BRAND_PREFIX = "w/<int:eid>/"

# url name -> the extra URL kwargs of that page, drawn from the demo world (`world` below).
PAGES = {
    "workspace-overview": lambda world: {},
    "workspace-agencies": lambda world: {},
    "workspace-api-keys": lambda world: {},
    "workspace-team": lambda world: {},
    "bindings-list": lambda world: {},
    "bind-wizard": lambda world: {},
    "binding-detail": lambda world: {"pk": world["binding"].pk},
    "invitation-list": lambda world: {},
    "invitation-batch": lambda world: {},
    "audit-log": lambda world: {},
    "notes-pending": lambda world: {},
    "notes-submitted": lambda world: {},
    "note-detail": lambda world: {"note_id": world["note"].note_id},
    "ads-account": lambda world: {},
    "campaign-list": lambda world: {},
    "campaign-wizard": lambda world: {},
    "campaign-detail": lambda world: {"campaign_id": world["campaign"].pk},
    "advanced-rights": lambda world: {},
    "commerce": lambda world: {},
    "notification-centre": lambda world: {},
    "analytics-data-centre": lambda world: {},
    "analytics-horse-race": lambda world: {},
    "analytics-incentives": lambda world: {},
    "analytics-incentive-period": lambda world: {"period_id": make_period(world["brand"], first=30, last=-5).pk},
}
# Brand URLs that are not pages a person reads: form targets, fragments and downloads.
NOT_PAGES = {
    "bind-eligibility": "htmx fragment inside the bind wizard",
    "bind-step-check": "JSON answer to the bind wizard's next step",
    "binding-proof": "file download",
    "invitation-proof": "file download",
    "invitation-batch-report": "CSV download",
    "invitation-batch-template-csv": "CSV download",
    "invitation-batch-template-xlsx": "XLSX download",
    "notes-submit": "POST target",
    "notes-export": "CSV/XLSX download",
    "campaign-action": "POST target",
    "notification-centre-read-all": "POST target",
    "notification-centre-read": "POST target",
    "notification-centre-open": "redirect to what a notification is about",
    "analytics-data-export": "CSV/XLSX download",
    "analytics-horse-race-draft": "POST target",
}
# Extra states of a page worth measuring on a phone (query strings that change what is drawn).
VARIANTS = {
    "notes-submitted": ["?state=approved"],
}


def brand_url_names() -> list[str]:
    """The names of every URL pattern mounted under /w/<int:eid>/, in URLconf order."""

    def walk(patterns, prefix=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern):
                yield prefix + str(pattern.pattern), pattern.name

    names = [name for route, name in walk(get_resolver().url_patterns) if route.startswith(BRAND_PREFIX)]
    return list(dict.fromkeys(names))


def test_every_brand_url_is_measured_or_named_as_not_a_page():
    names = brand_url_names()
    unknown = [name for name in names if name not in PAGES and name not in NOT_PAGES]
    assert not unknown, (
        f"brand URLs this phone test does not know how to fill (add them to PAGES or NOT_PAGES): {unknown}"
    )
    assert not set(PAGES) & set(NOT_PAGES)
    assert set(PAGES) | set(NOT_PAGES) <= set(names), "PAGES or NOT_PAGES names a URL that no longer exists"


def demo_world() -> dict:
    call_command("load_demo", stdout=io.StringIO())
    brand = Enterprise.objects.get(name="花漾美妆")
    return {
        "brand": brand,
        "binding": Binding.objects.filter(enterprise=brand, status="active").order_by("pk").first(),
        "note": Note.objects.filter(enterprise=brand).order_by("-exposure").first(),
        "campaign": Campaign.objects.filter(enterprise=brand, status="active").first(),
    }


def brand_urls(world) -> list[tuple[str, str]]:
    """(screenshot name, URL) for every brand page and its variants."""
    urls = []
    for number, name in enumerate(brand_url_names(), start=1):
        if name in NOT_PAGES:
            continue
        url = reverse(name, kwargs={"eid": world["brand"].pk, **PAGES[name](world)})
        urls.append((f"{number:02d}_{name}", url))
        urls.extend((f"{number:02d}_{name}_{i}", url + query) for i, query in enumerate(VARIANTS.get(name, []), 1))
    return urls


def overflow(page: Page) -> dict:
    """The page's scroll width and the elements that stick out past the viewport's right edge (for the message)."""
    return page.evaluate(
        """() => {
        const width = document.documentElement.clientWidth;
        const culprits = [];
        for (const el of document.querySelectorAll('body *')) {
          const box = el.getBoundingClientRect();
          if (box.width && box.right > width + 1 && getComputedStyle(el).position !== 'fixed') {
            // inside an element that scrolls by itself: fine, unless positioned out of it
            let inside = false;
            const positioned = getComputedStyle(el).position === 'absolute';
            for (let p = el.parentElement; p && p !== document.body && !positioned; p = p.parentElement) {
              const o = getComputedStyle(p).overflowX;
              if (o === 'auto' || o === 'scroll' || o === 'hidden') { inside = true; break; }
            }
            const classes = String(el.className || '').trim().split(/\\s+/).join('.');
            if (!inside) culprits.push(`${el.tagName.toLowerCase()}.${classes} ${Math.round(box.right)}`);
          }
        }
        return {scrollWidth: document.documentElement.scrollWidth, culprits: culprits.slice(0, 8)};
    }"""
    )


def assert_no_horizontal_scroll(page: Page, label: str) -> None:
    measured = overflow(page)
    assert measured["scrollWidth"] <= PHONE["width"], f"{label}: {measured}"


def assert_menu_opens_the_navigation(page: Page) -> None:
    sidebar = page.locator("#workspace-menu")
    expect(sidebar.get_by_test_id("bindings-nav")).not_to_be_visible()
    page.get_by_test_id("workspace-menu-button").click()
    expect(sidebar).to_have_class(re.compile(r"\bshow\b"))
    expect(sidebar.get_by_test_id("bindings-nav").locator("a").first).to_be_visible()
    expect(sidebar.get_by_test_id("campaigns-nav")).to_be_in_viewport()
    page.keyboard.press("Escape")
    expect(sidebar.get_by_test_id("bindings-nav")).not_to_be_visible()


def reach_campaign_wizard_steps(page: Page, screenshot) -> None:
    """Steps 2 to 4 of the campaign wizard are drawn by its script: fill the least each step asks and go on."""
    page.locator("[data-testid^='goal-']").first.click()
    page.locator("fieldset[data-step='1'] [data-next]").click()
    assert_no_horizontal_scroll(page, "campaign wizard step 2")
    screenshot(page, f"{SHOTS}/campaign_wizard_step2")
    page.locator("#id_name").fill("手机上新建的计划")
    page.locator("#id_budget").fill("300")
    page.locator("#placement-feed").check()
    page.locator("#id_start_date").fill(clock.local_today().isoformat())
    page.locator("fieldset[data-step='2'] [data-next]").click()
    expect(page.locator("fieldset[data-step='3']")).to_be_visible()
    assert_no_horizontal_scroll(page, "campaign wizard step 3")
    screenshot(page, f"{SHOTS}/campaign_wizard_step3")
    page.locator("input[name=note_ids]").first.check()
    page.locator("fieldset[data-step='3'] [data-next]").click()
    expect(page.locator("fieldset[data-step='4']")).to_be_visible()
    assert_no_horizontal_scroll(page, "campaign wizard step 4")
    screenshot(page, f"{SHOTS}/campaign_wizard_step4")


def test_every_brand_page_fits_a_phone_and_the_menu_opens_the_navigation(new_page, login, screenshot):
    world = demo_world()
    page = new_page(viewport=PHONE, is_mobile=True, has_touch=True)
    login(page, "brand_owner", password=PASSWORD)
    visited, too_wide = [], []
    for name, url in brand_urls(world):
        response = page.goto(url)
        assert response.ok, f"{url}: {response.status}"
        page.wait_for_load_state("load")
        screenshot(page, f"{SHOTS}/{name}")
        measured = overflow(page)
        if measured["scrollWidth"] > PHONE["width"]:
            too_wide.append(f"{url}: {measured}")
        assert_menu_opens_the_navigation(page)
        visited.append(url)
        if name.endswith("campaign-wizard"):
            reach_campaign_wizard_steps(page, screenshot)
    assert not too_wide, "pages wider than the phone:\n" + "\n".join(too_wide)
    assert len(visited) >= len(PAGES)

    # The menu's links lead somewhere: open it and go to the campaigns.
    page.goto(reverse("workspace-overview", kwargs={"eid": world["brand"].pk}))
    page.get_by_test_id("workspace-menu-button").click()
    expect(page.locator("#workspace-menu").get_by_test_id("bindings-nav")).to_be_in_viewport(ratio=1)
    page.wait_for_timeout(500)  # the menu slides in, the backdrop fades in
    screenshot(page, f"{SHOTS}/00_menu_open")
    with page.expect_navigation():
        page.locator("#workspace-menu").get_by_test_id("campaigns-nav").locator("a").nth(1).click()
    assert "/ads/campaigns/" in page.url


def test_desktop_keeps_the_sidebar_and_no_menu_button(new_page, login, screenshot):
    world = demo_world()
    page = new_page(viewport=DESKTOP)
    login(page, "brand_owner", password=PASSWORD)
    eid = world["brand"].pk
    for name, kwargs in (
        ("workspace-overview", {}),
        ("bindings-list", {}),
        ("bind-wizard", {}),
        ("campaign-detail", {"campaign_id": world["campaign"].pk}),
    ):
        page.goto(reverse(name, kwargs={"eid": eid, **kwargs}))
        expect(page.get_by_test_id("workspace-menu-button")).to_be_hidden()
        sidebar = page.locator("aside.sidebar")
        expect(sidebar.get_by_test_id("bindings-nav")).to_be_visible()
        box = sidebar.bounding_box()
        assert box["x"] == 0 and 200 < box["width"] < 260  # col-md-2 of 1440 px, beside the page
        assert page.evaluate("getComputedStyle(document.querySelector('aside.sidebar')).backgroundColor") == (
            "rgb(246, 247, 249)"
        )
        assert page.evaluate("document.documentElement.scrollWidth") <= DESKTOP["width"]
        screenshot(page, f"{SHOTS}/desktop_{name}")
