"""The data centre's endpoints (D01): the enterprise's summary, time series, per-employee and per-note tables and
their export, for members (analysts included) and reported agency staff; and the employee's own summary, series and
notes under /me/. Ranges are `?preset=` or `?from=&to=` (Asia/Shanghai days, both included, at most 366)."""

from django.http import Http404
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from bindings.choices import Position
from kos_platform import exports
from kos_platform.pagination import PageNumberPagination, query_form
from kos_platform.schema import ErrorSerializer
from kos_platform.tenancy import WorkspaceAPIMixin
from notes.choices import NoteType
from notes.exports import KIND_ERROR, KINDS

from .. import data_exports, data_version, selectors
from ..data_forms import EMPLOYEE_ORDERINGS, NOTE_ORDERINGS, EmployeeTableForm, NoteTableForm, Preset, RangeForm
from ..models import AccountDay, NoteDay
from . import data_serializers as s

RANGE = [
    OpenApiParameter("preset", str, enum=Preset.values, description="last_30 by default; custom with from/to"),
    OpenApiParameter("from", str, description="YYYY-MM-DD, Asia/Shanghai"),
    OpenApiParameter("to", str, description="YYYY-MM-DD, inclusive; at most 366 days after from"),
]


def _orderings(names) -> list[str]:
    return [order for name in names for order in (name, f"-{name}")]


EMPLOYEE_QUERY = [
    *RANGE,
    OpenApiParameter("q", str, description="RED ID, nickname or holder name contains"),
    OpenApiParameter("position", str, enum=Position.values),
    OpenApiParameter("region", str),
    OpenApiParameter("ordering", str, enum=_orderings(EMPLOYEE_ORDERINGS), description="-engagement by default"),
]
NOTE_QUERY = [
    *RANGE,
    OpenApiParameter("q", str, description="note ID, title or RED ID contains"),
    OpenApiParameter("type", str, enum=NoteType.values),
    OpenApiParameter("ordering", str, enum=_orderings(NOTE_ORDERINGS), description="-exposure by default"),
]
TABLES = {"employees": EmployeeTableForm, "notes": NoteTableForm}
TABLE_ERROR = gettext_lazy("Choose employees or notes.")
EXPORT_QUERY = [
    OpenApiParameter("table", str, enum=list(TABLES), required=True),
    OpenApiParameter("format", str, enum=list(KINDS), required=True),
    *{parameter.name: parameter for parameter in (*EMPLOYEE_QUERY, *NOTE_QUERY)}.values(),
]


class Figures(generics.GenericAPIView):
    """What every data-centre endpoint shares: the range of the request, the scope it reads, its pages."""

    pagination_class = PageNumberPagination
    filter_backends = []  # each table sorts and filters through its query form
    form_class = RangeForm

    def query(self):
        return query_form(self.request, self.form_class)

    def scope(self) -> selectors.Scope:
        raise NotImplementedError

    def summary(self):
        return self.figures("summary-body", selectors.summary, s.AnalyticsSummarySerializer)

    def timeseries(self):
        def body(scope, start, end):
            return {"from": start, "to": end, "days": selectors.timeseries(scope, start, end)}

        return self.figures("series-body", body, s.AnalyticsTimeseriesSerializer)

    def figures(self, name: str, body, serializer):
        """`body(scope, start, end)` with "data as of", as `serializer` gives it; kept under the data's version
        (`data_version.cached`), so a repeated request reads two cache keys and serializes nothing."""
        scope, dates = self.scope(), self.query().cleaned_data
        start, end = dates["from"], dates["to"]

        def represent():
            figures = {**body(scope, start, end), "data_as_of": selectors.data_as_of()}
            return serializer().to_representation(figures)

        return Response(data_version.cached(name, (scope.key, start, end), represent))

    def table(self, rows_of, serializer):
        """A table's page: `rows_of(scope, start, end, **filters)` as `serializer` rows."""
        scope, form = self.scope(), self.query()
        rows = rows_of(scope, form.cleaned_data["from"], form.cleaned_data["to"], **form.table_filters())
        return self.get_paginated_response(serializer(self.paginate_queryset(rows), many=True).data)


# The enterprise -------------------------------------------------------------------------------------------------


