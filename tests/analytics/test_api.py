"""The data centre's API (D01) against hand-computed figures: the enterprise's summary beside the period before, its
series with zero days, the per-employee and per-note tables, their exports parsed back, and the employee's own.

The fixture, in days before today (d9 … d0 is the range, d19 … d10 the period before), for 花漾美妆 (E):
- S, the world's employee, bound to E since d40 (张三, shopping guide, 上海·静安): image note n1 published d12 with
  figures on d12, d3, d1; video note n2 published d2 with figures on d2 and d0. E spends 30.50 on n1 on d3; S sells
  an order of E on d1 (99.90, commission 9.99) and one refunded.
- M, bound to E from d40 until d5 15:00, then to 别家品牌 (O) from d5 16:00: image note nm published d8 with figures
  on d8 and d6 (E's) and d4 and d2 (O's). E still spends 10.00 on nm on d4.
- I, bound to E from d3 (李四, host, 杭州): no figures.
- G, bound to E from d40 until d15: note ng published d18 with figures on d16 (the period before only).
- B, never bound to E: an order of E paid on d2 (50.00, commission 5.00)."""

import csv
import io
from datetime import date, datetime, timedelta
from decimal import Decimal
from urllib.parse import quote

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from analytics import rollups
from analytics.selectors import RangeForm, previous_range
from bindings.choices import BindingStatus, EndReason
from campaigns.models import AdSpendDaily, Order
from kos_platform import clock

from ..bindings.factories import BindingFactory
from ..conftest import new_data_version
from ..factories import RedAccountFactory
from ..notes.factories import NoteFactory, metrics

pytestmark = pytest.mark.django_db

E = "/api/v1/enterprises/{}/analytics"


def d(n):
    return clock.local_today() - timedelta(days=n)


def at(n, hour=12):
    return rollups.day_start(d(n)) + timedelta(hours=hour)


def ended(enterprise, account, start, end, **fields):
    return BindingFactory(
        enterprise=enterprise,
        red_account=account,
        effective_at=at(start),
        status=BindingStatus.ENDED,
        ended_at=end,
        end_reason=EndReason.UNBOUND_BY_ENTERPRISE,
        **fields,
    )


def order(world, account, order_id, amount, commission, day, **fields):
    return Order.objects.create(
        order_id=order_id,
        enterprise=world.enterprise,
        red_account=account,
        channel="note",
        rate=Decimal("0.1"),
        amount=Decimal(amount),
        commission=Decimal(commission),
        paid_at=at(day, 10),
        synced_at=clock.now(),
        **fields,
    )


@pytest.fixture
def data(world):
    enterprise, other = world.enterprise, world.other_enterprise
    s = world.users["employee"].red_account
    m, i, g, b = (RedAccountFactory(red_id=f"9000000{n}", nickname=f"号{n}") for n in range(1, 5))
    BindingFactory(enterprise=enterprise, red_account=s, effective_at=at(40), name="张三", region="上海·静安")
    ended(enterprise, m, 40, at(5, 15), name="王五", position="store_manager", region="北京")
    BindingFactory(enterprise=other, red_account=m, effective_at=at(5, 16))
    BindingFactory(
        enterprise=enterprise, red_account=i, effective_at=at(3), name="李四", position="host", region="杭州"
    )
    ended(enterprise, g, 40, at(15, 10))
    n1 = NoteFactory(author=s, note_id="n1", title="春季通勤穿搭", type="image", published_at=at(12))
    n2 = NoteFactory(author=s, note_id="n2", title="口红试色", type="video", published_at=at(2))
    nm = NoteFactory(author=m, note_id="nm", title="门店探访", type="image", published_at=at(8))
    ng = NoteFactory(author=g, note_id="ng", title="旧笔记", type="image", published_at=at(18))
    rate, seconds = "read_3s_rate", "avg_view_seconds"
    metrics(n1, d(12), exposure=1000, reads=100, likes=10, collects=5, comments=5, leads=1, read_uv=80, **{rate: 0.5})
    metrics(n1, d(3), exposure=500, reads=50, likes=4, collects=2, comments=1, leads=2, read_uv=40, **{rate: 0.6})
    metrics(n1, d(1), exposure=300, reads=30, likes=3, read_uv=20, **{rate: 0.4})
    metrics(n2, d(2), exposure=800, reads=200, likes=20, comments=10, leads=3, read_uv=150, play_5s_rate=0.25,
            **{seconds: 12.5})  # fmt: skip
    metrics(n2, d(0), exposure=200, reads=100, likes=5, leads=1, read_uv=90, **{seconds: 20})
    metrics(nm, d(8), exposure=400, reads=40, likes=6, leads=1, read_uv=30, **{rate: 0.3})
    metrics(nm, d(6), exposure=100, reads=10, likes=1, read_uv=8)
    metrics(nm, d(4), exposure=9000, reads=900, likes=90, **{rate: 0.9})
    metrics(nm, d(2), exposure=7000, reads=700)
    metrics(ng, d(16), exposure=50, reads=5, likes=1)
    AdSpendDaily.objects.create(enterprise=enterprise, note=n1, date=d(3), amount=Decimal("30.50"))
    AdSpendDaily.objects.create(enterprise=enterprise, note=nm, date=d(4), amount=Decimal("10.00"))
    order(world, s, "S1", "99.90", "9.99", 1)
    order(world, s, "S2", "100.00", "0.00", 1, status="refunded", refunded_at=at(1, 11))
    order(world, b, "B1", "50.00", "5.00", 2)
    rollups.rebuild(d(40), d(0))
    return {"s": s, "m": m, "i": i, "g": g, "b": b}


