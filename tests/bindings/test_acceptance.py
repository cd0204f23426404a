"""The employee accepts: the binding starts (B01), the identity must match (I06), and everything is checked again
at acceptance (I07) — a refused acceptance stores nothing and leaves the invitation `sent`."""

from datetime import timedelta

import pytest

from accounts import services as account_services
from accounts.models import AuditEvent
from bindings import services
from bindings.models import Binding, BindingHolder, Invitation
from kos_platform import clock
from kos_platform.tenancy import Actor

from ..factories import EnterpriseFactory, RedAccountFactory, valid_id_number
from .factories import InvitationFactory
from .helpers import OWNED, PERSONAL, bind, iso, notified, send

pytestmark = pytest.mark.django_db


def accept_url(invitation) -> str:
    return f"/api/v1/me/invitations/{invitation.pk}/accept/"


def assert_refused(response, code: str, invitation: Invitation) -> dict:
    """409 with `code`; the invitation is still `sent` and no binding exists for it."""
    assert response.status_code == 409, response.content
    assert response.json()["code"] == code
    invitation.refresh_from_db()
    assert invitation.status == "sent"
    assert not Binding.objects.filter(invitation=invitation).exists()
    return response.json()


# B01 ----------------------------------------------------------------------------------------------------------


def test_b01_acceptance_creates_an_active_binding_with_its_rights(travel, t0, world, employee_account, employee_client):
    invitation = send(world.enterprise, employee_account, position="store_manager", region="北京·朝阳")
    travel.move_to(t0 + timedelta(hours=5))

    response = employee_client.post(accept_url(invitation))

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "active" and body["effective_at"] == iso(t0 + timedelta(hours=5))
    assert (body["enterprise_id"], body["enterprise_name"]) == (world.enterprise.pk, "花漾美妆")
    assert (body["position"], body["region"], body["holder"]["name"]) == ("store_manager", "北京·朝阳", "李小美")
    binding = Binding.objects.get()
    assert binding.invitation == invitation and binding.red_account == employee_account
    assert list(BindingHolder.objects.values_list("binding", "name", "ended_at")) == [(binding.pk, "李小美", None)]
    invitation.refresh_from_db()
    assert invitation.status == "accepted" and invitation.responded_at == t0 + timedelta(hours=5)
    badge = employee_client.get(f"/api/v1/red/{employee_account.red_id}/profile/").json()["badge"]
    assert badge["label"] == "花漾美妆 · 店长"
    assert notified("invitation_accepted", invitation)


def test_b01_the_employee_sees_the_binding(world, employee_account, employee_client):
    binding = bind(world.enterprise, employee_account)

    listed = employee_client.get("/api/v1/me/bindings/").json()["results"]

    assert [(row["id"], row["enterprise_name"], row["status"]) for row in listed] == [
        (binding.pk, "花漾美妆", "active")
    ]


def test_b01_another_employee_cannot_accept_someone_elses_invitation(world, employee_account, unchanged):
    invitation = send(world.enterprise, employee_account)
    stranger = world.client("employee")

    with unchanged():
        response = stranger.post(accept_url(invitation))

    assert response.status_code == 404


# I06 ----------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "wrong",
    [{"name": "李大美"}, {"id_number": valid_id_number(2)}],
    ids=["wrong_name", "wrong_id_number"],
)
def test_i06_identity_must_match_the_real_name_record(world, employee_account, employee_client, unchanged, wrong):
    invitation = send(world.enterprise, employee_account, **wrong)

    with unchanged():
        response = employee_client.post(accept_url(invitation))

    assert_refused(response, "identity_mismatch", invitation)
    assert employee_client.get(f"/api/v1/me/invitations/{invitation.pk}/").json()["status"] == "sent"


def test_i06_after_a_mismatch_the_invitation_can_still_be_cancelled(world, employee_account, employee_client):
    invitation = send(world.enterprise, employee_account, name="李大美")
    employee_client.post(accept_url(invitation))

    response = world.client("operator").post(
        f"/api/v1/enterprises/{world.enterprise.pk}/invitations/{invitation.pk}/cancel/"
    )

    assert response.status_code == 200 and response.json()["status"] == "cancelled"


