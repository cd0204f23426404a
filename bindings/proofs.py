"""Employment proofs (I02): PDF, JPEG or PNG recognised from the content, at most 10 MB, no decompression
bombs; images are re-encoded so their metadata (EXIF, GPS, text chunks) is dropped. Stored under a generated
private name through the default storage."""

import io
import warnings
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

from .models import proof_upload_to

MAX_PROOF_BYTES = 10 * 1024 * 1024
MAX_IMAGE_PIXELS = 40_000_000
SIGNATURES = (
    (b"%PDF-", "application/pdf", ".pdf", None),
    (b"\xff\xd8\xff", "image/jpeg", ".jpg", "JPEG"),
    (b"\x89PNG\r\n\x1a\n", "image/png", ".png", "PNG"),
)


@dataclass(frozen=True)
class CleanProof:
    content: bytes
    content_type: str
    extension: str


def clean_proof(upload) -> CleanProof:
    """The checked, metadata-free content of an uploaded proof, or ValidationError."""
    if upload is None:
        raise ValidationError(_("Upload the employment certificate or labour contract."), code="required")
    if upload.size > MAX_PROOF_BYTES:
        raise ValidationError(_("The file is larger than 10 MB."), code="too_large")
    content = upload.read(MAX_PROOF_BYTES + 1)
    if len(content) > MAX_PROOF_BYTES:
        raise ValidationError(_("The file is larger than 10 MB."), code="too_large")
    for magic, content_type, extension, image_format in SIGNATURES:
        if content.startswith(magic):
            if image_format:
                content = _clean_image(content, image_format)
            elif b"%%EOF" not in content[-2048:]:
                raise ValidationError(_("The PDF file is damaged."), code="damaged")
            return CleanProof(content, content_type, extension)
    raise ValidationError(_("Only PDF, JPEG or PNG files are accepted."), code="file_type")


def _clean_image(content: bytes, image_format: str) -> bytes:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(content))
            if image.format != image_format:
                raise ValidationError(_("Only PDF, JPEG or PNG files are accepted."), code="file_type")
            width, height = image.size
            if width * height > MAX_IMAGE_PIXELS:
                raise ValidationError(_("The image is too large to be a document scan."), code="too_many_pixels")
            image.load()
            image = ImageOps.exif_transpose(image)
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ValidationError(_("The image cannot be read."), code="damaged") from None
    out = io.BytesIO()
    if image_format == "JPEG":
        image.convert("RGB").save(out, "JPEG", quality=92)
    else:
        image.save(out, "PNG")
    return out.getvalue()


def store_proof(proof: CleanProof) -> str:
    """Save through the default storage under a generated private name; returns the name."""
    return default_storage.save(proof_upload_to(None, f"proof{proof.extension}"), ContentFile(proof.content))


EXTENSIONS = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}


def proof_response(holder, *, inline: bool = False) -> FileResponse:
    """Stream the private proof of an invitation, binding or holder. Only views that checked who may see it
    call this; a file missing from the storage is a 404. Never sniffed into another type, never cached."""
    try:
        handle = default_storage.open(holder.proof.name, "rb")
    except (FileNotFoundError, OSError):
        raise Http404 from None
    extension = EXTENSIONS.get(holder.proof_content_type, "bin")
    response = FileResponse(
        handle,
        content_type=holder.proof_content_type,
        as_attachment=not inline,
        filename=f"proof-{holder.pk}.{extension}",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
