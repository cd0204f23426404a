"""The Content Security Policy holds in a real browser: every kind of page — ours, the admin's, the API docs —
renders and runs its scripts with no violation reported and no page error, and a proof is still framed by its review
page. Screenshots: artifacts/screenshots/csp_*.png."""

import dataclasses
from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect

from accounts.choices import Role
from bindings import services
from bindings.proofs import CleanProof
from kos_platform import clock
from tests.bindings.helpers import PERSONAL, brand, employee_details
from tests.factories import EnterpriseFactory, MembershipFactory, RedAccountFactory, UserFactory, valid_id_number
from tests.notes.factories import NoteFactory, bind, metrics

from .conftest import SCREENSHOT_DIR

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# Added to every page before its own scripts run: the violations the browser reports to the page itself.
WATCH_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspViolations.push(`${e.effectiveDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
});
"""
# What the console says when a policy refuses something (CSP, or X-Frame-Options for a frame).
REFUSALS = ("Content Security Policy", "Content-Security-Policy", "X-Frame-Options")
# Redoc's bundle shows Redocly's logo from their CDN in its sidebar footer (and hides it when it fails to load); the
# policy refuses it, as it refuses anything from the internet. Allowed on /api/redoc/ only.


def minimal_pdf() -> bytes:
    """A one-page PDF that PDF viewers render (offsets in its cross-reference table are exact)."""
    text = b"BT /F1 18 Tf 40 100 Td (Employment proof) Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 200] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(text), text),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


@pytest.fixture
def watched(new_page):
    """`watched(**context_options)` opens a page that records CSP violations, refusals and page errors;
    `watched.problems` holds those of every page opened so far."""
    problems = []

    def open_page(**options) -> Page:
        page = new_page(**options)

        def on_console(message) -> None:
            if any(refusal in message.text for refusal in REFUSALS):
                problems.append(f"console on {page.url}: {message.text}")

        page.add_init_script(WATCH_VIOLATIONS)
        page.on("pageerror", lambda error: problems.append(f"page error on {page.url}: {error}"))
        page.on("console", on_console)
        return page

    open_page.problems = problems
    return open_page


def assert_clean(page: Page, problems: list[str], *, allowed: tuple[str, ...] = ()) -> None:
    """Once the page has settled: no violation reported to it, no refusal in the console, no page error."""
    page.wait_for_load_state("networkidle")
    reported = [f"{page.url}: {v}" for v in page.evaluate("window.__cspViolations")]
    found = [p for p in reported + problems if not any(a in p for a in allowed)]
    problems.clear()
    assert found == []


def test_brand_pages_and_the_language_switch_run_with_no_violation(watched, login, screenshot):
    enterprise = EnterpriseFactory(name="花漾美妆")
    MembershipFactory(enterprise=enterprise, role=Role.OWNER, user__username="brand_owner")
    author = bind(enterprise, RedAccountFactory(red_id="95270001", nickname="小美导购日记")).red_account
    RedAccountFactory(red_id="95270009", nickname="新来的导购")
    note = NoteFactory(author=author, title="秋冬通勤穿搭", published_at=clock.now() - timedelta(days=5))
    for day in range(4):
        metrics(note, clock.local_today() - timedelta(days=4 - day), exposure=100 * day, reads=10 * day)
    page = watched()

    page.goto("/accounts/login/")
    assert_clean(page, watched.problems)
    login(page, "brand_owner")
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    assert_clean(page, watched.problems)

    with page.expect_navigation():
        page.select_option("#language-select", "en")  # submits through static/js/app.js, not an onchange attribute
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_test_id("bindings-nav")).to_contain_text("Employee accounts")
    assert_clean(page, watched.problems)
    screenshot(page, "csp_workspace")

    page.goto(f"/w/{enterprise.pk}/employees/bind/")
    page.locator("label.mode-card").first.click()
    page.locator("#id_red_id").fill("95270009")
    page.get_by_test_id("search-account").click()  # htmx swaps in the account's eligibility
    expect(page.get_by_test_id("eligibility")).to_have_attribute("data-red-id", "95270009")
    assert_clean(page, watched.problems)

    page.goto(f"/w/{enterprise.pk}/notes/")
    expect(page.get_by_text("秋冬通勤穿搭")).to_be_visible()
    assert_clean(page, watched.problems)
    page.goto(f"/w/{enterprise.pk}/notes/{note.note_id}/")
    expect(page.locator("canvas").first).to_be_visible()  # ECharts drew the figures
    assert_clean(page, watched.problems)
    screenshot(page, "csp_note_detail")


def test_employee_phone_page_runs_with_no_violation(watched, login):
    enterprise = EnterpriseFactory(name="花漾美妆")
    author = bind(enterprise, RedAccountFactory(red_id="95270001", user__username="emp_xiaolu")).red_account
    page = watched(viewport={"width": 375, "height": 812})

    login(page, author.user.username)
    page.goto("/m/")
    expect(page.locator("main")).to_be_visible()
    assert_clean(page, watched.problems)


def test_review_console_frames_a_pdf_proof_and_admin_and_api_docs_run_with_no_violation(
    watched, login, screenshot, live_server, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"  # the proof stays out of artifacts/test-media
    enterprise = EnterpriseFactory(name="花漾美妆")
    UserFactory(username="staff", is_staff=True, is_superuser=True)
    account = RedAccountFactory(red_id="95270003", real_name="李小美", id_number=valid_id_number(3))
    details = dataclasses.replace(employee_details(account), proof=CleanProof(minimal_pdf(), "application/pdf", ".pdf"))
    invitation = services.invitation_create(
        workspace=brand(enterprise), red_account=account, mode=PERSONAL, details=details
    )
    page = watched()
    login(page, "staff")

    page.goto("/platform/invitations/")
    assert_clean(page, watched.problems)
    page.goto(f"/platform/invitations/{invitation.pk}/")
    frame = page.get_by_test_id("proof-pdf")
    expect(frame).to_be_visible()
    page.wait_for_load_state("networkidle")
    proof_url = f"/platform/invitations/{invitation.pk}/proof/"
    # Framed by its own site: a refused frame would hold Chromium's error page (chrome-error://) instead.
    assert [child.url for child in page.main_frame.child_frames] == [f"{live_server.url}{proof_url}"]
    assert_clean(page, watched.problems)
    screenshot(page, "csp_invitation_proof")
    page.goto("/platform/note-reviews/")
    assert_clean(page, watched.problems)

    page.goto("/admin/")
    expect(page.locator("#site-name")).to_be_visible()
    assert_clean(page, watched.problems)
    page.goto("/admin/accounts/enterprise/")
    expect(page.locator("#result_list")).to_contain_text("花漾美妆")
    page.locator("#action-toggle").check()  # the admin's own script (actions.js) selects every row
    expect(page.locator("input.action-select").first).to_be_checked()
    assert_clean(page, watched.problems)

    page.goto("/api/docs/")
    # Swagger UI rendered the operations (the schema is generated for the request: seconds on a busy machine)
    expect(page.locator(".opblock").first).to_be_visible(timeout=30_000)
    assert_clean(page, watched.problems)
    screenshot(page, "csp_api_docs")

    page.goto("/api/redoc/")
    # Redoc rendered the schema (it parses the whole schema first: seconds on a busy machine)
    expect(page.locator("h1").first).to_contain_text("KOS platform API", timeout=30_000)
    expect(page.locator("[data-section-id^='tag/']").first).to_be_attached()
    assert_clean(page, watched.problems)
    page.screenshot(path=str(SCREENSHOT_DIR / "csp_api_redoc.png"))  # the first screen: the whole page is long
