"""The benchmarks in one command (`make bench`): the binding figures below, then the notes figures
(bench/notes_bench.py: note list ÷ floor, queries per page size, CSV/XLSX export time and memory, metrics ingest),
then the ads and commerce figures (bench/campaigns_bench.py: spend and order ingest, the advanced-rights evaluation,
campaign list ÷ floor, a month's commission statement).

(a) requests per second of the brand binding list (`?page_size=20`, the big enterprise) against the floor
    endpoint (same Bearer token, same authentication and workspace resolution, constant answer), served by
    gunicorn and measured side by side, interleaved A/B/A/B; target list/floor >= 0.5;
(b) SQL queries per list request at page sizes 1, 20 and 100, in process; target: identical (and, to explain
    (a), the CPU milliseconds per list and floor request, Python and PostgreSQL apart);
(c) seconds to sweep the 100,000 due invitations (bindings.sweeps.expire_due_invitations); target <= 3 s.

    .venv/bin/python bench/run.py [--skip-generate] [--skip-bindings] [--skip-notes] [--skip-campaigns] [--duration 3]

Figures are printed and written to artifacts/bench/bindings.json and notes.json. The server is 2 sync gunicorn
workers (one per core; a request is CPU-bound Python, so threads would only queue on the GIL), on 127.0.0.1:8099.
"""

import argparse
import http.client
import json
import os
import platform
import signal
import statistics
import subprocess
import sys
import threading
import time
from contextlib import contextmanager, nullcontext
from pathlib import Path

import server

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "artifacts" / "bench"
MACHINE_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/kos_bench"  # the test suite's server
HOST = "127.0.0.1"
# Reported with the figures: what the server does with the data (see server.py).
POSTGRES_SETTINGS = (
    "shared_buffers", "effective_cache_size", "max_wal_size", "checkpoint_timeout", "wal_compression", "wal_buffers",
)  # fmt: skip

RATIO_TARGET = 0.5
SWEEP_TARGET_SECONDS = 3.0
PAGE_SIZES = (1, 20, 100)


def list_path(eid: int, page_size: int = 20) -> str:
    return f"/api/v1/enterprises/{eid}/bindings/?page_size={page_size}"


def floor_path(eid: int) -> str:
    return f"/api/v1/enterprises/{eid}/floor/"


# The server ----------------------------------------------------------------------------------------------------


