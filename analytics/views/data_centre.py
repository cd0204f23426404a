"""数据中心 (D01, the enterprise perspective), under /w/<eid>/: the range, the KPI cards beside the period before, the
trend chart, the per-employee and per-note tables with their filters, and the export of the shown table. Members of
every role and reported agency staff read it ("view"); another tenant's workspace is a 404. The overview's results
strip (`results_strip`) is the last 30 days of the same figures."""

from django import forms
from django.core.paginator import Paginator
from django.http import HttpResponseBadRequest
from django.urls import path, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from bindings.choices import Position
from bindings.models import Binding
from kos_platform import exports
from kos_platform.pages import WorkspacePageMixin
from kos_platform.pagination import sort_columns
from notes.choices import NoteType

from .. import data_exports, selectors
from ..data_forms import EmployeeTableForm, NoteTableForm
from . import figures

PAGE_SIZE = 20
EMPLOYEES, NOTES = "employees", "notes"
TABLES = ((EMPLOYEES, gettext_lazy("By employee")), (NOTES, gettext_lazy("By note")))
# Each table's query — range, search, filters, ordering — read as the API reads it.
TABLE_FORMS = {EMPLOYEES: EmployeeTableForm, NOTES: NoteTableForm}
STRIP_KPIS = ("exposure", "engagement", "leads", "orders", "gmv")


def known_ordering(query, orderings: tuple[str, ...]):
    """The query without an `ordering` the table does not sort by. The pages' headers only link to the columns'
    orderings, so another one comes from a hand-edited URL: the table then shows in its default order, rather than
    an error naming the API's fields (the API itself still refuses it with a 400)."""
    ordering = query.get("ordering")
    if ordering and ordering.strip().lstrip("-") not in orderings:
        query = query.copy()
        query.pop("ordering")
    return query


def table_form(query) -> tuple[str, selectors.RangeForm]:
    """The shown table (employees unless `table` names one) and its validated query form; an ordering the table
    does not know is its default order. An unknown table is its range alone, invalid with the choice's message."""
    table = query.get("table") or EMPLOYEES
    if table in TABLE_FORMS:
        form_class = TABLE_FORMS[table]
        form = form_class(known_ordering(query, form_class.orderings))
        form.is_valid()
        return table, form
    form = figures.range_form(query)
    form.is_valid()
    form.add_error(None, forms.ChoiceField.default_error_messages["invalid_choice"] % {"value": table})
    return table, form


def shown_query(table: str, form) -> dict:
    """The shown table and its filters, as its links and its export carry them."""
    return {"table": table, **{key: value for key, value in form.table_filters().items() if value}}


def table_rows(enterprise, table: str, form):
    """The rows of the shown table, filtered and ordered as the page asks."""
    start, end, filters = form.cleaned_data["from"], form.cleaned_data["to"], form.table_filters()
    if table == EMPLOYEES:
        return selectors.employees(enterprise, start, end, **filters)
    return selectors.notes_table(selectors.Scope(enterprise=enterprise), start, end, **filters)


def binding_links(enterprise, red_ids) -> dict:
    """red_id → the page of the account's latest binding to the enterprise (one query for the page's rows)."""
    pairs = (
        Binding.objects.filter(enterprise=enterprise, red_account__red_id__in=set(red_ids))
        .order_by("effective_at", "pk")
        .values_list("red_account__red_id", "pk")
    )
    return {red_id: reverse("binding-detail", args=[enterprise.pk, pk]) for red_id, pk in pairs}


def link_rows(rows, enterprise, table: str) -> None:
    """Each row's link: the account's binding page, or the note's detail page."""
    if table == EMPLOYEES:
        links = binding_links(enterprise, [row["red_id"] for row in rows])
        for row in rows:
            row["link"] = links.get(row["red_id"], "")
    else:
        for row in rows:
            row["link"] = reverse("note-detail", args=[enterprise.pk, row["note_id"]])


