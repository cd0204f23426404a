"""D01 in Chromium on the demo world: the owner opens 数据中心 at 1440 px, switches the range preset and the chart's
metric, exports the shown table as CSV and opens the note table; the overview shows its results strip; the employee
with notes opens 我的数据 at 375 px with no horizontal scroll. Screenshots: artifacts/screenshots/data/"""

import csv
import io
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from accounts.management.commands.load_demo import PASSWORD
from accounts.models import Enterprise
from kos_platform import clock

from . import test_csp
from .test_csp import assert_clean

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SHOTS = "data"
DESKTOP = {"width": 1440, "height": 900}
PHONE = {"width": 375, "height": 812}
watched = test_csp.watched  # pages that record CSP violations and page errors


@pytest.fixture
def demo():
    """The demo: months of history to draw, beside the period before (its accounts are bound for half a year)."""
    call_command("load_demo", stdout=io.StringIO())
    return Enterprise.objects.get(name="花漾美妆")


def test_d01_the_owner_reads_the_data_centre_switches_range_and_metric_and_exports(
    demo, watched, login, screenshot, tmp_path
):
    page = watched(viewport=DESKTOP)
    login(page, "brand_owner", password=PASSWORD)
    page.goto(f"/w/{demo.pk}/")
    expect(page.get_by_test_id("results-strip")).to_be_visible()
    screenshot(page, f"{SHOTS}/01_overview_strip")

    page.get_by_test_id("data-centre-link").click()
    expect(page.locator("h1")).to_have_text("数据中心")
    expect(page.get_by_test_id("data-as-of")).to_contain_text("数据截至")
    expect(page.get_by_test_id("kpis").locator(".kpi-card")).to_have_count(10)
    expect(page.locator("#analytics-trend canvas")).to_be_visible()
    expect(page.get_by_test_id("employee-row").first).to_be_visible()
    screenshot(page, f"{SHOTS}/02_data_centre_last_30")

    with page.expect_navigation():
        page.locator("[data-preset=last_90]").click()
    expect(page.locator("[data-preset=last_90]")).to_have_attribute("aria-current", "true")
    expect(page.get_by_test_id("range-text")).to_contain_text((clock.local_today() - timedelta(days=89)).isoformat())
    page.locator("[data-metric=engagement]").click()
    expect(page.locator("#analytics-trend")).to_have_attribute("data-shown", "engagement")
    expect(page.locator("[data-metric=engagement]")).to_have_attribute("aria-pressed", "true")
    legend = page.evaluate("echarts.getInstanceByDom(document.getElementById('analytics-trend')).getOption().series")
    assert len(legend) == 2 and legend[1]["lineStyle"]["type"] == "dashed"  # the previous period
    assert legend[0]["name"].startswith("互动量")
    screenshot(page, f"{SHOTS}/03_data_centre_last_90_engagement")

    with page.expect_download() as download:
        page.get_by_test_id("export-csv").click()
    path = Path(tmp_path) / "export.csv"
    download.value.save_as(path)
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    header, *rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert header[:2] == ["小红书号", "昵称"]
    shown = page.get_by_test_id("employee-row").evaluate_all("rows => rows.map(row => row.dataset.redId)")
    assert [row[0] for row in rows][: len(shown)] == shown

    with page.expect_navigation():
        page.get_by_test_id("tab-notes").click()
    expect(page.get_by_test_id("note-row").first).to_be_visible()
    screenshot(page, f"{SHOTS}/04_data_centre_notes")
    assert_clean(page, watched.problems)


def test_d01_the_employee_reads_my_data_on_a_phone(demo, watched, login, screenshot):
    page = watched(viewport=PHONE, is_mobile=True, has_touch=True)
    login(page, "emp_xiaolu", password=PASSWORD)
    page.goto("/m/data/")
    expect(page.locator(".mobile-title")).to_have_text("我的数据")
    expect(page.locator("#analytics-trend canvas")).to_be_visible()
    expect(page.get_by_test_id("my-note").first).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(page, f"{SHOTS}/05_my_data_phone")
    page.locator("[data-metric=reads]").click()
    expect(page.locator("#analytics-trend")).to_have_attribute("data-shown", "reads")
    with page.expect_navigation():
        page.locator("[data-preset=last_90]").click()
    expect(page.locator("[data-preset=last_90]")).to_have_attribute("aria-current", "true")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(page, f"{SHOTS}/06_my_data_phone_last_90")
    assert_clean(page, watched.problems)
