"""The ads and commerce benchmarks, run by bench/run.py after the notes ones (`make bench`; `--skip-bindings
--skip-notes` for these only):

(a) spend ingest: 100,000 new spend days (backfilled before the generated 90) in 10 POSTs of 10,000 to
    /api/v1/platform/ad-spend/, as many at a time as gunicorn has workers, each batch for its own enterprises (the ad
    platform reports per advertiser; one enterprise's batches queue on its ad account's lock); with the ledger lines,
    the balance checks and the auto-pause; rows/s over the whole wall time; target >= 20,000;
(b) order ingest: 100,000 new orders the same way to /api/v1/platform/orders/, with attribution and commission
    lines; target >= 20,000 rows/s;
(c) the daily advanced-rights evaluation (campaigns.rights.record_changes) over every enterprise with spend (10,000),
    in process: once when every enterprise changes (the first run) and once when none does; target <= 2 s each;
(d) requests per second of the campaign list (`?page_size=20`, the big enterprise's 300 campaigns with their derived
    delivery) against the floor endpoint, as for the other lists; target list/floor >= 0.5; and its queries at page
    sizes 1, 20 and 100, in process; target: identical;
(e) the big enterprise's commission statement of its busiest month (GET commission-statements/?month=), in process,
    median of 5; target <= 1 s.

What (a) and (b) add is removed afterwards, so a rerun on the same data (`--skip-generate`) measures the same work.
Figures go to artifacts/bench/campaigns.json.
"""

import json
import random
import statistics
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta

from notes_bench import guarded, post
from run import (
    PAGE_SIZES,
    all_passed,
    floor_path,
    print_figures,
    queries_per_page_size,
    throughput,
    write_figures,
)

INGEST_TARGET_ROWS_PER_S = 20_000
RIGHTS_TARGET_SECONDS = 2.0
RATIO_TARGET = 0.5
STATEMENT_TARGET_SECONDS = 1.0
BATCH = 10_000
SPEND_PATH = "/api/v1/platform/ad-spend/"
ORDERS_PATH = "/api/v1/platform/orders/"
BACKFILL_FIRST_DAY = 91  # days before today: the generator's spend covers the 90 before


def campaigns_path(eid: int, page_size: int = 20) -> str:
    return f"/api/v1/enterprises/{eid}/campaigns/?page_size={page_size}"


def add_arguments(parser) -> None:
    parser.add_argument("--ads-requests", type=int, default=10, help="POSTs of 10,000 spend and order rows (ads)")


# Over HTTP: (a), (b), (d) -----------------------------------------------------------------------------------------


def measure_http(figures: dict, server, args, dataset: dict, tokens: dict) -> None:
    eid, token = dataset["big_enterprise_id"], dataset["big_enterprise_token"]
    platform = tokens["platform"]["0"]
    guarded(figures, "spend_ingest", spend_ingest, args.port, platform, dataset, args.ads_requests, args.workers)
    guarded(figures, "order_ingest", order_ingest, args.port, platform, dataset, args.ads_requests, args.workers)
    endpoints = {"list": campaigns_path(eid), "floor": floor_path(eid)}
    guarded(figures, "throughput", campaign_throughput, args, eid, token, endpoints)


def campaign_throughput(args, eid: int, token: str, endpoints: dict) -> dict:
    data = throughput(args.port, eid, token, args.duration, args.rounds, args.concurrency, endpoints, "campaigns")
    data["passed"] = data["ratio"] >= RATIO_TARGET and not sum(data[name]["errors"] for name in endpoints)
    return data


def send_all(port: int, path: str, token: str, batches: list[list[dict]], concurrency: int) -> dict:
    """POST the batches (JSON encoded beforehand), `concurrency` at a time; rows/s over the wall time of them all."""
    bodies = [json.dumps(batch).encode() for batch in batches]

    def send(numbered):
        number, body = numbered
        sent = time.perf_counter()
        status, answer = post(port, path, token, body)
        took = time.perf_counter() - sent
        if not 200 <= status < 300:
            raise RuntimeError(f"POST {path} (batch {number}) answered {status}: {answer[:2000]!r}")
        print(f"bench: {path} batch {number}: {took:.2f} s, {answer[:140].decode(errors='replace')}", flush=True)
        return took

    began = time.perf_counter()
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        timings = list(pool.map(send, enumerate(bodies, start=1)))
    seconds = time.perf_counter() - began
    rows = sum(len(batch) for batch in batches)
    return {"rows": rows, "requests": len(bodies), "seconds": seconds, "rows_per_s": rows / seconds,
            "request_seconds": timings, "concurrency": concurrency}  # fmt: skip


