"""The notes benchmarks, run by bench/run.py after the binding ones (`make bench`; `--skip-bindings` for these only):

(a) requests per second of the brand note list (`?page_size=20`, the big enterprise's 120,000 notes) against the
    floor endpoint, with the binding list's machinery (same client pool, warm-up, interleaved rounds); target
    list/floor >= 0.5. The list sorted by exposure (`&ordering=-exposure`) is measured beside it, for information;
(b) SQL queries per note list request at page sizes 1, 20 and 100, in process; target: identical;
(c) the export of the big enterprise's notes, CSV and XLSX, from gunicorn: seconds to receive the whole body
    (target <= 10 s each) and the serving worker's peak RSS growth (VmHWM after the download minus VmRSS before,
    the peak reset through /proc/<pid>/clear_refs; target <= 50 MB); the rows are counted (>= 100,000). In
    process, tracemalloc's peak of the same export, for information;
(d) metrics ingest: 100,000 rows in 10 POSTs of 10,000 to /api/v1/platform/note-metrics/, as many at a time as
    gunicorn has workers (half new days, half existing ones); rows/s over the whole wall time; target >= 20,000.
    The rows are put back afterwards, so a rerun on the same data (`--skip-generate`) measures the same work.

Figures go to artifacts/bench/notes.json. This module is named notes_bench: bench/ is first on sys.path when
run.py runs, and a bench/notes.py would hide the `notes` application.
"""

import gc
import http.client
import io
import json
import random
import re
import statistics
import time
import traceback
import zipfile
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path

from run import (
    HOST,
    PAGE_SIZES,
    all_passed,
    cpu_per_request,
    floor_path,
    print_figures,
    queries_per_page_size,
    throughput,
    write_figures,
)

RATIO_TARGET = 0.5
EXPORT_SECONDS_TARGET = 10.0
EXPORT_MEMORY_TARGET_MB = 50.0
EXPORT_MIN_ROWS = 100_000
INGEST_TARGET_ROWS_PER_S = 20_000
INGEST_BATCH = 10_000  # the endpoint's maximum (notes.models.MAX_INGEST_ROWS)
EXPORT_KINDS = ("csv", "xlsx")
MB = 1024 * 1024


def notes_path(eid: int, page_size: int = 20, ordering: str | None = None) -> str:
    path = f"/api/v1/enterprises/{eid}/notes/?page_size={page_size}"
    return f"{path}&ordering={ordering}" if ordering else path


def export_path(eid: int, kind: str, note_id: str | None = None) -> str:
    path = f"/api/v1/enterprises/{eid}/notes/export/?format={kind}"
    return f"{path}&note_id={note_id}" if note_id else path


WARM_UP_ROWS = 100
INGEST_PATH = "/api/v1/platform/note-metrics/"


def add_arguments(parser) -> None:
    parser.add_argument("--export-runs", type=int, default=3, help="downloads per export format (notes)")
    parser.add_argument("--ingest-requests", type=int, default=10, help="POSTs of 10,000 metric rows (notes)")


def guarded(figures: dict, name: str, measure, *args) -> None:
    """figures[name] = measure(*args); an endpoint that is missing or fails makes that figure a FAIL with the
    reason, and the other figures are still measured."""
    try:
        figures[name] = measure(*args)
    except Exception as error:  # a FAIL of this figure, whatever broke
        traceback.print_exc()
        print(f"bench: notes {name}: {error}", flush=True)
        figures[name] = {"error": f"{type(error).__name__}: {error}", "passed": False}


# Over HTTP: (a), (c) and (d) --------------------------------------------------------------------------------------


def measure_http(figures: dict, server, args, dataset: dict, tokens: dict) -> None:
    eid, token = dataset["big_enterprise_id"], dataset["big_enterprise_token"]
    endpoints = {
        "list": notes_path(eid),
        "by_exposure": notes_path(eid, ordering="-exposure"),
        "floor": floor_path(eid),
    }
    guarded(figures, "throughput", note_throughput, args, eid, token, endpoints)
    sample = dataset["notes"]["big_enterprise_note_sample"]
    guarded(figures, "export", exports_over_http, args.port, server.pid, eid, token, sample, args.export_runs)
    guarded(
        figures,
        "ingest",
        ingest,
        args.port,
        tokens["platform"]["0"],
        dataset["seed"],
        args.ingest_requests,
        args.workers,
    )


