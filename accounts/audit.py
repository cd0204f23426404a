"""Writing audit records (B10): every state change calls `record` inside its transaction."""

from datetime import date, datetime
from decimal import Decimal

from django.db import models
from django.utils import timezone

from kos_platform.clock import now
from kos_platform.tenancy import Actor

from .models import AuditEvent, Enterprise


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
