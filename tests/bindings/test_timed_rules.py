"""Timed rules, exact to the minute with the clock frozen, and with no sweep running: I05 (48 hours to accept),
B07 (30-day unbind lock), B09 (30-day cooldown for another enterprise), E04 (30 days without new invitations)."""

from datetime import timedelta

import pytest

from accounts.models import AuditEvent
from bindings.models import Binding, Invitation

from ..factories import EnterpriseFactory, RedAccountFactory
from .helpers import OWNED, PERSONAL, bind, iso, media_files, send

pytestmark = pytest.mark.django_db

MINUTE = timedelta(minutes=1)
DAYS_30 = timedelta(days=30)


def accept_url(invitation) -> str:
    return f"/api/v1/me/invitations/{invitation.pk}/accept/"


# I05 ----------------------------------------------------------------------------------------------------------


def test_i05_approval_starts_48_hours(travel, t0, world, employee_account):
    invitation = send(world.enterprise, employee_account)

    assert invitation.sent_at == t0
    assert invitation.expires_at == t0 + timedelta(hours=48)


def test_i05_accepted_one_minute_before_expiry(travel, world, employee_account, employee_client):
    invitation = send(world.enterprise, employee_account)

    travel.move_to(invitation.expires_at - MINUTE)
    response = employee_client.post(accept_url(invitation))

    assert response.status_code == 200, response.content
    assert response.json()["status"] == "active"
    assert response.json()["effective_at"] == iso(invitation.expires_at - MINUTE)


def test_i05_expired_at_expires_at_exactly_even_though_no_sweep_ran(
    travel, world, employee_account, employee_client, unchanged
):
    invitation = send(world.enterprise, employee_account)
    brand = world.client("operator")

    travel.move_to(invitation.expires_at)
    with unchanged():
        response = employee_client.post(accept_url(invitation))

    assert response.status_code == 409
    assert response.json()["code"] == "invitation_expired"
    assert Invitation.objects.get(pk=invitation.pk).status == "sent"  # no sweep has marked it yet
    assert not Binding.objects.exists()
    mine = employee_client.get(f"/api/v1/me/invitations/{invitation.pk}/").json()
    assert mine["status"] == "expired"
    listed = brand.get(f"/api/v1/enterprises/{world.enterprise.pk}/invitations/?status=expired").json()
    assert [item["id"] for item in listed["results"]] == [invitation.pk]
    assert brand.get(f"/api/v1/enterprises/{world.enterprise.pk}/invitations/?status=sent").json()["count"] == 0


def test_i05_an_expired_invitation_can_be_neither_declined_nor_cancelled(
    travel, world, employee_account, employee_client, unchanged
):
    invitation = send(world.enterprise, employee_account)
    brand = world.client("operator")

    travel.move_to(invitation.expires_at)
    with unchanged():
        declined = employee_client.post(f"/api/v1/me/invitations/{invitation.pk}/decline/")
        cancelled = brand.post(f"/api/v1/enterprises/{world.enterprise.pk}/invitations/{invitation.pk}/cancel/")

    assert (declined.status_code, declined.json()["code"]) == (409, "invitation_expired")
    assert (cancelled.status_code, cancelled.json()["code"]) == (409, "invitation_expired")


# B07 ----------------------------------------------------------------------------------------------------------


def test_b07_personal_unbind_locked_for_30_days(travel, t0, world, employee_account, unchanged):
    binding = bind(world.enterprise, employee_account, PERSONAL)
    assert binding.effective_at == t0
    brand = world.client("operator")
    url = f"/api/v1/enterprises/{world.enterprise.pk}/bindings/{binding.pk}/unbind/"

    travel.move_to(t0 + DAYS_30 - MINUTE)
    with unchanged():
        locked = brand.post(url, {"reason": "离职"}, format="json")

    assert locked.status_code == 409
    assert locked.json()["code"] == "unbind_locked"
    assert locked.json()["available_at"] == iso(t0 + DAYS_30)
    assert locked.json()["available_at"].endswith("+08:00")

    travel.move_to(t0 + DAYS_30)
    unbound = brand.post(url, {"reason": "离职"}, format="json")

    assert unbound.status_code == 200, unbound.content
    assert unbound.json()["status"] == "ended"
    assert unbound.json()["end_reason"] == "unbound_by_enterprise"
    assert unbound.json()["ended_at"] == iso(t0 + DAYS_30)


