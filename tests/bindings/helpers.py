"""Small helpers that bring invitations and bindings into a state through the services, so the rules apply."""

import io
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from PIL import Image
from rest_framework.test import APIClient

from accounts.models import Enterprise, RedAccount, User
from bindings import services
from bindings.models import Binding, Invitation, Notification
from bindings.proofs import CleanProof
from bindings.services import EmployeeDetails
from kos_platform.pii import decrypt
from kos_platform.tenancy import Actor, Workspace

from ..factories import UserFactory, user_token

PERSONAL = "personal_authorized"
OWNED = "enterprise_owned"


def png_bytes(size=(120, 80), **info) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 60)).save(out, "PNG", **info)
    return out.getvalue()


def pdf_bytes() -> bytes:
    return b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def iso(moment: datetime) -> str:
    """How the API writes an instant: ISO 8601 in Asia/Shanghai (+08:00)."""
    return timezone.localtime(moment).isoformat()


def media_files() -> set[str]:
    """Every file under MEDIA_ROOT, to prove a refused request wrote none."""
    root = Path(settings.MEDIA_ROOT)
    return {str(path.relative_to(root)) for path in root.rglob("*") if path.is_file()}


def client_for(user: User) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {user_token(user)}")
    return client


def staff() -> Actor:
    return Actor(user=UserFactory(username="review_staff", is_staff=True))


def brand(enterprise: Enterprise, *, role: str = "operator", agency=None) -> Workspace:
    """A workspace of the enterprise (services do not check membership; views do)."""
    user = UserFactory(username=f"ops_{enterprise.pk}_{role}")
    return Workspace(enterprise=enterprise, user=user, role=role, agency=agency)


def identity(account: RedAccount) -> tuple[str, str]:
    """The account's real-name record: (name, ID number)."""
    return account.real_name, decrypt(account.id_number_encrypted)


def employee_details(
    account: RedAccount | None = None,
    *,
    name: str | None = None,
    id_number: str | None = None,
    position: str = "shopping_guide",
    region: str = "上海·静安",
) -> EmployeeDetails:
    """The I02 employee details matching the account's real-name record unless told otherwise."""
    real_name, real_id = identity(account) if account else ("", "")
    return EmployeeDetails(
        name=name or real_name,
        id_number=id_number or real_id,
        position=position,
        region=region,
        proof=CleanProof(png_bytes(), "image/png", ".png"),
    )


def invite(enterprise: Enterprise, account: RedAccount, mode: str = PERSONAL, *, workspace=None, **details):
    """A pending_review invitation."""
    return services.invitation_create(
        workspace=workspace or brand(enterprise),
        red_account=account,
        mode=mode,
        details=employee_details(account, **details),
    )


def approve(invitation: Invitation) -> Invitation:
    return services.invitation_approve(actor=staff(), invitation=invitation)


def send(enterprise: Enterprise, account: RedAccount, mode: str = PERSONAL, **details) -> Invitation:
    """A sent invitation: created and approved by platform staff; the 48 hours start now."""
    return approve(invite(enterprise, account, mode, **details))


def accept(invitation: Invitation) -> Binding:
    account = RedAccount.objects.get(pk=invitation.red_account_id)
    return services.invitation_accept(actor=Actor(user=account.user), invitation=invitation)


def bind(enterprise: Enterprise, account: RedAccount, mode: str = PERSONAL, **details) -> Binding:
    """An active binding, through invitation, review and acceptance."""
    return accept(send(enterprise, account, mode, **details))


def notified(kind: str, invitation: Invitation, audience: str = "enterprise") -> bool:
    """Whether the invitation's enterprise (or employee) was notified of `kind`."""
    return Notification.objects.filter(audience=audience, kind=kind, invitation=invitation).exists()