def get(world, actor, path, **params):
    return world.client(actor).get(path, {"from": d(9).isoformat(), "to": d(0).isoformat()} | params)


def path(world, rest):
    return E.format(world.enterprise.pk) + rest


def test_d01_the_summary_beside_the_period_before(world, data):
    response = get(world, "analyst", path(world, "/summary/"))
    assert response.status_code == 200, response.content
    body = response.json()
    previous = body.pop("previous")
    assert body == {
        "from": d(9).isoformat(),
        "to": d(0).isoformat(),
        "accounts": 3,  # S, M (until d5) and I; not G (gone by d15), not B (never bound)
        "notes": 2,  # n2 and nm
        "exposure": 2300,  # n1 800 + n2 1000 + nm 500 (its d4 and d2 are 别家品牌's)
        "reads": 430,
        "engagement": 52,
        "leads": 7,
        "spend": "40.50",  # n1 30.50 and nm 10.00: the payer's, though M had left
        "orders": 2,
        "gmv": "149.90",  # the refunded order is not counted
        "commission": "14.99",
        "data_as_of": d(0).isoformat(),
    }
    assert previous == {
        "from": d(19).isoformat(),
        "to": d(10).isoformat(),
        "accounts": 3,  # S, M, G
        "notes": 2,  # n1, ng
        "exposure": 1050,
        "reads": 105,
        "engagement": 21,
        "leads": 1,
        "spend": "0.00",
        "orders": 0,
        "gmv": "0.00",
        "commission": "0.00",
    }


def test_d01_the_account_that_left_counts_for_its_new_brand_from_that_day(world, data):
    body = get(world, "other_member", E.format(world.other_enterprise.pk) + "/summary/").json()
    assert (body["accounts"], body["exposure"], body["reads"], body["engagement"]) == (1, 16000, 1600, 90)
    assert body["spend"] == "0.00" and body["previous"]["exposure"] == 0


def test_d01_the_timeseries_has_every_day_zeros_included(world, data):
    body = get(world, "agency_reported", path(world, "/timeseries/")).json()
    days = {day.pop("date"): day for day in body["days"]}
    assert list(days) == [d(n).isoformat() for n in range(9, -1, -1)]
    zero = {"exposure": 0, "reads": 0, "engagement": 0, "leads": 0, "spend": "0.00", "orders": 0, "gmv": "0.00"}
    zero["commission"] = "0.00"
    assert days[d(9).isoformat()] == days[d(5).isoformat()] == days[d(7).isoformat()] == zero
    assert days[d(4).isoformat()] == zero | {"spend": "10.00"}
    assert days[d(2).isoformat()] == zero | {
        "exposure": 800,
        "reads": 200,
        "engagement": 30,
        "leads": 3,
        "orders": 1,
        "gmv": "50.00",
        "commission": "5.00",
    }
    assert days[d(1).isoformat()] == zero | {
        "exposure": 300,
        "reads": 30,
        "engagement": 3,
        "orders": 1,
        "gmv": "99.90",
        "commission": "9.99",
    }
    assert sum(day["exposure"] for day in days.values()) == 2300
    assert (body["from"], body["to"], body["data_as_of"]) == (d(9).isoformat(), d(0).isoformat(), d(0).isoformat())


