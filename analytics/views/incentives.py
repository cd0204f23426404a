"""激励活动 (D02): the brand's periods under /w/<eid>/incentives/ (list and create with the deck's template, a period
with its live leaderboard, rules in words, edit before it starts, close from the day after its last day, the awards
and their export) and the employee's 我的激励 under /m/incentives/. Analysts read; owners, admins, operators and
agency staff create, edit and close ("operate")."""

from decimal import Decimal

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from bindings.views.employee import EmployeeNavMixin
from kos_platform import clock
from kos_platform.errors import RuleViolation
from kos_platform.guard import validate_enterprise_date
from kos_platform.pages import WorkspacePageMixin

from .. import incentive_reads, incentives
from ..choices import AwardKind, PeriodStatus
from ..models import default_rules

EXPORTS = (("csv", "CSV"), ("xlsx", "Excel"))


class PeriodForm(forms.Form):
    """A period's name, dates and the three awards' settings (the rules, flattened for a form)."""

    name = forms.CharField(label=gettext_lazy("Name"), max_length=60)
    start_date = forms.DateField(label=gettext_lazy("First day"), validators=[validate_enterprise_date])
    end_date = forms.DateField(label=gettext_lazy("Last day"), validators=[validate_enterprise_date])
    viral_min_interactions = forms.IntegerField(label=gettext_lazy("Interactions above"), min_value=0)
    viral_top = forms.IntegerField(label=gettext_lazy("Places"), min_value=1, max_value=incentives.MAX_PLACES)
    viral_amount = forms.DecimalField(label=gettext_lazy("Amount (yuan)"), min_value=Decimal("0.01"), decimal_places=2)
    cumulative_top = forms.IntegerField(label=gettext_lazy("Places"), min_value=1, max_value=incentives.MAX_PLACES)
    cumulative_amount = forms.DecimalField(
        label=gettext_lazy("Amount (yuan)"), min_value=Decimal("0.01"), decimal_places=2
    )
    honour_top = forms.IntegerField(label=gettext_lazy("Places"), min_value=1, max_value=incentives.MAX_PLACES)
    honour_prize = forms.CharField(label=gettext_lazy("Prize"), max_length=incentives.PRIZE_LENGTH)

    @classmethod
    def initial_of(cls, name="", start_date=None, end_date=None, rules=None) -> dict:
        rules = rules or default_rules()
        flat = {f"{award}_{key}": value for award, fields in rules.items() for key, value in fields.items()}
        return {"name": name, "start_date": start_date, "end_date": end_date, **flat}

    def clean(self):
        data = super().clean()
        try:
            incentives.check_dates(data.get("start_date"), data.get("end_date"))
        except forms.ValidationError as error:
            self.add_error(None, error)
        if self.errors:
            return data
        given = {award: {key: data[f"{award}_{key}"] for key in keys} for award, keys in incentives.RULE_FIELDS.items()}
        given["viral"]["amount"] = f"{given['viral']['amount']:.2f}"
        given["cumulative"]["amount"] = f"{given['cumulative']['amount']:.2f}"
        rules, problems = incentives.clean_rules(given)
        for problem in problems:
            self.add_error(None, problem)
        data["rules"] = rules
        return data

    def values(self) -> dict:
        return {name: self.cleaned_data[name] for name in incentives.EDITABLE}


class IncentivesPage(WorkspacePageMixin, TemplateView):
    """激励活动: the periods (status, dates, participants) and the form creating one."""

    template_name = "analytics/incentives/list.html"

    def get(self, request, *args, **kwargs):
        today = clock.local_today()
        return self.render_page(PeriodForm(initial=PeriodForm.initial_of(start_date=today, end_date=today)))

    def post(self, request, *args, **kwargs):
        self.require("operate")
        form = PeriodForm(request.POST)
        if not form.is_valid():
            return self.render_page(form, status=400)
        period = incentives.period_create(workspace=self.workspace, **form.values())
        messages.success(request, _("The incentive period is created."))
        return redirect("analytics-incentive-period", eid=self.workspace.enterprise.pk, period_id=period.pk)

    def render_page(self, form, status=200):
        periods = list(incentives.periods_for(self.workspace.enterprise)[:100])
        context = self.get_context_data(
            periods=periods, form=form, can_operate=self.workspace.can("operate"), today=clock.local_today()
        )
        return self.render_to_response(context, status=status)


class PeriodPage(WorkspacePageMixin, TemplateView):
    """One period: its rules in words, the live leaderboard, edit before it starts, close once it is over, and the
    awards with their export after closing."""

    template_name = "analytics/incentives/period.html"

    def get_period(self):
        return get_object_or_404(incentives.periods_for(self.workspace.enterprise), pk=self.kwargs["period_id"])

    def get(self, request, *args, **kwargs):
        period = self.get_period()
        return self.render_page(period, PeriodForm(initial=PeriodForm.initial_of(**self._values(period))))

    def post(self, request, *args, **kwargs):
        self.require("operate")
        period = self.get_period()
        back = reverse("analytics-incentive-period", args=[self.workspace.enterprise.pk, period.pk])
        try:
            if request.POST.get("action") == "close":
                incentives.period_close(actor=self.workspace.actor, period=period)
                messages.success(request, _("The period is closed and its awards are computed."))
                return redirect(back)
            form = PeriodForm(request.POST)
            if not form.is_valid():
                return self.render_page(period, form, status=400)
            incentives.period_update(workspace=self.workspace, period=period, **form.values())
            messages.success(request, _("The incentive period is saved."))
        except RuleViolation as violation:
            messages.error(request, violation.message)
        return redirect(back)

    @staticmethod
    def _values(period) -> dict:
        return {name: getattr(period, name) for name in incentives.EDITABLE}

    def render_page(self, period, form, status=200):
        board = incentives.leaderboard(period)
        closed = period.status == PeriodStatus.CLOSED
        api = reverse("api:enterprise-incentive-awards-export", args=[self.workspace.enterprise.pk, period.pk])
        context = self.get_context_data(
            period=period,
            form=form,
            board=board,
            rules=incentives.rules_in_words(period.rules),
            can_operate=self.workspace.can("operate"),
            editable=not closed and not incentives.has_started(period),
            closable=not closed and incentives.is_over(period),
            closable_from=incentive_reads.closable_from(period),
            awards=incentive_reads.awards_of_period(period) if closed else [],
            exports=[(label, f"{api}?{urlencode({'format': kind})}") for kind, label in EXPORTS],
            today=clock.local_today(),
        )
        return self.render_to_response(context, status=status)


class MyIncentivesPage(LoginRequiredMixin, EmployeeNavMixin, TemplateView):
    """我的激励: the open periods with the employee's rank and the gap to the next place, and past awards."""

    template_name = "analytics/incentives/employee.html"

    def get_context_data(self, **kwargs):
        account = getattr(self.request.user, "red_account", None)
        if account is None:
            raise Http404
        rows = incentive_reads.my_rows(account, incentive_reads.periods_of_account(account)[:30])
        labels = dict(AwardKind.choices)
        for row in rows:
            row["rules_text"] = incentives.rules_in_words(row["rules"])
            for award in row["awards"]:
                award["label"] = labels[award["kind"]]
        return {
            **super().get_context_data(**kwargs),
            "tab": "employee-incentives",
            "open_rows": [r for r in rows if r["status"] == PeriodStatus.OPEN],
            "closed_rows": [r for r in rows if r["status"] == PeriodStatus.CLOSED],
        }