class EnterpriseFigures(WorkspaceAPIMixin, Figures):
    model = AccountDay

    def scope_queryset(self, workspace):
        return AccountDay.objects.filter(enterprise=workspace.enterprise)

    def scope(self) -> selectors.Scope:
        return selectors.Scope(enterprise=self.workspace.enterprise)


@extend_schema(parameters=RANGE, responses=s.AnalyticsSummarySerializer)
class SummaryView(EnterpriseFigures):
    """The range's accounts, notes, exposure, reads, engagement, leads, spend, orders, GMV and commission, beside the
    equally long range just before (`previous`)."""

    def get(self, request, eid):
        return self.summary()


@extend_schema(parameters=RANGE, responses=s.AnalyticsTimeseriesSerializer)
class TimeseriesView(EnterpriseFigures):
    """The range's figures day by day, zeros included."""

    def get(self, request, eid):
        return self.timeseries()


@extend_schema(parameters=EMPLOYEE_QUERY, responses=s.EmployeeFiguresSerializer(many=True))
class EmployeesView(EnterpriseFigures):
    """One row per KOS account bound in the range (zeros included) or with the enterprise's figures in it; holder,
    position and region from its latest binding with the enterprise."""

    form_class = EmployeeTableForm

    def get(self, request, eid):
        def rows_of(scope, start, end, **filters):
            return selectors.employees(scope.enterprise, start, end, **filters)

        return self.table(rows_of, s.EmployeeFiguresSerializer)


@extend_schema(parameters=NOTE_QUERY, responses=s.NoteFiguresSerializer(many=True))
class NotesView(EnterpriseFigures):
    """One row per note with figures of the enterprise in the range: its figures, rates and the enterprise's spend
    on it."""

    model = NoteDay
    form_class = NoteTableForm

    def get(self, request, eid):
        return self.table(selectors.notes_table, s.NoteFiguresSerializer)


class ExportView(EnterpriseFigures):
    """The per-employee or per-note table (`table`), filtered and sorted as the table is, as CSV (UTF-8 with BOM) or
    XLSX, streamed; named with the range."""

    pagination_class = None

    def perform_content_negotiation(self, request, force=False):
        return JSONRenderer(), JSONRenderer.media_type  # `?format=csv|xlsx` names the file type, not a renderer

    @extend_schema(
        parameters=EXPORT_QUERY, responses={(200, "text/csv"): bytes, (200, exports.XLSX_CONTENT_TYPE): bytes}
    )
    def get(self, request, eid):
        kind, table = request.query_params.get("format"), request.query_params.get("table")
        if table not in TABLES:
            raise ValidationError({"table": [TABLE_ERROR]})
        if kind not in KINDS:
            raise ValidationError({"format": [KIND_ERROR]})
        self.form_class = TABLES[table]
        form = self.query()
        dates = form.cleaned_data
        header, rows, stem = data_exports.export_rows(
            table, self.scope(), dates["from"], dates["to"], **form.table_filters()
        )
        return exports.export_response(kind, header, rows, stem)


# The employee ---------------------------------------------------------------------------------------------------


class MyFigures(Figures):
    """The caller's own figures: their Xiaohongshu account in every enterprise it was bound to (404 without one)."""

    permission_classes = [IsAuthenticated]
    queryset = AccountDay.objects.none()  # for the schema: the figures are the selectors'

    def scope(self) -> selectors.Scope:
        scope = selectors.Scope.of_employee(self.request.user)
        if not scope.account_ids:
            raise Http404
        return scope


@extend_schema(parameters=RANGE, responses={200: s.AnalyticsSummarySerializer, 404: ErrorSerializer})
class MySummaryView(MyFigures):
    """The caller's summary beside the range before; `accounts` counts their accounts bound in the range."""

    def get(self, request):
        return self.summary()


@extend_schema(parameters=RANGE, responses={200: s.AnalyticsTimeseriesSerializer, 404: ErrorSerializer})
class MyTimeseriesView(MyFigures):
    def get(self, request):
        """The caller's figures day by day, zeros included."""
        return self.timeseries()


@extend_schema(parameters=NOTE_QUERY, responses=s.NoteFiguresSerializer(many=True))
class MyNotesView(MyFigures):
    """The caller's notes with figures in the range (the days they were bound), with the spend of the enterprises
    they were bound to."""

    queryset = NoteDay.objects.none()
    form_class = NoteTableForm

    def get(self, request):
        return self.table(selectors.notes_table, s.NoteFiguresSerializer)