EMPLOYEE_ROWS = [
    {
        "red_id": None,  # the world's employee: filled in by the test
        "holder_name": "张三",
        "position": "shopping_guide",
        "region": "上海·静安",
        "notes": 1,
        "exposure": 1800,
        "reads": 380,
        "engagement": 45,
        "leads": 6,
        "spend": "30.50",
        "orders": 1,
        "gmv": "99.90",
        "commission": "9.99",
    },
    {
        "red_id": "90000001",
        "nickname": "号1",
        "holder_name": "王五",
        "position": "store_manager",
        "region": "北京",
        "notes": 1,
        "exposure": 500,
        "reads": 50,
        "engagement": 7,
        "leads": 1,
        "spend": "10.00",
        "orders": 0,
        "gmv": "0.00",
        "commission": "0.00",
    },
]
ZEROS = {"notes": 0, "exposure": 0, "reads": 0, "engagement": 0, "leads": 0, "spend": "0.00", "orders": 0}
ZEROS |= {"gmv": "0.00", "commission": "0.00"}


def test_d01_one_row_per_account_bound_in_the_range_or_with_figures_in_it(world, data):
    response = get(world, "analyst", path(world, "/employees/"))
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["count"] == 4
    s, m, idle, buyer = body["results"]
    expected_s = EMPLOYEE_ROWS[0] | {"red_id": data["s"].red_id, "nickname": data["s"].nickname}
    assert (s, m) == (expected_s, EMPLOYEE_ROWS[1])
    # the ties at 0 by RED ID: I (90000002) and B (90000004), who sold without ever being bound (no holder)
    assert (
        idle
        == {"red_id": "90000002", "nickname": "号2", "holder_name": "李四", "position": "host"}
        | {"region": "杭州"}
        | ZEROS
    )
    assert buyer == {"red_id": "90000004", "nickname": "号4", "holder_name": "", "position": "", "region": ""} | (
        ZEROS | {"orders": 1, "gmv": "50.00", "commission": "5.00"}
    )


def test_d01_the_employee_table_is_kept_until_its_data_changes(world, data, django_capture_on_commit_callbacks):
    """A page read again comes from the cache (no rollup query); a committed binding change or rollup refresh
    gives the next read the new data."""
    from bindings.models import Binding

    def page():
        with CaptureQueriesContext(connection) as queries:
            rows = get(world, "analyst", path(world, "/employees/")).json()["results"]
        return rows, sum("analytics_accountday" in query["sql"] for query in queries)

    first, reads = page()
    assert reads == 2  # the count and the page
    assert page() == (first, 0)

    binding = Binding.objects.get(enterprise=world.enterprise, red_account=data["i"])
    binding.name = "赵六"  # as a hand-over saves it
    with django_capture_on_commit_callbacks(execute=True):
        binding.save(update_fields=["name"])
    rows, reads = page()
    assert reads == 2 and [row["holder_name"] for row in rows] == ["张三", "王五", "赵六", ""]

    Order.objects.filter(order_id="B1").update(amount=Decimal("70.00"))
    with django_capture_on_commit_callbacks(execute=True):
        rollups.refresh(rollups.ORDERS, [(data["b"].pk, d(2))])
    assert page()[0][3]["gmv"] == "70.00"


def test_d01_the_summary_and_series_are_kept_until_the_rollups_change(world, data, django_capture_on_commit_callbacks):
    def read(name):
        with CaptureQueriesContext(connection) as queries:
            body = get(world, "analyst", path(world, f"/{name}/")).json()
        return body, sum("analytics_enterpriseday" in query["sql"] for query in queries)

    for name in ("summary", "timeseries"):
        first, reads = read(name)
        assert reads == 1 and read(name) == (first, 0)
    assert first["days"][-2]["gmv"] == "99.90"
    Order.objects.filter(order_id="S1").update(amount=Decimal("199.90"))
    with django_capture_on_commit_callbacks(execute=True):
        rollups.refresh(rollups.ORDERS, [(data["s"].pk, d(1))])
    assert read("summary")[0]["gmv"] == "249.90"  # with B's 50.00
    assert read("timeseries")[0]["days"][-2]["gmv"] == "199.90"


