"""Writing audit records (B10): every state change calls `record` inside its transaction."""

from datetime import date, datetime
from decimal import Decimal

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kos_platform.clock import now
from kos_platform.tenancy import Actor

from .models import AuditEvent, Enterprise

ACTION_LABELS = {
    "invitation.created": _("Invitation submitted"),
    "invitation.approved": _("Invitation approved and sent"),
    "invitation.rejected": _("Invitation rejected by the platform"),
    "invitation.cancelled": _("Invitation cancelled"),
    "invitation.accepted": _("Invitation accepted"),
    "invitation.declined": _("Invitation declined"),
    "invitation.expired": _("Invitation expired"),
    "binding.created": _("Binding took effect"),
    "binding.ended": _("Binding ended"),
    "binding.frozen": _("Binding frozen"),
    "binding.unfrozen": _("Binding unfrozen"),
    "binding.handed_over": _("Account handed over"),
    "note_review.submitted": _("Note submitted for review"),
    "note_review.approved": _("Note review approved"),
    "note_review.rejected": _("Note review rejected"),
    "note.boosted": _("Note boosted"),
    "note.pushed_to_ads": _("Note pushed to the ad platform"),
    "notes.synced": _("Notes synced"),
    "note_metrics.synced": _("Note metrics synced"),
    "enterprise.created": _("Enterprise created"),
    "enterprise.updated": _("Enterprise updated"),
    "enterprise.kos_permission_granted": _("Employee-account management permission granted"),
    "enterprise.kos_permission_revoked": _("Employee-account management permission withdrawn"),
    "enterprise.invitations_restricted": _("New invitations restricted"),
    "membership.set": _("Member role set"),
    "agency_report.created": _("Agency reported"),
    "agency_report.revoked": _("Agency report revoked"),
    "agency.workspace_entered": _("Agency entered the workspace"),
    "api_key.created": _("API key created"),
    "api_key.revoked": _("API key revoked"),
}


def action_label(action: str) -> str:
    """An audit action in the reader's language."""
    return str(ACTION_LABELS.get(action, action))


def snapshot(instance: models.Model, fields) -> dict:
    """The JSON-safe values of `fields` on `instance`, for before/after."""
    return {name: _json_value(getattr(instance, name)) for name in fields}


def _json_value(value):
    if isinstance(value, datetime):
        return timezone.localtime(value).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    return value


def record(
    *,
    actor: Actor | None,
    action: str,
    obj: models.Model,
    enterprise: Enterprise | None = None,
    enterprise_id: int | None = None,
    before: dict | None = None,
    after: dict | None = None,
    reason: str = "",
) -> AuditEvent:
    return AuditEvent.objects.create(
        at=now(),
        enterprise_id=enterprise.pk if enterprise else enterprise_id,
        actor=actor.user if actor else None,
        via_agency=actor.agency if actor else None,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        before=before,
        after=after,
        reason=reason or "",
    )
