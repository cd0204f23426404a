import fcntl
import hashlib
import json
import tempfile
import time
from dataclasses import dataclass, field

import pytest
from django.apps import apps
from django.core.cache import cache
from django.test import Client
from rest_framework.test import APIClient

from accounts.choices import Role
from accounts.models import Agency, Enterprise, User

from .factories import (
    PASSWORD,
    AgencyFactory,
    AgencyMembershipFactory,
    AgencyReportFactory,
    EnterpriseFactory,
    MembershipFactory,
    RedAccountFactory,
    UserFactory,
    user_token,
)
from .workers import worker  # noqa: F401 (the real Celery worker fixture, for every app's job tests)

ACTORS = (
    "anonymous",
    "other_member",
    "analyst",
    "operator",
    "admin",
    "owner",
    "agency_reported",
    "agency_unreported",
    "employee",
    "staff",
)


@dataclass
class World:
    """One brand with a member of every role and a reported agency; another brand; an unreported agency;
    an employee; platform staff."""

    enterprise: Enterprise
    other_enterprise: Enterprise
    agency: Agency
    other_agency: Agency
    users: dict[str, User | None] = field(default_factory=dict)

    def client(self, actor: str) -> APIClient:
        client = APIClient()
        user = self.users[actor]
        if user is not None:
            client.credentials(HTTP_AUTHORIZATION=f"Bearer {user_token(user)}")
        return client


def new_data_version() -> None:
    """What a committed change does to the data centre's cached tables: a new version of the data."""
    from analytics import data_version

    cache.set(data_version.KEY, time.time_ns(), None)


@pytest.fixture(autouse=True)
def fresh_data_version():
    """Each test computes the data centre's tables afresh: they are cached under the data's version, which only a
    committed change replaces, and a test's changes are rolled back, not committed."""
    new_data_version()


@pytest.fixture
def world(db) -> World:
    enterprise = EnterpriseFactory(name="花漾美妆")
    other = EnterpriseFactory(name="别家品牌")
    agency = AgencyFactory(name="星河代理")
    other_agency = AgencyFactory(name="蓝海传媒")
    AgencyReportFactory(enterprise=enterprise, agency=agency)
    users = {"anonymous": None}
    for role in (Role.ANALYST, Role.OPERATOR, Role.ADMIN, Role.OWNER):
        users[role.value] = MembershipFactory(
            enterprise=enterprise, role=role, user__username=f"brand_{role.value}"
        ).user
    users["other_member"] = MembershipFactory(enterprise=other, role=Role.OWNER, user__username="other_owner").user
    users["agency_reported"] = AgencyMembershipFactory(agency=agency, user__username="agency_staff").user
    users["agency_unreported"] = AgencyMembershipFactory(agency=other_agency, user__username="agency_other").user
    users["employee"] = RedAccountFactory(user__username="employee").user
    users["staff"] = UserFactory(username="staff", is_staff=True)
    return World(enterprise=enterprise, other_enterprise=other, agency=agency, other_agency=other_agency, users=users)


@pytest.fixture
def browser(world):
    """`browser(actor)`: a signed-in page client for a world actor, in Chinese (the default); agency staff enter the
    brand from their console. Test modules that read English pages define their own."""

    def login(actor):
        client = Client()
        assert client.login(username=world.users[actor].username, password=PASSWORD)
        if actor == "agency_reported":
            entered = client.post(f"/agency/brands/{world.enterprise.pk}/enter/")
            assert entered.status_code == 302
        return client

    return login


@pytest.fixture
def api():
    return APIClient()


def database_fingerprint() -> str:
    """A digest of every row of every model (bookkeeping columns aside), to prove a request changed nothing.
    Sign-in attempts (axes) are bookkeeping too: a refused sign-in is counted towards the lockout, by design."""
    ignored = {"last_used_at", "last_login", "updated_at"}
    digest = hashlib.sha256()
    for model in sorted(apps.get_models(), key=lambda m: m._meta.label):
        if model._meta.label in ("sessions.Session", "admin.LogEntry") or model._meta.app_label == "axes":
            continue
        columns = [f.attname for f in model._meta.concrete_fields if f.attname not in ignored]
        rows = list(model.objects.order_by("pk").values_list(*columns))
        digest.update(model._meta.label.encode())
        digest.update(json.dumps(rows, default=str, sort_keys=True).encode())
    return digest.hexdigest()


@pytest.fixture
def unchanged():
    """Usage: `with unchanged(): ...` asserts the block stored nothing."""
    from contextlib import contextmanager

    @contextmanager
    def check():
        before = database_fingerprint()
        yield
        assert database_fingerprint() == before, "a refused request changed the database"

    return check


@pytest.fixture
def connections_to_spare():
    """For a test that opens dozens of connections at once (threads, each on its own): it waits for any other such
    test of `make test`'s pytest-xdist workers to finish, so they never share PostgreSQL's connection limit."""
    with open(f"{tempfile.gettempdir()}/kos-tests-connections.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