def test_d01_the_employee_table_searches_filters_and_sorts(world, data):
    def red_ids(**params):
        response = get(world, "owner", path(world, "/employees/"), **params)
        assert response.status_code == 200, response.content
        return [row["red_id"] for row in response.json()["results"]]

    assert red_ids(q="王五") == ["90000001"]
    assert red_ids(q="号2") == ["90000002"]
    assert red_ids(position="host") == ["90000002"]
    assert red_ids(region="北京") == ["90000001"]
    assert red_ids(ordering="gmv") == ["90000001", "90000002", "90000004", data["s"].red_id]
    assert red_ids(ordering="-holder_name")[0] == "90000001"  # 王五 after 李四 and 张三 by code point
    assert red_ids(preset="today") == [data["s"].red_id, "90000002"]  # the preset wins; M left on d5, B sold on d2


NOTE_ROWS = {
    "n2": {
        "title": "口红试色",
        "type": "video",
        "exposure": 1000,
        "reads": 300,
        "engagement": 35,
        "leads": 4,
        "read_uv": 240,
        "play_5s_rate": "0.2500",  # d0 reported none: only d2's reads weigh
        "read_3s_rate": None,
        "avg_view_seconds": "15.00",  # (12.5 × 200 + 20 × 100) / 300
        "spend": "0.00",
    },
    "n1": {
        "title": "春季通勤穿搭",
        "type": "image",
        "exposure": 800,
        "reads": 80,
        "engagement": 10,
        "leads": 2,
        "read_uv": 60,
        "play_5s_rate": None,
        "read_3s_rate": "0.5250",  # (0.6 × 50 + 0.4 × 30) / 80
        "avg_view_seconds": None,
        "spend": "30.50",
    },
    "nm": {
        "title": "门店探访",
        "type": "image",
        "exposure": 500,
        "reads": 50,
        "engagement": 7,
        "leads": 1,
        "read_uv": 38,
        "play_5s_rate": None,
        "read_3s_rate": "0.3000",  # d6 reported none; d4's 0.9 is 别家品牌's day
        "avg_view_seconds": None,
        "spend": "10.00",
    },
}


def test_d01_one_row_per_note_with_its_rates_and_spend(world, data):
    response = get(world, "analyst", path(world, "/notes/"))
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["count"] == 3
    rows = body["results"]
    assert [row["note_id"] for row in rows] == ["n2", "n1", "nm"]
    for row in rows:
        published = timezone.localtime(datetime.fromisoformat(row.pop("published_at")))
        assert published.date() == {"n2": d(2), "n1": d(12), "nm": d(8)}[row["note_id"]]
        author = data["m"] if row["note_id"] == "nm" else data["s"]
        assert row == {"note_id": row["note_id"], "red_id": author.red_id, **NOTE_ROWS[row["note_id"]]}


def test_d01_the_note_table_searches_filters_and_sorts(world, data):
    def note_ids(**params):
        response = get(world, "owner", path(world, "/notes/"), **params)
        assert response.status_code == 200, response.content
        return [row["note_id"] for row in response.json()["results"]]

    assert note_ids(type="video") == ["n2"]
    assert note_ids(q="探访") == ["nm"]
    assert note_ids(q="90000001") == ["nm"]
    assert note_ids(ordering="-spend") == ["n1", "nm", "n2"]
    assert note_ids(ordering="-read_3s_rate") == ["n1", "nm", "n2"]  # no rate: last
    assert note_ids(ordering="published_at") == ["n1", "nm", "n2"]