def note_throughput(args, eid: int, token: str, endpoints: dict) -> dict:
    data = throughput(args.port, eid, token, args.duration, args.rounds, args.concurrency, endpoints, "notes")
    errors = sum(data[name]["errors"] for name in endpoints)
    data["passed"] = data["ratio"] >= RATIO_TARGET and not errors
    return data


def worker_pids(arbiter: int) -> list[int]:
    return [int(pid) for pid in Path(f"/proc/{arbiter}/task/{arbiter}/children").read_text().split()]


def memory_kb(pid: int) -> dict[str, int]:
    """VmRSS and VmHWM (peak RSS) of a process, in kB."""
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, value = line.partition(":")
        if name in ("VmRSS", "VmHWM"):
            fields[name] = int(value.split()[0])
    return fields


def reset_peak(pid: int) -> bool:
    """Set VmHWM back to the current RSS (Linux: `5` to clear_refs); False where the kernel does not allow it."""
    try:
        Path(f"/proc/{pid}/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def cpu_ticks(pid: int) -> int:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])


def download(port: int, path: str, token: str, keep: bool = False) -> dict:
    """GET `path` and read the whole (streamed) body; seconds from the request to its last byte."""
    connection = http.client.HTTPConnection(HOST, port, timeout=300)
    started = time.perf_counter()
    try:
        connection.request("GET", path, headers={"Authorization": f"Bearer {token}"})
        response = connection.getresponse()
        if response.status != 200:
            raise RuntimeError(f"GET {path} answered {response.status}: {response.read()[:500]!r}")
        first_byte, size, newlines, last, chunks = None, 0, 0, b"", []
        while chunk := response.read(1 << 16):
            if first_byte is None:
                first_byte = time.perf_counter() - started
            size += len(chunk)
            newlines += chunk.count(b"\n")
            last = chunk
            if keep:
                chunks.append(chunk)
        seconds = time.perf_counter() - started
    finally:
        connection.close()
    lines = newlines + (1 if last and not last.endswith(b"\n") else 0)
    return {
        "seconds": seconds,
        "first_byte_s": first_byte,
        "bytes": size,
        "lines": lines,
        "content_type": response.getheader("Content-Type"),
        "body": b"".join(chunks) if keep else None,
    }


def xlsx_rows(body: bytes) -> int:
    """Rows of the workbook's sheets (header included), counted in the sheet XML without loading it."""
    pattern = re.compile(rb"<row[ >/]")
    rows = 0
    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        for name in archive.namelist():
            if not (name.startswith("xl/worksheets/") and name.endswith(".xml")):
                continue
            with archive.open(name) as sheet:
                tail = b""
                while chunk := sheet.read(1 << 20):
                    data = tail + chunk
                    rows += len(pattern.findall(data))
                    tail = data[-4:]  # shorter than a match: nothing is counted twice
    return rows


def exports_over_http(
    port: int, arbiter: int, eid: int, token: str, sample: list[str], runs: int, path_for=None, min_rows=EXPORT_MIN_ROWS
) -> dict:
    """Each format: warm both workers up with one-note exports until each has served one (import, first query),
    then `runs` downloads of the whole list. Before each, every worker's peak RSS is reset; after it, the worker
    that spent the CPU is the one that served, and its VmHWM minus its VmRSS before is the figure.
    `path_for(kind, item)`: the export of one sample item, or the whole one for None (the note list's by default)."""
    path_for = path_for or (lambda kind, note: export_path(eid, kind, note))
    workers = worker_pids(arbiter)
    result: dict = {"workers": workers}
    for kind in EXPORT_KINDS:
        served: set[int] = set()
        for attempt in range(20):
            if served >= set(workers):
                break
            before = {pid: cpu_ticks(pid) for pid in workers}
            download(port, path_for(kind, sample[attempt % len(sample)]), token)
            served.add(max(workers, key=lambda pid: cpu_ticks(pid) - before[pid]))
        measured = []
        for run in range(1, runs + 1):
            before = {pid: (memory_kb(pid), cpu_ticks(pid), reset_peak(pid)) for pid in workers}
            data = download(port, path_for(kind, None), token, keep=kind == "xlsx")
            after = {pid: (memory_kb(pid), cpu_ticks(pid)) for pid in workers}
            pid = max(workers, key=lambda pid: after[pid][1] - before[pid][1])
            (memory_before, _, was_reset), (memory_after, _) = before[pid], after[pid]
            baseline = memory_before["VmRSS"] if was_reset else memory_before["VmHWM"]
            body = data.pop("body")
            data["rows"] = xlsx_rows(body) - 1 if kind == "xlsx" else data["lines"] - 1
            data.update(
                worker=pid,
                peak_reset=was_reset,
                rss_before_mb=memory_before["VmRSS"] / 1024,
                hwm_after_mb=memory_after["VmHWM"] / 1024,
                rss_after_mb=memory_after["VmRSS"] / 1024,
                growth_mb=(memory_after["VmHWM"] - baseline) / 1024,
            )
            del body
            measured.append(data)
            print(
                f"bench: export {kind} run {run}: {data['rows']:,} rows, {data['bytes'] / MB:.1f} MB in "
                f"{data['seconds']:.2f} s (first byte {data['first_byte_s']:.2f} s); worker {pid} RSS "
                f"{data['rss_before_mb']:.0f} MB, peak +{data['growth_mb']:.1f} MB",
                flush=True,
            )
        seconds = statistics.median(run["seconds"] for run in measured)
        growth = max(run["growth_mb"] for run in measured)
        rows = min(run["rows"] for run in measured)
        result[kind] = {
            "path": path_for(kind, None),
            "seconds": seconds,
            "growth_mb": growth,
            "rows": rows,
            "runs": measured,
            "passed": seconds <= EXPORT_SECONDS_TARGET and growth <= EXPORT_MEMORY_TARGET_MB and rows >= min_rows,
        }
    result["passed"] = all(result[kind]["passed"] for kind in EXPORT_KINDS)
    return result


def ingest_rows(seed: int, count: int) -> tuple[list[list[dict]], list[tuple[int, str]]]:
    """`count` rows for as many distinct notes, drawn with a seeded generator: for a note whose figures stop before
    today, half the time its next day (an insert), otherwise one of its existing days (an update); dates never
    before the note's local publication day nor after today. Returns the batches and the (note pk, date) keys."""
    from django.db import connection

    from kos_platform import clock

    rng = random.Random(f"{seed}:ingest")
    today = clock.local_today()
    with connection.cursor() as cursor:
        cursor.execute("SELECT max(id) FROM notes_note")
        last = cursor.fetchone()[0] or 0
        picked = rng.sample(range(1, last + 1), min(count, last))
        cursor.execute(
            "SELECT id, note_id, type, (published_at AT TIME ZONE 'Asia/Shanghai')::date, metrics_through "
            "FROM notes_note WHERE id = ANY(%s)",
            [picked],
        )
        notes = {row[0]: row[1:] for row in cursor.fetchall()}
    rows, keys = [], []
    for pk in picked:
        if pk not in notes:
            continue
        note_id, kind, published, through = notes[pk]
        if through is None:
            day = published
        elif through < today and rng.random() < 0.5:
            day = through + timedelta(days=1)
        else:
            day = published + timedelta(days=rng.randint(0, (through - published).days))
        exposure = min(100_000, int((rng.paretovariate(1.05) - 1) * 100))
        reads = int(exposure * rng.uniform(0.05, 0.15))
        video = kind == "video"
        rows.append(
            {
                "note_id": note_id,
                "date": day.isoformat(),
                "exposure": exposure,
                "reads": reads,
                "likes": int(reads * 0.12 * rng.random()),
                "collects": int(reads * 0.06 * rng.random()),
                "comments": int(reads * 0.02 * rng.random()),
                "shares": int(reads * 0.01 * rng.random()),
                "leads": int(reads * 0.002 * rng.random()),
                "read_uv": int(reads * rng.uniform(0.75, 0.95)),
                "play_5s_rate": round(rng.uniform(0.15, 0.85), 4) if video else None,
                "read_3s_rate": None if video else round(rng.uniform(0.3, 0.9), 4),
                "avg_view_seconds": round(rng.uniform(4, 45) if video else rng.uniform(2, 20), 2),
            }
        )
        keys.append((pk, day))
    batches = [rows[start : start + INGEST_BATCH] for start in range(0, len(rows), INGEST_BATCH)]
    return batches, keys


_KEYS = "unnest(%s::bigint[], %s::date[]) AS k(note_id, date)"


def post(port: int, path: str, token: str, body: bytes) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection(HOST, port, timeout=300)
    try:
        headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json", "Accept": "application/json"}
        connection.request("POST", path, body=body, headers=headers)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def ingest(port: int, token: str, seed: int, requests: int, concurrency: int, check=None) -> dict:
    """POST the batches (JSON encoded beforehand), `concurrency` at a time — as many as gunicorn has workers, the
    way an integration pushing a day's figures would; the batches hold distinct notes. rows/s = rows / wall time
    of all POSTs. Then check what landed (informative; and `check(keys)`, whose answer goes in the result's
    "checked") and put the table back as it was."""
    from django.db import connection

    from kos_platform import clock
    from notes.metrics_ingest import METRIC_COLUMNS

    batches, keys = ingest_rows(seed, requests * INGEST_BATCH)
    columns = ", ".join(f"m.{column}" for column in METRIC_COLUMNS)
    key_arrays = [[pk for pk, _ in keys], [day for _, day in keys]]
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT m.note_id, {columns} FROM notes_notedailymetric m JOIN {_KEYS} "
            "ON m.note_id = k.note_id AND m.date = k.date",
            key_arrays,
        )
        existing = cursor.fetchall()
    bodies = [json.dumps(batch).encode() for batch in batches]
    rows = sum(len(batch) for batch in batches)
    result = {"path": INGEST_PATH, "rows": rows, "requests": len(bodies), "updates": len(existing)}
    result["inserts"] = rows - len(existing)
    print(
        f"bench: ingest {rows:,} metric rows in {len(bodies)} POSTs ({result['inserts']:,} new days, "
        f"{result['updates']:,} existing)",
        flush=True,
    )
    started_at = clock.now()

    def send(numbered: tuple[int, bytes]) -> float:
        number, body = numbered
        sent = time.perf_counter()
        status, answer = post(port, INGEST_PATH, token, body)
        took = time.perf_counter() - sent
        if not 200 <= status < 300:
            raise RuntimeError(f"POST {INGEST_PATH} (batch {number}) answered {status}: {answer[:2000]!r}")
        print(f"bench: ingest batch {number}: {took:.2f} s, {answer[:120].decode(errors='replace')}", flush=True)
        return took

    try:
        # Warm-up, as for the other endpoints: each worker's first POST pays for imports and first queries. The
        # rows are the first ones of the real batches, so the put-back below covers them.
        warm_up = [json.dumps(batch[:WARM_UP_ROWS]).encode() for batch in batches[:concurrency]]
        with ThreadPoolExecutor(max_workers=concurrency) as pool:
            list(pool.map(send, enumerate(warm_up, start=0)))
        began = time.perf_counter()
        with ThreadPoolExecutor(max_workers=concurrency) as pool:
            timings = list(pool.map(send, enumerate(bodies, start=1)))
        seconds = time.perf_counter() - began
        result.update(seconds=seconds, rows_per_s=rows / seconds, request_seconds=timings, concurrency=concurrency)
        result["landed"] = ingest_landed(batches, keys)
        if check:
            result["checked"] = check(keys)
    finally:
        restore_ingested(keys, existing, started_at)
    result["passed"] = result["rows_per_s"] >= INGEST_TARGET_ROWS_PER_S
    return result


