"""schemathesis fuzzes every operation of the served schema, in process through the WSGI app, as platform staff, a
brand admin and an employee: 0 failures of its checks (server errors, response schema conformance, undocumented
status codes and content types, …)."""

import json
import os
from collections import Counter
from pathlib import Path

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, settings

from kos_platform.wsgi import application
from tests.factories import user_token

ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts" / "contract"
CONFIG = schemathesis.Config.from_dict(
    {
        "seed": 20261203,
        "generation": {"max-examples": 5, "database": "none"},
        "checks": {
            "enabled": False,
            "not_a_server_error": {"enabled": True},
            "response_schema_conformance": {"enabled": True},
            "status_code_conformance": {"enabled": True},
            "content_type_conformance": {"enabled": True},
        },
        "phases": {
            "examples": {"enabled": True},
            "coverage": {"enabled": True},
            "fuzzing": {"enabled": True},
            "stateful": {"enabled": True},
        },
    }
)


def served_schema() -> dict:
    """The schema `/api/schema/` serves, generated without a request (collection has no database)."""
    generated = SchemaGenerator().get_schema(request=None, public=True)
    return json.loads(OpenApiJsonRenderer().render(generated))


schema = schemathesis.openapi.from_dict(served_schema(), config=CONFIG)
schema.app = application
schema.location = "/api/schema/"


@pytest.fixture(autouse=True)
def connection_kept_open(db):
    """Requests reach the WSGI app directly, so, as Django's test client does, the end of a request must not close
    the connection that holds the test's transaction."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture(scope="module", autouse=True)
def case_counts():
    yield
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    operations = sum(1 for result in schema.get_all_operations() if result.ok())
    name = f"cases-{os.environ['PYTEST_XDIST_WORKER']}.json" if "PYTEST_XDIST_WORKER" in os.environ else "cases.json"
    (ARTIFACTS / name).write_text(json.dumps({"operations": operations, "cases": CASES}, indent=2))


@pytest.fixture
def bearer(world):
    """One user token per role, issued once for all of a test's cases."""
    return {
        role: {"Authorization": f"Bearer {user_token(world.users[role])}"} for role in ("staff", "admin", "employee")
    }


# Requests sent, by role: written to artifacts/contract/cases.json for the record (under pytest-xdist, one file per
# worker, cases-gw0.json …, each counting the cases that worker ran).
CASES = Counter()
STATEFUL_EXAMPLES = 20
STATEFUL_STEPS = 6
# The world's rows live as long as the test, across its generated cases, as the app's rows would.
FIXTURES_SHARED = settings(suppress_health_check=[HealthCheck.function_scoped_fixture])


@schema.parametrize()
@FIXTURES_SHARED
def test_as_staff(case, bearer):
    call_and_validate(case, bearer, "staff")


@schema.parametrize()
@FIXTURES_SHARED
def test_as_brand_admin(case, bearer):
    call_and_validate(case, bearer, "admin")


@schema.parametrize()
@FIXTURES_SHARED
def test_as_employee(case, bearer):
    call_and_validate(case, bearer, "employee")


def call_and_validate(case, bearer, role: str) -> None:
    CASES[role] += 1
    case.call_and_validate(headers=bearer[role])


@pytest.mark.parametrize("role", ["staff", "admin", "employee"])
def test_stateful_sequences(role, bearer):
    """Chains of calls along the links schemathesis infers between operations (an id a response gives, used by
    the next call)."""

    class Workflow(schema.as_state_machine()):
        def setup(self):
            """Every sequence starts from the world as the fixture made it (what it changes is rolled back after)."""
            super().setup()
            self.savepoint = transaction.savepoint()

        def teardown(self):
            transaction.savepoint_rollback(self.savepoint)
            super().teardown()

        def get_call_kwargs(self, case):
            CASES[f"{role} (stateful)"] += 1
            return {"headers": bearer[role]}

    Workflow.run(
        settings=settings(
            max_examples=STATEFUL_EXAMPLES,
            stateful_step_count=STATEFUL_STEPS,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
    )
