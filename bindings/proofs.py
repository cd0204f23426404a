"""Employment proofs (I02): PDF, JPEG or PNG recognised from the content, at most 10 MB, no decompression
bombs; images are re-encoded so their metadata (EXIF, GPS, text chunks) is dropped. Stored under a generated
private name through the default storage."""

import contextlib
import io
import secrets
import warnings
from dataclasses import dataclass
from datetime import timedelta
from pathlib import PurePosixPath

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.http import FileResponse, Http404
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

from kos_platform import clock, guard

from .models import ProofDraft, proof_draft_upload_to, proof_upload_to

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


# Draft proofs of the bind wizard ---------------------------------------------------------------------------------

DRAFT_HOURS = 24
DRAFTS_PER_USER = 10  # a user's newest drafts in one enterprise; older ones go when a new one is kept
SWEEP_CHUNK = 500
_EXTENSION_OF = {content_type: f".{extension}" for content_type, extension in EXTENSIONS.items()}


def _display_name(upload) -> str:
    """The uploaded file's own name, for the page to show which file is kept (never used as a path)."""
    name = PurePosixPath(str(getattr(upload, "name", "") or "").replace("\\", "/")).name.strip()
    if not name or guard.has_refused_character(name):
        return "proof"
    return name[-100:]


def drafts_of(workspace):
    """The drafts the workspace's user uploaded for this enterprise: nobody else's token reaches a draft."""
    return ProofDraft.objects.filter(enterprise=workspace.enterprise, user=workspace.user)


def draft_find(*, workspace, token: str) -> ProofDraft | None:
    token = (token or "").strip()
    if not token or len(token) > 64:
        return None
    cutoff = clock.now() - timedelta(hours=DRAFT_HOURS)
    return drafts_of(workspace).filter(token=token, created_at__gt=cutoff).first()


def draft_keep(*, workspace, proof: CleanProof, upload, replaces: ProofDraft | None = None) -> ProofDraft:
    """Store a checked proof as the user's draft (bookkeeping of an unfinished form, not audited); the draft it
    replaces and the user's drafts beyond the newest few go, with their files."""
    name = default_storage.save(
        proof_draft_upload_to(None, f"draft{_EXTENSION_OF[proof.content_type]}"), ContentFile(proof.content)
    )
    draft = ProofDraft.objects.create(
        enterprise=workspace.enterprise,
        user=workspace.user,
        token=secrets.token_urlsafe(32),
        file=name,
        content_type=proof.content_type,
        original_name=_display_name(upload),
        size=len(proof.content),
        created_at=clock.now(),
    )
    stale = list(drafts_of(workspace).order_by("-created_at", "-id").values_list("pk", flat=True)[DRAFTS_PER_USER:])
    if replaces is not None:
        stale.append(replaces.pk)
    _delete_drafts(ProofDraft.objects.filter(pk__in=stale))
    return draft


def draft_proof(draft: ProofDraft) -> CleanProof | None:
    """The draft's content as a checked proof (it was cleaned when kept), or None when its file is gone."""
    try:
        with default_storage.open(draft.file.name, "rb") as handle:
            content = handle.read(MAX_PROOF_BYTES + 1)
    except (FileNotFoundError, OSError):
        return None
    return CleanProof(content, draft.content_type, _EXTENSION_OF.get(draft.content_type, ".bin"))


def draft_discard(draft: ProofDraft) -> None:
    """The draft became an invitation's proof (stored under its own name): the draft and its file go."""
    _delete_drafts(ProofDraft.objects.filter(pk=draft.pk))


def _delete_drafts(queryset) -> int:
    """Delete the rows, then their files once the deletion is committed (a missing file is already gone)."""
    names = list(queryset.values_list("file", flat=True))
    deleted, _counts = queryset.delete()
    if names:
        transaction.on_commit(lambda: _delete_files(names))
    return deleted


def _delete_files(names) -> None:
    for name in names:
        with contextlib.suppress(OSError):  # already gone
            default_storage.delete(name)


def sweep_proof_drafts() -> int:
    """Remove the drafts older than 24 hours and their files, a chunk at a time; idempotent (a second run finds
    nothing) and safe alongside another sweep (rows another transaction holds are left for the next run)."""
    cutoff = clock.now() - timedelta(hours=DRAFT_HOURS)
    removed = 0
    while True:
        with transaction.atomic():
            pks = list(
                ProofDraft.objects.select_for_update(skip_locked=True)
                .filter(created_at__lte=cutoff)
                .order_by("pk")
                .values_list("pk", flat=True)[:SWEEP_CHUNK]
            )
            if not pks:
                return removed
            removed += _delete_drafts(ProofDraft.objects.filter(pk__in=pks))