def test_d01_the_employee_sees_only_their_own_data(world, data):
    summary = get(world, "employee", "/api/v1/me/analytics/summary/").json()
    assert {key: summary[key] for key in ("accounts", "notes", "exposure", "engagement", "spend", "gmv")} == {
        "accounts": 1,
        "notes": 1,
        "exposure": 1800,
        "engagement": 45,
        "spend": "30.50",
        "gmv": "99.90",
    }
    assert (summary["previous"]["exposure"], summary["previous"]["notes"]) == (1000, 1)
    days = get(world, "employee", "/api/v1/me/analytics/timeseries/").json()["days"]
    assert len(days) == 10 and sum(day["exposure"] for day in days) == 1800
    notes = get(world, "employee", "/api/v1/me/analytics/notes/").json()
    assert [(row["note_id"], row["spend"]) for row in notes["results"]] == [("n2", "0.00"), ("n1", "30.50")]
    assert get(world, "owner", "/api/v1/me/analytics/summary/").status_code == 404  # no account of their own


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"from": "2025-01-01", "to": "2026-01-02"}, "to"),  # 367 days
        ({"from": "2026-02-02", "to": "2026-02-01"}, "to"),
        ({"preset": "forever"}, "preset"),
        ({"ordering": "holder_id"}, "ordering"),
    ],
)
def test_d01_a_bad_range_or_ordering_is_a_400(world, params, field, unchanged):
    client = world.client("analyst")
    for rest in ("/summary/", "/timeseries/", "/employees/", "/notes/"):
        if field == "ordering" and rest in ("/summary/", "/timeseries/"):
            continue
        with unchanged():
            response = client.get(path(world, rest), params)
        assert response.status_code == 400, response.content
        assert field in response.json()["fields"]
    if field == "to" and "2025-01-01" in params.values():
        assert response.json()["fields"]["to"] == ["时间范围最多 366 天。"]


def test_d01_a_year_of_366_days_is_allowed_and_presets_resolve(world):
    client = world.client("analyst")
    response = client.get(path(world, "/summary/"), {"from": "2024-01-01", "to": "2024-12-31"})
    assert response.status_code == 200
    body = client.get(path(world, "/summary/"), {"preset": "last_7"}).json()
    assert (body["from"], body["to"]) == (d(6).isoformat(), d(0).isoformat())
    assert (body["previous"]["from"], body["previous"]["to"]) == (d(13).isoformat(), d(7).isoformat())
    body = client.get(path(world, "/summary/")).json()
    assert (body["from"], body["to"]) == (d(29).isoformat(), d(0).isoformat())


@pytest.mark.parametrize("rest", ["/employees/", "/notes/"])
def test_d01_the_tables_take_the_same_queries_whatever_the_page_size(world, data, rest, django_assert_max_num_queries):
    client = world.client("analyst")
    client.get(path(world, rest))  # the token's first use is recorded once
    counts = []
    for size in (1, 2, 100):
        new_data_version()  # the employee table's pages are cached: count what computing one takes
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path(world, rest), {"from": d(9), "to": d(0), "page_size": size})
        assert response.status_code == 200
        counts.append(len(queries))
    assert len(set(counts)) == 1
    new_data_version()
    with django_assert_max_num_queries(counts[0]):
        client.get(path(world, rest), {"from": d(9), "to": d(0), "page_size": 3, "page": 2})


def _api_rows(world, rest):
    return get(world, "analyst", path(world, rest), page_size=100).json()["results"]


def _cells(row: dict, fields) -> list[str]:
    """An API row as the export writes it (CSV text)."""
    positions = {"shopping_guide": "导购", "store_manager": "店长", "host": "主播人", "": ""}
    types = {"image": "图文笔记", "video": "视频笔记"}
    cells = []
    for field in fields:
        value = row[field]
        if field == "position":
            value = positions[value]
        elif field == "type":
            value = types[value]
        elif field == "published_at":
            value = timezone.localtime(datetime.fromisoformat(value)).strftime("%Y-%m-%d %H:%M:%S")
        cells.append("" if value is None else str(value))
    return cells


EMPLOYEE_FIELDS = ("red_id", "nickname", "holder_name", "position", "region", "notes", "exposure", "reads")
EMPLOYEE_FIELDS += ("engagement", "leads", "spend", "orders", "gmv", "commission")
NOTE_FIELDS = ("note_id", "title", "type", "red_id", "published_at", "exposure", "reads", "engagement", "leads")
NOTE_FIELDS += ("read_uv", "play_5s_rate", "read_3s_rate", "avg_view_seconds", "spend")


