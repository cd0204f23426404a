"""我的数据 (D01, the employee perspective), under /m/: the employee's own KPI cards and trend for a range, beside
the period before, their notes with figures, and the way to their orders and commission. Only the signed-in user's
own account is read; a user without a Xiaohongshu account gets a 404."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.paginator import Paginator
from django.http import Http404
from django.urls import path
from django.utils.http import urlencode
from django.views.generic import TemplateView

from bindings.views.employee import EmployeeNavMixin
from notes.choices import NoteType

from .. import selectors
from . import figures

NOTES_SHOWN = 10
# The presets a phone offers: a row of pills that scrolls sideways.
PHONE_PRESETS = ("last_7", "last_30", "last_90", "this_month", "last_month")
PHONE_KPIS = ("exposure", "reads", "engagement", "leads", "notes", "orders", "gmv", "commission")


class MyDataPage(LoginRequiredMixin, EmployeeNavMixin, TemplateView):
    template_name = "analytics/employee/my_data.html"

    def get(self, request, *args, **kwargs):
        account = getattr(request.user, "red_account", None)
        if account is None:
            raise Http404
        dates = figures.range_form(request.GET)
        valid = dates.is_valid()
        context = self.get_context_data(
            account=account,
            range_form=dates,
            errors=figures.range_errors(dates),
            presets=self.presets(dates),
            data_as_of=selectors.data_as_of(),
            **(self.figures(dates.cleaned_data) if valid else {}),
        )
        return self.render_to_response(context, status=200 if valid else 400)

    def presets(self, dates) -> list[dict]:
        labels = dict(dates.fields["preset"].choices)
        chosen = dates.cleaned_data.get("preset") if dates.is_valid() else None
        return [
            {
                "value": value,
                "label": labels[value],
                "active": value == chosen,
                "url": f"?{urlencode({'preset': value})}",
            }
            for value in PHONE_PRESETS
        ]

    def figures(self, dates: dict) -> dict:
        start, end = dates["from"], dates["to"]
        scope = selectors.Scope.of_employee(self.request.user)
        period = figures.period(scope, start, end)
        notes = Paginator(selectors.notes_table(scope, start, end, ordering="-exposure"), NOTES_SHOWN)
        page = notes.get_page(self.request.GET.get("page"))
        types = dict(NoteType.choices)
        page.object_list = [
            {**row, "type_label": types.get(row["type"], ""), "video": row["type"] == NoteType.VIDEO}
            for row in page.object_list
        ]
        return {
            **period,
            "kpis": [card for card in period["kpis"] if card["key"] in PHONE_KPIS],
            "start": start,
            "end": end,
            "page": page,
            "more_query": urlencode({"preset": "custom", "from": start.isoformat(), "to": end.isoformat()}),
        }


employee_urlpatterns = [path("data/", MyDataPage.as_view(), name="my-analytics")]
