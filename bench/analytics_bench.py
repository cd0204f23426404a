"""The analytics benchmarks, run by bench/run.py after the ads and commerce ones (`make bench`; `--skip-bindings
--skip-notes --skip-campaigns` for these only), on the big enterprise over the last 90 days:

(a) requests per second of the data centre's summary and time series against the floor endpoint (target >= 0.5
    each) and of its per-employee table (`?page_size=20`, target >= 0.3), measured as the other lists are;
(b) the metrics ingest with its rollups kept: the notes benchmark's 100,000 rows in POSTs of 10,000, which keep
    the rollups in their own transactions on PostgreSQL; rows/s over the POSTs; target >= 20,000; afterwards the
    kept note-days and enterprise-days are checked against the rows below them;
(c) a full rebuild of the rollups (`rebuild_all`: every day from the first source row to today), in process;
    target <= 60 s;
(d) closing an incentive period of the big enterprise over its last 30 days, in process; target <= 5 s;
(e) the export of its per-note table (90 days) as CSV and as XLSX over HTTP, seconds and peak memory growth of the
    gunicorn worker, as the note list's exports are measured; targets <= 10 s and <= 50 MB each, and every row of
    the table.

What (b) and (d) add is removed afterwards. Figures go to artifacts/bench/analytics.json.
"""

import json
import time
from datetime import timedelta

from notes_bench import download, exports_over_http, guarded, ingest
from run import all_passed, floor_path, print_figures, throughput, write_figures

RATIO_TARGET = 0.5
TABLE_RATIO_TARGET = 0.3
INGEST_TARGET_ROWS_PER_S = 20_000
REBUILD_TARGET_SECONDS = 60.0
CLOSE_TARGET_SECONDS = 5.0
EXPORT_SECONDS_TARGET = 10.0
EXPORT_MEMORY_TARGET_MB = 50.0
RANGE = "preset=last_90"


def analytics_path(eid: int, name: str, extra: str = "") -> str:
    return f"/api/v1/enterprises/{eid}/analytics/{name}/?{RANGE}{extra}"


def export_path(eid: int, kind: str, day: str | None) -> str:
    days = f"from={day}&to={day}" if day else RANGE
    return f"/api/v1/enterprises/{eid}/analytics/export/?table=notes&format={kind}&{days}"


# Over HTTP: (a), (b), (e) ------------------------------------------------------------------------------------------


def measure_http(figures: dict, server, args, dataset: dict, tokens: dict) -> None:
    eid, token = dataset["big_enterprise_id"], dataset["big_enterprise_token"]
    endpoints = {
        "list": analytics_path(eid, "employees", "&page_size=20"),
        "summary": analytics_path(eid, "summary"),
        "series": analytics_path(eid, "timeseries"),
        "floor": floor_path(eid),
    }
    guarded(figures, "throughput", data_centre_throughput, args, eid, token, endpoints)
    guarded(figures, "export", notes_export, args, server, eid, token)
    platform = tokens["platform"]["0"]
    guarded(figures, "ingest", ingest_with_rollups, args, platform, dataset)


def data_centre_throughput(args, eid: int, token: str, endpoints: dict) -> dict:
    data = throughput(args.port, eid, token, args.duration, args.rounds, args.concurrency, endpoints, "accounts")
    ratios = data["ratios"]
    data["passed"] = (
        ratios["summary"] >= RATIO_TARGET
        and ratios["series"] >= RATIO_TARGET
        and ratios["list"] >= TABLE_RATIO_TARGET
        and not sum(data[name]["errors"] for name in endpoints)
    )
    return data


def notes_export(args, server, eid: int, token: str) -> dict:
    """The per-note table's exports; every row of the API's table must be in them."""
    from kos_platform import clock

    rows = fetch_json(args.port, analytics_path(eid, "notes", "&page_size=1"), token)["count"]
    days = [(clock.local_today() - timedelta(days=n)).isoformat() for n in range(1, 4)]
    result = exports_over_http(
        args.port,
        server.pid,
        eid,
        token,
        days,
        args.export_runs,
        path_for=lambda kind, day: export_path(eid, kind, day),
        min_rows=rows,
    )
    result["table_rows"] = rows
    for kind in ("csv", "xlsx"):
        data = result[kind]
        data["passed"] = (
            data["seconds"] <= EXPORT_SECONDS_TARGET and data["growth_mb"] <= EXPORT_MEMORY_TARGET_MB
        ) and data["rows"] == rows
    result["passed"] = result["csv"]["passed"] and result["xlsx"]["passed"]
    return result


