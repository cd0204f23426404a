"""Sending invitations: the two modes (I01), the form (I02, I03), the review and the lifecycle (I04), one open
invitation per enterprise and account (I08)."""

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction

from accounts.models import AuditEvent
from bindings.models import Invitation, Notification

from ..factories import RedAccountFactory
from .factories import InvitationFactory
from .helpers import OWNED, PERSONAL, accept, approve, invite, media_files, notified, pdf_bytes, png_bytes, send

pytestmark = pytest.mark.django_db


@pytest.fixture
def invitations_url(brand_url):
    return brand_url("invitations/")


def upload(name: str, content: bytes, content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


# I01 ----------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("mode", [OWNED, PERSONAL])
def test_i01_both_modes_can_be_invited(world, invitations_url, invitation_form, mode):
    response = world.client("operator").post(invitations_url, invitation_form(mode=mode), format="multipart")

    assert response.status_code == 201, response.content
    assert response.json()["mode"] == mode
    assert Invitation.objects.get().mode == mode


def test_i01_an_unknown_mode_is_invalid(world, invitations_url, invitation_form, unchanged):
    client = world.client("operator")

    with unchanged():
        response = client.post(invitations_url, invitation_form(mode="borrowed"), format="multipart")

    assert response.status_code == 400 and list(response.json()["fields"]) == ["mode"]


# I02 / I03 ----------------------------------------------------------------------------------------------------


def test_i02_a_complete_form_is_stored_awaiting_review(world, invitations_url, invitation_form, employee_account):
    response = world.client("operator").post(invitations_url, invitation_form(), format="multipart")

    assert response.status_code == 201, response.content
    body = response.json()
    assert {key: body[key] for key in ("status", "mode", "red_id", "name", "position", "region")} == {
        "status": "pending_review",
        "mode": PERSONAL,
        "red_id": employee_account.red_id,
        "name": "李小美",
        "position": "shopping_guide",
        "region": "上海·静安",
    }
    assert body["id_number_masked"] == "110101********" + employee_account.id_number_masked[-4:]
    assert body["sent_at"] is None and body["expires_at"] is None
    assert body["created_at"].endswith("+08:00")
    invitation = Invitation.objects.get()
    assert invitation.commitment_signed and invitation.agreement_signed
    assert invitation.id_number_index == employee_account.id_number_index  # matched by blind index
    assert "110101" not in invitation.id_number_encrypted  # the full number is stored only encrypted


def test_i02_the_proof_type_comes_from_the_content_not_the_name(world, invitations_url, invitation_form):
    """A PNG uploaded under a .pdf name is stored as a PNG under a generated name."""
    form = invitation_form(proof=upload("劳动合同.pdf", png_bytes(), "application/pdf"))

    response = world.client("operator").post(invitations_url, form, format="multipart")

    assert response.status_code == 201, response.content
    invitation = Invitation.objects.get()
    assert invitation.proof_content_type == "image/png"
    assert invitation.proof.name.startswith("proofs/") and invitation.proof.name.endswith(".png")
    assert "劳动合同" not in invitation.proof.name
    assert default_storage.exists(invitation.proof.name)
    assert media_files() == {invitation.proof.name}  # this test's own MEDIA_ROOT holds the stored proof


def test_i02_a_pdf_proof_is_accepted_and_downloadable(world, invitations_url, invitation_form):
    form = invitation_form(proof=upload("contract.pdf", pdf_bytes(), "application/pdf"))
    client = world.client("operator")

    created = client.post(invitations_url, form, format="multipart")
    proof = client.get(f"{invitations_url}{created.json()['id']}/proof/")

    assert created.status_code == 201, created.content
    assert proof.status_code == 200 and proof["Content-Type"] == "application/pdf"
    assert b"".join(proof.streaming_content) == pdf_bytes()


def test_i02_a_missing_field_stores_nothing(world, invitations_url, invitation_form, unchanged):
    form = invitation_form()
    for field in ("name", "id_number", "position", "region", "proof", "agreement_signed"):
        form.pop(field)
    client = world.client("operator")
    files = media_files()

    with unchanged():
        response = client.post(invitations_url, form, format="multipart")

    assert response.status_code == 400
    assert set(response.json()["fields"]) == {"name", "id_number", "position", "region", "proof", "agreement_signed"}
    assert media_files() == files


@pytest.mark.parametrize(
    "position, label",
    [
        ("shopping_guide", "导购"),
        ("store_manager", "店长"),
        ("customer_service", "客服"),
        ("staff", "员工"),
        ("assistant", "助理"),
        ("host", "主播人"),
    ],
)
def test_i03_every_listed_position_is_accepted_and_labelled(
    world, invitations_url, invitation_form, employee_account, employee_client, position, label
):
    created = world.client("operator").post(invitations_url, invitation_form(position=position), format="multipart")
    assert created.status_code == 201, created.content
    invitation = Invitation.objects.get()
    accept(approve(invitation))

    badge = employee_client.get(f"/api/v1/red/{employee_account.red_id}/profile/").json()["badge"]
    assert badge == {"enterprise": "花漾美妆", "position": label, "label": f"花漾美妆 · {label}"}


# I04 ----------------------------------------------------------------------------------------------------------


def test_i04_review_queue_approve_then_sent(world, employee_account):
    invitation = invite(world.enterprise, employee_account)
    staff = world.client("staff")

    queue = staff.get("/api/v1/platform/invitations/?status=pending_review").json()
    approved = staff.post(f"/api/v1/platform/invitations/{invitation.pk}/approve/")

    assert [item["id"] for item in queue["results"]] == [invitation.pk]
    assert approved.status_code == 200 and approved.json()["status"] == "sent"
    assert Notification.objects.filter(
        audience="employee", red_account=employee_account, kind="invitation_sent", invitation=invitation
    ).exists()
    assert staff.get("/api/v1/platform/invitations/?status=pending_review").json()["count"] == 0


def test_i04_rejection_needs_a_reason_and_ends_the_invitation(world, employee_account, unchanged):
    invitation = invite(world.enterprise, employee_account)
    staff = world.client("staff")
    url = f"/api/v1/platform/invitations/{invitation.pk}/reject/"

    with unchanged():
        no_reason = staff.post(url, {}, format="json")
    rejected = staff.post(url, {"reason": "在职证明模糊"}, format="json")

    assert no_reason.status_code == 400 and "reason" in no_reason.json()["fields"]
    assert rejected.status_code == 200
    assert rejected.json()["status"] == "rejected" and rejected.json()["review_reason"] == "在职证明模糊"
    assert notified("invitation_rejected", invitation)


def test_i04_a_decided_invitation_cannot_be_reviewed_again(world, employee_account, unchanged):
    invitation = send(world.enterprise, employee_account)
    staff = world.client("staff")

    with unchanged():
        again = staff.post(f"/api/v1/platform/invitations/{invitation.pk}/approve/")
        reject = staff.post(f"/api/v1/platform/invitations/{invitation.pk}/reject/", {"reason": "x"}, format="json")

    assert (again.status_code, again.json()["code"]) == (409, "invitation_not_open")
    assert (reject.status_code, reject.json()["code"]) == (409, "invitation_not_open")


@pytest.mark.parametrize("sent", [False, True], ids=["pending_review", "sent"])
def test_i04_the_enterprise_may_cancel_before_acceptance(world, invitations_url, employee_account, sent):
    invitation = (send if sent else invite)(world.enterprise, employee_account)

    response = world.client("operator").post(f"{invitations_url}{invitation.pk}/cancel/", {"reason": "填错了"})

    assert response.status_code == 200, response.content
    assert response.json()["status"] == "cancelled" and response.json()["cancelled_at"]
    event = AuditEvent.objects.get(action="invitation.cancelled")
    assert event.reason == "填错了" and event.after["status"] == "cancelled"


def test_i04_an_accepted_invitation_cannot_be_cancelled(world, invitations_url, employee_account, unchanged):
    invitation = send(world.enterprise, employee_account)
    accept(invitation)
    client = world.client("operator")

    with unchanged():
        response = client.post(f"{invitations_url}{invitation.pk}/cancel/")

    assert (response.status_code, response.json()["code"]) == (409, "invitation_not_open")


def test_i04_the_employee_declines(world, employee_account, employee_client):
    invitation = send(world.enterprise, employee_account)

    response = employee_client.post(f"/api/v1/me/invitations/{invitation.pk}/decline/")

    assert response.status_code == 200 and response.json()["status"] == "declined"
    assert notified("invitation_declined", invitation)
    again = employee_client.post(f"/api/v1/me/invitations/{invitation.pk}/accept/")
    assert (again.status_code, again.json()["code"]) == (409, "invitation_not_open")


def test_i04_the_employee_does_not_see_an_invitation_under_review(world, employee_account, employee_client):
    invitation = invite(world.enterprise, employee_account)

    assert employee_client.get("/api/v1/me/invitations/").json()["count"] == 0
    assert employee_client.post(f"/api/v1/me/invitations/{invitation.pk}/accept/").status_code == 404


# I08 ----------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("sent", [False, True], ids=["pending_review", "sent"])
def test_i08_one_open_invitation_per_enterprise_and_account(
    world, invitations_url, invitation_form, employee_account, unchanged, sent
):
    (send if sent else invite)(world.enterprise, employee_account)
    client = world.client("operator")
    files = media_files()

    with unchanged():
        response = client.post(invitations_url, invitation_form(mode=OWNED), format="multipart")

    assert response.status_code == 409 and response.json()["code"] == "duplicate_open_invitation"
    assert media_files() == files


def test_i08_after_the_first_expires_a_new_one_can_be_sent(
    travel, world, invitations_url, invitation_form, employee_account
):
    first = send(world.enterprise, employee_account)

    travel.move_to(first.expires_at)  # no sweep has run
    response = world.client("operator").post(invitations_url, invitation_form(), format="multipart")

    assert response.status_code == 201, response.content
    first.refresh_from_db()
    assert first.status == "expired"
    assert AuditEvent.objects.filter(action="invitation.expired", object_id=str(first.pk)).count() == 1


def test_i08_after_a_decision_a_new_one_can_be_sent(world, invitations_url, invitation_form, employee_account):
    first = invite(world.enterprise, employee_account)
    world.client("staff").post(f"/api/v1/platform/invitations/{first.pk}/reject/", {"reason": "模糊"})

    response = world.client("operator").post(invitations_url, invitation_form(), format="multipart")

    assert response.status_code == 201, response.content


def test_i08_other_enterprises_may_invite_the_same_account_meanwhile(world, invitation_form, employee_account):
    invite(world.enterprise, employee_account)

    response = world.client("other_member").post(
        f"/api/v1/enterprises/{world.other_enterprise.pk}/invitations/", invitation_form(), format="multipart"
    )

    assert response.status_code == 201, response.content


def test_i08_the_database_allows_one_open_invitation_per_pair(world, employee_account):
    InvitationFactory(enterprise=world.enterprise, red_account=employee_account)
    with pytest.raises(IntegrityError), transaction.atomic():
        InvitationFactory(enterprise=world.enterprise, red_account=employee_account, sent=True)


# Listing and reading ------------------------------------------------------------------------------------------


def test_invitation_list_filters_by_status_and_mode(world, invitations_url):
    pending = invite(world.enterprise, RedAccountFactory(), OWNED)
    sent = send(world.enterprise, RedAccountFactory(), PERSONAL)
    client = world.client("analyst")

    def ids(query):
        return [item["id"] for item in client.get(f"{invitations_url}?{query}").json()["results"]]

    assert ids("status=pending_review") == [pending.pk]
    assert ids("status=sent") == [sent.pk]
    assert ids(f"mode={OWNED}") == [pending.pk]
    assert ids("") == [sent.pk, pending.pk]  # newest first


def test_invitation_detail_links_its_proof(world, invitations_url, employee_account):
    invitation = invite(world.enterprise, employee_account)

    body = world.client("analyst").get(f"{invitations_url}{invitation.pk}/").json()

    assert body["proof_url"] == f"{invitations_url}{invitation.pk}/proof/"


def test_a_proof_missing_from_the_storage_is_404(world, invitations_url, employee_account):
    invitation = InvitationFactory(enterprise=world.enterprise, red_account=employee_account, proof="proofs/gone.png")

    response = world.client("operator").get(f"{invitations_url}{invitation.pk}/proof/")

    assert (response.status_code, response.json()["code"]) == (404, "not_found")


def test_invitation_of_another_enterprise_is_404(world, employee_account):
    invitation = invite(world.other_enterprise, employee_account)

    response = world.client("owner").get(f"/api/v1/enterprises/{world.enterprise.pk}/invitations/{invitation.pk}/")

    assert response.status_code == 404
