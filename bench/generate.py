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
    def copy(model, rows: Iterable[dict]) -> int:
        """COPY the rows into the model's table. Every row has the same keys, attribute names (`enterprise_id`),
        which must cover the NOT NULL columns: COPY applies no Django default."""
        from django.db import connection

        rows = iter(rows)
        first = next(rows, None)
        if first is None:
            return 0
        fields = list(first)
        columns = ", ".join(f'"{model._meta.get_field(name).column}"' for name in fields)
        count = 0
        with connection.cursor() as django_cursor:
            cursor = django_cursor.cursor  # the psycopg 3 cursor under Django's wrapper
            with cursor.copy(f'COPY "{model._meta.db_table}" ({columns}) FROM STDIN') as copy:
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
    with transaction.atomic():
        for step in (generator.tenants, generator.red_accounts, generator.bindings, generator.invitations,
                     generator.history):  # fmt: skip
            step_started = time.perf_counter()
            step()
            print(f"generate: {step.__name__:<13} {time.perf_counter() - step_started:6.1f} s", flush=True)
    generator.finish()
    connection.close()

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "tokens.json").write_text(json.dumps(generator.tokens, indent=2) + "\n")
    generator.meta["seconds"] = round(time.perf_counter() - started, 1)
    (ARTIFACTS / "dataset.json").write_text(json.dumps(generator.meta, indent=2) + "\n")
    print(
        f"generate: done in {generator.meta['seconds']} s; big enterprise #{generator.big_enterprise}; "
        f"tokens in {(ARTIFACTS / 'tokens.json').relative_to(ROOT)}",
        flush=True,
    )
    return generator.meta


if __name__ == "__main__":
    main()