def fetch_json(port: int, path: str, token: str) -> dict:
    return json.loads(download(port, path, token, keep=True)["body"])


def ingest_with_rollups(args, token: str, dataset: dict) -> dict:
    # Another seed than the notes' ingest: other rows, the same amount of work.
    result = ingest(args.port, token, dataset["seed"] + 1, args.ingest_requests, args.workers, rollups_kept)
    result["passed"] = result["rows_per_s"] >= INGEST_TARGET_ROWS_PER_S and not any(result["checked"].values())
    return result


_SENT = "unnest(%s::bigint[], %s::date[]) AS k(note_id, date)"
_FIGURES = ("exposure", "reads", "engagement", "leads")


def _sums(table: str) -> str:
    return ", ".join(f"sum({table}.{name}) AS {name}" for name in _FIGURES)


def _differ(left: str, right: str) -> str:
    values = [", ".join(f"coalesce({table}.{name}, 0)" for name in _FIGURES) for table in (left, right)]
    return f"({values[0]}) <> ({values[1]})"


# Each kept rollup against the rows below it, over what the POSTs touched: note-days against the metric rows,
# enterprise-days' note figures against their note-days (both counts should be 0). The ingest writes no account-day.
_TOUCHED = f"FROM {_SENT} JOIN analytics_noteday d USING (note_id, date)"
_KEPT = {
    "note_days": f"""
        SELECT count(*) FROM {_SENT} JOIN notes_notedailymetric m USING (note_id, date)
        LEFT JOIN analytics_noteday d USING (note_id, date)
        WHERE d.note_id IS NULL OR (d.exposure, d.reads, d.engagement, d.leads, d.read_uv)
              <> (m.exposure, m.reads, m.likes + m.collects + m.comments, m.leads, m.read_uv)""",
    "enterprise_days": f"""
        WITH touched AS (SELECT DISTINCT d.enterprise_id, d.date {_TOUCHED} WHERE d.enterprise_id IS NOT NULL),
        summed AS (SELECT d.enterprise_id, d.date, {_sums("d")}
                   FROM touched JOIN analytics_noteday d USING (enterprise_id, date) GROUP BY 1, 2)
        SELECT count(*) FROM touched LEFT JOIN summed s USING (enterprise_id, date)
        LEFT JOIN analytics_enterpriseday e USING (enterprise_id, date)
        WHERE {_differ("s", "e")}""",
}


def rollups_kept(keys) -> dict:
    """How many rollup rows over the POSTs' keys differ from the rows below them (the ingest kept them itself)."""
    from django.db import connection

    params = [[pk for pk, _ in keys], [day for _, day in keys]]
    with connection.cursor() as cursor:
        differing = {}
        for name, sql in _KEPT.items():
            cursor.execute(sql, params)
            differing[name] = cursor.fetchone()[0]
    print(f"bench: rollups kept by the ingest, rows differing from their sources: {differing}", flush=True)
    return differing


# In process: (c), (d) ---------------------------------------------------------------------------------------------


def measure_in_process(figures: dict, dataset: dict) -> None:
    guarded(figures, "rebuild", full_rebuild)
    guarded(figures, "close", close_period, dataset["big_enterprise_id"])


def full_rebuild() -> dict:
    from django.db import connection

    from analytics import rollups
    from kos_platform import clock

    first, last = rollups.first_day(), clock.local_today()
    started = time.perf_counter()
    rows = rollups.rebuild_all()
    seconds = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE analytics_noteday, analytics_accountday, analytics_enterpriseday")
        cursor.execute("SELECT count(*) FROM analytics_noteday")
        note_days = cursor.fetchone()[0]
    print(f"bench: rebuild {first} – {last}: {note_days:,} note days, {rows:,} account days in {seconds:.1f} s")
    return {
        "first": str(first),
        "last": str(last),
        "seconds": seconds,
        "note_days": note_days,
        "account_days": rows,
        "passed": seconds <= REBUILD_TARGET_SECONDS,
    }


