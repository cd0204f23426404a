"""The binding lists: filters, paging, and a constant number of queries whatever the page size (no N+1)."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import AuditEvent
from bindings import selectors
from bindings.api.serializers import BindingSerializer
from bindings.models import Binding, Notification
from kos_platform import clock

from ..factories import AgencyFactory, EnterpriseFactory, RedAccountFactory, UserFactory
from .factories import BindingFactory, InvitationFactory
from .helpers import OWNED, PERSONAL, bind, client_for, send

pytestmark = pytest.mark.django_db

ROWS = 105  # more than the largest page


def page_query_counts(client, url: str) -> list[int]:
    """The queries of one request at page sizes 1, 20 and 100 (each page full)."""
    separator = "&" if "?" in url else "?"
    client.get(url)  # the key's first use records last_used_at; later requests do not
    counts = []
    for size in (1, 20, 100):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(f"{url}{separator}page_size={size}")
        assert response.status_code == 200, response.content
        assert len(response.json()["results"]) == size
        assert response.json()["count"] >= ROWS
        counts.append(len(queries))
    return counts


def assert_constant(client, url, django_assert_max_num_queries, expected: int):
    counts = page_query_counts(client, url)
    assert counts == [expected] * 3
    with django_assert_max_num_queries(expected):
        client.get(url)


# Query counts -------------------------------------------------------------------------------------------------


def test_binding_list_runs_constant_queries(world, django_assert_max_num_queries):
    for n in range(ROWS):
        BindingFactory(enterprise=world.enterprise, mode=OWNED if n % 2 else PERSONAL, region=f"区域{n % 7}")

    # token, workspace (membership), count, page
    assert_constant(
        world.client("analyst"),
        f"/api/v1/enterprises/{world.enterprise.pk}/bindings/",
        django_assert_max_num_queries,
        expected=4,
    )


def test_invitation_list_runs_constant_queries(world, django_assert_max_num_queries):
    for n in range(ROWS):
        InvitationFactory(enterprise=world.enterprise, sent=bool(n % 2), rebind_of=None)

    # token, workspace (membership, then the agency report), count, page
    assert_constant(
        world.client("agency_reported"),
        f"/api/v1/enterprises/{world.enterprise.pk}/invitations/",
        django_assert_max_num_queries,
        expected=5,
    )


def test_audit_log_runs_constant_queries(world, django_assert_max_num_queries):
    agencies = [AgencyFactory() for _ in range(3)]
    for n in range(ROWS):
        AuditEvent.objects.create(
            at=clock.now(),
            enterprise=world.enterprise,
            actor=UserFactory(),
            via_agency=agencies[n % 3],
            action="binding.frozen",
            object_type="bindings.binding",
            object_id=str(n),
            before={"status": "active"},
            after={"status": "frozen"},
        )

    assert_constant(
        world.client("owner"),
        f"/api/v1/enterprises/{world.enterprise.pk}/audit-log/",
        django_assert_max_num_queries,
        expected=5,  # + the employees' names (accounts.audit_display: one query per kind of object on the page)
    )


@pytest.fixture
def busy_employee(db):
    """An employee with more than a page of past invitations, bindings and notifications, across enterprises."""
    account = RedAccountFactory(real_name="李小美")
    enterprises = [EnterpriseFactory() for _ in range(5)]
    now = clock.now()
    for n in range(ROWS):
        enterprise = enterprises[n % 5]
        InvitationFactory(enterprise=enterprise, red_account=account, status="declined", sent_at=now, expires_at=now)
        binding = BindingFactory(
            enterprise=enterprise,
            red_account=account,
            status="ended",
            effective_at=now - timedelta(days=40),
            ended_at=now,
            end_reason="unbound_by_employee",
        )
        Notification.objects.create(
            audience="employee", red_account=account, kind="binding_ended", binding=binding, created_at=now
        )
    bind(enterprises[0], account, OWNED)
    return account


@pytest.mark.parametrize("path", ["invitations", "bindings", "notifications"])
def test_me_lists_run_constant_queries(busy_employee, django_assert_max_num_queries, path):
    # token, count, page
    assert_constant(client_for(busy_employee.user), f"/api/v1/me/{path}/", django_assert_max_num_queries, expected=3)


@pytest.mark.parametrize("path", ["invitations", "bindings"])
def test_platform_lists_run_constant_queries(world, django_assert_max_num_queries, path):
    for _ in range(ROWS):
        (InvitationFactory if path == "invitations" else BindingFactory)(enterprise=EnterpriseFactory())

    assert_constant(world.client("staff"), f"/api/v1/platform/{path}/", django_assert_max_num_queries, expected=3)


# Filters and paging -------------------------------------------------------------------------------------------


def test_binding_list_filters(world):
    guide = BindingFactory(enterprise=world.enterprise, position="shopping_guide", region="上海", name="李小美")
    host = BindingFactory(enterprise=world.enterprise, mode=OWNED, position="host", region="北京", name="王大明")
    ended = BindingFactory(
        enterprise=world.enterprise, status="ended", ended_at=clock.now(), end_reason="unbound_by_enterprise"
    )
    BindingFactory(enterprise=world.other_enterprise, region="上海")
    client = world.client("analyst")

    def ids(query=""):
        url = f"/api/v1/enterprises/{world.enterprise.pk}/bindings/?{query}"
        return sorted(row["id"] for row in client.get(url).json()["results"])

    assert ids() == sorted([guide.pk, host.pk, ended.pk])
    assert ids("status=active") == sorted([guide.pk, host.pk])
    assert ids("status=ended") == [ended.pk]
    assert ids(f"mode={OWNED}") == [host.pk]
    assert ids("position=host") == [host.pk]
    assert ids("region=上海") == [guide.pk]
    assert ids("q=大明") == [host.pk]
    assert ids(f"q={guide.red_account.red_id}") == [guide.pk]


def test_binding_list_row_shape(world, employee_account):
    binding = bind(world.enterprise, employee_account, PERSONAL)

    row = world.client("analyst").get(f"/api/v1/enterprises/{world.enterprise.pk}/bindings/").json()["results"][0]

    assert set(row) >= {
        "id",
        "red_id",
        "nickname",
        "mode",
        "status",
        "position",
        "region",
        "holder",
        "effective_at",
        "unbind_available_at",
        "ended_at",
        "end_reason",
    }
    assert (row["id"], row["red_id"], row["nickname"]) == (binding.pk, "95270001", "小美导购日记")
    assert row["holder"]["name"] == "李小美" and row["holder"]["id_number_masked"].startswith("110101********")


def test_the_list_as_it_opens_pages_as_the_orm_does(world):
    """Unfiltered and unsorted, the list reads its count and pages through `LatestBindings`' written-out statements;
    every page equals the ORM's rows in `Binding.Meta.ordering`, ties of `effective_at` included."""
    same_time = clock.now() - timedelta(days=3)
    for n in range(23):
        BindingFactory(
            enterprise=world.enterprise,
            mode=OWNED if n % 3 else PERSONAL,
            effective_at=same_time if n % 4 == 0 else same_time - timedelta(hours=n),
            status="ended" if n % 5 == 0 else "active",
            ended_at=clock.now() if n % 5 == 0 else None,
            end_reason="unbound_by_enterprise" if n % 5 == 0 else "",
        )
    BindingFactory(enterprise=world.other_enterprise)
    client = world.client("analyst")
    url = f"/api/v1/enterprises/{world.enterprise.pk}/bindings/?page_size=5"
    orm = BindingSerializer(
        selectors.binding_list(Binding.objects.filter(enterprise=world.enterprise).select_related("red_account")),
        many=True,
    ).data

    pages = [client.get(f"{url}&page={page}").json() for page in range(1, 6)]

    assert {page["count"] for page in pages} == {23}
    assert [row for page in pages for row in page["results"]] == orm