def ingest_landed(batches: list[list[dict]], keys: list[tuple[int, object]]) -> dict:
    """Rows whose stored figures differ from the ones sent, and touched notes whose kept totals differ from the sums
    of their days (both should be 0)."""
    from django.db import connection

    from notes.ingest import COUNT_FIELDS

    sent = [row for batch in batches for row in batch]
    counts = [[row[column] for row in sent] for column in COUNT_FIELDS]
    compare = " OR ".join(f"m.{column} <> s.{column}" for column in COUNT_FIELDS)
    notes = sorted({pk for pk, _ in keys})
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT count(*) FROM notes_notedailymetric m JOIN unnest(%s::bigint[], %s::date[], "
            f"{', '.join(['%s::bigint[]'] * len(COUNT_FIELDS))}) AS s(note_id, date, {', '.join(COUNT_FIELDS)}) "
            f"ON m.note_id = s.note_id AND m.date = s.date WHERE {compare}",
            [[pk for pk, _ in keys], [day for _, day in keys], *counts],
        )
        rows_differing = cursor.fetchone()[0]
        sums = ", ".join(f"sum({column}) AS {column}" for column in COUNT_FIELDS)
        cursor.execute(
            f"SELECT count(*) FROM notes_note n JOIN (SELECT note_id, {sums}, "
            "max(date) AS through FROM notes_notedailymetric WHERE note_id = ANY(%s) GROUP BY note_id) t "
            f"ON n.id = t.note_id WHERE {' OR '.join(f'n.{c} <> t.{c}' for c in COUNT_FIELDS)} "
            "OR n.engagement <> t.likes + t.collects + t.comments OR n.metrics_through <> t.through",
            [notes],
        )
        totals_differing = cursor.fetchone()[0]
    print(
        f"bench: ingest landed: {rows_differing} rows differ from what was sent, {totals_differing} notes' totals "
        "differ from their days",
        flush=True,
    )
    return {"rows_differing": rows_differing, "totals_differing": totals_differing}


