"""D01 pages: 数据中心 for the brand (members of every role and reported agency staff; another tenant's a 404), the
overview's results strip, and 我的数据 for the employee. What the pages show equals the selectors' figures; the
export of the shown table parses back to the rows the page lists."""

import html
import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from analytics import data_forms, rollups, selectors
from campaigns.models import Order
from kos_platform import clock
from notes.choices import NoteType

from ..conftest import new_data_version
from ..factories import RedAccountFactory
from ..notes.factories import NoteFactory, bind, metrics
from ..notes.helpers import csv_rows, xlsx_rows

pytestmark = pytest.mark.django_db

READERS = ("analyst", "operator", "admin", "owner", "agency_reported")


@pytest.fixture
def results(world):
    """The world's employee (a store manager in 上海·静安) and a host in 杭州, bound to the brand 120 days ago, with
    an image and a video note; figures on days −40 (the period before the last 30 days), −10 and −5, an order on
    day −5; the rollups rebuilt over the whole time."""
    today = clock.local_today()
    since = clock.now() - timedelta(days=120)
    employee = world.users["employee"].red_account
    bind(world.enterprise, employee, position="store_manager", region="上海·静安", effective_at=since)
    host = bind(world.enterprise, RedAccountFactory(), position="host", region="杭州", effective_at=since).red_account
    image = NoteFactory(author=employee, title="春季通勤穿搭", published_at=clock.now() - timedelta(days=50))
    video = NoteFactory(
        author=host, title="新品开箱", type=NoteType.VIDEO, published_at=clock.now() - timedelta(days=20)
    )
    for days_ago, exposure in ((40, 5_000), (10, 12_000), (5, 30_000)):
        day = today - timedelta(days=days_ago)
        metrics(image, day, exposure=exposure, reads=exposure // 10, likes=40, collects=5, comments=3, leads=2,
                read_uv=300, read_3s_rate=Decimal("0.4210"), avg_view_seconds=Decimal("12.5"))  # fmt: skip
        if days_ago < 30:
            metrics(video, day, exposure=exposure * 2, reads=exposure // 5, likes=90, leads=1,
                    read_uv=500, play_5s_rate=Decimal("0.3300"), avg_view_seconds=Decimal("8.0"))  # fmt: skip
    Order.objects.create(
        order_id="D01-1", enterprise=world.enterprise, red_account=employee, channel="note", amount=Decimal("299.00"),
        paid_at=clock.now() - timedelta(days=5), commission=Decimal("29.90"), rate=Decimal("0.1"),
        synced_at=clock.now(),
    )  # fmt: skip
    rollups.rebuild(today - timedelta(days=60), today)
    return {"employee": employee, "host": host, "image": image, "video": video}


def last_30():
    form = selectors.RangeForm({"preset": "last_30"})
    assert form.is_valid(), form.errors
    return form.cleaned_data["from"], form.cleaned_data["to"]


def page_url(world, query=""):
    return f"/w/{world.enterprise.pk}/data/{query}"


def test_d01_the_data_centre_answers_every_member_and_agency_staff_and_hides_other_tenants(world, browser, results):
    for actor in READERS:
        response = browser(actor).get(page_url(world))
        assert response.status_code == 200, actor
        assert "数据中心" in response.content.decode()
    assert browser("other_member").get(page_url(world)).status_code == 404
    assert browser("agency_unreported").get(page_url(world)).status_code == 404
    assert browser("other_member").get(f"/w/{world.enterprise.pk}/data/export/?format=csv").status_code == 404
    assert Client().get(page_url(world)).status_code == 302


