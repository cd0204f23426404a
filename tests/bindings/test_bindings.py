"""A binding's life: freeze (B02), unbind by whom (B03, B08), hand-over (B04), rebind (B05), no mode conversion
(B06), and the audit record of every change (B10)."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from accounts.models import AuditEvent, RedAccount
from bindings.models import Binding, BindingHolder, Invitation, Notification

from ..factories import RedAccountFactory, valid_id_number
from .helpers import OWNED, PERSONAL, accept, approve, bind, client_for, invite, media_files, pdf_bytes, send

pytestmark = pytest.mark.django_db


@pytest.fixture
def binding_url(world):
    return lambda binding, rest="": f"/api/v1/enterprises/{world.enterprise.pk}/bindings/{binding.pk}/{rest}"


def badge(account):
    return APIClient().get(f"/api/v1/red/{account.red_id}/profile/").json()["badge"]


def handover_form(**overrides):
    form = {
        "name": "王小明",
        "id_number": valid_id_number(7, birth="19950315"),
        "position": "store_manager",
        "region": "杭州·西湖",
        "proof": SimpleUploadedFile("contract.pdf", pdf_bytes(), content_type="application/pdf"),
        "reason": "原店长离职",
    }
    form.update(overrides)
    return form


# B02 ----------------------------------------------------------------------------------------------------------


def test_b02_freeze_hides_the_badge_and_unfreeze_restores_it(world, employee_account, binding_url):
    binding = bind(world.enterprise, employee_account)
    brand = world.client("operator")
    assert badge(employee_account)["label"] == "花漾美妆 · 导购"

    frozen = brand.post(binding_url(binding, "freeze/"), {"reason": "核查中"}, format="json")

    assert frozen.status_code == 200 and frozen.json()["status"] == "frozen" and frozen.json()["frozen_at"]
    assert badge(employee_account) is None
    assert Notification.objects.filter(audience="employee", kind="binding_frozen", binding=binding).exists()

    restored = brand.post(binding_url(binding, "unfreeze/"), format="json")

    assert restored.status_code == 200 and restored.json()["status"] == "active"
    assert restored.json()["frozen_at"] is None
    assert badge(employee_account)["label"] == "花漾美妆 · 导购"


def test_b02_freeze_and_unfreeze_need_the_right_state(world, employee_account, binding_url, unchanged):
    binding = bind(world.enterprise, employee_account)
    brand = world.client("operator")

    with unchanged():
        unfreeze_active = brand.post(binding_url(binding, "unfreeze/"))
    brand.post(binding_url(binding, "freeze/"))
    with unchanged():
        freeze_frozen = brand.post(binding_url(binding, "freeze/"))

    assert (unfreeze_active.status_code, unfreeze_active.json()["code"]) == (409, "binding_not_active")
    assert (freeze_frozen.status_code, freeze_frozen.json()["code"]) == (409, "binding_not_active")


def test_b02_an_ended_binding_cannot_be_frozen_or_unbound_again(world, employee_account, binding_url, unchanged):
    binding = bind(world.enterprise, employee_account, OWNED)
    brand = world.client("operator")
    brand.post(binding_url(binding, "unbind/"))

    with unchanged():
        responses = [brand.post(binding_url(binding, action)) for action in ("freeze/", "unfreeze/", "unbind/")]

    assert [(r.status_code, r.json()["code"]) for r in responses] == [(409, "binding_not_active")] * 3
    assert badge(employee_account) is None


# B03 / B08 ----------------------------------------------------------------------------------------------------


def test_b08_enterprise_owned_can_be_unbound_at_once(world, employee_account, binding_url):
    binding = bind(world.enterprise, employee_account, OWNED)

    response = world.client("operator").post(binding_url(binding, "unbind/"), {"reason": "调岗"}, format="json")

    assert response.status_code == 200, response.content
    assert response.json()["status"] == "ended" and response.json()["end_reason"] == "unbound_by_enterprise"
    assert response.json()["unbind_available_at"] is None
    assert badge(employee_account) is None
    ended = Notification.objects.filter(kind="binding_ended", binding=binding)
    assert list(ended.values_list("audience", flat=True)) == ["employee"]  # the enterprise is not told what it did


def test_b03_the_employee_cannot_unbind_an_enterprise_owned_account(
    travel, t0, world, employee_account, employee_client, unchanged
):
    binding = bind(world.enterprise, employee_account, OWNED)
    travel.move_to(t0 + timedelta(days=31))

    with unchanged():
        response = employee_client.post(f"/api/v1/me/bindings/{binding.pk}/unbind/")

    assert response.status_code == 403
    assert Binding.objects.get(pk=binding.pk).status == "active"


def test_b03_the_employee_unbinds_a_personal_authorisation_after_the_lock(
    travel, t0, world, employee_account, employee_client
):
    binding = bind(world.enterprise, employee_account, PERSONAL)
    travel.move_to(t0 + timedelta(days=30))

    response = employee_client.post(f"/api/v1/me/bindings/{binding.pk}/unbind/", {"reason": "换工作"}, format="json")

    assert response.status_code == 200, response.content
    assert response.json()["end_reason"] == "unbound_by_employee"
    event = AuditEvent.objects.get(action="binding.ended")
    assert event.actor == employee_account.user and event.reason == "换工作"


def test_b03_the_employee_cannot_unbind_someone_elses_binding(world, employee_account, unchanged):
    binding = bind(world.enterprise, employee_account, PERSONAL)
    stranger = world.client("employee")

    with unchanged():
        response = stranger.post(f"/api/v1/me/bindings/{binding.pk}/unbind/")

    assert response.status_code == 404


# B04 ----------------------------------------------------------------------------------------------------------


def test_b04_handover_keeps_the_account_and_the_history_of_holders(world, employee_account, binding_url):
    binding = bind(world.enterprise, employee_account, OWNED)
    account_before = RedAccount.objects.filter(pk=employee_account.pk).values().get()
    brand = world.client("operator")

    response = brand.post(binding_url(binding, "handover/"), handover_form(), format="multipart")

    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["id"], body["red_id"], body["status"], body["mode"]) == (binding.pk, "95270001", "active", OWNED)
    assert body["holder"]["name"] == "王小明" and body["holder"]["id_number_masked"].startswith("110101********")
    assert (body["position"], body["region"]) == ("store_manager", "杭州·西湖")
    holders = list(BindingHolder.objects.filter(binding=binding).order_by("started_at", "id"))
    assert [(h.name, h.position, h.ended_at is None) for h in holders] == [
        ("李小美", "shopping_guide", False),
        ("王小明", "store_manager", True),
    ]
    assert RedAccount.objects.filter(pk=employee_account.pk).values().get() == account_before
    proof = brand.get(binding_url(binding, "proof/"))
    assert proof["Content-Type"] == "application/pdf" and b"".join(proof.streaming_content) == pdf_bytes()
    event = AuditEvent.objects.get(action="binding.handed_over")
    assert (event.before["name"], event.after["name"], event.reason) == ("李小美", "王小明", "原店长离职")


def test_b04_a_personal_authorisation_is_not_transferable(world, employee_account, binding_url, unchanged):
    binding = bind(world.enterprise, employee_account, PERSONAL)
    brand = world.client("operator")
    files = media_files()

    with unchanged():
        response = brand.post(binding_url(binding, "handover/"), handover_form(), format="multipart")

    assert (response.status_code, response.json()["code"]) == (409, "mode_not_transferable")
    assert media_files() == files


def test_b04_handover_form_is_validated_like_an_invitation(world, employee_account, binding_url, unchanged):
    binding = bind(world.enterprise, employee_account, OWNED)
    brand = world.client("operator")

    with unchanged():
        response = brand.post(
            binding_url(binding, "handover/"),
            handover_form(id_number="110101199503150071", position="ceo"),
            format="multipart",
        )

    assert response.status_code == 400 and set(response.json()["fields"]) == {"id_number", "position"}


# B05 ----------------------------------------------------------------------------------------------------------


@pytest.fixture
def second_account(db):
    """Another account of the same person as `employee_account` (same real-name record)."""
    return RedAccountFactory(red_id="95270002", real_name="李小美", id_number=valid_id_number(1))


def test_b05_rebind_sends_a_new_invitation_and_the_old_binding_ends_on_acceptance(
    world, employee_account, second_account, binding_url
):
    old = bind(world.enterprise, employee_account, OWNED, position="host", region="广州·天河")

    response = world.client("operator").post(binding_url(old, "rebind/"), {"red_id": "95270002"}, format="json")

    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["status"], body["rebind_of"], body["mode"]) == ("pending_review", old.pk, OWNED)
    assert body["red_id"] == "95270002"
    assert body["proof_url"] == f"/api/v1/enterprises/{world.enterprise.pk}/invitations/{body['id']}/proof/"
    assert (body["name"], body["position"], body["region"]) == ("李小美", "host", "广州·天河")
    invitation = Invitation.objects.get(pk=body["id"])
    assert invitation.id_number_index == old.id_number_index  # the employee record carries over

    approve(invitation)
    old.refresh_from_db()
    assert old.status == "active"  # still active until the new account is accepted

    new = accept(invitation)

    old.refresh_from_db()
    assert (old.status, old.end_reason) == ("ended", "rebound")
    assert (new.status, new.red_account, new.name, new.position) == ("active", second_account, "李小美", "host")
    ended = AuditEvent.objects.get(action="binding.ended", object_id=str(old.pk))
    assert ended.before["status"] == "active" and ended.after["end_reason"] == "rebound"
    assert "95270002" in ended.reason


def test_b05_the_old_binding_stays_when_the_new_invitation_is_declined(
    world, employee_account, second_account, binding_url
):
    old = bind(world.enterprise, employee_account, OWNED)
    created = world.client("operator").post(binding_url(old, "rebind/"), {"red_id": "95270002"}, format="json")
    invitation = approve(Invitation.objects.get(pk=created.json()["id"]))

    declined = client_for(second_account.user).post(f"/api/v1/me/invitations/{invitation.pk}/decline/")

    assert declined.status_code == 200
    old.refresh_from_db()
    assert old.status == "active"


def test_b05_the_new_account_goes_through_eligibility(world, employee_account, second_account, binding_url, unchanged):
    old = bind(world.enterprise, employee_account, OWNED)
    RedAccount.objects.filter(pk=second_account.pk).update(is_creator=True)
    brand = world.client("operator")

    with unchanged():
        response = brand.post(binding_url(old, "rebind/"), {"red_id": "95270002"}, format="json")

    assert response.status_code == 409
    assert (response.json()["code"], response.json()["reasons"]) == ("account_not_eligible", ["is_creator"])


def test_b05_rebind_of_a_personal_authorisation_waits_for_the_lock(
    world, employee_account, second_account, binding_url, unchanged
):
    old = bind(world.enterprise, employee_account, PERSONAL)
    brand = world.client("operator")

    with unchanged():
        response = brand.post(binding_url(old, "rebind/"), {"red_id": "95270002"}, format="json")

    assert (response.status_code, response.json()["code"]) == (409, "unbind_locked")


def test_b05_rebind_to_the_same_account_is_refused(world, employee_account, binding_url, unchanged):
    old = bind(world.enterprise, employee_account, OWNED)
    brand = world.client("operator")

    with unchanged():
        response = brand.post(binding_url(old, "rebind/"), {"red_id": employee_account.red_id}, format="json")

    assert (response.status_code, response.json()["code"]) == (409, "account_already_bound")


# B06 ----------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("bound_mode, invited_mode", [(PERSONAL, OWNED), (OWNED, PERSONAL)])
def test_b06_mode_cannot_be_converted_in_place(
    world, employee_account, invitation_form, unchanged, bound_mode, invited_mode
):
    bind(world.enterprise, employee_account, bound_mode)
    brand = world.client("operator")
    files = media_files()

    with unchanged():
        response = brand.post(
            f"/api/v1/enterprises/{world.enterprise.pk}/invitations/",
            invitation_form(mode=invited_mode),
            format="multipart",
        )

    assert (response.status_code, response.json()["code"]) == (409, "mode_conversion_unsupported")
    assert media_files() == files
    eligibility = brand.get(
        f"/api/v1/enterprises/{world.enterprise.pk}/red-accounts/{employee_account.red_id}/eligibility/"
    ).json()
    assert eligibility["modes"][invited_mode]["code"] == "mode_conversion_unsupported"
    assert eligibility["modes"][bound_mode]["code"] == "account_already_bound"


def test_b06_unbind_then_invite_in_the_other_mode(world, employee_account, invitation_form, binding_url):
    binding = bind(world.enterprise, employee_account, OWNED)
    brand = world.client("operator")
    brand.post(binding_url(binding, "unbind/"))

    response = brand.post(
        f"/api/v1/enterprises/{world.enterprise.pk}/invitations/", invitation_form(mode=PERSONAL), format="multipart"
    )

    assert response.status_code == 201, response.content


# B10 ----------------------------------------------------------------------------------------------------------


def audit_rows(enterprise):
    return list(
        AuditEvent.objects.filter(enterprise=enterprise, action__regex=r"^(invitation|binding)\.")
        .order_by("id")
        .values_list("action", "actor__username", "via_agency__name", "before", "after", "reason")
    )


def test_b10_every_change_made_through_an_agency_is_audited_with_the_agency(
    world, invitation_form, employee_account, employee_client
):
    agency, staff = world.client("agency_reported"), world.client("staff")
    base = f"/api/v1/enterprises/{world.enterprise.pk}"

    created = agency.post(f"{base}/invitations/", invitation_form(mode=OWNED), format="multipart").json()
    staff.post(f"/api/v1/platform/invitations/{created['id']}/approve/")
    binding_id = employee_client.post(f"/api/v1/me/invitations/{created['id']}/accept/").json()["id"]
    agency.post(f"{base}/bindings/{binding_id}/freeze/", {"reason": "休假"}, format="json")
    agency.post(f"{base}/bindings/{binding_id}/unfreeze/", {"reason": "返岗"}, format="json")
    agency.post(f"{base}/bindings/{binding_id}/handover/", handover_form(reason="交接"), format="multipart")
    agency.post(f"{base}/bindings/{binding_id}/unbind/", {"reason": "闭店"}, format="json")

    rows = audit_rows(world.enterprise)
    summary = [
        (action, actor, via, (before or {}).get("status"), after.get("status"), reason)
        for action, actor, via, before, after, reason in rows
    ]
    assert summary == [
        ("invitation.created", "agency_staff", "星河代理", None, "pending_review", ""),
        ("invitation.approved", "staff", None, "pending_review", "sent", ""),
        ("invitation.accepted", "emp_xiaomei", None, "sent", "accepted", ""),
        ("binding.created", "emp_xiaomei", None, None, "active", ""),
        ("binding.frozen", "agency_staff", "星河代理", "active", "frozen", "休假"),
        ("binding.unfrozen", "agency_staff", "星河代理", "frozen", "active", "返岗"),
        ("binding.handed_over", "agency_staff", "星河代理", None, None, "交接"),  # the holder changed, not the state
        ("binding.ended", "agency_staff", "星河代理", "active", "ended", "闭店"),
    ]
    created_after = rows[0][4]
    assert created_after["mode"] == OWNED and created_after["name"] == "李小美"
    assert "id_number" not in created_after and created_after["id_number_masked"].startswith("110101")
    assert rows[-1][4]["end_reason"] == "unbound_by_enterprise"
    handed_over = rows[6]
    assert (handed_over[3]["name"], handed_over[4]["name"]) == ("李小美", "王小明")
    assert handed_over[4]["position"] == "store_manager" and set(handed_over[4]) == set(handed_over[3])

    log = world.client("analyst").get(f"{base}/audit-log/?object_type=bindings.binding").json()["results"]
    assert (log[0]["action"], log[0]["actor"], log[0]["via_agency"]) == ("binding.ended", "agency_staff", "星河代理")
    assert log[0]["before"]["status"] == "active" and log[0]["after"]["status"] == "ended"
    assert log[0]["reason"] == "闭店" and log[0]["at"].endswith("+08:00")
    assert log[0]["object"] == {"type": "bindings.binding", "id": str(binding_id), "repr": log[0]["object"]["repr"]}


def test_b10_review_decline_cancel_and_removal_are_audited(world, employee_account, employee_client):
    rejected = invite(world.enterprise, RedAccountFactory())
    world.client("staff").post(f"/api/v1/platform/invitations/{rejected.pk}/reject/", {"reason": "证明模糊"})
    declined = send(world.enterprise, employee_account)
    employee_client.post(f"/api/v1/me/invitations/{declined.pk}/decline/")
    cancelled = invite(world.enterprise, RedAccountFactory())
    world.client("owner").post(
        f"/api/v1/enterprises/{world.enterprise.pk}/invitations/{cancelled.pk}/cancel/", {"reason": "重复"}
    )
    removed = bind(world.enterprise, RedAccountFactory())
    world.client("staff").post(f"/api/v1/platform/bindings/{removed.pk}/remove-for-violation/", {"reason": "刷量"})

    def event(action, obj):
        row = AuditEvent.objects.get(action=action, object_id=str(obj.pk))
        return (row.actor.username, row.via_agency, row.before["status"], row.after["status"], row.reason)

    assert event("invitation.rejected", rejected) == ("staff", None, "pending_review", "rejected", "证明模糊")
    assert event("invitation.declined", declined) == ("emp_xiaomei", None, "sent", "declined", "")
    assert event("invitation.cancelled", cancelled) == ("brand_owner", None, "pending_review", "cancelled", "重复")
    assert event("binding.ended", removed) == ("staff", None, "active", "ended", "刷量")


def test_b10_the_audit_log_shows_only_this_enterprise(world, employee_account):
    bind(world.other_enterprise, employee_account)

    log = world.client("owner").get(f"/api/v1/enterprises/{world.enterprise.pk}/audit-log/").json()

    assert not [e for e in log["results"] if e["action"].startswith(("invitation.", "binding."))]


# The public profile -------------------------------------------------------------------------------------------


def test_public_profile_without_a_binding_has_no_badge(employee_account):
    body = APIClient().get(f"/api/v1/red/{employee_account.red_id}/profile/").json()

    assert body == {
        "red_id": "95270001",
        "nickname": "小美导购日记",
        "followers": 500,
        "badge": None,
        "dm_service": None,
    }
