import io

import pytest
from PIL import Image

from accounts.models import RedAccount

from ..factories import RedAccountFactory, valid_id_number


def png_bytes(size=(120, 80), **info) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 60)).save(out, "PNG", **info)
    return out.getvalue()


def pdf_bytes() -> bytes:
    return b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def employee_account(db) -> RedAccount:
    """An eligible account whose real-name record matches `invitation_form`."""
    return RedAccountFactory(
        red_id="95270001",
        nickname="小美导购日记",
        real_name="李小美",
        id_number=valid_id_number(1),
        user__username="emp_xiaomei",
    )


@pytest.fixture
def invitation_form(employee_account):
    """The I02 form for `employee_account`, as multipart data; call it with overrides."""

    def form(**overrides):
        from django.core.files.uploadedfile import SimpleUploadedFile

        data = {
            "mode": "personal_authorized",
            "red_id": employee_account.red_id,
            "name": "李小美",
            "id_number": valid_id_number(1),
            "position": "shopping_guide",
            "region": "上海·静安",
            "proof": SimpleUploadedFile("在职证明.png", png_bytes(), content_type="image/png"),
            "commitment_signed": "true",
            "agreement_signed": "true",
        }
        data.update(overrides)
        return data

    return form
