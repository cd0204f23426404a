"""C05: products and orders from the shop, attribution at paid_at, commission half-up, refunds, monthly statements
and their settlement; bad batches refused whole; the employee's own orders."""

from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine

from accounts.models import AuditEvent
from bindings import services as binding_services
from campaigns.models import CommissionLine, Order
from kos_platform import clock
from kos_platform.tenancy import Actor

from ..bindings.factories import BindingFactory
from ..factories import RedAccountFactory
from ..notes.helpers import csv_rows, iso

pytestmark = pytest.mark.django_db


def url(enterprise, rest=""):
    return f"/api/v1/enterprises/{enterprise.pk}/{rest}"


def order(enterprise, account, order_id, amount="100.00", paid_at=None, **fields):
    return {
        "order_id": order_id,
        "enterprise_id": enterprise.pk,
        "red_id": account.red_id,
        "channel": "note",
        "amount": amount,
        "paid_at": iso(paid_at or clock.now() - timedelta(hours=1)),
    } | fields


def post(client, path, rows):
    response = client.post(f"/api/v1/platform/{path}/", rows, format="json")
    assert response.status_code == 200, response.content
    return response.json()


@pytest.fixture
def staff(world):
    return world.client("staff")


@pytest.fixture
def bound(world):
    binding = BindingFactory(enterprise=world.enterprise, effective_at=clock.now() - timedelta(days=60))
    return binding.red_account


def orders_of(world):
    return {
        o["order_id"]: o
        for o in world.client("analyst").get(url(world.enterprise, "orders/?page_size=100")).json()["results"]
    }


def test_c05_commission_is_the_products_rate_else_the_default_half_up(world, staff, bound):
    post(staff, "products", [
        {"product_id": "LIP-1", "enterprise_id": world.enterprise.pk, "name": "唇釉", "price": "129.00",
         "commission_rate": "0.15"},
        {"product_id": "LIP-2", "enterprise_id": world.enterprise.pk, "name": "润唇膏", "price": "59.00"},
    ])  # fmt: skip
    result = post(staff, "orders", [
        order(world.enterprise, bound, "O1", "33.33", product_id="LIP-1"),
        order(world.enterprise, bound, "O2", "10.05", product_id="LIP-2"),
        order(world.enterprise, bound, "O3", "0.05"),
    ])  # fmt: skip
    assert result == {"received": 3, "created": 3, "updated": 0, "commission_lines": 3}
    rows = orders_of(world)
    assert rows["O1"]["commission"] == "5.00"  # 33.33 × 0.15 = 4.9995 → 5.00
    assert rows["O2"]["commission"] == "1.01"  # 10.05 × 0.10 = 1.005 → 1.01
    assert rows["O3"]["commission"] == "0.01"
    products = world.client("analyst").get(url(world.enterprise, "products/")).json()["results"]
    assert [(p["product_id"], p["commission_rate"], p["own_rate"]) for p in products] == [
        ("LIP-1", "0.1500", True),
        ("LIP-2", "0.1000", False),
    ]


def test_c05_frozen_or_ended_at_paid_at_earns_nothing_and_not_bound_here(world, staff, bound):
    binding = bound.bindings.get()
    before = clock.now() - timedelta(hours=3)
    with time_machine.travel(clock.now() - timedelta(hours=2)):
        binding_services.binding_freeze(actor=Actor(user=world.users["owner"]), binding=binding)
    post(staff, "orders", [order(world.enterprise, bound, "F1"), order(world.enterprise, bound, "F0", paid_at=before)])
    stranger = RedAccountFactory()
    elsewhere = BindingFactory(enterprise=world.other_enterprise).red_account
    post(staff, "orders", [order(world.enterprise, stranger, "N1"), order(world.enterprise, elsewhere, "N2")])
    rows = orders_of(world)
    assert (rows["F1"]["commission"], rows["F1"]["commission_reason"]) == ("0.00", "binding_not_active")
    assert (rows["F0"]["commission"], rows["F0"]["commission_reason"]) == ("10.00", "")  # before the freeze
    assert {rows[n]["commission_reason"] for n in ("N1", "N2")} == {"not_bound_here"}