def test_d01_the_kpis_and_tables_are_the_selectors_figures(world, browser, results):
    start, end = last_30()
    scope = selectors.Scope(enterprise=world.enterprise)
    summary = selectors.summary(scope, start, end)
    response = browser("analyst").get(page_url(world, "?preset=last_30"))
    content = response.content.decode()
    shown = {card["key"]: (card["value"], card["previous"]) for card in response.context["kpis"]}
    keys = ("accounts", "notes", "exposure", "reads", "engagement", "leads", "spend", "orders", "gmv", "commission")
    assert shown == {key: (summary[key], summary["previous"][key]) for key in keys}
    assert summary["exposure"] == 12_000 + 30_000 + 2 * (12_000 + 30_000) and summary["gmv"] == Decimal("299.00")
    cards = {card["key"]: card for card in response.context["kpis"]}
    assert cards["exposure"]["change"] == Decimal("2420.0")  # 126,000 against 5,000
    assert cards["gmv"]["change"] is None and "无对比" in content  # nothing sold in the period before
    assert f"数据截至{selectors.data_as_of():%Y-%m-%d}" in content
    assert "12.6万" in content  # the exposure card, in 万

    rows = list(selectors.employees(world.enterprise, start, end))
    listed = [(row["red_id"], row["engagement"], row["gmv"]) for row in response.context["page"].object_list]
    assert listed == [(row["red_id"], row["engagement"], row["gmv"]) for row in rows]
    assert f"/w/{world.enterprise.pk}/employees/" in content and "店长" in content

    notes = browser("analyst").get(page_url(world, "?preset=last_30&table=notes")).context["page"].object_list
    expected = list(selectors.notes_table(scope, start, end))
    assert [(n["note_id"], n["exposure"]) for n in notes] == [(n["note_id"], n["exposure"]) for n in expected]
    content = browser("analyst").get(page_url(world, "?preset=last_30&table=notes")).content.decode()
    assert f"/w/{world.enterprise.pk}/notes/{results['video'].note_id}/" in content
    assert "33.0%" in content and "42.1%" in content  # the 5 s play rate of the video, the 3 s read rate of the image


def test_d01_the_tables_filter_sort_and_refuse_bad_input(world, browser, results):
    client = browser("owner")
    hosts = client.get(page_url(world, "?table=employees&position=host")).context["page"].object_list
    assert [row["red_id"] for row in hosts] == [results["host"].red_id]
    in_shanghai = client.get(page_url(world, "?region=上海·静安")).context["page"].object_list
    assert [row["red_id"] for row in in_shanghai] == [results["employee"].red_id]
    by_gmv = client.get(page_url(world, "?ordering=-gmv")).context["page"].object_list
    assert by_gmv[0]["red_id"] == results["employee"].red_id
    videos = client.get(page_url(world, "?table=notes&type=video")).context["page"].object_list
    assert [row["note_id"] for row in videos] == [results["video"].note_id]
    assert client.get(page_url(world, "?ordering=password")).status_code == 200  # see the test below
    too_long = client.get(page_url(world, "?preset=custom&from=2024-01-01&to=2025-06-30"))
    assert too_long.status_code == 400 and 'data-testid="range-errors"' in too_long.content.decode()