# I07 ----------------------------------------------------------------------------------------------------------


def test_i07_account_opened_a_shop_after_approval(world, employee_account, employee_client, unchanged):
    invitation = send(world.enterprise, employee_account)
    account_services.red_account_update(actor=None, account=employee_account, has_shop=True)

    with unchanged():
        response = employee_client.post(accept_url(invitation))

    assert assert_refused(response, "account_not_eligible", invitation)["reasons"] == ["has_shop"]


def test_i07_account_became_a_creator_with_too_many_followers(world, employee_account, employee_client, unchanged):
    invitation = send(world.enterprise, employee_account)
    account_services.red_account_update(actor=None, account=employee_account, followers=100_001, is_creator=True)

    with unchanged():
        response = employee_client.post(accept_url(invitation))

    body = assert_refused(response, "account_not_eligible", invitation)
    assert body["reasons"] == ["followers_over_limit", "is_creator"]


def test_i07_enterprise_lost_its_permission_after_approval(world, employee_account, employee_client, unchanged):
    invitation = send(world.enterprise, employee_account)
    account_services.kos_permission_revoke(actor=Actor(user=world.users["staff"]), enterprise=world.enterprise)

    with unchanged():
        response = employee_client.post(accept_url(invitation))

    assert_refused(response, "kos_permission_missing", invitation)


def test_i07_enterprise_banned_and_annual_review_lapsed_after_approval(
    world, employee_account, employee_client, unchanged
):
    invitation = send(world.enterprise, employee_account)
    account_services.enterprise_update(
        actor=Actor(user=world.users["staff"]),
        enterprise=world.enterprise,
        banned=True,
        annual_review_valid_until=clock.local_today() - timedelta(days=1),
    )

    with unchanged():
        response = employee_client.post(accept_url(invitation))

    body = assert_refused(response, "enterprise_not_eligible", invitation)
    assert body["reasons"] == ["annual_review_expired", "banned"]


def test_i07_enterprise_restricted_for_a_violation_after_approval(
    travel, t0, world, employee_account, employee_client, unchanged
):
    invitation = send(world.enterprise, employee_account)
    earlier = bind(world.enterprise, RedAccountFactory())
    world.client("staff").post(
        f"/api/v1/platform/bindings/{earlier.pk}/remove-for-violation/", {"reason": "造假"}, format="json"
    )

    with unchanged():
        response = employee_client.post(accept_url(invitation))

    assert assert_refused(response, "invitations_restricted", invitation)["until"] == iso(t0 + timedelta(days=30))


def test_i07_a08_account_bound_elsewhere_after_approval(world, employee_account, employee_client, unchanged):
    mine = send(world.enterprise, employee_account)
    theirs = send(world.other_enterprise, employee_account, OWNED)
    employee_client.post(accept_url(theirs))

    with unchanged():
        response = employee_client.post(accept_url(mine))

    assert_refused(response, "account_already_bound", mine)
    assert Binding.objects.get().enterprise == world.other_enterprise


def test_i07_b09_cooldown_started_after_approval(travel, t0, world, employee_account, employee_client, unchanged):
    """The account was bound personal_authorized elsewhere; it ends while this invitation waits."""
    elsewhere = bind(EnterpriseFactory(), employee_account, PERSONAL)
    travel.move_to(t0 + timedelta(days=30))
    waiting = InvitationFactory(enterprise=world.enterprise, red_account=employee_account, sent=True)
    services.binding_unbind(actor=Actor(user=employee_account.user), binding=elsewhere, by_employee=True)

    with unchanged():
        response = employee_client.post(accept_url(waiting))

    body = assert_refused(response, "rebind_cooldown", waiting)
    assert body["available_at"] == iso(t0 + timedelta(days=60))


def test_i07_nothing_is_audited_for_a_refused_acceptance(world, employee_account, employee_client):
    invitation = send(world.enterprise, employee_account)
    account_services.red_account_update(actor=None, account=employee_account, has_violation=True)
    before = AuditEvent.objects.count()

    employee_client.post(accept_url(invitation))

    assert AuditEvent.objects.count() == before