def restore_ingested(keys: list[tuple[int, object]], existing: list[tuple], since) -> None:
    """Delete the days the ingest added, put the figures of the days it replaced back, recompute the touched notes'
    totals from their days (as the generator wrote them) and their days' rollups (by the refresh job's code, in
    process), drop the ingest's audit events, VACUUM ANALYZE."""
    from django.db import connection, transaction

    from analytics import rollups
    from notes.metrics_ingest import METRIC_COLUMNS, METRIC_TYPES, sum_totals

    present = {(row[0], row[1]) for row in existing}
    added = [key for key in keys if key not in present]
    columns = list(zip(*existing, strict=True)) if existing else [[] for _ in range(1 + len(METRIC_COLUMNS))]
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM notes_notedailymetric m USING {_KEYS} WHERE m.note_id = k.note_id AND m.date = k.date",
            [[pk for pk, _ in added], [day for _, day in added]],
        )
        cursor.execute(
            f"UPDATE notes_notedailymetric m SET {', '.join(f'{c} = o.{c}' for c in METRIC_COLUMNS[1:])} "
            f"FROM unnest(%s::bigint[], {', '.join(f'%s::{kind}[]' for kind in METRIC_TYPES)}) "
            f"AS o(note_id, {', '.join(METRIC_COLUMNS)}) WHERE m.note_id = o.note_id AND m.date = o.date",
            [list(column) for column in columns],
        )
        sum_totals(pk for pk, _ in keys)
        for first in range(0, len(keys), INGEST_BATCH):
            rollups.refresh(rollups.METRICS, keys[first : first + INGEST_BATCH])
        cursor.execute("DELETE FROM accounts_auditevent WHERE action LIKE 'note_metrics.%%' AND at >= %s", [since])
    with connection.cursor() as cursor:
        cursor.execute(
            "VACUUM ANALYZE notes_notedailymetric, notes_note, accounts_auditevent, analytics_noteday, "
            "analytics_accountday, analytics_enterpriseday"
        )
    print(
        f"bench: ingest put back ({len(added):,} days deleted, {len(existing):,} restored) in "
        f"{time.perf_counter() - started:.1f} s",
        flush=True,
    )


