"""Browser tests: Playwright for Python driving Debian's Chromium against pytest-django's live server.

Needs `npm ci` in the repository root (Bootstrap and htmx are served from node_modules as static files)
and Chromium at /usr/bin/chromium. Screenshots land in artifacts/screenshots/ (gitignored).
"""

import os
import shutil
import subprocess
import warnings
from pathlib import Path

import pytest

# Playwright's sync API runs an asyncio event loop in this thread; the ORM calls the tests make around it
# (factories, assertions on the database) would otherwise raise SynchronousOnlyOperation.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from playwright.sync_api import Browser, Page, sync_playwright

from tests.factories import PASSWORD

E2E_DIR = Path(__file__).resolve().parent
REPO_ROOT = E2E_DIR.parents[1]
SCREENSHOT_DIR = REPO_ROOT / "artifacts" / "screenshots"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
NODE_MODULES = REPO_ROOT / "node_modules"


def pytest_collection_modifyitems(config, items):
    """Everything under tests/e2e is a browser test (`-m "not e2e"` leaves them out)."""
    for item in items:
        if E2E_DIR in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.e2e)


def warn_without_cjk_font() -> None:
    """Without a CJK font (Debian: fonts-noto-cjk) Chinese renders as boxes in screenshots; tests still pass."""
    if not shutil.which("fc-list"):
        return
    found = subprocess.run(["fc-list", ":lang=zh"], capture_output=True, text=True, check=False).stdout.strip()
    if not found:
        warnings.warn("no CJK font installed (apt-get install fonts-noto-cjk): screenshots show boxes", stacklevel=2)


@pytest.fixture(scope="session")
def browser() -> Browser:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium is not installed at {CHROMIUM}: apt-get install -y chromium (never playwright install)")
    if not (NODE_MODULES / "bootstrap" / "dist").is_dir():
        pytest.fail("node_modules/bootstrap is missing: run `npm ci` in the repository root first")
    warn_without_cjk_font()
    playwright = sync_playwright().start()
    browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
    yield browser
    browser.close()
    playwright.stop()


@pytest.fixture
def page(browser: Browser, live_server) -> Page:
    """A fresh browser context (cookies, language) per test, pointed at the live server."""
    context = browser.new_context(
        viewport={"width": 1366, "height": 900},
        locale="zh-CN",
        base_url=live_server.url,
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


def save_screenshot(page: Page, name: str) -> Path:
    """Save artifacts/screenshots/<name>.png (the full page) and return its path."""
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOT_DIR / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


@pytest.fixture
def screenshot():
    """`screenshot(page, "name")` saves artifacts/screenshots/name.png (full page) and returns the path."""
    return save_screenshot


@pytest.fixture
def login():
    """`login(page, username)` logs in through the login form and waits for the page the home sends to;
    `screenshot_as="name"` also saves the filled-in form."""

    def log_in(page: Page, username: str, password: str = PASSWORD, screenshot_as: str | None = None) -> None:
        page.goto("/accounts/login/")
        page.get_by_label("用户名").fill(username)  # labels are Chinese by default; ids id_username/id_password
        page.get_by_label("密码").fill(password)
        if screenshot_as:
            save_screenshot(page, screenshot_as)
        with page.expect_navigation():
            page.locator("main form button[type=submit]").click()
        page.wait_for_load_state("load")

    return log_in


@pytest.fixture
def new_page(browser: Browser, live_server):
    """`new_page(**context_options)` opens a page in another browser context (another user's cookies), pointed at
    the live server; zh-CN at 1366x900 unless told otherwise (e.g. a phone's viewport). Closed after the test."""
    contexts = []

    def open_page(**options) -> Page:
        context = browser.new_context(
            **{"viewport": {"width": 1366, "height": 900}, "locale": "zh-CN", **options, "base_url": live_server.url}
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()
