"""The binding flow end to end through the API: invite, review, accept, and the binding's life."""

import pytest

from accounts.models import AuditEvent
from bindings.models import Binding, Invitation, Notification

pytestmark = pytest.mark.django_db


def test_b01_invite_approve_accept_gives_an_active_binding(world, invitation_form, employee_account):
    brand = world.client("operator")
    created = brand.post(
        f"/api/v1/enterprises/{world.enterprise.pk}/invitations/", invitation_form(), format="multipart"
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["status"] == "pending_review" and body["id_number_masked"].startswith("110101********")
    assert body["sent_at"] is None and body["expires_at"] is None

    staff = world.client("staff")
    queue = staff.get("/api/v1/platform/invitations/?status=pending_review").json()
    assert [item["id"] for item in queue["results"]] == [body["id"]]
    proof = staff.get(f"/api/v1/platform/invitations/{body['id']}/proof/")
    assert proof.status_code == 200 and proof["Content-Type"] == "image/png"
    approved = staff.post(f"/api/v1/platform/invitations/{body['id']}/approve/").json()
    assert approved["status"] == "sent"

    employee = world.client("employee")
    employee.credentials()
    from ..factories import user_token

    employee.credentials(HTTP_AUTHORIZATION=f"Bearer {user_token(employee_account.user)}")
    mine = employee.get("/api/v1/me/invitations/").json()["results"]
    assert [(i["id"], i["enterprise_name"], i["status"]) for i in mine] == [(body["id"], "花漾美妆", "sent")]
    assert Notification.objects.filter(kind="invitation_sent", red_account=employee_account).exists()
    accepted = employee.post(f"/api/v1/me/invitations/{body['id']}/accept/")
    assert accepted.status_code == 200, accepted.content
    assert accepted.json()["status"] == "active"

    bindings = brand.get(f"/api/v1/enterprises/{world.enterprise.pk}/bindings/").json()["results"]
    assert [(b["red_id"], b["status"], b["mode"], b["holder"]["name"]) for b in bindings] == [
        ("95270001", "active", "personal_authorized", "李小美")
    ]
    profile = employee.get("/api/v1/red/95270001/profile/").json()
    assert profile["badge"]["label"] == "花漾美妆 · 导购"
    actions = list(
        AuditEvent.objects.filter(enterprise=world.enterprise).values_list("action", flat=True).order_by("id")
    )
    assert actions[-4:] == ["invitation.created", "invitation.approved", "invitation.accepted", "binding.created"]
    assert Binding.objects.get().invitation == Invitation.objects.get()
