"""How binding records read in the audit log (see accounts.audit_display)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.audit_display import names_of, person, register

from .models import Binding, Invitation

EMPLOYEE_FIELDS = {"name": _("Full name")}


def _binding_url(event) -> str:
    return reverse("binding-detail", args=[event.enterprise_id, event.object_id]) if event.enterprise_id else ""


register(
    "bindings.binding",
    label=_("Employee account"),
    names=names_of(Binding, "name", "red_account__red_id", format=person),
    fields=EMPLOYEE_FIELDS,
    link=_binding_url,
)
register(
    "bindings.invitation",
    label=_("Invitation"),
    names=names_of(Invitation, "name", "red_account__red_id", format=person),
    fields=EMPLOYEE_FIELDS,
)
