"""Writing audit records (B10): every state change calls `record` inside its transaction."""

from datetime import date, datetime
from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

from kos_platform.clock import instant, now
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
    "ad_account.recharged": _("Ad account recharged"),
    "ad_spend.synced": _("Ad spend synced"),
    "campaign.created": _("Campaign created"),
    "campaign.updated": _("Campaign changed"),
    "campaign.started": _("Campaign started"),
    "campaign.paused": _("Campaign paused"),
    "campaign.paused_no_balance": _("Campaign paused: the ad account ran out of balance"),
    "campaign.ended": _("Campaign ended"),
    "campaign_unit.created": _("Campaign unit created"),
    "campaign_unit.updated": _("Campaign unit changed"),
    "campaign_unit.deleted": _("Campaign unit deleted"),
    "advanced_rights.unlocked": _("Advanced rights unlocked"),
    "advanced_rights.locked": _("Advanced rights locked"),
    "advanced_features.updated": _("Advanced features configured"),
    "platform_settings.updated": _("Platform ad settings changed"),
    "products.synced": _("Products synced"),
    "orders.synced": _("Orders synced"),
    "commission_settings.updated": _("Default commission rate changed"),
    "commission.settled": _("Commission month settled"),
    "incentive_period.created": _("Incentive period created"),
    "incentive_period.updated": _("Incentive period changed"),
    "incentive_period.closed": _("Incentive period closed and awards computed"),
    "enterprise.created": _("Enterprise created"),
    "enterprise.updated": _("Enterprise updated"),
    "enterprise.kos_permission_granted": _("Employee-account management permission granted"),
    "enterprise.kos_permission_revoked": _("Employee-account management permission withdrawn"),
    "enterprise.invitations_restricted": _("New invitations restricted"),
    "membership.set": _("Member role set"),
    "membership.added": _("Member added"),
    "membership.role_changed": _("Member role changed"),
    "membership.removed": _("Member removed"),
    "agency_report.created": _("Agency reported"),
    "agency_report.revoked": _("Agency report revoked"),
    "agency.workspace_entered": _("Agency entered the workspace"),
    "agency.created": _("Agency created"),
    "agency.staff_added": _("Agency staff added"),
    "red_account.created": _("RED account registered"),
    "red_account.updated": _("RED account updated"),
    "api_key.token_issued": _("Sign-in token issued"),
    "api_key.created": _("API key created"),
    "api_key.revoked": _("API key revoked"),
    "user.locked_out": _("Sign-in locked after repeated failed attempts"),
    "user.password_changed": _("Password changed"),
    "user.password_reset": _("Password reset by e-mail"),
}


def action_label(action: str) -> str:
    """An audit action in the reader's language."""
    return str(ACTION_LABELS.get(action, action))


def snapshot(instance: models.Model, fields) -> dict:
    """The JSON-safe values of `fields` on `instance`, for before/after."""
    return {name: _json_value(getattr(instance, name)) for name in fields}


def _json_value(value):
    if isinstance(value, datetime):
        return instant(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    return value


def _event(actor: Actor | None, action: str, obj: models.Model, *, object_repr: str = "", **fields) -> AuditEvent:
    return AuditEvent(
        actor=actor.user if actor else None,
        via_agency=actor.agency if actor else None,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_repr=(object_repr or str(obj))[:200],
        **fields,
    )


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
    event = _event(
        actor,
        action,
        obj,
        at=now(),
        enterprise_id=enterprise.pk if enterprise else enterprise_id,
        before=before,
        after=after,
        reason=reason or "",
    )
    event.save()
    return event


def record_many(*, actor: Actor | None, action: str, objs, enterprise_id: int, after, describe=str, at=None) -> None:
    """`record` for many objects of one change, in one statement; `after(obj)` is each one's after and
    `describe(obj)` its text."""
    at = at or now()
    AuditEvent.objects.bulk_create(
        _event(actor, action, obj, at=at, enterprise_id=enterprise_id, after=after(obj), object_repr=describe(obj))
        for obj in objs
    )
