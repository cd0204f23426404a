"""E01–E03: who may bind employees, and when the employee-account management permission can be granted."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from accounts import services
from accounts.choices import Industry
from accounts.models import AuditEvent, Enterprise
from kos_platform.errors import RuleViolation
from kos_platform.tenancy import Actor

from ..factories import EnterpriseFactory, UserFactory

SHANGHAI = ZoneInfo("Asia/Shanghai")
pytestmark = pytest.mark.django_db


@pytest.fixture
def staff():
    return Actor(user=UserFactory(is_staff=True))


def test_e01_certified_reviewed_unbanned_enterprise_can_bind():
    assert services.enterprise_state_reasons(EnterpriseFactory()) == []
    services.ensure_enterprise_can_invite(EnterpriseFactory())


def test_e01_every_failing_state_is_listed():
    enterprise = EnterpriseFactory(certified=False, annual_review_valid_until=None, banned=True)
    assert services.enterprise_state_reasons(enterprise) == ["not_certified", "annual_review_expired", "banned"]
    with pytest.raises(RuleViolation) as refused:
        services.ensure_enterprise_can_invite(enterprise)
    assert refused.value.code == "enterprise_not_eligible"
    assert refused.value.facts["reasons"] == ["not_certified", "annual_review_expired", "banned"]


def test_e01_annual_review_lapses_at_midnight_shanghai():
    enterprise = EnterpriseFactory(annual_review_valid_until=datetime(2026, 11, 30).date())
    with time_machine.travel(datetime(2026, 11, 30, 23, 59, 59, tzinfo=SHANGHAI), tick=False):
        assert services.enterprise_state_reasons(enterprise) == []
    with time_machine.travel(datetime(2026, 12, 1, 0, 0, 0, tzinfo=SHANGHAI), tick=False):
        assert services.enterprise_state_reasons(enterprise) == ["annual_review_expired"]


def test_e02_binding_needs_the_kos_permission():
    enterprise = EnterpriseFactory(kos_permission_granted_at=None)
    with pytest.raises(RuleViolation) as refused:
        services.ensure_enterprise_can_invite(enterprise)
    assert refused.value.code == "kos_permission_missing"


def test_e02_staff_grant_the_permission_and_it_is_audited(staff):
    enterprise = EnterpriseFactory(kos_permission_granted_at=None)
    services.kos_permission_grant(actor=staff, enterprise=enterprise)
    enterprise.refresh_from_db()
    assert enterprise.kos_permission and enterprise.kos_permission_granted_by == staff.user
    event = AuditEvent.objects.get(action="enterprise.kos_permission_granted")
    assert (event.actor, event.enterprise, event.before, event.after) == (
        staff.user,
        enterprise,
        {"kos_permission": False},
        {"kos_permission": True},
    )
    services.ensure_enterprise_can_invite(enterprise)


def test_e02_withdrawn_permission_stops_invitations(staff):
    enterprise = EnterpriseFactory()
    enterprise = services.kos_permission_revoke(actor=staff, enterprise=enterprise, reason="合作结束")
    with pytest.raises(RuleViolation, match="kos_permission_missing"):
        services.ensure_enterprise_can_invite(enterprise)
    assert AuditEvent.objects.get(action="enterprise.kos_permission_revoked").reason == "合作结束"


@pytest.mark.parametrize(
    ("industry", "stores", "granted"),
    [
        (Industry.SERVICE, 9, False),
        (Industry.SERVICE, 10, True),
        (Industry.CONSUMER_GOODS, 0, False),
        (Industry.OTHER, 10, True),
        (Industry.CULTURE_TOURISM, 0, True),
    ],
)
def test_e03_ten_stores_except_culture_and_tourism(staff, industry, stores, granted):
    enterprise = EnterpriseFactory(industry=industry, store_count=stores, kos_permission_granted_at=None)
    if granted:
        services.kos_permission_grant(actor=staff, enterprise=enterprise)
    else:
        with pytest.raises(RuleViolation) as refused:
            services.kos_permission_grant(actor=staff, enterprise=enterprise)
        assert refused.value.facts["reasons"] == ["too_few_stores"]
    enterprise.refresh_from_db()
    assert enterprise.kos_permission is granted


def test_e03_serious_violation_blocks_for_365_days(staff):
    banned_at = datetime(2025, 11, 21, 10, 0, tzinfo=SHANGHAI)
    enterprise = EnterpriseFactory(serious_violation_at=banned_at, kos_permission_granted_at=None)
    with time_machine.travel(banned_at + timedelta(days=365) - timedelta(minutes=1), tick=False):
        assert services.kos_permission_reasons(enterprise) == ["serious_violation_recent"]
    with time_machine.travel(banned_at + timedelta(days=365), tick=False):
        enterprise.annual_review_valid_until = datetime(2027, 1, 1).date()
        assert services.kos_permission_reasons(enterprise) == []
        services.kos_permission_grant(actor=staff, enterprise=enterprise)


def test_e03_api_lists_every_failing_reason_and_stores_nothing(world, unchanged):
    client = world.client("staff")
    enterprise = EnterpriseFactory(
        certified=False,
        store_count=2,
        kos_permission_granted_at=None,
        serious_violation_at=datetime(2026, 6, 1, tzinfo=SHANGHAI),
    )
    with time_machine.travel(datetime(2026, 11, 21, 9, 30, tzinfo=SHANGHAI), tick=False), unchanged():
        response = client.post(f"/api/v1/platform/enterprises/{enterprise.pk}/kos-permission/")
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "enterprise_not_eligible"
    assert body["reasons"] == ["not_certified", "too_few_stores", "serious_violation_recent"]
    assert body["detail"] == "企业不满足条件。"
    assert Enterprise.objects.get(pk=enterprise.pk).kos_permission_granted_at is None


def test_e03_api_grant_and_the_brand_sees_it(world):
    enterprise = world.other_enterprise
    Enterprise.objects.filter(pk=enterprise.pk).update(kos_permission_granted_at=None)
    response = world.client("staff").post(f"/api/v1/platform/enterprises/{enterprise.pk}/kos-permission/")
    assert response.status_code == 200 and response.json()["kos_permission"] is True
    brand = world.client("other_member").get(f"/api/v1/enterprises/{enterprise.pk}/").json()
    assert brand["kos_permission"] is True and brand["role"] == "owner"
