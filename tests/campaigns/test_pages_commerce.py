"""C05 pages: 商品分销 for the brand (statement, settle, rate, orders) and 我的订单与佣金 for the employee."""

from datetime import timedelta

import pytest

from campaigns.models import CommissionSettlement
from kos_platform import clock

from ..bindings.factories import BindingFactory
from ..notes.helpers import iso

pytestmark = pytest.mark.django_db


@pytest.fixture
def sold(world):
    """Two orders of the world's employee, bound to the brand: one last month, one refunded."""
    account = world.users["employee"].red_account
    BindingFactory(enterprise=world.enterprise, red_account=account, effective_at=clock.now() - timedelta(days=90))
    paid = clock.now() - timedelta(days=35)
    rows = [
        {"order_id": "W1", "enterprise_id": world.enterprise.pk, "red_id": account.red_id, "channel": "live",
         "amount": "300.00", "paid_at": iso(paid)},
        {"order_id": "W2", "enterprise_id": world.enterprise.pk, "red_id": account.red_id, "channel": "dm",
         "amount": "80.00", "paid_at": iso(paid), "status": "refunded", "refunded_at": iso(paid + timedelta(hours=2))},
    ]  # fmt: skip
    assert world.client("staff").post("/api/v1/platform/orders/", rows, format="json").status_code == 200
    return clock.month_label(paid)


def test_c05_the_brand_page_shows_the_statement_and_owners_settle(world, browser, sold):
    page = f"/w/{world.enterprise.pk}/commerce/"
    content = browser("analyst").get(f"{page}?month={sold}").content.decode()
    assert "¥30.00" in content and "直播" in content and "已退款" in content
    assert 'data-testid="settle"' not in content
    for code in ("refunded", "binding_not_active", "group_chat"):
        assert code not in content.replace('value="refunded"', "")
    owner = browser("owner")
    assert 'data-testid="settle"' in owner.get(f"{page}?month={sold}").content.decode()
    settled = owner.post(page, {"action": "settle", "month": sold}, follow=True)
    assert CommissionSettlement.objects.filter(month=sold).exists() and "已结算" in settled.content.decode()
    assert browser("operator").post(page, {"action": "settle", "month": sold}).status_code == 403
    assert browser("agency_reported").get(page).status_code == 200
    assert browser("other_member").get(page).status_code == 404


def test_c05_the_default_rate_form_refuses_bad_values(world, browser, unchanged):
    owner = browser("owner")
    page = f"/w/{world.enterprise.pk}/commerce/"
    with unchanged():
        assert owner.post(page, {"action": "rate", "default_rate": "2"}).status_code == 400
    owner.post(page, {"action": "rate", "default_rate": "0.15"})
    assert "15%" in browser("analyst").get(page).content.decode()


def test_c05_the_employee_sees_their_orders_and_commission_on_the_phone(world, browser, sold):
    content = browser("employee").get(f"/m/orders/?month={sold}").content.decode()
    assert "我的订单与佣金" in content and "¥30.00" in content and world.enterprise.name in content
    assert browser("owner").get("/m/orders/").status_code == 404