def spend_batches(dataset: dict, requests: int, concurrency: int) -> list[list[dict]]:
    """requests × 10,000 new days of spend of the pushed notes, before the generated ones; the enterprises are split
    into `concurrency` groups and each batch holds one group's rows, so batches sent together lock distinct accounts."""
    from django.db import connection

    from kos_platform import clock

    rng = random.Random(f"{dataset['seed']}:spend-bench")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT p.enterprise_id, n.note_id FROM notes_notepush p JOIN notes_note n ON n.id = p.note_id "
            "ORDER BY p.enterprise_id, p.id"
        )
        pushed = cursor.fetchall()
    enterprises = sorted({eid for eid, _ in pushed})
    groups = [set(enterprises[g::concurrency]) for g in range(concurrency)]
    today = clock.local_today()
    per_group = [[(eid, note) for eid, note in pushed if eid in group] for group in groups]
    batches = []
    day_of = [BACKFILL_FIRST_DAY] * concurrency
    for number in range(requests):
        g = number % concurrency
        rows = []
        while len(rows) < BATCH:
            for eid, note_id in per_group[g]:
                rows.append(
                    {
                        "enterprise_id": eid,
                        "note_id": note_id,
                        "date": (today - timedelta(days=day_of[g])).isoformat(),
                        "amount": f"{rng.randint(100, 9000) / 100:.2f}",
                        "impressions": rng.randint(100, 9000),
                        "clicks": rng.randint(1, 300),
                        "component_clicks": {"dm": rng.randint(0, 9)},
                    }
                )
                if len(rows) == BATCH:
                    break
            day_of[g] += 1
        batches.append(rows)
    return batches


def spend_ingest(port: int, token: str, dataset: dict, requests: int, concurrency: int) -> dict:
    from kos_platform import clock

    batches = spend_batches(dataset, requests, concurrency)
    started_at = clock.now()
    oldest = min(row["date"] for batch in batches for row in batch)
    print(f"bench: spend ingest of {sum(map(len, batches)):,} new days back to {oldest}", flush=True)
    try:
        send_all(port, SPEND_PATH, token, [b[:100] for b in batches[:concurrency]], concurrency)  # warm-up
        result = send_all(port, SPEND_PATH, token, batches, concurrency)
        result["ledger_exact"] = ledger_exact()
    finally:
        restore_spend(started_at, oldest)
    result["passed"] = result["rows_per_s"] >= INGEST_TARGET_ROWS_PER_S and result["ledger_exact"]
    return result


