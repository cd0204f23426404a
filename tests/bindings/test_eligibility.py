"""Who may be invited: the enterprise (E01, E02) and the RED account (A01–A08). A refusal lists every failing
reason and stores nothing; the eligibility endpoint answers the same per mode."""

import pytest
from django.db import IntegrityError, transaction

from accounts.models import RedAccount
from bindings import services
from bindings.models import Binding, Invitation
from kos_platform import clock
from kos_platform.tenancy import Actor

from ..factories import EnterpriseFactory
from .factories import BindingFactory
from .helpers import OWNED, PERSONAL, bind, media_files

pytestmark = pytest.mark.django_db

ALL_REASONS = [
    "followers_over_limit",
    "has_shop",
    "is_creator",
    "is_enterprise_account",
    "has_violation",
    "not_real_name_verified",
    "phone_not_bound",
]


@pytest.fixture
def invite_account(world, invitation_form, employee_account, unchanged):
    """Sends the I02 form for `employee_account` as the brand's operator; asserts a refusal stores nothing."""
    client = world.client("operator")

    def post(expect_refusal=True, **form):
        files = media_files()
        url = f"/api/v1/enterprises/{world.enterprise.pk}/invitations/"
        if not expect_refusal:
            return client.post(url, invitation_form(**form), format="multipart")
        with unchanged():
            response = client.post(url, invitation_form(**form), format="multipart")
        assert media_files() == files
        return response

    return post


def eligibility(world, account):
    client = world.client("analyst")
    return client.get(f"/api/v1/enterprises/{world.enterprise.pk}/red-accounts/{account.red_id}/eligibility/").json()


# E01 / E02 ----------------------------------------------------------------------------------------------------


def test_e01_an_uncertified_enterprise_cannot_invite(world, invite_account):
    type(world.enterprise).objects.filter(pk=world.enterprise.pk).update(certified=False, banned=True)

    response = invite_account()

    assert response.status_code == 409
    assert response.json()["code"] == "enterprise_not_eligible"
    assert response.json()["reasons"] == ["not_certified", "banned"]


def test_e02_an_enterprise_without_the_kos_permission_cannot_invite(world, invite_account):
    type(world.enterprise).objects.filter(pk=world.enterprise.pk).update(kos_permission_granted_at=None)

    response = invite_account()

    assert (response.status_code, response.json()["code"]) == (409, "kos_permission_missing")


# A01–A07 ------------------------------------------------------------------------------------------------------


def test_a01_followers_up_to_100000_are_allowed(employee_account, invite_account):
    employee_account.followers = 100_000
    employee_account.save()

    response = invite_account(expect_refusal=False)

    assert response.status_code == 201, response.content


@pytest.mark.parametrize(
    "change, reason",
    [
        pytest.param({"followers": 100_001}, "followers_over_limit", id="a01_followers_over_100000"),
        pytest.param({"has_shop": True}, "has_shop", id="a02_has_a_shop"),
        pytest.param({"is_creator": True}, "is_creator", id="a03_pugongying_creator"),
        pytest.param({"is_enterprise_account": True}, "is_enterprise_account", id="a04_enterprise_account"),
        pytest.param({"has_violation": True}, "has_violation", id="a05_violation_record"),
        pytest.param({"real_name_verified": False}, "not_real_name_verified", id="a06_not_real_name_verified"),
        pytest.param({"phone_bound": False}, "phone_not_bound", id="a07_no_phone_bound"),
    ],
)
def test_a01_to_a07_each_failing_condition_refuses_the_invitation(
    world, employee_account, invite_account, change, reason
):
    """A01 followers, A02 shop, A03 creator, A04 enterprise account, A05 violation, A06 real name, A07 phone."""
    RedAccount.objects.filter(pk=employee_account.pk).update(**change)

    response = invite_account()

    assert response.status_code == 409
    assert response.json()["code"] == "account_not_eligible"
    assert response.json()["reasons"] == [reason]
    employee_account.refresh_from_db()
    body = eligibility(world, employee_account)
    assert body["eligible"] is False and body["reasons"] == [reason]


def test_a01_to_a07_every_failing_reason_is_listed(world, employee_account, invite_account):
    RedAccount.objects.filter(pk=employee_account.pk).update(
        followers=200_000,
        has_shop=True,
        is_creator=True,
        is_enterprise_account=True,
        has_violation=True,
        real_name_verified=False,
        phone_bound=False,
    )

    response = invite_account()

    assert response.status_code == 409 and response.json()["reasons"] == ALL_REASONS
    body = eligibility(world, employee_account)
    assert body["reasons"] == ALL_REASONS
    for mode in (OWNED, PERSONAL):
        assert body["modes"][mode] == {"allowed": False, "code": "account_not_eligible", "available_at": None}


def test_eligibility_of_a_clean_account(world, employee_account):
    body = eligibility(world, employee_account)

    assert body == {
        "red_id": employee_account.red_id,
        "nickname": "小美导购日记",
        "followers": 500,
        "eligible": True,
        "reasons": [],
        "modes": {
            OWNED: {"allowed": True, "code": None, "available_at": None},
            PERSONAL: {"allowed": True, "code": None, "available_at": None},
        },
    }


def test_eligibility_of_an_unknown_account_is_404(world):
    response = world.client("analyst").get(
        f"/api/v1/enterprises/{world.enterprise.pk}/red-accounts/00000000/eligibility/"
    )

    assert response.status_code == 404


# A08 ----------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("status", ["active", "frozen"])
def test_a08_database_constraint_allows_one_live_binding_per_account(employee_account, status):
    BindingFactory(red_account=employee_account, status=status)

    with pytest.raises(IntegrityError, match="one_live_binding_per_red_account"), transaction.atomic():
        BindingFactory(red_account=employee_account, enterprise=EnterpriseFactory(), mode=OWNED)


def test_a08_an_ended_binding_does_not_count(employee_account):
    BindingFactory(red_account=employee_account, status="ended", ended_at=clock.now())

    BindingFactory(red_account=employee_account, enterprise=EnterpriseFactory())

    assert Binding.objects.filter(red_account=employee_account).count() == 2


@pytest.mark.parametrize("mode", [OWNED, PERSONAL])
def test_a08_an_account_bound_to_another_enterprise_cannot_be_invited(world, employee_account, invite_account, mode):
    bind(world.other_enterprise, employee_account, OWNED if mode == PERSONAL else PERSONAL)

    response = invite_account(mode=mode)

    assert (response.status_code, response.json()["code"]) == (409, "account_already_bound")
    assert not Invitation.objects.filter(enterprise=world.enterprise).exists()
    assert eligibility(world, employee_account)["modes"][mode] == {
        "allowed": False,
        "code": "account_already_bound",
        "available_at": None,
    }


def test_a08_an_account_bound_to_this_enterprise_in_the_same_mode(world, employee_account, invite_account):
    bind(world.enterprise, employee_account, PERSONAL)

    response = invite_account(mode=PERSONAL)

    assert (response.status_code, response.json()["code"]) == (409, "account_already_bound")


def test_a08_a_frozen_binding_still_holds_the_account(world, employee_account, invite_account):
    binding = bind(world.other_enterprise, employee_account, OWNED)
    services.binding_freeze(actor=Actor(user=world.users["other_member"]), binding=binding)

    response = invite_account(mode=OWNED)

    assert (response.status_code, response.json()["code"]) == (409, "account_already_bound")