def test_c05_an_order_before_a_hand_over_stays_with_the_holder_who_earned_it(world, staff):
    from ..bindings.helpers import employee_details

    binding = BindingFactory(
        enterprise=world.enterprise, mode="enterprise_owned", effective_at=clock.now() - timedelta(days=9)
    )
    first_holder = binding.name
    paid_before = clock.now() - timedelta(hours=2)
    with time_machine.travel(clock.now() - timedelta(hours=1)):
        from ..campaigns.helpers import workspace_of

        binding_services.binding_handover(
            workspace=workspace_of(world.enterprise, world.users["owner"]), binding=binding, details=employee_details()
        )
    binding.refresh_from_db()
    post(
        staff,
        "orders",
        [
            order(world.enterprise, binding.red_account, "H1", paid_at=paid_before),
            order(world.enterprise, binding.red_account, "H2"),
        ],
    )
    statement = world.client("owner").get(url(world.enterprise, "commission-statements/")).json()["results"]
    assert sorted((r["holder_name"], r["orders"], r["commission"]) for r in statement) == sorted(
        [(first_holder, 1, "10.00"), (binding.name, 1, "10.00")]
    )


def test_c05_a_refund_reverses_and_after_settlement_lands_in_the_refund_month(world, staff, bound):
    paid = clock.now() - timedelta(days=40)
    month = clock.month_label(paid)
    post(
        staff,
        "orders",
        [
            order(world.enterprise, bound, "R1", "200.00", paid_at=paid),
            order(world.enterprise, bound, "R2", "50.00", paid_at=paid),
        ],
    )
    post(
        staff,
        "orders",
        [
            order(
                world.enterprise,
                bound,
                "R2",
                "50.00",
                paid_at=paid,
                status="refunded",
                refunded_at=iso(paid + timedelta(hours=1)),
            )
        ],
    )
    owner = world.client("owner")
    before = owner.get(url(world.enterprise, f"commission-statements/?month={month}")).json()["results"]
    assert [(r["orders"], r["gmv"], r["commission"]) for r in before] == [(1, "200.00", "20.00")]
    assert owner.post(url(world.enterprise, f"commission-statements/{month}/settle/")).status_code == 201
    again = owner.post(url(world.enterprise, f"commission-statements/{month}/settle/"))
    assert (again.status_code, again.json()["code"]) == (409, "month_already_settled")
    post(
        staff,
        "orders",
        [order(world.enterprise, bound, "R1", "200.00", paid_at=paid, status="refunded", refunded_at=iso(clock.now()))],
    )
    settled = owner.get(url(world.enterprise, f"commission-statements/?month={month}")).json()["results"]
    assert [(r["commission"], r["status"]) for r in settled] == [("20.00", "settled")]
    line = CommissionLine.objects.get(order__order_id="R1", kind="refund")
    assert (line.month, line.amount) == (clock.month_label(), Decimal("-20.00"))
    assert AuditEvent.objects.filter(action="commission.settled").count() == 1


def test_c05_sending_a_batch_again_changes_nothing_and_a_restated_amount_adjusts(world, staff, bound):
    rows = [order(world.enterprise, bound, "S1", "100.00")]
    post(staff, "orders", rows)
    assert post(staff, "orders", rows)["commission_lines"] == 0
    post(staff, "orders", [rows[0] | {"amount": "150.00"}])
    assert list(CommissionLine.objects.order_by("id").values_list("kind", "amount")) == [
        ("commission", Decimal("10.00")),
        ("adjustment", Decimal("5.00")),
    ]


def test_c05_a_month_not_over_cannot_be_settled_and_only_owners_and_admins_settle(world):
    month = clock.month_label()
    response = world.client("owner").post(url(world.enterprise, f"commission-statements/{month}/settle/"))
    assert (response.status_code, response.json()["code"]) == (409, "month_not_over")
    assert (
        world.client("operator").post(url(world.enterprise, "commission-statements/2020-01/settle/")).status_code == 403
    )
    assert world.client("owner").post(url(world.enterprise, "commission-statements/2020-13/settle/")).status_code == 400


