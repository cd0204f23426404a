"""`GET /api/v1/enterprises/{eid}/audit-log/` and its `export/`: who did what in the workspace, when, before →
after, why, with the agency when acting through one. Each record keeps its codes (`action`, `object`, `before`,
`after`, for integrations) beside `summary`, the same record in one sentence of the request's language
(accounts.audit_display). Filters: `actor` (a login), `action`, `object_type`, `from`/`to` (Asia/Shanghai dates),
`via_agency` (yes / no / an agency's id); an invalid value is a 400."""

from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import generics, serializers
from rest_framework.renderers import JSONRenderer

from accounts.audit import ACTION_LABELS
from accounts.audit_display import describe, export_response
from accounts.models import AuditEvent
from campaigns.exports import KINDS, XLSX_TYPE, kind_of
from kos_platform.pagination import query_form
from kos_platform.tenancy import WorkspaceAPIMixin

from .. import audit_log


class AuditEventSerializer(serializers.ModelSerializer):
    actor = serializers.SerializerMethodField()
    via_agency = serializers.SerializerMethodField()
    object = serializers.SerializerMethodField()
    summary = serializers.SerializerMethodField()

    class Meta:
        model = AuditEvent
        fields = ("id", "at", "actor", "via_agency", "action", "object", "before", "after", "reason", "summary")

    def get_actor(self, event) -> str | None:
        return event.actor.username if event.actor else None

    def get_via_agency(self, event) -> str | None:
        return event.via_agency.name if event.via_agency else None

    @extend_schema_field(
        {
            "type": "object",
            "properties": {"type": {"type": "string"}, "id": {"type": "string"}, "repr": {"type": "string"}},
        }
    )
    def get_object(self, event):
        return {"type": event.object_type, "id": event.object_id, "repr": event.object_repr}

    def get_summary(self, event) -> str:
        """The record in one sentence of the request's language: who, what, which object, what changed, why."""
        if not hasattr(event, "summary"):
            describe([event])
        return event.summary


FILTERS = [
    OpenApiParameter("actor", str, description="the login of who acted"),
    OpenApiParameter("action", str, enum=list(ACTION_LABELS)),
    OpenApiParameter("object_type", str, description="the kind of object, e.g. notes.notereview"),
    OpenApiParameter("from", str, description="YYYY-MM-DD, Asia/Shanghai"),
    OpenApiParameter("to", str, description="YYYY-MM-DD, Asia/Shanghai"),
    OpenApiParameter("via_agency", str, description=audit_log.VIA_AGENCY_HELP),
]


@extend_schema(parameters=FILTERS)
class AuditLogView(WorkspaceAPIMixin, generics.ListAPIView):
    """Who did what in the workspace, when, before → after, why; with the agency when acting through one."""

    serializer_class = AuditEventSerializer

    def scope_queryset(self, workspace):
        filters = query_form(self.request, audit_log.AuditFilterForm).cleaned_data
        return audit_log.audit_log(workspace, filters)

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        return describe(page) if page is not None else None


class AuditLogExportView(AuditLogView):
    """The filtered audit log as CSV (UTF-8 with BOM) or XLSX, streamed, in words."""

    def perform_content_negotiation(self, request, force=False):
        return JSONRenderer(), JSONRenderer.media_type  # `?format=csv|xlsx` names the file type, not a renderer

    @extend_schema(
        parameters=[*FILTERS, OpenApiParameter("format", str, enum=list(KINDS), required=True)],
        responses={(200, "text/csv"): bytes, (200, XLSX_TYPE): bytes},
    )
    def get(self, request, eid):
        kind = kind_of(request)
        return export_response(kind, self.get_queryset(), self.workspace.enterprise)
