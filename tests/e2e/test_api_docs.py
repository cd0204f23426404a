"""The API docs work with no internet: Swagger UI (/api/docs/) and Redoc (/api/redoc/) load every script, style,
font, image and the schema from this site and nothing from anywhere else, and show the operations grouped under the
tags of the schema, described in the reader's language. Screenshots: artifacts/screenshots/docs/api_*.png."""

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect

from .conftest import SCREENSHOT_DIR

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
SHOTS = SCREENSHOT_DIR / "docs"
# The schema is generated for each request and Redoc parses it whole: seconds on a busy machine.
SCHEMA_TIMEOUT = 60_000


def watch_requests(page: Page) -> list[str]:
    """Every address the page asks for, as it asks (`data:` and `blob:` never leave the browser)."""
    asked: list[str] = []
    page.on("request", lambda request: asked.append(request.url))
    page.set_default_timeout(SCHEMA_TIMEOUT)
    return asked


def elsewhere(asked: list[str], live_server) -> list[str]:
    here = urlsplit(live_server.url).netloc
    return [
        url
        for url in asked
        if urlsplit(url).scheme in ("http", "https", "ws", "wss", "") and urlsplit(url).netloc != here
    ]


def scroll_through(page: Page) -> tuple[dict[str, str], set[str]]:
    """Each tag's heading text and every deep link, read while scrolling to the end: an API of over 150 operations
    and tags is drawn as a virtual list, only the part in view being in the page."""
    tags: dict[str, str] = {}
    links: set[str] = set()
    while True:
        for tag in page.locator(".opblock-tag").all():
            tags[tag.get_attribute("data-tag")] = tag.inner_text()
        links |= set(page.eval_on_selector_all("a.nostyle[href^='#/']", "els => els.map(e => e.getAttribute('href'))"))
        if page.evaluate("window.innerHeight + window.scrollY >= document.body.scrollHeight - 2"):
            return tags, links
        page.mouse.wheel(0, 600)
        page.wait_for_timeout(50)


def test_swagger_ui_loads_nothing_from_outside_and_groups_operations_by_tag(page: Page, live_server):
    asked = watch_requests(page)
    page.goto("/api/docs/")
    expect(page.locator(".opblock-tag").first).to_be_visible(timeout=SCHEMA_TIMEOUT)
    page.wait_for_load_state("networkidle")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "api_swagger.png"))
    tags, links = scroll_through(page)
    assert set(tags) == {"accounts", "bindings", "notes", "campaigns", "analytics", "me", "platform"}
    # The tags are described in the reader's language (the browser asks for Chinese).
    assert "供平台运营" in tags["platform"]
    # Readable operation ids, in the deep links.
    assert {"#/me/me_password_change", "#/platform/platform_notes_upsert"} <= links
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "api_swagger.png"))
    assert any("/static/drf_spectacular_sidecar/swagger-ui-dist/" in url for url in asked)
    assert any("/api/schema/" in url for url in asked)
    assert elsewhere(asked, live_server) == []


def test_redoc_loads_nothing_from_outside_not_even_redoclys_logo_or_fonts(page: Page, live_server):
    asked = watch_requests(page)
    page.goto("/api/redoc/")
    menu = page.locator(".menu-content")
    expect(menu.get_by_text("platform", exact=True)).to_be_visible(timeout=SCHEMA_TIMEOUT)
    expect(page.get_by_text("供平台运营与平台系统").first).to_be_visible()
    # The sidebar's attribution still links to Redocly, without the logo from their CDN.
    expect(page.get_by_text("API docs by Redocly")).to_be_visible()
    page.wait_for_load_state("networkidle")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "api_redoc.png"))  # the first screen: the whole page is very long
    assert any("/static/drf_spectacular_sidecar/redoc/" in url for url in asked)
    assert elsewhere(asked, live_server) == []
    assert not [url for url in asked if "fonts.googleapis.com" in url or "cdn.redoc.ly" in url]


def test_the_english_docs_describe_the_tags_in_english(new_page, live_server):
    page = new_page(locale="en-US")
    asked = watch_requests(page)
    page.goto("/api/docs/")
    expect(page.locator(".opblock-tag").first).to_be_visible(timeout=SCHEMA_TIMEOUT)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "api_swagger_en.png"))
    tags, _links = scroll_through(page)
    assert "For platform staff" in tags["platform"]
    assert elsewhere(asked, live_server) == []