def close_period(eid: int) -> dict:
    """A period over the big enterprise's last 30 days up to yesterday, closed by hand, then removed."""
    from django.db import transaction

    from accounts.models import Enterprise
    from analytics import incentives
    from analytics.models import IncentiveAward, IncentivePeriod
    from bindings.models import Notification
    from kos_platform import clock

    yesterday = clock.local_today() - timedelta(days=1)
    enterprise = Enterprise.objects.get(pk=eid)
    period = IncentivePeriod.objects.create(
        enterprise=enterprise,
        name="bench",
        start_date=yesterday - timedelta(days=29),
        end_date=yesterday,
        created_at=clock.now(),
    )
    started_at = clock.now()
    try:
        started = time.perf_counter()
        incentives.period_close(actor=None, period=period)
        seconds = time.perf_counter() - started
        awards = IncentiveAward.objects.filter(period=period).count()
    finally:
        with transaction.atomic():
            IncentiveAward.objects.filter(period=period).delete()
            Notification.objects.filter(created_at__gte=started_at).delete()
            period.delete()
    print(f"bench: closing a 30-day period of enterprise #{eid}: {awards} awards in {seconds:.2f} s")
    return {"seconds": seconds, "awards": awards, "passed": seconds <= CLOSE_TARGET_SECONDS}


# Report ------------------------------------------------------------------------------------------------------------


def report(figures: dict) -> None:
    rows: list[tuple[str, str, str, bool]] = []

    def add(label: str, name: str, target: str, measured, passed=None) -> None:
        data = figures.get(name)
        if data is None:
            return
        if "error" in data:
            rows.append((label, "error: " + data["error"][:60], target, False))
        else:
            rows.append((label, measured(data), target, data["passed"] if passed is None else passed(data)))

    def ratio(name):
        return lambda d: f"{d['ratios'][name]:.2f} ({d[name]['rps']:.0f} / {d['floor']['rps']:.0f} req/s)"

    add("summary, 90 days ÷ floor", "throughput", f">= {RATIO_TARGET}", ratio("summary"),
        lambda d: d["ratios"]["summary"] >= RATIO_TARGET)  # fmt: skip
    add("time series, 90 days ÷ floor", "throughput", f">= {RATIO_TARGET}", ratio("series"),
        lambda d: d["ratios"]["series"] >= RATIO_TARGET)  # fmt: skip
    add("employee table, 90 days ÷ floor", "throughput", f">= {TABLE_RATIO_TARGET}", ratio("list"),
        lambda d: d["ratios"]["list"] >= TABLE_RATIO_TARGET)  # fmt: skip
    add(
        "metrics ingest with rollups, rows/s",
        "ingest",
        f">= {INGEST_TARGET_ROWS_PER_S:,}",
        lambda d: (
            f"{d['rows_per_s']:,.0f} ({d['rows']:,} rows in {d['seconds']:.2f} s; rollup rows off: "
            f"{sum(d['checked'].values())})"
        ),
    )
    add("full rebuild of the rollups", "rebuild", f"<= {REBUILD_TARGET_SECONDS:g} s",
        lambda d: f"{d['seconds']:.1f} s ({d['note_days']:,} note days, {d['account_days']:,} account days)",
    )  # fmt: skip
    add("closing a 30-day incentive period", "close", f"<= {CLOSE_TARGET_SECONDS:g} s",
        lambda d: f"{d['seconds']:.2f} s ({d['awards']} awards)")  # fmt: skip
    for kind in ("csv", "xlsx"):
        add(
            f"per-note export, 90 days, {kind.upper()}",
            "export",
            f"<= {EXPORT_SECONDS_TARGET:g} s, <= {EXPORT_MEMORY_TARGET_MB:g} MB",
            lambda d, kind=kind: (
                f"{d[kind]['seconds']:.2f} s, +{d[kind]['growth_mb']:.1f} MB ({d[kind]['rows']:,} of "
                f"{d['table_rows']:,} rows)"
            ),
            lambda d, kind=kind: d[kind]["passed"],
        )
    if not rows:
        return
    print_figures("analytics figure", rows, "analytics.json")


def passed(figures: dict) -> bool:
    return all_passed(figures, ("throughput", "export", "ingest", "rebuild", "close"))


def write(figures: dict) -> None:
    targets = {
        "summary_and_series_floor_ratio": RATIO_TARGET,
        "employee_table_floor_ratio": TABLE_RATIO_TARGET,
        "ingest_rows_per_s": INGEST_TARGET_ROWS_PER_S,
        "rebuild_seconds": REBUILD_TARGET_SECONDS,
        "close_seconds": CLOSE_TARGET_SECONDS,
        "export_seconds": EXPORT_SECONDS_TARGET,
        "export_memory_mb": EXPORT_MEMORY_TARGET_MB,
    }
    write_figures("analytics.json", figures, targets)
