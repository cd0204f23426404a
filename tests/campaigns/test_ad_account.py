"""E05: the ad account — first recharge by industry, the ledger, boosts drawn from the balance."""

from decimal import Decimal

import pytest

from accounts.models import AuditEvent
from campaigns.models import AdAccount, LedgerLine
from notes.models import NoteBoost

from ..notes.helpers import csv_rows, xlsx_rows
from .helpers import ledger_total, pushed_note, recharge

pytestmark = pytest.mark.django_db


def url(enterprise, rest=""):
    return f"/api/v1/enterprises/{enterprise.pk}/{rest}"


@pytest.mark.parametrize(
    ("industry", "minimum"),
    [("service", "20000.00"), ("consumer_goods", "9000.00"), ("culture_tourism", "9000.00"), ("other", "9000.00")],
)
def test_e05_first_recharge_minimum_by_industry(world, unchanged, industry, minimum):
    world.enterprise.industry = industry
    world.enterprise.save()
    owner = world.client("owner")
    assert owner.get(url(world.enterprise, "ad-account/")).json() == {
        "industry": industry,
        "first_recharge_minimum": minimum,
        "first_recharge_met": False,
        "balance": "0.00",
        "recharged_total": "0.00",
        "spent_total": "0.00",
    }
    below = f"{Decimal(minimum) - Decimal('0.01'):.2f}"
    with unchanged():
        refused = owner.post(url(world.enterprise, "ad-account/recharge/"), {"amount": below}, format="json")
    assert refused.status_code == 409
    assert refused.json()["code"] == "recharge_below_minimum"
    assert refused.json()["minimum"] == minimum

    met = owner.post(url(world.enterprise, "ad-account/recharge/"), {"amount": minimum}, format="json")
    assert met.status_code == 201, met.content
    assert met.json()["balance"] == minimum
    later = owner.post(url(world.enterprise, "ad-account/recharge/"), {"amount": "0.01"}, format="json")
    assert later.status_code == 201
    account = owner.get(url(world.enterprise, "ad-account/")).json()
    assert account["first_recharge_met"] is True
    assert account["balance"] == f"{Decimal(minimum) + Decimal('0.01'):.2f}"


def test_e05_staff_change_the_minimums_and_they_apply_at_once(world):
    staff = world.client("staff")
    response = staff.patch(
        "/api/v1/platform/settings/", {"first_recharge_minimums": {"consumer_goods": "5000.00"}}, format="json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["first_recharge_minimums"] == {
        "service": "20000.00",
        "consumer_goods": "5000.00",
        "culture_tourism": "9000.00",
        "other": "9000.00",
    }
    owner = world.client("owner")
    assert owner.get(url(world.enterprise, "ad-account/")).json()["first_recharge_minimum"] == "5000.00"
    assert (
        owner.post(url(world.enterprise, "ad-account/recharge/"), {"amount": "5000"}, format="json").status_code == 201
    )
    assert AuditEvent.objects.filter(action="platform_settings.updated").count() == 1


def test_e05_settings_refuse_bad_values(world, unchanged):
    staff = world.client("staff")
    for body in (
        {"first_recharge_minimums": {"service": "0"}},
        {"first_recharge_minimums": {"service": "10.001"}},
        {"advanced_rights_window_days": 0},
        {"advanced_rights_threshold": "-1"},
    ):
        with unchanged():
            assert staff.patch("/api/v1/platform/settings/", body, format="json").status_code == 400


def test_e05_recharge_refuses_bad_amounts(world, unchanged):
    owner = world.client("owner")
    for amount in ("0", "-100", "9000.001", "abc", "NaN", None):
        with unchanged():
            response = owner.post(url(world.enterprise, "ad-account/recharge/"), {"amount": amount}, format="json")
        assert response.status_code == 400, amount
        assert "amount" in response.json()["fields"]


def test_e05_the_balance_is_the_sum_of_the_ledger(world):
    enterprise, owner = world.enterprise, world.users["owner"]
    recharge(enterprise, owner, "9000.00")
    recharge(enterprise, owner, "123.45")
    note = pushed_note(enterprise)
    client = world.client("operator")
    assert (
        client.post(url(enterprise, f"notes/{note.note_id}/boost/"), {"budget": "23.45"}, format="json").status_code
        == 201
    )
    account = AdAccount.objects.get(pk=enterprise.pk)
    assert account.balance == Decimal("9100.00") == ledger_total(enterprise)
    assert account.recharged_total - account.spent_total == account.balance
    lines = client.get(url(enterprise, "ad-account/ledger/")).json()["results"]
    assert [(line["kind"], line["amount"], line["balance_after"]) for line in lines] == [
        ("boost", "-23.45", "9100.00"),
        ("recharge", "123.45", "9123.45"),
        ("recharge", "9000.00", "9000.00"),
    ]
    assert client.get(url(enterprise, "ad-account/ledger/?kind=boost")).json()["count"] == 1
    assert client.get(url(enterprise, "ad-account/ledger/?kind=spend")).json()["count"] == 0
    assert client.get(url(enterprise, "ad-account/ledger/?kind=gift")).status_code == 400


def test_e05_no_boost_before_the_first_recharge(world, unchanged):
    note = pushed_note(world.enterprise)
    client = world.client("operator")
    with unchanged():
        response = client.post(
            url(world.enterprise, f"notes/{note.note_id}/boost/"), {"budget": "100.00"}, format="json"
        )
    assert response.status_code == 409
    assert response.json()["code"] == "recharge_below_minimum"
    assert response.json()["minimum"] == "9000.00"


def test_e05_a_boost_beyond_the_balance_is_insufficient_balance(world, unchanged):
    recharge(world.enterprise, world.users["owner"], "9000.00")
    note = pushed_note(world.enterprise)
    client = world.client("operator")
    with unchanged():
        response = client.post(
            url(world.enterprise, f"notes/{note.note_id}/boost/"), {"budget": "9000.01"}, format="json"
        )
    assert response.status_code == 409
    assert response.json() | {"detail": ""} == {"code": "insufficient_balance", "balance": "9000.00", "detail": ""}
    assert not NoteBoost.objects.exists()


def test_e05_the_ledger_exports_in_the_users_language(world):
    recharge(world.enterprise, world.users["owner"], "9000.00")
    client = world.client("analyst")
    rows = csv_rows(client.get(url(world.enterprise, "ad-account/ledger/export/?format=csv")))
    assert rows[0] == ["时间", "类型", "金额（元）", "变动后余额（元）", "备注"]
    assert rows[1][1:4] == ["充值", "9000.00", "9000.00"]
    sheet = xlsx_rows(
        client.get(url(world.enterprise, "ad-account/ledger/export/?format=xlsx"), HTTP_ACCEPT_LANGUAGE="en")
    )
    assert sheet[0] == ("Time", "Kind", "Amount (yuan)", "Balance after (yuan)", "Reference")
    assert sheet[1][1] == "Recharge"
    assert client.get(url(world.enterprise, "ad-account/ledger/export/?format=pdf")).status_code == 400


def test_e05_ledger_list_reads_a_constant_number_of_queries(world, django_assert_max_num_queries):
    enterprise, owner = world.enterprise, world.users["owner"]
    recharge(enterprise, owner, "9000.00")
    for _ in range(30):
        recharge(enterprise, owner, "1.00")
    client = world.client("owner")
    for size in (1, 100):
        with django_assert_max_num_queries(6):
            assert client.get(url(enterprise, f"ad-account/ledger/?page_size={size}")).status_code == 200
    assert LedgerLine.objects.filter(account_id=enterprise.pk).count() == 31