def preset_links(form, extra: dict) -> list[dict]:
    """The range presets as links that keep the shown table and its filters."""
    chosen = form.cleaned_data.get("preset") if form.is_valid() else None
    return [
        {"value": value, "label": label, "active": value == chosen, "url": f"?{urlencode({**extra, 'preset': value})}"}
        for value, label in form.fields["preset"].choices
        if value and value != "custom"
    ]


class DataCentrePage(WorkspacePageMixin, TemplateView):
    template_name = "analytics/brand/data_centre.html"

    def get(self, request, *args, **kwargs):
        table, form = table_form(request.GET)
        valid = form.is_valid()
        extra = shown_query(table, form) if valid else {}
        context = self.get_context_data(
            range_form=form,
            presets=preset_links(form, extra),
            errors=figures.range_errors(form),
            data_as_of=selectors.data_as_of(),
            tables=TABLES,
            positions=Position.choices,
            regions=self.regions(),
            types=NoteType.choices,
            **(self.figures(table, form) if valid else {}),
        )
        return self.render_to_response(context, status=200 if valid else 400)

    def regions(self) -> list[str]:
        bindings = Binding.objects.filter(enterprise=self.workspace.enterprise).exclude(region="")
        return list(bindings.order_by("region").values_list("region", flat=True).distinct())

    def figures(self, table: str, form) -> dict:
        enterprise, data = self.workspace.enterprise, form.cleaned_data
        start, end = data["from"], data["to"]
        paginator = Paginator(table_rows(enterprise, table, form), PAGE_SIZE)
        page = paginator.get_page(self.request.GET.get("page"))
        link_rows(page.object_list, enterprise, table)
        range_query = {"from": start.isoformat(), "to": end.isoformat()}
        export_query = urlencode({**range_query, **shown_query(table, form)})
        export = reverse("analytics-data-export", args=[enterprise.pk])
        return {
            **figures.period(selectors.Scope(enterprise=enterprise), start, end),
            "start": start,
            "end": end,
            "table": table,
            "filters": data,
            "filtered": any(data.get(key) for key in ("q", "position", "region", "type")),
            "columns": sort_columns(form.orderings, data["ordering"]),
            "page": page,
            "page_range": list(paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)),
            "ellipsis": Paginator.ELLIPSIS,
            "exports": [
                {"kind": kind, "label": label, "url": f"{export}?{export_query}&format={kind}"}
                for kind, label in (("csv", "CSV"), ("xlsx", "Excel"))
            ],
            "range_query": urlencode({**range_query, "preset": "custom"}),
        }


class DataExportView(WorkspacePageMixin, View):
    """The shown table (range, filters and order as on the page) as CSV or XLSX, streamed."""

    def get(self, request, *args, **kwargs):
        table, form = table_form(request.GET)
        kind = request.GET.get("format", "csv")
        if not form.is_valid() or kind not in ("csv", "xlsx"):
            errors = figures.range_errors(form) or [_("Choose csv or xlsx.")]
            return HttpResponseBadRequest(" ".join(errors), content_type="text/plain; charset=utf-8")
        data, scope = form.cleaned_data, selectors.Scope(enterprise=self.workspace.enterprise)
        header, rows, stem = data_exports.export_rows(table, scope, data["from"], data["to"], **form.table_filters())
        return exports.export_response(kind, header, rows, stem)


def results_strip(enterprise) -> dict:
    """The overview's results: a few KPIs of the last 30 days beside the 30 days before."""
    dates = figures.range_form({})
    dates.is_valid()
    start, end = dates.cleaned_data["from"], dates.cleaned_data["to"]
    summary = selectors.summary(selectors.Scope(enterprise=enterprise), start, end)
    return {"kpis": figures.kpi_cards(summary, STRIP_KPIS), "start": start, "end": end}


brand_urlpatterns = [
    path("data/", DataCentrePage.as_view(), name="analytics-data-centre"),
    path("data/export/", DataExportView.as_view(), name="analytics-data-export"),
]
