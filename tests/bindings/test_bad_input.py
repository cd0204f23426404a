"""Bad input to the I02 form: 400 `invalid` naming the field, and nothing stored — no row, no file under
MEDIA_ROOT. Proof files are recognised from their content and re-encoded without metadata."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, PngImagePlugin
from rest_framework.test import APIClient

from bindings.models import Invitation
from bindings.proofs import MAX_PROOF_BYTES
from kos_platform.validators import resident_id_check_char

from ..factories import valid_id_number
from .helpers import media_files, pdf_bytes, png_bytes

pytestmark = pytest.mark.django_db


def upload(name: str, content: bytes, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def id_with_valid_check_char(first17: str) -> str:
    return first17 + resident_id_check_char(first17)


def png_bomb() -> bytes:
    """A few KB declaring 20000 × 20000 pixels (400 megapixels once decoded)."""
    out = io.BytesIO()
    Image.new("1", (20000, 20000)).save(out, "PNG")
    return out.getvalue()


def jpeg_with_exif() -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "SecretCam"  # Make
    exif[0x0131] = "PhotoTool 9"  # Software
    exif[0x8825] = {1: "N", 2: (31.0, 14.0, 2.0)}  # GPS
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (10, 120, 200)).save(out, "JPEG", exif=exif)
    return out.getvalue()


@pytest.fixture
def post_form(world, invitation_form):
    client = world.client("operator")
    return lambda **overrides: client.post(
        f"/api/v1/enterprises/{world.enterprise.pk}/invitations/", invitation_form(**overrides), format="multipart"
    )


BAD_INPUT = [
    pytest.param("id_number", {"id_number": "110101199001010010"}, id="wrong_id_checksum"),
    pytest.param("id_number", {"id_number": id_with_valid_check_char("11010119900230001")}, id="birth_date_feb_30"),
    pytest.param("id_number", {"id_number": id_with_valid_check_char("11010121000101001")}, id="birth_in_the_future"),
    pytest.param("id_number", {"id_number": "11010119900101001"}, id="id_17_characters"),
    pytest.param("proof", {"proof": upload("证明.png", b"just text, not an image\n", "image/png")}, id="text_as_png"),
    pytest.param(
        "proof",
        {"proof": upload("big.pdf", b"%PDF-1.4\n" + b"0" * MAX_PROOF_BYTES + b"\n%%EOF\n", "application/pdf")},
        id="over_10_mb",
    ),
    pytest.param("proof", {"proof": upload("bomb.png", png_bomb(), "image/png")}, id="png_decompression_bomb"),
    pytest.param("proof", {"proof": upload("cut.png", png_bytes()[:60], "image/png")}, id="truncated_png"),
    pytest.param("proof", {"proof": upload("cut.pdf", b"%PDF-1.4\n1 0 obj", "application/pdf")}, id="pdf_without_eof"),
    pytest.param("proof", {"proof": upload("empty.pdf", b"", "application/pdf")}, id="empty_file"),
    pytest.param("name", {"name": "李\x00小美"}, id="nul_in_name"),
    pytest.param("region", {"region": "上海\x00静安"}, id="nul_in_region"),
    pytest.param("name", {"name": "李" * 25}, id="name_over_24_chars"),
    pytest.param("name", {"name": ""}, id="name_empty"),
    pytest.param("region", {"region": "区" * 51}, id="region_over_50_chars"),
    pytest.param("commitment_signed", {"commitment_signed": "false"}, id="commitment_not_signed"),
    pytest.param("agreement_signed", {"agreement_signed": "false"}, id="agreement_not_signed"),
    pytest.param("red_id", {"red_id": "99999999"}, id="unknown_red_id"),
    pytest.param("position", {"position": "ceo"}, id="position_not_in_i03_list"),
    pytest.param("position", {"position": "导购"}, id="position_label_instead_of_value"),
]


@pytest.mark.parametrize("field, overrides", BAD_INPUT)
def test_i02_bad_input_is_400_and_stores_nothing(post_form, unchanged, field, overrides):
    files = media_files()

    with unchanged():
        response = post_form(**overrides)

    assert response.status_code == 400, response.content
    body = response.json()
    assert body["code"] == "invalid"
    assert list(body["fields"]) == [field]
    assert body["fields"][field] and all(isinstance(message, str) for message in body["fields"][field])
    assert media_files() == files


def test_i02_a_lowercase_x_check_character_is_accepted(post_form):
    number = next(valid_id_number(n) for n in range(1000) if valid_id_number(n).endswith("X"))

    response = post_form(id_number=number.lower())

    assert response.status_code == 201, response.content
    assert Invitation.objects.get().id_number_masked.endswith("X")


def test_i02_markup_in_the_name_is_stored_as_text(world, post_form):
    response = post_form(name="<b>李</b>")

    assert response.status_code == 201, response.content
    assert response["Content-Type"] == "application/json"
    assert Invitation.objects.get().name == "<b>李</b>"
    listed = world.client("analyst").get(f"/api/v1/enterprises/{world.enterprise.pk}/invitations/")
    assert listed.json()["results"][0]["name"] == "<b>李</b>"


def test_i02_a_jpeg_proof_comes_back_without_its_exif(world, post_form):
    original = jpeg_with_exif()
    assert Image.open(io.BytesIO(original)).getexif()[0x010F] == "SecretCam"

    created = post_form(proof=upload("photo.jpg", original, "image/jpeg"))
    downloaded = world.client("operator").get(
        f"/api/v1/enterprises/{world.enterprise.pk}/invitations/{created.json()['id']}/proof/"
    )

    assert created.status_code == 201, created.content
    assert downloaded.status_code == 200 and downloaded["Content-Type"] == "image/jpeg"
    content = b"".join(downloaded.streaming_content)
    image = Image.open(io.BytesIO(content))
    assert image.format == "JPEG" and image.size == (64, 48)
    assert dict(image.getexif()) == {}
    assert b"SecretCam" not in content and b"Exif" not in content


def test_i02_a_png_proof_loses_its_text_chunks_and_exif(world, post_form):
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "GPS 31.2304N 121.4737E")
    exif = Image.Exif()
    exif[0x010F] = "SecretCam"
    original = png_bytes(pnginfo=info, exif=exif)
    assert b"SecretCam" in original and b"GPS 31.2304N" in original
    created = post_form(proof=upload("scan.png", original, "image/png"))

    downloaded = world.client("operator").get(
        f"/api/v1/enterprises/{world.enterprise.pk}/invitations/{created.json()['id']}/proof/"
    )

    content = b"".join(downloaded.streaming_content)
    assert created.status_code == 201
    assert b"GPS 31.2304N" not in content and b"SecretCam" not in content
    assert Image.open(io.BytesIO(content)).format == "PNG"


def test_i02_a_pdf_proof_is_accepted(post_form):
    response = post_form(proof=upload("劳动合同.pdf", pdf_bytes(), "application/pdf"))

    assert response.status_code == 201, response.content
    assert Invitation.objects.get().proof_content_type == "application/pdf"


def test_i02_bad_input_lists_every_failing_field(post_form, unchanged):
    with unchanged():
        response = post_form(name="", id_number="123", position="ceo", commitment_signed="false")

    assert response.status_code == 400
    assert set(response.json()["fields"]) == {"name", "id_number", "position", "commitment_signed"}


def test_i02_a_nul_byte_in_a_form_field_is_refused_before_the_form_naming_it(post_form, unchanged):
    with unchanged():
        response = post_form(name="李\x00", id_number="123")

    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["name"]


# NUL in the URL or the query string: PostgreSQL cannot compare it, so it must never reach a query -------------


def test_nul_in_a_red_id_in_the_url_is_400_naming_it(world):
    profile = APIClient().get("/api/v1/red/9527%00/profile/")
    eligibility = world.client("analyst").get(
        f"/api/v1/enterprises/{world.enterprise.pk}/red-accounts/9527%00/eligibility/"
    )

    assert (profile.status_code, list(profile.json()["fields"])) == (400, ["red_id"])
    assert (eligibility.status_code, list(eligibility.json()["fields"])) == (400, ["red_id"])


@pytest.mark.parametrize(
    "path, param",
    [
        ("bindings/?q=李%00", "q"),
        ("bindings/?region=%00", "region"),
        ("invitations/?status=sent%00", "status"),
        ("invitations/?mode=%00", "mode"),
        ("audit-log/?action=%00", "action"),
    ],
)
def test_nul_in_a_list_filter_is_400(world, path, param):
    response = world.client("analyst").get(f"/api/v1/enterprises/{world.enterprise.pk}/{path}")

    assert response.status_code == 400
    assert response.json()["code"] == "invalid" and list(response.json()["fields"]) == [param]


@pytest.mark.parametrize("path", ["platform/bindings/?q=%00", "platform/invitations/?status=%00"])
def test_nul_in_a_platform_list_filter_is_400(world, path):
    response = world.client("staff").get(f"/api/v1/{path}")

    assert response.status_code == 400 and response.json()["code"] == "invalid"
