"""操作日志: the brand's audit log page under /w/<eid>/audit/, every record in words (accounts.audit_display), with
filters (who, action, kind of object, Asia/Shanghai dates, via an agency) and its CSV/XLSX export (the API's
`audit-log/export/` with the same filters). Analysts read it like every other member."""

from urllib.parse import urlencode

from django.urls import path, reverse

from accounts.audit_display import describe

from .. import audit_log
from .brand import BrandPage, filters_of, paginate

EXPORTS = (("csv", "CSV"), ("xlsx", "Excel"))


class AuditLogView(BrandPage):
    template_name = "bindings/brand/audit_log.html"

    def get_context_data(self, **kwargs):
        workspace = self.workspace
        form = audit_log.AuditFilterForm(self.request.GET or None)
        filters = filters_of(form)
        paging = paginate(self.request, audit_log.audit_log(workspace, filters))
        paging["page"].object_list = describe(paging["page"].object_list)
        query = {key: str(value) for key, value in filters.items()}
        api = reverse("api:enterprise-audit-log-export", args=[workspace.enterprise.pk])
        return {
            **super().get_context_data(**kwargs),
            **paging,
            "form": form,
            "filtered": bool(filters),
            "actors": audit_log.actors_in_log(workspace),
            "agencies": audit_log.agencies_in_log(workspace),
            "query": urlencode(query),
            "exports": [(label, f"{api}?{urlencode({**query, 'format': kind})}") for kind, label in EXPORTS],
        }


urlpatterns = [
    path("audit/", AuditLogView.as_view(), name="audit-log"),
]
