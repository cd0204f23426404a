"""Deterministic benchmark data: drops and recreates the bench database, migrates it, fills it with PostgreSQL COPY.

    .venv/bin/python bench/generate.py [--seed 2026] [--scale 1.0]

The database comes from DATABASE_URL (default postgres://postgres@127.0.0.1:5432/kos_bench); its name must
contain "bench", because every run drops it. Random choices come from one seeded generator; timestamps are
relative to the moment of the run, so the timed rules (48-hour acceptance) see the same picture every time.

Written beside the data, under artifacts/bench/ (ignored by git):
- tokens.json: the raw Bearer token (a user token) of each enterprise's operator, each agency's staff member and
  the platform reviewer;
- dataset.json: the counts, the big enterprise, and the id ranges of the invitation blocks the sweep uses.
"""

import argparse
import hashlib
import itertools
import json
import os
import random
import subprocess
import sys
import time
from collections.abc import Iterable
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "artifacts" / "bench"
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/kos_bench"
SEED = 2026

# Sizes at --scale 1.
ENTERPRISES = 200
AGENCIES = 20
REPORTS_PER_AGENCY = 10
RED_ACCOUNTS = 100_000
LIVE_BINDINGS = 60_000
ENDED_BINDINGS = 15_000
BIG_LIVE_BINDINGS = 3_000  # of LIVE_BINDINGS, in the first enterprise
BIG_ENDED_BINDINGS = 600  # of ENDED_BINDINGS, in the first enterprise
DUE_INVITATIONS = 100_000  # sent, past expires_at: the sweep's work
SENT_INVITATIONS = 5_000  # sent, not yet due
PENDING_INVITATIONS = 5_000  # awaiting platform review
CLOSED_INVITATIONS = 40_000  # accepted, declined, expired, cancelled, rejected
AUDIT_EVENTS = 50_000  # history unrelated to the sweep
NOTIFICATIONS = 30_000

# Notes (the notes issue).
NOTES = 500_000
NOTE_METRICS = 5_000_000  # daily rows, exactly this many: ~10 per note, 1 to 20 consecutive days each
BIG_NOTES_PER_ACCOUNT = 40  # each live-bound account of the big enterprise: 3,000 × 40 = 120,000 notes
UNBOUND_NOTE_SHARE = 0.10  # of the notes outside the big enterprise: authors without a live binding
NOTE_DAYS = 180  # published_at spreads over this many days before the run
NOTE_REVIEWS = 3_000  # submissions of the big enterprise's notes over the last REVIEW_DAYS, resubmissions included
REVIEW_DAYS = 90
REVIEW_MONTH_CAP = 950  # submissions per month stay under the 1,000 quota (N04), leaving room for the tests
NOTE_PUSHES = 300
NOTE_BOOSTS = 200
NOTE_ID_SAMPLE = 500  # note IDs written to dataset.json for ingest tests
# Ads and commerce
PUSHES_PER_ENTERPRISE = 20  # notes pushed to ads by each enterprise but the big one (which has NOTE_PUSHES)
SPEND_DAYS = 90  # every pushed note's daily spend, through the spend ingest
BIG_CAMPAIGNS = 300  # the big enterprise's campaigns, each with a unit; a third of them started
RIGHTS_ENTERPRISES = 10_000  # enterprises with a month of spend, for the daily advanced-rights evaluation
RIGHTS_DAYS = 30
BIG_PRODUCTS = 1_000
PRODUCTS_PER_ENTERPRISE = 20
ORDERS = 500_000
BIG_ORDERS = 150_000  # of ORDERS, the big enterprise's: its month holds ~25,000
ORDER_DAYS = 180
INGEST_BATCH = 10_000
TITLE_OPENERS = ["周末", "下班后", "第一次", "终于", "真心推荐", "闭眼入", "打工人", "宝藏", "小众", "本地人"]
TITLE_TOPICS = ["探店", "打卡", "测评", "好物分享", "护肤心得", "穿搭", "早餐", "咖啡", "火锅", "露营"]
TITLE_TOPICS += ["门店体验", "新品试用", "亲子游", "健身餐", "甜品", "一日游"]
TITLE_ENDINGS = ["｜真的绝了", "！", "", "，姐妹们冲", "～", "｜附攻略", "｜不踩雷", "（超详细）", "分享", "合集"]
REJECT_REASONS = ["内容与品牌无关", "含有违反社区规范的内容", "图片质量不符合要求", "未体现品牌信息", "疑似搬运内容"]

ID_NUMBERS = 20_000  # distinct ID numbers, each encrypted once (~30 µs) and reused by ~11 holder rows
PROOF = "proofs/bench-proof.pdf"  # no file behind it: the list never opens proofs
CITIES = ["上海", "北京", "广州", "深圳", "杭州", "成都", "重庆", "武汉", "南京", "西安", "苏州", "天津"]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂"


def bench_token(seed: int, kind: str, number: int) -> str:
    """A raw Bearer key that the same seed always gives back."""
    return "kos_bench_" + hashlib.sha256(f"{seed}:{kind}:{number}".encode()).hexdigest()[:32]


def database_config(url: str) -> dict:
    import environ

    return environ.Env.db_url_config(url)


def recreate_database(url: str) -> None:
    """DROP … WITH (FORCE) and CREATE, from the maintenance database of the same server."""
    import psycopg
    from psycopg import sql

    config = database_config(url)
    name = config["NAME"]
    if "bench" not in name:
        raise SystemExit(f"Refusing to drop database {name!r}: a bench database name contains 'bench'.")
    with psycopg.connect(
        dbname="postgres",
        host=config.get("HOST") or None,
        port=config.get("PORT") or None,
        user=config.get("USER") or None,
        password=config.get("PASSWORD") or None,
        autocommit=True,
    ) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def migrate(url: str) -> None:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "kos_platform.settings.test", "DATABASE_URL": url}
    subprocess.run([sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True)


def scaled(value: int, scale: float) -> int:
    return max(1, round(value * scale))


def lap(what: str, started: float) -> None:
    print(f"generate:   {what} ({time.perf_counter() - started:.1f} s)", flush=True)


def drop_keys_and_indexes(tables: list[str]) -> list[str]:
    """Drop every index of the tables, with their primary keys, unique constraints and the foreign keys from or
    to them, so COPY writes bare heaps; return the statements that put all of it back (indexes, keys, then
    foreign keys, which each validate in one pass)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT c.contype, format('ALTER TABLE %%s DROP CONSTRAINT %%I', c.conrelid::regclass, c.conname),
                   format('ALTER TABLE %%s ADD CONSTRAINT %%I %%s', c.conrelid::regclass, c.conname,
                          pg_get_constraintdef(c.oid))
            FROM pg_constraint c
            WHERE (c.contype IN ('p', 'u') AND c.conrelid = ANY(%(tables)s::regclass[]))
               OR (c.contype = 'f' AND (c.conrelid = ANY(%(tables)s::regclass[])
                                        OR c.confrelid = ANY(%(tables)s::regclass[])))
            """,
            {"tables": tables},
        )
        constraints = cursor.fetchall()
        cursor.execute(
            """
            SELECT format('DROP INDEX %%s', i.indexrelid::regclass), pg_get_indexdef(i.indexrelid)
            FROM pg_index i
            WHERE i.indrelid = ANY(%(tables)s::regclass[])
              AND NOT EXISTS (SELECT 1 FROM pg_constraint c
                              WHERE c.conindid = i.indexrelid AND c.contype IN ('p', 'u', 'x'))
            """,
            {"tables": tables},
        )
        indexes = cursor.fetchall()
        foreign = [(drop, add) for kind, drop, add in constraints if kind == "f"]
        keys = [(drop, add) for kind, drop, add in constraints if kind != "f"]
        for drop, _ in [*foreign, *keys, *indexes]:
            cursor.execute(drop)
    return [add for _, add in [*indexes, *keys, *foreign]]