def visible_text(response) -> str:
    """The page's words as a reader sees them: no tags, attributes, scripts or styles."""
    content = response.content.decode()
    content = re.sub(r"<(script|style)\b.*?</\1>", " ", content, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", content))


def test_d01_an_unknown_ordering_shows_the_default_order_and_no_code_words(world, browser, results):
    client = browser("owner")
    codes = {*data_forms.EMPLOYEE_ORDERINGS, *data_forms.NOTE_ORDERINGS, "password", "ordering"}
    for table, default in (("employees", "-engagement"), ("notes", "-exposure")):
        expected = client.get(page_url(world, f"?table={table}"))
        for ordering in ("password", "-password", "-", "holder_name" if table == "notes" else "-read_uv", "x" * 50):
            response = client.get(page_url(world, f"?table={table}&ordering={ordering}"))
            assert response.status_code == 200, (table, ordering)
            assert response.context["filters"]["ordering"] == default
            assert response.context["columns"][default.lstrip("-")]["active"]
            assert [row for row in response.context["page"].object_list] == [
                row for row in expected.context["page"].object_list
            ]
            text = visible_text(response)
            assert 'data-testid="range-errors"' not in response.content.decode()
            assert not {word for word in re.findall(r"[A-Za-z_0-9-]+", text) if word.lstrip("-") in codes}
    export = client.get(f"/w/{world.enterprise.pk}/data/export/?preset=last_30&ordering=password&format=csv")
    assert export.status_code == 200 and "attachment" in export["Content-Disposition"]
    api = client.get(f"/api/v1/enterprises/{world.enterprise.pk}/analytics/employees/?ordering=password")
    assert api.status_code == 400 and "ordering" in api.json()["fields"]  # the API still refuses it, for its clients


def test_d01_the_export_is_the_shown_table(world, browser, results):
    client = browser("agency_reported")
    start, end = last_30()
    query = "?preset=last_30&table=employees&position=store_manager&format=csv"
    response = client.get(f"/w/{world.enterprise.pk}/data/export/{query}")
    assert "attachment" in response["Content-Disposition"] and start.isoformat() in response["Content-Disposition"]
    header, *rows = csv_rows(response)
    assert header[:2] == ["小红书号", "昵称"] and header[3] == "岗位"
    shown = selectors.employees(world.enterprise, start, end, position="store_manager")
    assert [(r[0], r[3], int(r[8]), Decimal(r[12])) for r in rows] == [
        (row["red_id"], "店长", row["engagement"], row["gmv"]) for row in shown
    ]
    response = client.get(f"/w/{world.enterprise.pk}/data/export/?preset=last_30&table=notes&format=xlsx")
    header, *rows = xlsx_rows(response)
    assert header[0] == "笔记ID" and header[2] == "笔记类型"
    notes = list(selectors.notes_table(selectors.Scope(enterprise=world.enterprise), start, end))
    assert [(r[0], r[2], r[5]) for r in rows] == [
        (n["note_id"], dict(NoteType.choices)[n["type"]], n["exposure"]) for n in notes
    ]
    assert client.get(f"/w/{world.enterprise.pk}/data/export/?format=pdf").status_code == 400


def test_d01_the_overview_shows_the_last_30_days(world, browser, results):
    start, end = last_30()
    summary = selectors.summary(selectors.Scope(enterprise=world.enterprise), start, end)
    response = browser("operator").get(f"/w/{world.enterprise.pk}/")
    content = response.content.decode()
    assert 'data-testid="results-strip"' in content and f"/w/{world.enterprise.pk}/data/" in content
    strip = {card["key"]: card["value"] for card in response.context["results"]["kpis"]}
    assert strip == {key: summary[key] for key in strip} and strip["exposure"] == summary["exposure"]


def test_d01_the_employee_sees_their_own_data_on_the_phone(world, browser, results):
    start, end = last_30()
    own = selectors.summary(selectors.Scope(account_ids=[results["employee"].pk]), start, end)
    response = browser("employee").get("/m/data/")
    content = response.content.decode()
    assert response.status_code == 200 and "我的数据" in content
    shown = {card["key"]: card["value"] for card in response.context["kpis"]}
    assert shown == {key: own[key] for key in shown} and shown["exposure"] == 42_000
    assert "春季通勤穿搭" in content and "新品开箱" not in content  # the host's note is not theirs
    assert "/m/orders/" in content and "¥29.90" in content
    assert browser("employee").get("/m/data/?preset=last_7").status_code == 200
    assert browser("owner").get("/m/data/").status_code == 404  # no Xiaohongshu account
    assert Client().get("/m/data/").status_code == 302


def test_d01_the_pages_read_in_english_on_request(world, browser, results):
    client = browser("owner")
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    content = client.get(page_url(world)).content.decode()
    assert "Data centre" in content and "Data as of" in content and "数据中心" not in content


def test_d01_the_data_centre_reads_a_constant_number_of_queries(world, browser, results):
    client = browser("analyst")

    def queries(query=""):
        new_data_version()  # the employee table's pages are cached: count what computing one takes
        with CaptureQueriesContext(connection) as captured:
            assert client.get(page_url(world, query)).status_code == 200
        return len(captured)

    few = (queries(), queries("?table=notes"))
    for number in range(25):
        account = bind(world.enterprise, RedAccountFactory(), position="staff", region=f"区域{number}").red_account
        metrics(NoteFactory(author=account), clock.local_today() - timedelta(days=3), exposure=number, likes=1)
    rollups.rebuild(clock.local_today() - timedelta(days=3), clock.local_today())
    assert (queries(), queries("?table=notes")) == few