def ledger_exact() -> bool:
    """Every ad account's balance is the sum of its ledger lines, and recharges less spend."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM campaigns_adaccount a LEFT JOIN (SELECT account_id, sum(amount) AS total "
            "FROM campaigns_ledgerline GROUP BY account_id) l ON l.account_id = a.enterprise_id "
            "WHERE a.balance <> coalesce(l.total, 0) OR a.balance <> a.recharged_total - a.spent_total"
        )
        drifting = cursor.fetchone()[0]
    print(f"bench: ledger check: {drifting} accounts drift from their ledger", flush=True)
    return drifting == 0


def restore_spend(since: datetime, oldest: str) -> None:
    """Remove the backfilled days, the ledger lines and audit records of the run; balances from the ledger again."""
    from django.db import connection, transaction

    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM campaigns_adspenddaily WHERE date >= %s AND date <= current_date - %s",
            [oldest, BACKFILL_FIRST_DAY],
        )
        cursor.execute("DELETE FROM campaigns_ledgerline WHERE at >= %s", [since])
        cursor.execute(
            "UPDATE campaigns_adaccount a SET balance = l.total, spent_total = a.recharged_total - l.total "
            "FROM (SELECT account_id, sum(amount) AS total FROM campaigns_ledgerline GROUP BY account_id) l "
            "WHERE l.account_id = a.enterprise_id AND a.balance <> l.total"
        )
        cursor.execute("DELETE FROM accounts_auditevent WHERE action = 'ad_spend.synced' AND at >= %s", [since])
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE campaigns_adspenddaily, campaigns_ledgerline, campaigns_adaccount")


def order_batches(dataset: dict, requests: int, concurrency: int) -> list[list[dict]]:
    """requests × 10,000 new orders by bound accounts, each batch for its own enterprises (as for the spend)."""
    from django.db import connection

    from kos_platform import clock

    rng = random.Random(f"{dataset['seed']}:orders-bench")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT b.enterprise_id, r.red_id FROM bindings_binding b JOIN accounts_redaccount r "
            "ON r.id = b.red_account_id WHERE b.status = 'active' AND b.enterprise_id IN "
            "(SELECT DISTINCT enterprise_id FROM campaigns_product)"
        )
        bound = cursor.fetchall()
        cursor.execute("SELECT enterprise_id, product_id FROM campaigns_product")
        products: dict[int, list[str]] = {}
        for eid, product_id in cursor.fetchall():
            products.setdefault(eid, []).append(product_id)
    enterprises = sorted({eid for eid, _ in bound})
    groups = [[(eid, red) for eid, red in bound if eid in set(enterprises[g::concurrency])] for g in range(concurrency)]
    now = clock.now()
    number = dataset["commerce"]["last_order_number"]
    batches = []
    for request in range(requests):
        rows = []
        for _ in range(BATCH):
            eid, red_id = rng.choice(groups[request % concurrency])
            number += 1
            row = {
                "order_id": f"B{number:09d}",
                "enterprise_id": eid,
                "red_id": red_id,
                "channel": rng.choice(("note", "dm", "group_chat", "live")),
                "amount": f"{rng.randint(990, 59900) / 100:.2f}",
                "paid_at": (now - timedelta(days=rng.uniform(0.01, 20))).isoformat(),
            }
            if rng.random() < 0.7:
                row["product_id"] = rng.choice(products[eid])
            rows.append(row)
        batches.append(rows)
    return batches


def order_ingest(port: int, token: str, dataset: dict, requests: int, concurrency: int) -> dict:
    from kos_platform import clock

    batches = order_batches(dataset, requests, concurrency)
    started_at = clock.now()
    try:
        send_all(port, ORDERS_PATH, token, [b[:100] for b in batches[:concurrency]], concurrency)  # warm-up
        result = send_all(port, ORDERS_PATH, token, batches, concurrency)
    finally:
        restore_orders(started_at)
    result["passed"] = result["rows_per_s"] >= INGEST_TARGET_ROWS_PER_S
    return result


def restore_orders(since: datetime) -> None:
    from django.db import connection, transaction

    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM campaigns_commissionline WHERE order_id IN "
            "(SELECT id FROM campaigns_order WHERE order_id LIKE 'B%%')"
        )
        cursor.execute("DELETE FROM campaigns_order WHERE order_id LIKE 'B%%'")
        cursor.execute("DELETE FROM accounts_auditevent WHERE action = 'orders.synced' AND at >= %s", [since])
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE campaigns_order, campaigns_commissionline")


# In process: (c), (d) queries, (e) -------------------------------------------------------------------------------


def measure_in_process(figures: dict, dataset: dict) -> None:
    eid, token = dataset["big_enterprise_id"], dataset["big_enterprise_token"]
    guarded(figures, "rights", rights_evaluation)
    guarded(figures, "queries", campaign_queries, eid, token)
    guarded(figures, "statement", statement, eid, token, dataset["commerce"]["big_busiest_month"])


def rights_evaluation() -> dict:
    """The job with every enterprise changing (no state recorded yet), then again with none changing."""
    from django.db import connection, transaction

    from campaigns.rights import record_changes

    def reset():
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("DELETE FROM campaigns_advancedrightsstate")
            cursor.execute("DELETE FROM bindings_notification WHERE kind LIKE 'advanced_rights_%%'")
            cursor.execute("DELETE FROM accounts_auditevent WHERE action LIKE 'advanced_rights.%%'")
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE campaigns_advancedrightsstate, bindings_notification, accounts_auditevent")

    with connection.cursor() as cursor:
        cursor.execute("SELECT count(DISTINCT enterprise_id) FROM campaigns_adspenddaily")
        enterprises = cursor.fetchone()[0]
    reset()
    started = time.perf_counter()
    changed = record_changes()
    first = time.perf_counter() - started
    started = time.perf_counter()
    again = record_changes()
    steady = time.perf_counter() - started
    print(
        f"bench: advanced rights over {enterprises:,} enterprises with spend: {changed:,} changes in {first:.2f} s, "
        f"then {again} in {steady:.2f} s",
        flush=True,
    )
    reset()
    return {
        "enterprises": enterprises,
        "changes": changed,
        "first_seconds": first,
        "steady_seconds": steady,
        "passed": max(first, steady) <= RIGHTS_TARGET_SECONDS and again == 0,
    }


def campaign_queries(eid: int, token: str) -> dict:
    data = queries_per_page_size(eid, token, campaigns_path)
    data["passed"] = data["identical"]
    return data


def statement(eid: int, token: str, month: str) -> dict:
    from django.test import Client

    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    path = f"/api/v1/enterprises/{eid}/commission-statements/?month={month}&page_size=100"
    client.get(path)
    timings = []
    for _ in range(5):
        started = time.perf_counter()
        response = client.get(path)
        timings.append(time.perf_counter() - started)
        if response.status_code != 200:
            raise RuntimeError(f"GET {path} answered {response.status_code}: {response.content[:300]!r}")
    body = response.json()
    rows = body.get("count", len(body.get("results", body if isinstance(body, list) else [])))
    seconds = statistics.median(timings)
    print(f"bench: statement {month} of enterprise #{eid}: {rows} accounts in {seconds:.3f} s", flush=True)
    return {"month": month, "accounts": rows, "seconds": seconds, "runs": timings,
            "passed": seconds <= STATEMENT_TARGET_SECONDS}  # fmt: skip


# Report ------------------------------------------------------------------------------------------------------------


def report(figures: dict) -> None:
    rows: list[tuple[str, str, str, bool | None]] = []

    def add(label: str, name: str, target: str, measured) -> None:
        data = figures.get(name)
        if data is None:
            return
        if "error" in data:
            rows.append((label, "error: " + data["error"][:60], target, False))
        else:
            rows.append((label, measured(data), target, data["passed"]))

    ingest = "{rows_per_s:,.0f} ({rows:,} rows in {seconds:.2f} s, {concurrency} at a time)"
    add("spend ingest rows/s", "spend_ingest", f">= {INGEST_TARGET_ROWS_PER_S:,}", lambda d: ingest.format(**d))
    add("order ingest rows/s", "order_ingest", f">= {INGEST_TARGET_ROWS_PER_S:,}", lambda d: ingest.format(**d))
    add(
        "advanced rights, every enterprise",
        "rights",
        f"<= {RIGHTS_TARGET_SECONDS:g} s",
        lambda d: (
            f"{d['first_seconds']:.2f} s / {d['steady_seconds']:.2f} s ({d['enterprises']:,}, {d['changes']:,} "
            "changes / none)"
        ),
    )
    add(
        "campaign list req/s ÷ floor req/s",
        "throughput",
        f">= {RATIO_TARGET}",
        lambda d: f"{d['ratio']:.2f} ({d['list']['rps']:.0f} / {d['floor']['rps']:.0f} req/s)",
    )
    add(
        "queries per campaign list request, page size " + "/".join(map(str, PAGE_SIZES)),
        "queries",
        "identical",
        lambda d: " / ".join(str(count) for count in d["counts"]),
    )
    add(
        "commission statement, busiest month",
        "statement",
        f"<= {STATEMENT_TARGET_SECONDS:g} s",
        lambda d: f"{d['seconds']:.3f} s ({d['accounts']:,} accounts, {d['month']})",
    )
    if not rows:
        return
    print_figures("ads and commerce figure", rows, "campaigns.json")


def passed(figures: dict) -> bool:
    return all_passed(figures, ("spend_ingest", "order_ingest", "rights", "throughput", "queries", "statement"))


def write(figures: dict) -> None:
    targets = {
        "ingest_rows_per_s": INGEST_TARGET_ROWS_PER_S,
        "rights_seconds": RIGHTS_TARGET_SECONDS,
        "list_floor_ratio": RATIO_TARGET,
        "statement_seconds": STATEMENT_TARGET_SECONDS,
    }
    write_figures("campaigns.json", figures, targets)