# In process: (b) and tracemalloc --------------------------------------------------------------------------------


def measure_in_process(figures: dict, dataset: dict) -> None:
    eid, token = dataset["big_enterprise_id"], dataset["big_enterprise_token"]
    guarded(figures, "queries", note_queries, eid, token)
    paths = {"list": notes_path(eid), "by_exposure": notes_path(eid, ordering="-exposure"), "floor": floor_path(eid)}
    guarded(figures, "cpu_per_request", cpu_per_request, eid, token, 200, paths)
    if "error" not in figures["cpu_per_request"]:
        for name, cost in figures["cpu_per_request"].items():
            python, postgres = cost["python_ms"], cost["postgres_ms"]
            print(f"bench: notes {name:<11} CPU per request: Python {python:.1f} ms, PostgreSQL {postgres:.1f} ms")
    sample = dataset["notes"]["big_enterprise_note_sample"]
    guarded(figures, "export_traced", export_traced, eid, token, sample)


def note_queries(eid: int, token: str) -> dict:
    data = queries_per_page_size(eid, token, notes_path)
    data["passed"] = data["identical"]
    return data


def export_traced(eid: int, token: str, sample: list[str]) -> dict:
    """Each export once through django.test.Client under tracemalloc (after a one-note warm-up): the peak of the
    Python allocations while the body is consumed chunk by chunk. tracemalloc slows Python down several times over,
    so the seconds here are no figure."""
    import tracemalloc

    from django.test import Client

    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    result = {}
    for kind in EXPORT_KINDS:
        warm = client.get(export_path(eid, kind, sample[0]))
        for _ in warm.streaming_content if warm.streaming else ():
            pass
        warm.close()
        gc.collect()
        tracemalloc.start()
        started = time.perf_counter()
        response = client.get(export_path(eid, kind))
        if response.status_code != 200:
            tracemalloc.stop()
            raise RuntimeError(f"GET {export_path(eid, kind)} answered {response.status_code}")
        size, chunks = 0, 0
        for chunk in response.streaming_content if response.streaming else [response.content]:
            size += len(chunk)
            chunks += 1
        response.close()
        seconds = time.perf_counter() - started
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        result[kind] = {
            "peak_mb": peak / MB,
            "bytes": size,
            "chunks": chunks,
            "streamed": response.streaming,
            "seconds_traced": seconds,
        }
        print(
            f"bench: export {kind} in process: tracemalloc peak {peak / MB:.1f} MB, {size / MB:.1f} MB in "
            f"{chunks:,} chunks ({seconds:.1f} s traced)",
            flush=True,
        )
    return result