def test_c05_the_default_rate_is_changed_by_owners_and_applies_to_later_orders(world, staff, bound):
    assert (
        world.client("operator")
        .patch(url(world.enterprise, "commission-settings/"), {"default_rate": "0.2"}, format="json")
        .status_code
        == 403
    )
    changed = world.client("admin").patch(
        url(world.enterprise, "commission-settings/"), {"default_rate": "0.2"}, format="json"
    )
    assert changed.json() == {"default_rate": "0.2000"}
    assert (
        world.client("admin")
        .patch(url(world.enterprise, "commission-settings/"), {"default_rate": "1.5"}, format="json")
        .status_code
        == 400
    )
    post(staff, "orders", [order(world.enterprise, bound, "D1", "100.00")])
    assert orders_of(world)["D1"]["commission"] == "20.00"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"amount": "-1.00"}, "amount"),
        ({"amount": "1.001"}, "amount"),
        ({"amount": "NaN"}, "amount"),
        ({"amount": 12.5}, "amount"),
        ({"paid_at": "2099-01-01T00:00:00+08:00"}, "paid_at"),
        ({"paid_at": "2026-11-01T10:00:00"}, "paid_at"),
        ({"channel": "tv"}, "channel"),
        ({"red_id": "nobody"}, "red_id"),
        ({"enterprise_id": 999999}, "enterprise_id"),
        ({"product_id": "NOPE"}, "product_id"),
        ({"status": "refunded"}, "refunded_at"),
        ({"status": "lost"}, "status"),
        ({"status": {}}, "status"),
        ({"channel": ["note"]}, "channel"),
    ],
)
def test_c05_bad_order_rows_refuse_the_whole_batch(world, staff, bound, unchanged, change, field):
    rows = [order(world.enterprise, bound, "OK1"), order(world.enterprise, bound, "BAD1") | change]
    with unchanged():
        response = staff.post("/api/v1/platform/orders/", rows, format="json")
    assert response.status_code == 400
    assert f"[1].{field}" in response.json()["fields"]


def test_c05_an_order_id_of_another_enterprise_is_refused(world, staff, bound, unchanged):
    post(staff, "orders", [order(world.other_enterprise, bound, "X1")])
    with unchanged():
        response = staff.post("/api/v1/platform/orders/", [order(world.enterprise, bound, "X1")], format="json")
    assert "[0].order_id" in response.json()["fields"]


def test_c05_lists_read_a_constant_number_of_queries_and_export_in_words(
    world, staff, bound, django_assert_max_num_queries
):
    post(staff, "orders", [order(world.enterprise, bound, f"Q{n}") for n in range(30)])
    client = world.client("analyst")
    client.get(url(world.enterprise, "orders/"))  # the token's first use is recorded once
    counts = []
    for size in (1, 100):
        with django_assert_max_num_queries(12) as captured:
            assert client.get(url(world.enterprise, f"orders/?page_size={size}")).status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1]
    assert client.get(url(world.enterprise, "orders/?status=lost")).status_code == 400
    rows = csv_rows(client.get(url(world.enterprise, "orders/export/?format=csv")))
    assert rows[0][0] == "订单号" and rows[1][3] == "笔记" and rows[1][7] == "已支付"
    statement = csv_rows(client.get(url(world.enterprise, "commission-statements/export/?format=csv")))
    assert statement[1][-1] == "未结算"


def test_c05_the_employee_sees_only_their_own_orders(world, staff):
    account = world.users["employee"].red_account
    BindingFactory(enterprise=world.enterprise, red_account=account, effective_at=clock.now() - timedelta(days=3))
    other = BindingFactory(enterprise=world.enterprise).red_account
    post(staff, "orders", [order(world.enterprise, account, "E1"), order(world.enterprise, other, "E2")])
    mine = world.client("employee").get("/api/v1/me/orders/").json()["results"]
    assert [o["order_id"] for o in mine] == ["E1"] and mine[0]["enterprise"] == world.enterprise.name
    statement = world.client("employee").get("/api/v1/me/commission-statements/").json()["results"]
    assert [(r["orders"], r["commission"]) for r in statement] == [(1, "10.00")]
    assert world.client("owner").get("/api/v1/me/orders/").status_code == 404
    assert Order.objects.count() == 2