def test_b07_the_lock_binds_the_employee_too(travel, t0, world, employee_account, employee_client, unchanged):
    binding = bind(world.enterprise, employee_account, PERSONAL)
    url = f"/api/v1/me/bindings/{binding.pk}/unbind/"

    travel.move_to(t0 + DAYS_30 - MINUTE)
    with unchanged():
        locked = employee_client.post(url)
    travel.move_to(t0 + DAYS_30)
    unbound = employee_client.post(url)

    assert (locked.status_code, locked.json()["code"]) == (409, "unbind_locked")
    assert locked.json()["available_at"] == iso(t0 + DAYS_30)
    assert unbound.status_code == 200, unbound.content
    assert unbound.json()["end_reason"] == "unbound_by_employee"


def test_b07_binding_list_shows_when_unbinding_becomes_available(travel, t0, world, employee_account):
    bind(world.enterprise, employee_account, PERSONAL)
    owned = bind(world.enterprise, RedAccountFactory(), OWNED)

    rows = world.client("analyst").get(f"/api/v1/enterprises/{world.enterprise.pk}/bindings/").json()["results"]

    available = {row["id"]: row["unbind_available_at"] for row in rows}
    assert available[owned.pk] == iso(t0)  # B08: at once
    assert set(available.values()) == {iso(t0), iso(t0 + DAYS_30)}


def test_b07_freezing_is_allowed_inside_the_lock_and_unbinding_when_it_ends(travel, t0, world, employee_account):
    """B07 decision: an employee who leaves inside the 30 days is frozen at once and unbound when the lock ends."""
    binding = bind(world.enterprise, employee_account, PERSONAL)
    brand = world.client("operator")
    base = f"/api/v1/enterprises/{world.enterprise.pk}/bindings/{binding.pk}"

    travel.move_to(t0 + timedelta(days=3))
    frozen = brand.post(f"{base}/freeze/", {"reason": "离职"}, format="json")
    travel.move_to(t0 + DAYS_30)
    unbound = brand.post(f"{base}/unbind/", {"reason": "离职"}, format="json")

    assert frozen.status_code == 200 and frozen.json()["status"] == "frozen"
    assert unbound.status_code == 200 and unbound.json()["status"] == "ended"


# B09 ----------------------------------------------------------------------------------------------------------


@pytest.fixture
def ended_personal(travel, t0, world, employee_account):
    """`employee_account` was bound personal_authorized to the world's brand and unbound at t0 + 30 days."""
    binding = bind(world.enterprise, employee_account, PERSONAL)
    travel.move_to(t0 + DAYS_30)
    world.client("operator").post(f"/api/v1/enterprises/{world.enterprise.pk}/bindings/{binding.pk}/unbind/")
    binding.refresh_from_db()
    assert binding.status == "ended" and binding.ended_at == t0 + DAYS_30
    return binding


def test_b09_another_enterprise_waits_30_days_for_personal_authorized(
    travel, world, ended_personal, invitation_form, unchanged
):
    other = world.client("other_member")
    url = f"/api/v1/enterprises/{world.other_enterprise.pk}/invitations/"
    available_at = ended_personal.ended_at + DAYS_30

    travel.move_to(available_at - MINUTE)
    files = media_files()
    with unchanged():
        refused = other.post(url, invitation_form(mode=PERSONAL), format="multipart")

    assert refused.status_code == 409
    assert refused.json()["code"] == "rebind_cooldown"
    assert refused.json()["available_at"] == iso(available_at)
    assert media_files() == files

    travel.move_to(available_at)
    created = other.post(url, invitation_form(mode=PERSONAL), format="multipart")

    assert created.status_code == 201, created.content


def test_b09_eligibility_shows_the_cooldown_per_mode(world, ended_personal, employee_account):
    url = f"/api/v1/enterprises/{world.other_enterprise.pk}/red-accounts/{employee_account.red_id}/eligibility/"

    body = world.client("other_member").get(url).json()

    assert body["eligible"] is True and body["reasons"] == []
    assert body["modes"]["personal_authorized"] == {
        "allowed": False,
        "code": "rebind_cooldown",
        "available_at": iso(ended_personal.ended_at + DAYS_30),
    }
    assert body["modes"]["enterprise_owned"] == {"allowed": True, "code": None, "available_at": None}