@contextmanager
def gunicorn(port: int, workers: int, log: Path):
    """gunicorn on the bench settings for the duration of the block; stopped on the way out, error or not."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings"}
    command = [
        str(ROOT / ".venv" / "bin" / "gunicorn"),
        "kos_platform.wsgi:application",
        f"--bind={HOST}:{port}",
        f"--workers={workers}",
        "--worker-class=sync",
        "--timeout=60",
        "--log-level=warning",
        f"--error-logfile={log}",
    ]
    process = subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)
    try:
        wait_until_up(process, port)
        yield process
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)  # the arbiter stops its workers
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


def wait_until_up(process: subprocess.Popen, port: int, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {process.returncode}; see artifacts/bench/gunicorn.log")
        try:
            connection = http.client.HTTPConnection(HOST, port, timeout=2)
            connection.request("GET", "/api/v1/")
            connection.getresponse().read()
            connection.close()
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not answer on {HOST}:{port} within {timeout:.0f} s")


def fetch(port: int, path: str, token: str) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection(HOST, port, timeout=30)
    try:
        connection.request("GET", path, headers={"Authorization": f"Bearer {token}"})
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


# (a) Throughput --------------------------------------------------------------------------------------------------


def load(port: int, path: str, token: str, duration: float, concurrency: int) -> dict:
    """`concurrency` threads, each on its own HTTP/1.1 connection (reopened when the server closes it), sending
    GET `path` back to back for `duration` seconds. Only 200s count as requests; anything else is an error."""
    headers = {"Authorization": f"Bearer {token}", "Accept": "application/json"}
    latencies: list[list[float]] = [[] for _ in range(concurrency)]
    errors = [0] * concurrency
    start = threading.Barrier(concurrency + 1)
    deadline = 0.0

    def worker(index: int) -> None:
        connection = http.client.HTTPConnection(HOST, port, timeout=30)
        start.wait()
        while (sent := time.perf_counter()) < deadline:
            try:
                connection.request("GET", path, headers=headers)
                response = connection.getresponse()
                response.read()
            except (OSError, http.client.HTTPException):
                connection.close()
                errors[index] += 1
                continue
            if response.status == 200:
                latencies[index].append(time.perf_counter() - sent)
            else:
                errors[index] += 1
        connection.close()

    threads = [threading.Thread(target=worker, args=(index,), daemon=True) for index in range(concurrency)]
    for thread in threads:
        thread.start()
    began = time.perf_counter()
    deadline = began + duration
    start.wait()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began
    done = sorted(latency for per_thread in latencies for latency in per_thread)
    return {
        "requests": len(done),
        "errors": sum(errors),
        "seconds": elapsed,
        "rps": len(done) / elapsed,
        "p50_ms": 1000 * done[len(done) // 2] if done else None,
        "p95_ms": 1000 * done[int(len(done) * 0.95)] if done else None,
    }


def throughput(
    port: int,
    eid: int,
    token: str,
    duration: float,
    rounds: int,
    concurrency: int,
    endpoints: dict[str, str] | None = None,
    noun: str = "bindings",
) -> dict:
    """Warm the endpoints up, then A/B/A/B… so drift (CPU heat, autovacuum, caches) hits all alike. `endpoints`
    (name → path) holds "list" and "floor", by default the binding list's; every other one is measured the same
    way and gets its ratio to the floor too."""
    endpoints = endpoints or {"list": list_path(eid), "floor": floor_path(eid)}
    for name, path in endpoints.items():
        status, body = fetch(port, path, token)
        if status != 200:
            raise RuntimeError(f"GET {path} answered {status}: {body[:300]!r}")
        if name != "floor":
            count = json.loads(body).get("count")
            if count is not None:
                print(f"bench: {name} of enterprise #{eid} holds {count} {noun}")
        load(port, path, token, min(2.0, duration), concurrency)
    runs: dict[str, list[dict]] = {name: [] for name in endpoints}
    width = max(5, *map(len, endpoints))
    for round_number in range(1, rounds + 1):
        for name, path in endpoints.items():
            result = load(port, path, token, duration, concurrency)
            runs[name].append(result)
            p50, p95 = result["p50_ms"] or 0.0, result["p95_ms"] or 0.0
            print(
                f"bench: round {round_number} {name:<{width}} {result['rps']:7.1f} req/s  p50 {p50:6.1f} ms  "
                f"p95 {p95:6.1f} ms  errors {result['errors']}",
                flush=True,
            )
    summary = {}
    for name, results in runs.items():
        requests = sum(result["requests"] for result in results)
        seconds = sum(result["seconds"] for result in results)
        summary[name] = {
            "path": endpoints[name],
            "rps": requests / seconds,
            "requests": requests,
            "errors": sum(result["errors"] for result in results),
            "rounds": results,
        }
    summary["ratio"] = summary["list"]["rps"] / summary["floor"]["rps"]
    if len(endpoints) > 2:
        summary["ratios"] = {name: summary[name]["rps"] / summary["floor"]["rps"] for name in endpoints}
    summary["round_ratios"] = [
        list_round["rps"] / floor_round["rps"]
        for list_round, floor_round in zip(runs["list"], runs["floor"], strict=True)
    ]
    return summary


# In process: (b) queries and (c) the sweep -------------------------------------------------------------------


def setup_django() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    import django

    django.setup()


def queries_per_page_size(eid: int, token: str, path_for=list_path) -> dict:
    """The SQL of one list request at each page size (after a warm-up request, so the once-a-minute
    `last_used_at` write of the key does not land in a measured one). `path_for(eid, page_size)` gives the list."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    client.get(path_for(eid, 20))
    result = {}
    for path_name, path in [*((str(size), path_for(eid, size)) for size in PAGE_SIZES), ("floor", floor_path(eid))]:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path)
        if response.status_code != 200:
            raise RuntimeError(f"GET {path} answered {response.status_code}")
        rows = len(response.json().get("results", [])) if path_name != "floor" else 0
        result[path_name] = {
            "queries": len(captured.captured_queries),
            "rows": rows,
            "sql": [query["sql"] for query in captured.captured_queries],
        }
    counts = [result[str(size)]["queries"] for size in PAGE_SIZES]
    return {"by_page_size": result, "counts": counts, "identical": len(set(counts)) == 1}