class Generator:
    """Builds the rows table by table; every id is chosen here so foreign keys need no look-ups."""

    def __init__(self, seed: int, scale: float):
        from django.utils import timezone

        from kos_platform.pii import protect_id_number
        from kos_platform.validators import resident_id_check_char

        self.seed = seed
        self.rng = random.Random(seed)
        self.now = timezone.now()
        self.sizes = {
            "enterprises": ENTERPRISES,
            "agencies": AGENCIES,
            "red_accounts": scaled(RED_ACCOUNTS, scale),
            "live_bindings": scaled(LIVE_BINDINGS, scale),
            "ended_bindings": scaled(ENDED_BINDINGS, scale),
            "big_live_bindings": BIG_LIVE_BINDINGS,
            "big_ended_bindings": BIG_ENDED_BINDINGS,
            "due_invitations": scaled(DUE_INVITATIONS, scale),
            "sent_invitations": scaled(SENT_INVITATIONS, scale),
            "pending_invitations": scaled(PENDING_INVITATIONS, scale),
            "closed_invitations": scaled(CLOSED_INVITATIONS, scale),
            "audit_events": scaled(AUDIT_EVENTS, scale),
            "notifications": scaled(NOTIFICATIONS, scale),
            "notes": scaled(NOTES, scale),
            "note_metrics": scaled(NOTE_METRICS, scale),
            "big_notes_per_account": scaled(BIG_NOTES_PER_ACCOUNT, scale),
            "note_reviews": scaled(NOTE_REVIEWS, scale),
            "note_pushes": scaled(NOTE_PUSHES, scale),
            "note_boosts": scaled(NOTE_BOOSTS, scale),
            "rights_enterprises": scaled(RIGHTS_ENTERPRISES, scale),
            "orders": scaled(ORDERS, scale),
            "big_orders": scaled(BIG_ORDERS, scale),
        }
        first_day = date(1970, 1, 1)
        first17 = [f"310101{first_day + timedelta(days=n % 12_000):%Y%m%d}{n // 12_000:03d}" for n in range(ID_NUMBERS)]
        self.id_numbers = [protect_id_number(digits + resident_id_check_char(digits)) for digits in first17]
        self.meta: dict = {"seed": seed, "scale": scale, "generated_at": self.now.isoformat(), "sizes": self.sizes}
        self.tokens: dict = {"enterprises": {}, "agencies": {}, "platform": {}}

    # Helpers -------------------------------------------------------------------------------------------------

    def ago(self, max_days: float, min_days: float = 0.0):
        return self.now - timedelta(days=self.rng.uniform(min_days, max_days))

    def holder(self) -> dict:
        """The holder fields of an invitation or a binding."""
        from bindings.choices import Position

        rng = self.rng
        protected = rng.choice(self.id_numbers)
        return {
            "name": rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(("", rng.choice(GIVEN))),
            "id_number_encrypted": protected.encrypted,
            "id_number_index": protected.index,
            "id_number_masked": protected.masked,
            "position": rng.choice(Position.values),
            "region": rng.choice(CITIES),
            "proof": PROOF,
            "proof_content_type": "application/pdf",
        }

    @staticmethod
    def copy(model, rows: Iterable[dict], freeze: bool = False) -> int:
        """COPY the rows into the model's table. Every row has the same keys, attribute names (`enterprise_id`),
        which must cover the NOT NULL columns: COPY applies no Django default. `freeze` (the table was truncated
        in this transaction) writes the rows frozen, so the VACUUM after the load has nothing to do."""
        from django.db import connection

        rows = iter(rows)
        first = next(rows, None)
        if first is None:
            return 0
        fields = list(first)
        columns = ", ".join(f'"{model._meta.get_field(name).column}"' for name in fields)
        options = " WITH (FREEZE)" if freeze else ""
        count = 0
        with connection.cursor() as django_cursor:
            cursor = django_cursor.cursor  # the psycopg 3 cursor under Django's wrapper
            with cursor.copy(f'COPY "{model._meta.db_table}" ({columns}) FROM STDIN{options}') as copy:
                for row in itertools.chain([first], rows):
                    copy.write_row([row[name] for name in fields])
                    count += 1
        return count

    # Tables --------------------------------------------------------------------------------------------------

    def tenants(self) -> None:
        """Enterprises with an owner and an operator each (the operator holds a user token); agencies, their
        staff (with a token) and the enterprises that reported them."""
        from accounts.choices import ApiKeyScope, Industry, Role
        from accounts.models import Agency, AgencyMembership, AgencyReport, ApiKey, Enterprise, Membership, User
        from kos_platform.authentication import hash_key

        rng = self.rng
        today = self.now.date()
        enterprises = Enterprise.objects.bulk_create(
            Enterprise(
                name=f"基准品牌{number:03d}",
                industry=rng.choice(Industry.values),
                certified=True,
                annual_review_valid_until=today + timedelta(days=rng.randint(30, 365)),
                store_count=rng.randint(1, 500),
                kos_permission_granted_at=self.ago(400, 200),
            )
            for number in range(1, ENTERPRISES + 1)
        )
        self.enterprise_ids = [enterprise.pk for enterprise in enterprises]
        users, memberships, keys = [], [], []
        for number, enterprise in enumerate(enterprises, start=1):
            owner = User(username=f"bench-owner-{number}", password="!", display_name=f"老板{number}")
            operator = User(username=f"bench-operator-{number}", password="!", display_name=f"运营{number}")
            users += [owner, operator]
            memberships += [(owner, enterprise, Role.OWNER), (operator, enterprise, Role.OPERATOR)]
            keys.append(("enterprises", enterprise.pk, operator))
        agencies = Agency.objects.bulk_create(
            Agency(name=f"基准代理商{number:02d}") for number in range(1, AGENCIES + 1)
        )
        staff = []
        for number, agency in enumerate(agencies, start=1):
            user = User(username=f"bench-agency-{number}", password="!", display_name=f"代理{number}")
            users.append(user)
            staff.append((user, agency))
            keys.append(("agencies", agency.pk, user))
        reviewer = User(username="bench-staff", password="!", display_name="平台审核", is_staff=True)
        users.append(reviewer)
        keys.append(("platform", 0, reviewer))
        User.objects.bulk_create(users)
        self.operators = {enterprise.pk: operator.pk for operator, enterprise, _ in memberships[1::2]}
        self.reviewer = reviewer.pk
        Membership.objects.bulk_create(
            Membership(user=user, enterprise=enterprise, role=role) for user, enterprise, role in memberships
        )
        AgencyMembership.objects.bulk_create(AgencyMembership(user=user, agency=agency) for user, agency in staff)
        AgencyReport.objects.bulk_create(
            AgencyReport(enterprise=enterprise, agency=agency, created_by=None)
            for agency in agencies
            for enterprise in rng.sample(enterprises, REPORTS_PER_AGENCY)
        )
        api_keys = []
        for kind, target, user in keys:
            raw = bench_token(self.seed, kind, target)
            self.tokens[kind][str(target)] = raw
            api_keys.append(
                ApiKey(
                    name="bench token",
                    scope=ApiKeyScope.USER,
                    prefix=raw[:12],
                    key_hash=hash_key(raw),
                    user=user,
                    created_by=user,
                    last_used_at=None,
                )
            )
        ApiKey.objects.bulk_create(api_keys)
        self.big_enterprise = self.enterprise_ids[0]
        self.meta["big_enterprise_id"] = self.big_enterprise
        self.meta["big_enterprise_token"] = self.tokens["enterprises"][str(self.big_enterprise)]

    def red_accounts(self) -> None:
        from accounts.models import RedAccount

        rng = self.rng

        def rows():
            for pk in range(1, self.sizes["red_accounts"] + 1):
                created = self.ago(900, 30)
                yield {
                    "id": pk,
                    "red_id": f"bench{pk:07d}",
                    "nickname": f"小红薯{pk:07d}",
                    "followers": int(rng.paretovariate(1.2) * 50) % 200_000,
                    "has_shop": rng.random() < 0.02,
                    "is_creator": rng.random() < 0.03,
                    "is_enterprise_account": False,
                    "has_violation": rng.random() < 0.01,
                    "real_name_verified": True,
                    "real_name": "",
                    "id_number_encrypted": "",
                    "id_number_index": "",
                    "id_number_masked": "",
                    "phone_bound": True,
                    "user_id": None,
                    "created_at": created,
                    "updated_at": created,
                }

        self.copy(RedAccount, rows())

    def bindings(self) -> None:
        """Live bindings on distinct accounts (one live binding per account) and ended ones on any account; the
        first enterprise holds BIG_* of them, the others share the rest with a long-tailed spread."""
        from bindings.choices import BindingStatus, EndReason, Mode
        from bindings.models import Binding

        rng = self.rng
        others = self.enterprise_ids[1:]
        weights = [1 / (rank + 1) ** 0.5 for rank in range(len(others))]  # long tail, none above the big one
        live, ended = self.sizes["live_bindings"], self.sizes["ended_bindings"]
        big_live, big_ended = min(BIG_LIVE_BINDINGS, live), min(BIG_ENDED_BINDINGS, ended)
        live_owners = [self.big_enterprise] * big_live + rng.choices(others, weights, k=live - big_live)
        ended_owners = [self.big_enterprise] * big_ended + rng.choices(others, weights, k=ended - big_ended)
        live_accounts = rng.sample(range(1, self.sizes["red_accounts"] + 1), live)
        self.live_bindings: dict[int, tuple[int, object]] = {}  # account → (enterprise, effective_at), for the notes

        def binding(pk, enterprise, account, status, effective, **fields):
            return {
                "id": pk,
                **self.holder(),
                "enterprise_id": enterprise,
                "red_account_id": account,
                "mode": rng.choice(Mode.values),
                "status": status,
                "invitation_id": None,
                "effective_at": effective,
                "frozen_at": None,
                "ended_at": None,
                "end_reason": "",
                "ended_by_id": None,
                **fields,
            }

        def rows():
            pk = 0
            for enterprise, account in zip(live_owners, live_accounts, strict=True):
                pk += 1
                effective = self.ago(700)
                self.live_bindings[account] = (enterprise, effective)
                if rng.random() < 0.04:
                    frozen_at = effective + (self.now - effective) * rng.random()
                    yield binding(pk, enterprise, account, BindingStatus.FROZEN, effective, frozen_at=frozen_at)
                else:
                    yield binding(pk, enterprise, account, BindingStatus.ACTIVE, effective)
            for enterprise in ended_owners:
                pk += 1
                effective = self.ago(900, 60)
                reason = rng.choice(EndReason.values)
                yield binding(
                    pk,
                    enterprise,
                    rng.randint(1, self.sizes["red_accounts"]),
                    BindingStatus.ENDED,
                    effective,
                    ended_at=effective + timedelta(days=rng.uniform(30, (self.now - effective).days)),
                    end_reason=reason,
                    ended_by_id={
                        EndReason.UNBOUND_BY_ENTERPRISE: self.operators[enterprise],
                        EndReason.REMOVED_FOR_VIOLATION: self.reviewer,
                    }.get(reason),
                )

        self.copy(Binding, rows())

    def invitations(self) -> None:
        """Blocks in id order: due (sent, past expires_at), sent and not due, pending review, closed. Open ones
        (the first three) take distinct (enterprise, account) pairs, as the I08 constraint requires."""
        from bindings.choices import InvitationStatus, Mode
        from bindings.models import Invitation

        rng = self.rng
        sizes = self.sizes
        accounts = sizes["red_accounts"]
        open_count = sizes["due_invitations"] + sizes["sent_invitations"] + sizes["pending_invitations"]
        pairs = rng.sample(range(len(self.enterprise_ids) * accounts), open_count)
        blocks = {}

        def row(pk, enterprise, account, status, created, **fields):
            reviewed = status != InvitationStatus.PENDING_REVIEW
            return {
                "id": pk,
                **self.holder(),
                "enterprise_id": enterprise,
                "red_account_id": account,
                "mode": rng.choice(Mode.values),
                "status": status,
                "commitment_signed": True,
                "agreement_signed": True,
                "rebind_of_id": None,
                "created_by_id": self.operators[enterprise],
                "via_agency_id": None,
                "created_at": created,
                "reviewed_by_id": self.reviewer if reviewed else None,
                "reviewed_at": fields.get("sent_at", created + timedelta(hours=1)) if reviewed else None,
                "review_reason": "",
                "sent_at": None,
                "expires_at": None,
                "responded_at": None,
                "cancelled_at": None,
                **fields,
            }

        def rows():
            pk = 0
            open_pairs = iter(pairs)

            def next_open():
                enterprise_index, account = divmod(next(open_pairs), accounts)
                return self.enterprise_ids[enterprise_index], account + 1

            start = pk + 1
            for _ in range(sizes["due_invitations"]):
                pk += 1
                expires_at = self.ago(20, 1 / 24)
                sent_at = expires_at - timedelta(hours=48)
                created = sent_at - timedelta(hours=2)
                yield row(pk, *next_open(), InvitationStatus.SENT, created, sent_at=sent_at, expires_at=expires_at)
            blocks["due"] = [start, pk]
            start = pk + 1
            for _ in range(sizes["sent_invitations"]):
                pk += 1
                expires_at = self.now + timedelta(hours=rng.uniform(1, 47))
                sent_at = expires_at - timedelta(hours=48)
                created = sent_at - timedelta(hours=2)
                yield row(pk, *next_open(), InvitationStatus.SENT, created, sent_at=sent_at, expires_at=expires_at)
            blocks["sent"] = [start, pk]
            start = pk + 1
            for _ in range(sizes["pending_invitations"]):
                pk += 1
                yield row(pk, *next_open(), InvitationStatus.PENDING_REVIEW, self.ago(3))
            blocks["pending_review"] = [start, pk]
            start = pk + 1
            closed = [
                InvitationStatus.ACCEPTED,
                InvitationStatus.DECLINED,
                InvitationStatus.EXPIRED,
                InvitationStatus.CANCELLED,
                InvitationStatus.REJECTED,
            ]
            for _ in range(sizes["closed_invitations"]):
                pk += 1
                status = rng.choices(closed, weights=[15, 8, 10, 4, 3])[0]
                enterprise = rng.choice(self.enterprise_ids)
                account = rng.randint(1, accounts)
                created = self.ago(700, 3)
                if status == InvitationStatus.REJECTED:
                    yield row(pk, enterprise, account, status, created, review_reason="资料不全")
                    continue
                sent_at = created + timedelta(hours=rng.uniform(1, 24))
                answered = sent_at + timedelta(hours=rng.uniform(0.1, 47))
                times = {"sent_at": sent_at, "expires_at": sent_at + timedelta(hours=48)}
                if status == InvitationStatus.CANCELLED:
                    times["cancelled_at"] = answered
                elif status != InvitationStatus.EXPIRED:
                    times["responded_at"] = answered
                yield row(pk, enterprise, account, status, created, **times)
            blocks["closed"] = [start, pk]

        self.copy(Invitation, rows())
        self.meta["invitation_blocks"] = blocks

    def history(self) -> None:
        """Audit events and notifications that predate the benchmark, so the sweep writes into real-sized tables."""
        from accounts.models import AuditEvent
        from bindings.choices import Audience, NotificationKind
        from bindings.models import Notification

        rng = self.rng
        actions = ["binding.unbound", "binding.frozen", "invitation.created", "invitation.cancelled", "agency.reported"]
        bindings = self.sizes["live_bindings"] + self.sizes["ended_bindings"]

        def audit_rows():
            for pk in range(1, self.sizes["audit_events"] + 1):
                enterprise = rng.choice(self.enterprise_ids)
                target = rng.randint(1, bindings)
                yield {
                    "id": pk,
                    "at": self.ago(700),
                    "enterprise_id": enterprise,
                    "actor_id": self.operators[enterprise],
                    "via_agency_id": None,
                    "action": rng.choice(actions),
                    "object_type": "bindings.binding",
                    "object_id": str(target),
                    "object_repr": f"binding #{target}",
                    "before": json.dumps({"status": "active"}),
                    "after": json.dumps({"status": "ended"}),
                    "reason": "",
                }

        def notification_rows():
            for pk in range(1, self.sizes["notifications"] + 1):
                yield {
                    "id": pk,
                    "audience": Audience.ENTERPRISE,
                    "red_account_id": None,
                    "enterprise_id": rng.choice(self.enterprise_ids),
                    "kind": NotificationKind.BINDING_ENDED,
                    "count": 1,
                    "invitation_id": None,
                    "binding_id": rng.randint(1, bindings),
                    "created_at": self.ago(700),
                    "read_at": None,
                }

        self.copy(AuditEvent, audit_rows())
        self.copy(Notification, notification_rows())

    # Notes ---------------------------------------------------------------------------------------------------

    def notes(self) -> None:
        """Notes and their daily metrics, then the big enterprise's review submissions, quota rows, pushes and
        boosts. The six tables are emptied in this transaction and loaded with COPY FREEZE while their keys and
        indexes are dropped; both are rebuilt at the end of the step."""
        from django.db import connection

        from notes.models import Note, NoteBoost, NoteDailyMetric, NotePush, NoteQuotaMonth, NoteReview

        tables = [model._meta.db_table for model in (Note, NoteDailyMetric, NoteReview, NoteQuotaMonth, NotePush,
                                                      NoteBoost)]  # fmt: skip
        self.note_tables = tables
        rng = random.Random(f"{self.seed}:notes")  # the notes' own stream: earlier steps keep their data
        started = time.perf_counter()
        restore = drop_keys_and_indexes(tables)
        with connection.cursor() as cursor:
            cursor.execute("TRUNCATE " + ", ".join(f'"{table}"' for table in tables))
        plan = self.plan_notes(rng)
        reviews = self.plan_reviews(rng, plan)
        lap(f"planned {len(plan['authors']):,} notes, {len(reviews):,} reviews", started)

        step = time.perf_counter()
        totals = self.copy_note_metrics(rng, plan)
        lap(f"wrote {self.meta['notes']['metrics']:,} daily metric rows", step)
        step = time.perf_counter()
        self.copy_notes(plan, totals)
        lap(f"wrote {len(plan['authors']):,} notes", step)
        step = time.perf_counter()
        self.copy_reviews(rng, plan, reviews)
        with connection.cursor() as cursor:
            # Each note's copy of its current review's state (see notes.models.Note), before the indexes return.
            cursor.execute(
                "UPDATE notes_note n SET review_status = r.status, submitted_at = r.submitted_at, "
                "reviewed_at = r.reviewed_at, review_reason = r.reason "
                "FROM notes_notereview r WHERE r.id = n.current_review_id"
            )
            cursor.execute("SET LOCAL maintenance_work_mem = '1GB'")
            for statement in restore:
                cursor.execute(statement)
        lap(f"wrote the reviews, pushes and boosts; rebuilt {len(restore)} keys and indexes", step)

    def plan_notes(self, rng: random.Random) -> dict:
        """Who wrote each note, when, and how many days of metrics it has; notes in publication order (ids too)."""
        from django.utils import timezone

        sizes = self.sizes
        local = timezone.get_current_timezone()  # Asia/Shanghai
        live = self.live_bindings
        big_accounts = sorted(account for account, (enterprise, _) in live.items() if enterprise == self.big_enterprise)
        other_bound = sorted(account for account, (enterprise, _) in live.items() if enterprise != self.big_enterprise)
        unbound = sorted(set(range(1, sizes["red_accounts"] + 1)) - live.keys())
        total = sizes["notes"]
        big_count = min(total, sizes["big_notes_per_account"] * len(big_accounts))
        rest = total - big_count
        unbound_count = round(rest * UNBOUND_NOTE_SHARE) if unbound else 0

        def long_tail(accounts: list[int], k: int) -> list[int]:
            weights = [min(rng.paretovariate(1.5), 40.0) for _ in accounts]  # a few prolific authors, most write little
            return rng.choices(accounts, weights=weights, k=k) if k else []

        authors = [account for account in big_accounts for _ in range(sizes["big_notes_per_account"])][:big_count]
        authors += long_tail(other_bound, rest - unbound_count) + long_tail(unbound, unbound_count)
        span = NOTE_DAYS * 86_400.0
        notes = sorted((self.now - timedelta(seconds=rng.uniform(0, span)), author) for author in authors)
        published = [at for at, _ in notes]
        authors = [author for _, author in notes]
        today = timezone.localdate(self.now).toordinal()
        first_day = [at.astimezone(local).date().toordinal() for at in published]
        note_ids, seen = [], set()
        for at in published:
            while (note_id := f"{int(at.timestamp()):08x}{rng.getrandbits(64):016x}") in seen:  # ObjectId-like
                pass
            seen.add(note_id)
            note_ids.append(note_id)

        # Days of metrics: 1–20 consecutive days from the local publication date, never after today; then ±1 on
        # random notes until the rows add up to exactly sizes["note_metrics"].
        caps = [min(20, today - day + 1) for day in first_day]
        days = [min(rng.randint(1, 20), cap) for cap in caps]
        target = min(max(sizes["note_metrics"], len(days)), sum(caps))
        count = sum(days)
        while count != target:
            index = rng.randrange(len(days))
            if count < target and days[index] < caps[index]:
                days[index] += 1
                count += 1
            elif count > target and days[index] > 1:
                days[index] -= 1
                count -= 1
        enterprises = [live[author][0] if author in live else None for author in authors]
        self.meta["notes"] = {
            "notes": len(authors),
            "metrics": count,
            "big_enterprise_notes": big_count,
            "bound_notes": sum(enterprise is not None for enterprise in enterprises),
            "unbound_notes": sum(enterprise is None for enterprise in enterprises),
            "video_share": None,
        }
        return {
            "authors": authors,
            "enterprises": enterprises,
            "published": published,
            "first_day": first_day,
            "days": days,
            "note_ids": note_ids,
            "video": [rng.random() < 0.4 for _ in authors],
            "current_review": [None] * len(authors),
        }

    def plan_reviews(self, rng: random.Random, plan: dict) -> list[dict]:
        """Submissions of the big enterprise's notes over the last REVIEW_DAYS, in time order (ids too): a note
        published within 90 days before, its author bound by then (N03), at most REVIEW_MONTH_CAP a month (N04),
        one open submission per note, a rejected note sometimes submitted again (N05)."""
        import bisect

        from django.utils import timezone

        live = self.live_bindings
        big = [index for index, enterprise in enumerate(plan["enterprises"]) if enterprise == self.big_enterprise]
        big_published = [plan["published"][index] for index in big]  # sorted: notes are in publication order
        submitted: set[int] = set()
        per_month: dict[str, int] = {}
        reviews: list[dict] = []
        window = timedelta(days=REVIEW_DAYS)

        def decide(review: dict) -> None:
            """In review while recent, otherwise approved or rejected some hours after submission."""
            age = (self.now - review["submitted_at"]).total_seconds() / 3600
            open_chance = 0.7 if age < 48 else 0.3 if age < 168 else 0.03
            reviewed_at = review["submitted_at"] + timedelta(hours=rng.uniform(0.5, 72))
            if rng.random() < open_chance or reviewed_at >= self.now:
                return
            review["reviewed_at"] = reviewed_at
            review["status"] = "approved" if rng.random() < 0.78 else "rejected"
            if review["status"] == "rejected":
                review["reason"] = rng.choice(REJECT_REASONS)

        def add(index: int, at) -> dict | None:
            month = timezone.localtime(at).strftime("%Y-%m")
            if per_month.get(month, 0) >= REVIEW_MONTH_CAP:
                return None
            per_month[month] = per_month.get(month, 0) + 1
            review = {"note": index, "submitted_at": at, "month": month, "status": "in_review"}
            review.update(reason="", reviewed_at=None)
            decide(review)
            reviews.append(review)
            return review

        first_count = round(self.sizes["note_reviews"] * 0.93)  # the rest: resubmissions of rejected notes
        times = sorted(self.now - timedelta(seconds=rng.uniform(0, window.total_seconds())) for _ in range(first_count))
        for at in times:
            low = bisect.bisect_left(big_published, at - window + timedelta(hours=1))
            high = bisect.bisect_left(big_published, at - timedelta(minutes=10))
            for _ in range(50 if high > low else 0):
                index = big[rng.randrange(low, high)]
                if index not in submitted and live[plan["authors"][index]][1] < at:
                    submitted.add(index)
                    add(index, at)
                    break
        for review in [review for review in reviews if review["status"] == "rejected"]:
            again = review["reviewed_at"] + timedelta(hours=rng.uniform(1, 240))
            if rng.random() < 0.5 and again < self.now and again - plan["published"][review["note"]] < window:
                add(review["note"], again)
        reviews.sort(key=lambda review: review["submitted_at"])
        for pk, review in enumerate(reviews, start=1):
            review["id"] = pk
            plan["current_review"][review["note"]] = pk  # the latest submission wins: ids follow time
        self.review_months = dict(sorted(per_month.items()))
        return reviews

    def copy_note_metrics(self, rng: random.Random, plan: dict) -> list[str]:
        """The daily rows, written as COPY text in note and date order; returns each note's kept totals (COPY text
        columns exposure … metrics_through), the sums of the rows just written."""
        from django.db import connection

        random_, paretovariate = rng.random, rng.paretovariate
        first_days, days_per_note, video = plan["first_day"], plan["days"], plan["video"]
        dates = {day: date.fromordinal(day).isoformat() for day in range(min(first_days), max(first_days) + 21)}
        totals: list[str] = []
        columns = ("note_id, date, exposure, reads, likes, collects, comments, shares, leads, read_uv, play_5s_rate, "
                   "read_3s_rate, avg_view_seconds")  # fmt: skip
        with connection.cursor() as django_cursor:
            cursor = django_cursor.cursor
            with cursor.copy(f"COPY notes_notedailymetric ({columns}) FROM STDIN WITH (FREEZE)") as copy:
                lines: list[str] = []
                for index, first in enumerate(first_days):
                    pk = index + 1
                    is_video = video[index]
                    # Heavy-tailed reach: most notes see a few hundred exposures a day, a few see tens of thousands;
                    # it fades day by day.
                    reach = (paretovariate(1.05) - 1) * 150
                    fade = 0.55 + 0.4 * random_()
                    sums = [0] * 8
                    for day in range(first, first + days_per_note[index]):
                        exposure = min(100_000, int(reach * (0.5 + random_())))
                        reach *= fade
                        reads = int(exposure * (0.05 + 0.1 * random_()))
                        likes = int(reads * 0.12 * random_())
                        collects = int(reads * 0.06 * random_())
                        comments = int(reads * 0.02 * random_())
                        shares = int(reads * 0.01 * random_())
                        leads = int(reads * 0.002 * random_())
                        read_uv = int(reads * (0.75 + 0.2 * random_()))
                        if is_video:
                            rates = f"{0.15 + 0.7 * random_():.4f}\t\\N\t{4 + 41 * random_():.2f}"
                        else:
                            rates = f"\\N\t{0.3 + 0.6 * random_():.4f}\t{2 + 18 * random_():.2f}"
                        lines.append(
                            f"{pk}\t{dates[day]}\t{exposure}\t{reads}\t{likes}\t{collects}\t{comments}\t{shares}\t"
                            f"{leads}\t{read_uv}\t{rates}\n"
                        )
                        sums[0] += exposure
                        sums[1] += reads
                        sums[2] += likes
                        sums[3] += collects
                        sums[4] += comments
                        sums[5] += shares
                        sums[6] += leads
                        sums[7] += read_uv
                    exposure, reads, likes, collects, comments, shares, leads, read_uv = sums
                    engagement = likes + collects + comments
                    through = dates[first + days_per_note[index] - 1]
                    totals.append(
                        f"{exposure}\t{reads}\t{likes}\t{collects}\t{comments}\t{shares}\t{leads}\t{engagement}\t"
                        f"{read_uv}\t{through}"
                    )
                    if len(lines) >= 20_000:
                        copy.write("".join(lines))
                        lines.clear()
                copy.write("".join(lines))
        self.meta["notes"]["video_share"] = round(sum(video) / len(video), 3)
        return totals

    def copy_notes(self, plan: dict, totals: list[str]) -> None:
        from django.db import connection

        rng = random.Random(f"{self.seed}:note-text")
        local_now = self.now
        columns = ("id, note_id, author_id, title, type, url, published_at, synced_at, enterprise_id, "
                   "current_review_id, exposure, reads, likes, collects, comments, shares, leads, engagement, "
                   "read_uv, metrics_through")  # fmt: skip
        with connection.cursor() as django_cursor:
            cursor = django_cursor.cursor
            with cursor.copy(f"COPY notes_note ({columns}) FROM STDIN WITH (FREEZE)") as copy:
                lines: list[str] = []
                for index, note_id in enumerate(plan["note_ids"]):
                    published = plan["published"][index]
                    synced = min(local_now, published + timedelta(minutes=rng.uniform(10, 360)))
                    title = rng.choice(TITLE_OPENERS) + rng.choice(CITIES) + rng.choice(TITLE_TOPICS)
                    title += rng.choice(TITLE_ENDINGS)
                    enterprise = plan["enterprises"][index]
                    review = plan["current_review"][index]
                    lines.append(
                        f"{index + 1}\t{note_id}\t{plan['authors'][index]}\t{title[:30]}\t"
                        f"{'video' if plan['video'][index] else 'image'}\t"
                        f"https://www.xiaohongshu.com/explore/{note_id}\t{published}\t{synced}\t"
                        f"{enterprise if enterprise is not None else chr(92) + 'N'}\t"
                        f"{review if review is not None else chr(92) + 'N'}\t{totals[index]}\n"
                    )
                    if len(lines) >= 20_000:
                        copy.write("".join(lines))
                        lines.clear()
                copy.write("".join(lines))
        sample = rng.sample(range(len(plan["note_ids"])), min(NOTE_ID_SAMPLE, len(plan["note_ids"])))
        self.meta["notes"]["note_id_sample"] = [plan["note_ids"][index] for index in sorted(sample)]
        big = [index for index, enterprise in enumerate(plan["enterprises"]) if enterprise == self.big_enterprise]
        sample = rng.sample(big, min(20, len(big)))
        self.meta["notes"]["big_enterprise_note_sample"] = [plan["note_ids"][index] for index in sorted(sample)]

    def copy_reviews(self, rng: random.Random, plan: dict, reviews: list[dict]) -> None:
        """The reviews, a quota row per month with `used` = that month's submissions, pushes and boosts of notes
        whose current submission is approved."""
        from notes.models import NoteBoost, NotePush, NoteQuotaMonth, NoteReview

        operator = self.operators[self.big_enterprise]
        self.copy(
            NoteReview,
            (
                {
                    "id": review["id"],
                    "enterprise_id": self.big_enterprise,
                    "note_id": review["note"] + 1,
                    "month": review["month"],
                    "status": review["status"],
                    "reason": review["reason"],
                    "submitted_at": review["submitted_at"],
                    "submitted_by_id": operator,
                    "via_agency_id": None,
                    "reviewed_at": review["reviewed_at"],
                    "reviewed_by_id": self.reviewer if review["reviewed_at"] else None,
                }
                for review in reviews
            ),
            freeze=True,
        )
        self.copy(
            NoteQuotaMonth,
            (
                {"id": pk, "enterprise_id": self.big_enterprise, "month": month, "used": used}
                for pk, (month, used) in enumerate(self.review_months.items(), start=1)
            ),
            freeze=True,
        )
        current = {review["id"]: review for review in reviews}
        approved = [
            current[review_id]
            for review_id in plan["current_review"]
            if review_id is not None and current[review_id]["status"] == "approved"
        ]

        def after(review: dict):
            latest = self.now - timedelta(seconds=rng.uniform(1, 600))
            return min(latest, review["reviewed_at"] + timedelta(hours=rng.uniform(1, 14 * 24)))

        pushed = rng.sample(approved, min(self.sizes["note_pushes"], len(approved)))
        self.copy(
            NotePush,
            (
                {
                    "id": pk,
                    "enterprise_id": self.big_enterprise,
                    "note_id": review["note"] + 1,
                    "pushed_at": after(review),
                    "pushed_by_id": operator,
                    "via_agency_id": None,
                }
                for pk, review in enumerate(sorted(pushed, key=lambda review: review["id"]), start=1)
            ),
            freeze=True,
        )
        boosted = rng.sample(approved, min(self.sizes["note_boosts"], len(approved)))
        self.copy(
            NoteBoost,
            (
                {
                    "id": pk,
                    "enterprise_id": self.big_enterprise,
                    "note_id": review["note"] + 1,
                    "budget": f"{rng.choice((100, 200, 300, 500, 1000, 2000, 5000))}.00",
                    "created_at": after(review),
                    "created_by_id": operator,
                    "via_agency_id": None,
                }
                for pk, review in enumerate(sorted(boosted, key=lambda review: review["id"]), start=1)
            ),
            freeze=True,
        )
        statuses = [review["status"] for review in reviews]
        self.meta["notes"].update(
            reviews=len(reviews),
            reviewed_notes=len({review["note"] for review in reviews}),
            review_statuses={status: statuses.count(status) for status in ("in_review", "approved", "rejected")},
            review_months=self.review_months,
            pushes=len(pushed),
            boosts=len(boosted),
        )

    def rollups(self) -> None:
        """The analytics rollups of every day, by the application's rebuild; the jobs the ads step queued (the
        benchmark's settings send them to Redis) are dropped, the rebuild covers them."""
        from django.db import connection

        from analytics import rollups
        from kos_platform.celery import app

        app.control.purge()
        rows = rollups.rebuild_all()
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE analytics_noteday, analytics_accountday, analytics_enterpriseday")
            cursor.execute("CHECKPOINT")
        self.meta["analytics"] = {"account_days": rows}

    def ads(self) -> None:
        """Ads and commerce, through the application's own services and ingests (so the ledger, the attribution
        and the commission lines are what they would be): every enterprise's first recharge; the other enterprises
        push PUSHES_PER_ENTERPRISE notes each beside the big one's; SPEND_DAYS of spend for every pushed note; the
        big enterprise's campaigns; enough enterprises with a month of spend for the advanced-rights evaluation;
        products and orders."""
        from decimal import Decimal

        from django.test import Client

        from accounts.models import Enterprise, User
        from campaigns import ledger, services
        from campaigns.models import AdSpendDaily
        from kos_platform.tenancy import Workspace
        from notes.models import Note, NotePush

        rng = random.Random(f"{self.seed}:ads")
        today = self.now.date()
        operators = dict(User.objects.filter(pk__in=self.operators.values()).in_bulk())
        workspaces = {
            eid: Workspace(enterprise=enterprise, user=operators[self.operators[eid]], role="operator")
            for eid, enterprise in Enterprise.objects.in_bulk(self.enterprise_ids).items()
        }
        for eid, workspace in workspaces.items():
            amount = "90000000.00" if eid == self.big_enterprise else "5000000.00"
            ledger.recharge(workspace=workspace, amount=Decimal(amount))
        pushed_by_big = set(NotePush.objects.values_list("note_id", flat=True))
        pushes = []
        for eid in self.enterprise_ids[1:]:
            notes = list(Note.objects.filter(enterprise_id=eid).values_list("pk", flat=True)[:PUSHES_PER_ENTERPRISE])
            pushes += [NotePush(enterprise_id=eid, note_id=pk, pushed_at=self.now) for pk in notes]
        NotePush.objects.bulk_create(pushes)
        pushed = list(NotePush.objects.values_list("enterprise_id", "note__note_id", "note_id"))
        self.meta["ads"] = {"pushes": len(pushed), "big_pushes": len(pushed_by_big)}

        client = Client(HTTP_AUTHORIZATION=f"Bearer {self.tokens['platform']['0']}")

        def ingest(path: str, rows: list[dict]) -> None:
            for start in range(0, len(rows), INGEST_BATCH):
                response = client.post(path, rows[start : start + INGEST_BATCH], content_type="application/json")
                if response.status_code != 200:
                    raise RuntimeError(f"POST {path} answered {response.status_code}: {response.content[:500]!r}")

        spend = [
            {
                "enterprise_id": eid,
                "note_id": note_id,
                "date": (today - timedelta(days=day)).isoformat(),
                "amount": f"{rng.randint(500, 30000) / 100:.2f}",
                "impressions": rng.randint(200, 20000),
                "clicks": rng.randint(5, 600),
                "component_clicks": {"dm": rng.randint(0, 20), "product": rng.randint(0, 10)},
            }
            for day in range(SPEND_DAYS)
            for eid, note_id, _pk in pushed
        ]
        ingest("/api/v1/platform/ad-spend/", spend)
        self.meta["ads"]["spend_rows"] = len(spend)

        big = workspaces[self.big_enterprise]
        big_notes = list(Note.objects.filter(pk__in=[pk for eid, _n, pk in pushed if eid == self.big_enterprise]))
        for number in range(BIG_CAMPAIGNS):
            campaign = services.campaign_create(
                workspace=big,
                name=f"基准推广计划{number + 1:03d}",
                objective=rng.choice(("product_seeding", "category_capture", "product_sales", "lead_collection")),
                placement=rng.choice(("feed", "video_feed", "smart_all")),
                daily_budget=Decimal(rng.choice((100, 200, 300, 500, 1000))),
                start_date=today - timedelta(days=rng.randint(0, 60)),
            )
            services.unit_create(
                workspace=big, campaign=campaign, name="单元", notes=rng.sample(big_notes, 2), keywords=[]
            )
            if number % 3 == 0:
                services.campaign_start(workspace=big, campaign=campaign)

        extra = self.sizes["rights_enterprises"] - len(self.enterprise_ids)
        added = Enterprise.objects.bulk_create(
            Enterprise(name=f"基准权益品牌{number:05d}", industry="other", certified=True) for number in range(extra)
        )
        self.copy(
            AdSpendDaily,
            (
                {
                    "enterprise_id": enterprise.pk,
                    "note_id": 1,
                    "date": today - timedelta(days=day),
                    "unit_id": None,
                    "amount": f"{rng.randint(5000, 35000) / 100:.2f}",
                    "impressions": 0,
                    "clicks": 0,
                    "clicks_dm": 0,
                    "clicks_product": 0,
                    "clicks_lead_form": 0,
                    "clicks_store": 0,
                    "clicks_search": 0,
                }
                for enterprise in added
                for day in range(RIGHTS_DAYS)
            ),
        )
        self.meta["ads"]["rights_enterprises"] = len(self.enterprise_ids) + len(added)
        self.commerce(rng, ingest)

    def commerce(self, rng: random.Random, ingest) -> None:
        """Products of every enterprise, then ORDERS orders through the orders ingest: the big enterprise's BIG_ORDERS
        by its bound accounts, the rest spread over the others; a few by accounts bound elsewhere (no commission),
        some refunded."""
        from bindings.models import Binding

        today = self.now.date()
        products = {}
        rows = []
        for eid in self.enterprise_ids:
            count = BIG_PRODUCTS if eid == self.big_enterprise else PRODUCTS_PER_ENTERPRISE
            products[eid] = [f"P{eid}-{n:05d}" for n in range(count)]
            rows += [
                {
                    "product_id": product_id,
                    "enterprise_id": eid,
                    "name": f"{rng.choice(TITLE_TOPICS)}商品{n}",
                    "price": f"{rng.randint(990, 99900) / 100:.2f}",
                    **({"commission_rate": f"{rng.choice((5, 8, 10, 12, 15)) / 100:.2f}"} if n % 2 else {}),
                }
                for n, product_id in enumerate(products[eid])
            ]
        ingest("/api/v1/platform/products/", rows)
        accounts: dict[int, list[str]] = {}
        for eid, red_id in Binding.objects.filter(enterprise_id__in=self.enterprise_ids).values_list(
            "enterprise_id", "red_account__red_id"
        ):
            accounts.setdefault(eid, []).append(red_id)
        others = [eid for eid in self.enterprise_ids[1:] if accounts.get(eid)]
        everyone = [red_id for ids in accounts.values() for red_id in ids]
        channels = ("note", "dm", "group_chat", "live")
        orders = []
        for number in range(self.sizes["orders"]):
            eid = self.big_enterprise if number < self.sizes["big_orders"] else rng.choice(others)
            red_id = rng.choice(everyone) if rng.random() < 0.03 else rng.choice(accounts[eid])
            paid = self.now - timedelta(days=rng.uniform(0.01, ORDER_DAYS))
            row = {
                "order_id": f"O{number + 1:09d}",
                "enterprise_id": eid,
                "red_id": red_id,
                "channel": rng.choice(channels),
                "amount": f"{rng.randint(990, 59900) / 100:.2f}",
                "paid_at": paid.isoformat(),
            }
            if rng.random() < 0.7:
                row["product_id"] = rng.choice(products[eid])
            if rng.random() < 0.05:
                refunded = min(self.now - timedelta(seconds=1), paid + timedelta(days=rng.uniform(0.1, 10)))
                row |= {"status": "refunded", "refunded_at": refunded.isoformat()}
            orders.append(row)
        ingest("/api/v1/platform/orders/", orders)
        months = {}
        for row in orders[: self.sizes["big_orders"]]:
            month = row["paid_at"][:7]
            months[month] = months.get(month, 0) + 1
        self.meta["commerce"] = {
            "products": len(rows),
            "orders": len(orders),
            "big_orders": self.sizes["big_orders"],
            "big_busiest_month": max(months, key=months.get),
            "big_month_orders": max(months.values()),
            "last_order_number": len(orders),
            "today": today.isoformat(),
        }

    def note_counts(self) -> None:
        """The per-enterprise note counts (notes_enterprisenotecounts), recomputed by the application's own code."""
        from notes.counts import refresh_note_counts

        refresh_note_counts(self.enterprise_ids)

    def finish(self) -> None:
        """Move every identity sequence past the ids written by hand, then VACUUM ANALYZE the tables."""
        from django.apps import apps
        from django.db import connection

        with connection.cursor() as cursor:
            for model in apps.get_models():
                table = model._meta.db_table
                pk = model._meta.pk
                if pk.get_internal_type() not in ("AutoField", "BigAutoField"):
                    continue
                cursor.execute(
                    f'SELECT setval(pg_get_serial_sequence(%s, %s), COALESCE((SELECT max("{pk.column}") '
                    f'FROM "{table}"), 0) + 1, false)',
                    [table, pk.column],
                )
            started = time.perf_counter()
            note_tables = getattr(self, "note_tables", [])
            if note_tables:
                cursor.execute("VACUUM ANALYZE " + ", ".join(f'"{table}"' for table in note_tables))
                lap("VACUUM ANALYZE of the note tables", started)
            cursor.execute("VACUUM ANALYZE")


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--scale", type=float, default=1.0, help="multiplies the row counts (big enterprise aside)")
    args = parser.parse_args(argv)

    url = os.environ.setdefault("DATABASE_URL", DEFAULT_DATABASE_URL)
    started = time.perf_counter()
    print(f"generate: recreating {database_config(url)['NAME']} and migrating …", flush=True)
    recreate_database(url)
    migrate(url)

    sys.path.insert(0, str(ROOT))
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    import django

    django.setup()
    from django.db import connection, transaction

    generator = Generator(args.seed, args.scale)
    # Two transactions: the notes step drops foreign keys to tables that the first one wrote, which PostgreSQL
    # refuses while their deferred checks are pending.
    for steps in ((generator.tenants, generator.red_accounts, generator.bindings, generator.invitations,
                   generator.history), (generator.notes,)):  # fmt: skip
        with transaction.atomic():
            for step in steps:
                step_started = time.perf_counter()
                step()
                print(f"generate: {step.__name__:<13} {time.perf_counter() - step_started:6.1f} s", flush=True)
    step_started = time.perf_counter()
    generator.finish()
    print(f"generate: {'finish':<13} {time.perf_counter() - step_started:6.1f} s", flush=True)
    step_started = time.perf_counter()
    with transaction.atomic():
        generator.note_counts()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE notes_enterprisenotecounts")
        # Write what was generated to disk now: a checkpoint still under way would otherwise write it during the
        # first measurements.
        cursor.execute("CHECKPOINT")
    print(f"generate: {'note_counts':<13} {time.perf_counter() - step_started:6.1f} s", flush=True)
    # After `finish`: the ads write through the application, whose ids come from the sequences.
    step_started = time.perf_counter()
    with transaction.atomic():
        generator.ads()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
        cursor.execute("CHECKPOINT")
    print(f"generate: {'ads':<13} {time.perf_counter() - step_started:6.1f} s", flush=True)
    step_started = time.perf_counter()
    generator.rollups()
    print(f"generate: {'rollups':<13} {time.perf_counter() - step_started:6.1f} s", flush=True)
    connection.close()

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "tokens.json").write_text(json.dumps(generator.tokens, indent=2) + "\n")
    generator.meta["seconds"] = round(time.perf_counter() - started, 1)
    (ARTIFACTS / "dataset.json").write_text(json.dumps({**generator.meta, "database": url}, indent=2) + "\n")
    print(
        f"generate: done in {generator.meta['seconds']} s; big enterprise #{generator.big_enterprise}; "
        f"tokens in {(ARTIFACTS / 'tokens.json').relative_to(ROOT)}",
        flush=True,
    )
    return generator.meta


if __name__ == "__main__":
    main()