# Report ------------------------------------------------------------------------------------------------------------


def report(figures: dict) -> None:
    rows: list[tuple[str, str, str, bool | None]] = []

    def failed(label: str, name: str, target: str) -> bool:
        if name not in figures:
            return True
        if "error" in figures[name]:
            rows.append((label, "error: " + figures[name]["error"][:60], target, False))
            return True
        return False

    if not failed("note list req/s ÷ floor req/s", "throughput", f">= {RATIO_TARGET}"):
        data = figures["throughput"]
        measured = f"{data['ratio']:.2f} ({data['list']['rps']:.0f} / {data['floor']['rps']:.0f} req/s)"
        rows.append(("note list req/s ÷ floor req/s", measured, f">= {RATIO_TARGET}", data["passed"]))
        ratio = data["ratios"]["by_exposure"]
        measured = f"{ratio:.2f} ({data['by_exposure']['rps']:.0f} req/s)"
        rows.append(("  ordering=-exposure ÷ floor", measured, "(info)", None))
    label = "queries per note list request, page size " + "/".join(map(str, PAGE_SIZES))
    if not failed(label, "queries", "identical"):
        data = figures["queries"]
        rows.append((label, " / ".join(str(count) for count in data["counts"]), "identical", data["passed"]))
    if not failed("export", "export", f"<= {EXPORT_SECONDS_TARGET:g} s"):
        for kind in EXPORT_KINDS:
            data = figures["export"][kind]
            ok_rows = data["rows"] >= EXPORT_MIN_ROWS
            rows.append(
                (
                    f"export {kind}: {data['rows']:,} rows",
                    f"{data['seconds']:.2f} s",
                    f"<= {EXPORT_SECONDS_TARGET:g} s",
                    data["seconds"] <= EXPORT_SECONDS_TARGET and ok_rows,
                )
            )
            rows.append(
                (
                    f"export {kind}: worker peak RSS growth",
                    f"{data['growth_mb']:.1f} MB",
                    f"<= {EXPORT_MEMORY_TARGET_MB:g} MB",
                    data["growth_mb"] <= EXPORT_MEMORY_TARGET_MB,
                )
            )
    if "export_traced" in figures and "error" not in figures["export_traced"]:
        traced = " / ".join(f"{figures['export_traced'][kind]['peak_mb']:.1f}" for kind in EXPORT_KINDS)
        rows.append(("export csv / xlsx: tracemalloc peak in process", f"{traced} MB", "(info)", None))
    if not failed("metrics ingest rows/s", "ingest", f">= {INGEST_TARGET_ROWS_PER_S:,}"):
        data = figures["ingest"]
        measured = (
            f"{data['rows_per_s']:,.0f} ({data['rows']:,} rows in {data['seconds']:.2f} s, "
            f"{data['concurrency']} at a time)"
        )
        rows.append(("metrics ingest rows/s", measured, f">= {INGEST_TARGET_ROWS_PER_S:,}", data["passed"]))
    print_figures("notes figure", rows, "notes.json")


def passed(figures: dict) -> bool:
    return all_passed(figures, ("throughput", "queries", "export", "ingest"))


def write(figures: dict) -> None:
    targets = {
        "list_floor_ratio": RATIO_TARGET,
        "queries": "identical at page sizes " + ", ".join(map(str, PAGE_SIZES)),
        "export_seconds": EXPORT_SECONDS_TARGET,
        "export_worker_peak_growth_mb": EXPORT_MEMORY_TARGET_MB,
        "export_min_rows": EXPORT_MIN_ROWS,
        "ingest_rows_per_s": INGEST_TARGET_ROWS_PER_S,
    }
    write_figures("notes.json", figures, targets)