def test_b09_enterprise_owned_is_allowed_at_once(world, ended_personal, invitation_form):
    url = f"/api/v1/enterprises/{world.other_enterprise.pk}/invitations/"

    created = world.client("other_member").post(url, invitation_form(mode=OWNED), format="multipart")

    assert created.status_code == 201, created.content
    assert created.json()["mode"] == OWNED


def test_b09_the_same_enterprise_may_bind_personal_authorized_again_at_once(world, ended_personal, invitation_form):
    url = f"/api/v1/enterprises/{world.enterprise.pk}/invitations/"

    created = world.client("operator").post(url, invitation_form(mode=PERSONAL), format="multipart")

    assert created.status_code == 201, created.content


def test_b09_an_enterprise_owned_binding_leaves_no_cooldown(travel, t0, world, employee_account, invitation_form):
    binding = bind(world.enterprise, employee_account, OWNED)
    world.client("operator").post(f"/api/v1/enterprises/{world.enterprise.pk}/bindings/{binding.pk}/unbind/")

    created = world.client("other_member").post(
        f"/api/v1/enterprises/{world.other_enterprise.pk}/invitations/",
        invitation_form(mode=PERSONAL),
        format="multipart",
    )

    assert created.status_code == 201, created.content


# E04 ----------------------------------------------------------------------------------------------------------


def test_e04_removal_for_violation_restricts_invitations_for_30_days(
    travel, t0, world, employee_account, invitation_form, unchanged
):
    binding = bind(world.enterprise, employee_account, PERSONAL)
    newcomer = RedAccountFactory(real_name="王五")
    brand, staff = world.client("operator"), world.client("staff")
    invitations = f"/api/v1/enterprises/{world.enterprise.pk}/invitations/"

    travel.move_to(t0 + timedelta(days=2))  # inside the B07 lock, which removal ignores
    removed = staff.post(
        f"/api/v1/platform/bindings/{binding.pk}/remove-for-violation/", {"reason": "在职证明造假"}, format="json"
    )

    assert removed.status_code == 200, removed.content
    assert removed.json()["status"] == "ended" and removed.json()["end_reason"] == "removed_for_violation"
    until = t0 + timedelta(days=2) + DAYS_30
    world.enterprise.refresh_from_db()
    assert world.enterprise.invitations_restricted_until == until
    profile = brand.get(f"/api/v1/enterprises/{world.enterprise.pk}/").json()
    assert profile["invitations_restricted_until"] == iso(until)

    travel.move_to(until - MINUTE)
    files = media_files()
    with unchanged():
        refused = brand.post(invitations, invitation_form(red_id=newcomer.red_id), format="multipart")

    assert refused.status_code == 409
    assert refused.json()["code"] == "invitations_restricted"
    assert refused.json()["until"] == iso(until)
    assert media_files() == files

    travel.move_to(until)
    created = brand.post(invitations, invitation_form(red_id=newcomer.red_id), format="multipart")

    assert created.status_code == 201, created.content


def test_e04_restriction_is_recorded_and_only_for_that_enterprise(travel, t0, world, employee_account):
    binding = bind(world.enterprise, employee_account, PERSONAL)
    bystander = EnterpriseFactory()

    world.client("staff").post(
        f"/api/v1/platform/bindings/{binding.pk}/remove-for-violation/", {"reason": "违规"}, format="json"
    )

    event = AuditEvent.objects.get(action="enterprise.invitations_restricted")
    assert event.enterprise == world.enterprise and event.actor == world.users["staff"]
    assert event.before == {"invitations_restricted_until": None}
    assert event.after == {"invitations_restricted_until": iso(t0 + DAYS_30)}
    assert event.reason == "违规"
    bystander.refresh_from_db()
    assert bystander.invitations_restricted_until is None


def test_e04_removal_needs_a_reason(world, employee_account, unchanged):
    binding = bind(world.enterprise, employee_account, PERSONAL)
    staff = world.client("staff")

    with unchanged():
        response = staff.post(f"/api/v1/platform/bindings/{binding.pk}/remove-for-violation/", {}, format="json")

    assert response.status_code == 400
    assert response.json()["code"] == "invalid" and "reason" in response.json()["fields"]