@pytest.mark.parametrize(("table", "fields"), [("employees", EMPLOYEE_FIELDS), ("notes", NOTE_FIELDS)])
def test_d01_the_csv_export_equals_the_api_rows(world, data, table, fields):
    response = get(world, "agency_reported", path(world, "/export/"), table=table, format="csv")
    assert response.status_code == 200
    content = b"".join(response.streaming_content)
    assert content.startswith(b"\xef\xbb\xbf")
    header, *rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert header[:3] == (
        ["小红书号", "昵称", "员工名称"] if table == "employees" else ["笔记ID", "笔记标题", "笔记类型"]
    )
    assert rows == [_cells(row, fields) for row in _api_rows(world, f"/{table}/")]
    name = {"employees": "员工", "notes": "笔记"}[table]
    disposition = response["Content-Disposition"]
    assert quote(f"数据中心-{name}-{d(9).isoformat()}_{d(0).isoformat()}.csv") in disposition


@pytest.mark.parametrize(("table", "fields"), [("employees", EMPLOYEE_FIELDS), ("notes", NOTE_FIELDS)])
def test_d01_the_xlsx_export_equals_the_api_rows(world, data, table, fields):
    response = get(world, "analyst", path(world, "/export/"), table=table, format="xlsx", ordering="-reads")
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    header, *rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert len(header) == len(fields)

    def text(value, field):
        if value is None:
            return ""
        if field == "published_at":
            return value.strftime("%Y-%m-%d %H:%M:%S")
        if field in ("spend", "gmv", "commission"):
            return f"{Decimal(str(value)):.2f}"
        if field in ("play_5s_rate", "read_3s_rate"):
            return f"{Decimal(str(value)):.4f}"
        if field == "avg_view_seconds":
            return f"{Decimal(str(value)):.2f}"
        return str(value)

    parsed = [[text(value, field) for value, field in zip(row, fields, strict=True)] for row in rows]
    api = get(world, "analyst", path(world, f"/{table}/"), page_size=100, ordering="-reads").json()["results"]
    assert parsed == [_cells(row, fields) for row in api]


def test_d01_an_export_needs_a_known_table_and_format(world):
    client = world.client("analyst")
    assert client.get(path(world, "/export/"), {"table": "orders", "format": "csv"}).status_code == 400
    assert client.get(path(world, "/export/"), {"table": "notes", "format": "pdf"}).status_code == 400
    response = client.get(path(world, "/export/"), {"table": "notes", "format": "csv", "ordering": "gmv"})
    assert response.status_code == 400 and "ordering" in response.json()["fields"]


def test_d01_presets_are_asia_shanghai_days(monkeypatch):
    """At 00:30 on 1 March in Shanghai (still 28 February in UTC)."""
    monkeypatch.setattr(clock, "now", lambda: datetime.fromisoformat("2026-02-28T16:30:00+00:00"))

    def days(**query):
        form = RangeForm(query)
        assert form.is_valid(), form.errors
        return form.cleaned_data["preset"], form.cleaned_data["from"], form.cleaned_data["to"]

    march, february = date(2026, 3, 1), date(2026, 2, 28)
    assert days() == ("last_30", date(2026, 1, 31), march)
    assert days(preset="today") == ("today", march, march)
    assert days(preset="yesterday") == ("yesterday", february, february)
    assert days(preset="last_7") == ("last_7", date(2026, 2, 23), march)
    assert days(preset="last_28") == ("last_28", date(2026, 2, 2), march)
    assert days(preset="last_90") == ("last_90", date(2025, 12, 2), march)
    assert days(preset="this_month") == ("this_month", march, march)
    assert days(preset="last_month") == ("last_month", date(2026, 2, 1), february)
    assert days(**{"from": "2026-02-10"}) == ("custom", date(2026, 2, 10), march)
    assert days(preset="last_7", **{"from": "2026-02-10", "to": "2026-02-11"})[0] == "last_7"  # the preset wins
    assert previous_range(date(2026, 2, 1), date(2026, 2, 28)) == (date(2026, 1, 4), date(2026, 1, 31))
