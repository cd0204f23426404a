"""The brand's audit log read through its filters, shared by the page (操作日志), its export and the API: who,
which action, which kind of object, Asia/Shanghai dates, and whether (or through which agency) it was done."""

from datetime import timedelta

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from accounts.audit import ACTION_LABELS
from accounts.audit_display import kind_choices
from accounts.models import Agency, AuditEvent, User
from kos_platform.guard import BoundedDateFormField, day_start
from kos_platform.tenancy import Workspace

from . import selectors

VIA_AGENCY_HELP = "yes, no, or an agency's id"
VIA_AGENCY_ERROR = _("Choose yes, no or an agency.")


class AuditFilterForm(forms.Form):
    """`actor` (a login), `action`, `object_type`, `from`/`to` (YYYY-MM-DD, Asia/Shanghai), `via_agency`
    (yes / no / an agency's id). The same names on the page, its export and the API."""

    actor = forms.CharField(label=_("Who"), required=False, max_length=150)
    action = forms.ChoiceField(label=_("Action"), required=False)
    object_type = forms.ChoiceField(label=_("Object"), required=False)
    via_agency = forms.CharField(label=_("Via agency"), required=False, max_length=20)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [("", _("Any")), *((code, str(label)) for code, label in ACTION_LABELS.items())]
        self.fields["object_type"].choices = [("", _("Any")), *kind_choices()]
        self.fields["from"] = BoundedDateFormField(label=_("From"), required=False)
        self.fields["to"] = BoundedDateFormField(label=_("To"), required=False)

    def clean_via_agency(self) -> str:
        value = self.cleaned_data["via_agency"]
        if value and value not in ("yes", "no") and not (value.isascii() and value.isdigit() and len(value) <= 18):
            raise ValidationError(VIA_AGENCY_ERROR, code="invalid")
        return value

    def clean(self):
        data = super().clean()
        start, end = data.get("from"), data.get("to")
        if start and end and start > end:
            raise ValidationError(_("The start date is after the end date."))
        return data


def filtered(queryset: QuerySet[AuditEvent], filters: dict) -> QuerySet[AuditEvent]:
    """`queryset` narrowed by the cleaned filters (absent or empty ones do not narrow)."""
    if value := filters.get("actor"):
        queryset = queryset.filter(actor__username=value)
    if value := filters.get("action"):
        queryset = queryset.filter(action=value)
    if value := filters.get("object_type"):
        queryset = queryset.filter(object_type=value)
    if value := filters.get("from"):
        queryset = queryset.filter(at__gte=day_start(value))
    if value := filters.get("to"):
        queryset = queryset.filter(at__lt=day_start(value + timedelta(days=1)))
    if value := filters.get("via_agency"):
        if value == "yes":
            queryset = queryset.filter(via_agency__isnull=False)
        elif value == "no":
            queryset = queryset.filter(via_agency__isnull=True)
        else:
            queryset = queryset.filter(via_agency_id=int(value))
    return queryset


def audit_log(workspace: Workspace, filters: dict | None = None) -> QuerySet[AuditEvent]:
    """The workspace's records, newest first, narrowed by `filters`."""
    return filtered(selectors.audit_log_for_workspace(workspace), filters or {}).order_by("-at", "-id")


def actors_in_log(workspace: Workspace) -> list[User]:
    """The people and keys that appear in the workspace's log, for the page's filter."""
    ids = selectors.audit_log_for_workspace(workspace).exclude(actor=None).values("actor_id")
    return list(User.objects.filter(pk__in=ids).order_by("display_name", "username"))


def agencies_in_log(workspace: Workspace) -> list[Agency]:
    ids = selectors.audit_log_for_workspace(workspace).exclude(via_agency=None).values("via_agency_id")
    return list(Agency.objects.filter(pk__in=ids).order_by("name"))
