from django import template
from django.utils.translation import gettext as _

from accounts.audit import action_label as _action_label
from accounts.choices import Industry, Role
from kos_platform.errors import ENTERPRISE_REASON_MESSAGES

register = template.Library()


@register.filter
def role_label(role: str) -> str:
    """A membership role, or "agency", in the reader's language."""
    if role == "agency":
        return _("Agency")
    return Role(role).label if role in Role.values else role


@register.filter
def industry_label(industry: str) -> str:
    return Industry(industry).label if industry in Industry.values else industry


@register.filter
def enterprise_reason(code: str) -> str:
    return str(ENTERPRISE_REASON_MESSAGES.get(code, code))


@register.filter
def action_label(action: str) -> str:
    return _action_label(action)