def test_pages_cap_at_100(world):
    for _ in range(ROWS):
        BindingFactory(enterprise=world.enterprise)

    body = world.client("analyst").get(f"/api/v1/enterprises/{world.enterprise.pk}/bindings/?page_size=500").json()

    assert body["count"] == ROWS and len(body["results"]) == 100 and body["next"]


def test_me_lists_are_empty_for_someone_without_an_account(world, employee_account):
    bind(world.enterprise, employee_account)
    owner = world.client("owner")

    for path in ("invitations", "bindings", "notifications"):
        assert owner.get(f"/api/v1/me/{path}/").json()["count"] == 0


def test_me_notifications_can_be_marked_read(world, employee_account, employee_client):
    send(world.enterprise, employee_account)  # awaiting acceptance: its notice is open
    other = Notification.objects.create(
        audience="employee", red_account=RedAccountFactory(), kind="binding_frozen", created_at=clock.now()
    )

    listed = employee_client.get("/api/v1/me/notifications/").json()["results"]
    response = employee_client.post("/api/v1/me/notifications/read/")

    assert [row["kind"] for row in listed] == ["invitation_sent"]
    assert listed[0]["text"] and listed[0]["read_at"] is None
    assert response.status_code == 204
    assert not Notification.objects.filter(red_account=employee_account, read_at__isnull=True).exists()
    other.refresh_from_db()
    assert other.read_at is None