def backend_cpu_seconds(pid: int) -> float | None:
    """CPU time of a PostgreSQL backend on the same (Linux) machine, or None."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def cpu_per_request(eid: int, token: str, requests: int = 200, paths: dict[str, str] | None = None) -> dict:
    """CPU milliseconds per request, Python (this process) and PostgreSQL (its backend) apart, list and floor
    (or `paths`, name → path) interleaved. Unlike req/s, CPU time barely moves when other work shares the machine."""
    from django.db import connection
    from django.test import Client

    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    paths = paths or {"list": list_path(eid), "floor": floor_path(eid)}
    totals = {name: [0.0, 0.0] for name in paths}
    for path in paths.values():
        client.get(path)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    for _ in range(requests // 10):
        for name, path in paths.items():
            python_before, db_before = time.process_time(), backend_cpu_seconds(pid)
            for _ in range(10):
                client.get(path)
            totals[name][0] += time.process_time() - python_before
            if db_before is not None:
                totals[name][1] += backend_cpu_seconds(pid) - db_before
    return {
        name: {"python_ms": 1000 * python / requests, "postgres_ms": 1000 * db / requests}
        for name, (python, db) in totals.items()
    }


def reset_invitations(blocks: dict) -> None:
    """Put the due block back to `sent` past its 48 hours (and the not-yet-due block to `sent` ahead of them),
    remove what an earlier sweep wrote for them, and compact the tables, so every run sweeps the same state."""
    from django.db import connection, transaction

    from kos_platform import clock

    due_first, due_last = blocks["due"]
    sent_first, sent_last = blocks["sent"]
    params = {"now": clock.now(), "due_first": due_first, "due_last": due_last}
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            """
            UPDATE bindings_invitation
            SET status = 'sent',
                expires_at = %(now)s - interval '1 hour' - (id %% 1440) * interval '1 minute',
                sent_at = %(now)s - interval '49 hours' - (id %% 1440) * interval '1 minute'
            WHERE id BETWEEN %(due_first)s AND %(due_last)s
            """,
            params,
        )
        cursor.execute(
            """
            UPDATE bindings_invitation
            SET status = 'sent',
                expires_at = %(now)s + interval '1 hour' + (id %% 2700) * interval '1 minute',
                sent_at = %(now)s - interval '47 hours' + (id %% 2700) * interval '1 minute'
            WHERE id BETWEEN %(sent_first)s AND %(sent_last)s
            """,
            {"now": params["now"], "sent_first": sent_first, "sent_last": sent_last},
        )
        cursor.execute(
            """
            DELETE FROM accounts_auditevent
            WHERE object_type = 'bindings.invitation' AND action = 'invitation.expired'
              AND object_id::bigint BETWEEN %(due_first)s AND %(due_last)s
            """,
            params,
        )
        cursor.execute(
            """
            DELETE FROM bindings_notification
            WHERE kind = 'invitation_expired' AND invitation_id BETWEEN %(due_first)s AND %(due_last)s
            """,
            params,
        )
    with connection.cursor() as cursor:
        # FULL: without it the indexes grow run after run (97 MB instead of 33 MB for the invitations after three).
        cursor.execute("VACUUM FULL ANALYZE bindings_invitation, accounts_auditevent, bindings_notification")


def sweep(blocks: dict, runs: int) -> dict:
    from django.db import connection

    from bindings.sweeps import expire_due_invitations

    expected = blocks["due"][1] - blocks["due"][0] + 1
    timings, cpu = [], []
    for run in range(1, runs + 1):
        reset_invitations(blocks)
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            pid = cursor.fetchone()[0]
        cpu_before = backend_cpu_seconds(pid)
        started = time.perf_counter()
        swept = expire_due_invitations()
        seconds = time.perf_counter() - started
        if swept != expected:
            raise RuntimeError(f"the sweep expired {swept} invitations, expected {expected}")
        timings.append(seconds)
        cpu.append(backend_cpu_seconds(pid) - cpu_before if cpu_before is not None else None)
        postgres = f" (PostgreSQL CPU {cpu[-1]:.2f} s)" if cpu[-1] is not None else ""
        print(f"bench: sweep run {run}: {swept} invitations in {seconds:.2f} s{postgres}", flush=True)
    return {"invitations": expected, "seconds": statistics.median(timings), "runs": timings, "postgres_cpu": cpu}


# Report ----------------------------------------------------------------------------------------------------------


def machine() -> dict:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name, current_setting(name) FROM unnest(%s::text[]) AS name",
            [["server_version", *POSTGRES_SETTINGS]],
        )
        postgres = dict(cursor.fetchall())
    print(f"bench: PostgreSQL {', '.join(f'{name} {value}' for name, value in sorted(postgres.items()))}")
    return {
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "postgres": postgres.pop("server_version"),
        "postgres_settings": postgres,
        "platform": platform.platform(),
    }


def print_figures(title: str, rows: list[tuple[str, str, str, bool | None]], file_name: str) -> None:
    """The figures as a table, PASS or FAIL against each target (blank for a row that only informs), and the file
    they were written to."""
    widths = [max(len(heading), *(len(row[column]) for row in rows)) for column, heading in
              enumerate((title, "measured", "target"))]  # fmt: skip
    print()
    print(f"{title:<{widths[0]}}  {'measured':<{widths[1]}}  {'target':<{widths[2]}}  result")
    for label, measured, target, passed in rows:
        verdict = "" if passed is None else "PASS" if passed else "FAIL"
        print(f"{label:<{widths[0]}}  {measured:<{widths[1]}}  {target:<{widths[2]}}  {verdict}")
    print(f"\nbench: figures written to {(ARTIFACTS / file_name).relative_to(ROOT)}")


def write_figures(file_name: str, figures: dict, targets: dict) -> None:
    figures["targets"] = targets
    (ARTIFACTS / file_name).write_text(json.dumps(figures, indent=2, ensure_ascii=False, default=str) + "\n")


def all_passed(figures: dict, names: tuple[str, ...]) -> bool:
    """Every one of the named figures that was measured passed."""
    return all(figures[name].get("passed", False) for name in names if name in figures)


def report(figures: dict) -> None:
    rows = []
    if "throughput" in figures:
        data = figures["throughput"]
        measured = f"{data['ratio']:.2f} ({data['list']['rps']:.0f} / {data['floor']['rps']:.0f} req/s)"
        rows.append(("list req/s ÷ floor req/s", measured, f">= {RATIO_TARGET}", data["ratio"] >= RATIO_TARGET))
    data = figures["queries"]
    measured = " / ".join(str(count) for count in data["counts"])
    label = "queries per list request, page size " + "/".join(map(str, PAGE_SIZES))
    rows.append((label, measured, "identical", data["identical"]))
    if "sweep" in figures:
        data = figures["sweep"]
        label = f"sweep of {data['invitations']:,} due invitations"
        rows.append((label, f"{data['seconds']:.2f} s", f"<= {SWEEP_TARGET_SECONDS:g} s", data["passed"]))
    print_figures("figure", rows, "bindings.json")


def main(argv: list[str] | None = None) -> int:
    import analytics_bench
    import campaigns_bench
    import notes_bench  # imports this file as `run`; named so as not to hide the `notes` application

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip-generate", action="store_true", help="reuse the data of the last generator run")
    parser.add_argument("--skip-http", action="store_true", help="leave out the figures served by gunicorn")
    parser.add_argument("--skip-sweep", action="store_true", help="leave out the sweep figure (c)")
    parser.add_argument("--skip-bindings", action="store_true", help="measure the notes only")
    parser.add_argument("--skip-notes", action="store_true", help="leave out the notes figures")
    parser.add_argument("--skip-campaigns", action="store_true", help="leave out the ads and commerce figures")
    parser.add_argument("--skip-analytics", action="store_true", help="leave out the analytics figures")
    parser.add_argument("--duration", type=float, default=3.0, help="seconds per endpoint and round")
    parser.add_argument("--rounds", type=int, default=10, help="A/B rounds")
    parser.add_argument("--concurrency", type=int, default=4, help="client connections")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers")
    parser.add_argument("--port", type=int, default=8099)
    parser.add_argument("--sweep-runs", type=int, default=3, help="the median is reported")
    parser.add_argument(
        "--database-url",
        help="measure on this server's database (its name must hold 'bench', e.g. "
        f"{MACHINE_DATABASE_URL}) instead of on the benchmark's own server (bench/server.py)",
    )
    notes_bench.add_arguments(parser)
    campaigns_bench.add_arguments(parser)
    args = parser.parse_args(argv)

    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # so `finally` stops gunicorn and the server
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with nullcontext(args.database_url) if args.database_url else server.own_server() as database_url:
        os.environ["DATABASE_URL"] = database_url
        return measure(args, notes_bench, campaigns_bench, analytics_bench)


def measure(args, notes_bench, campaigns_bench, analytics_bench) -> int:
    if not args.skip_generate:
        subprocess.run([sys.executable, str(ROOT / "bench" / "generate.py")], check=True)
    dataset = json.loads((ARTIFACTS / "dataset.json").read_text())
    if dataset.get("database") != os.environ["DATABASE_URL"]:
        raise SystemExit(f"bench: the data was generated in {dataset.get('database')}; run without --skip-generate")
    tokens = json.loads((ARTIFACTS / "tokens.json").read_text())
    eid, token = dataset["big_enterprise_id"], dataset["big_enterprise_token"]
    bindings, notes, campaigns = not args.skip_bindings, not args.skip_notes, not args.skip_campaigns
    analytics = not args.skip_analytics
    setup_django()  # before gunicorn too: the notes' ingest prepares and puts back its rows in process

    figures: dict = {
        "server": {"gunicorn": f"{args.workers} sync workers", "bind": f"{HOST}:{args.port}"},
        "load": {"duration_s": args.duration, "rounds": args.rounds, "concurrency": args.concurrency},
        "dataset": {"seed": dataset["seed"], "generated_at": dataset["generated_at"], **dataset["sizes"]},
        "machine": machine(),
    }
    note_figures: dict = {**figures, "dataset": {**figures["dataset"], **dataset.get("notes", {})}}
    note_figures["dataset"].pop("note_id_sample", None)
    ad_figures: dict = {
        **figures,
        "dataset": {**figures["dataset"], **dataset.get("ads", {}), **dataset.get("commerce", {})},
    }
    analytics_figures: dict = {**figures, "dataset": dict(figures["dataset"])}
    if not args.skip_http:
        with gunicorn(args.port, args.workers, ARTIFACTS / "gunicorn.log") as server:
            if bindings:
                figures["throughput"] = throughput(args.port, eid, token, args.duration, args.rounds, args.concurrency)
                data = figures["throughput"]
                data["passed"] = data["ratio"] >= RATIO_TARGET and not (
                    data["list"]["errors"] or data["floor"]["errors"]
                )
            if notes:
                notes_bench.measure_http(note_figures, server, args, dataset, tokens)
            if campaigns:
                campaigns_bench.measure_http(ad_figures, server, args, dataset, tokens)
            if analytics:
                analytics_bench.measure_http(analytics_figures, server, args, dataset, tokens)

    if bindings:
        figures["queries"] = queries_per_page_size(eid, token)
        figures["queries"]["passed"] = figures["queries"]["identical"]
        figures["cpu_per_request"] = cpu_per_request(eid, token)
        for name, cost in figures["cpu_per_request"].items():
            python, postgres = cost["python_ms"], cost["postgres_ms"]
            print(f"bench: {name:<5} CPU per request: Python {python:.1f} ms, PostgreSQL {postgres:.1f} ms")
        if not args.skip_sweep:
            figures["sweep"] = sweep(dataset["invitation_blocks"], args.sweep_runs)
            figures["sweep"]["passed"] = figures["sweep"]["seconds"] <= SWEEP_TARGET_SECONDS
        targets = {
            "list_floor_ratio": RATIO_TARGET,
            "queries": "identical at page sizes " + ", ".join(map(str, PAGE_SIZES)),
            "sweep_seconds": SWEEP_TARGET_SECONDS,
        }
        write_figures("bindings.json", figures, targets)
    if notes:
        notes_bench.measure_in_process(note_figures, dataset)
        notes_bench.write(note_figures)
    if campaigns:
        campaigns_bench.measure_in_process(ad_figures, dataset)
        campaigns_bench.write(ad_figures)
    if analytics:
        analytics_bench.measure_in_process(analytics_figures, dataset)
        analytics_bench.write(analytics_figures)
    if bindings:
        report(figures)
    if notes:
        notes_bench.report(note_figures)
    if campaigns:
        campaigns_bench.report(ad_figures)
    if analytics:
        analytics_bench.report(analytics_figures)
    checks = [figures[name]["passed"] for name in ("throughput", "queries", "sweep") if name in figures]
    if notes:
        checks.append(notes_bench.passed(note_figures))
    if campaigns:
        checks.append(campaigns_bench.passed(ad_figures))
    if analytics:
        checks.append(analytics_bench.passed(analytics_figures))
    return 0 if all(checks) else 1


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        sys.exit("bench: interrupted")
