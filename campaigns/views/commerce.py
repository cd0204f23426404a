"""Commerce pages (C05): 商品分销 for the brand under /w/<eid>/ (products, orders with filters and export, the monthly
statement with settle and export, the default rate) and 我的订单与佣金 for the employee under /m/. They read through
`campaigns.selectors` / `campaigns.commission` and change state only through its services. Analysts read; agency staff
act like operators (no settle, no rate); owners and admins settle and set the rate ("manage")."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from bindings.views.employee import EmployeeNavMixin
from kos_platform import clock
from kos_platform.errors import RuleViolation
from kos_platform.pages import WorkspacePageMixin

from .. import commission, selectors
from ..api.commerce_serializers import CommissionSettingsSerializer
from ..choices import OrderStatus
from ..models.account import ZERO
from .ads import paged

PRODUCTS_SHOWN = 50


class CommercePage(WorkspacePageMixin, TemplateView):
    template_name = "campaigns/brand/commerce.html"

    def get(self, request, *args, **kwargs):
        return self.render_page()

    def post(self, request, *args, **kwargs):
        self.require("manage")
        back = reverse("commerce", args=[self.workspace.enterprise.pk])
        try:
            if request.POST.get("action") == "settle":
                month = request.POST.get("month", "")
                if not selectors.valid_month(month):
                    messages.error(request, selectors.MONTH_MESSAGE)
                    return redirect(back)
                commission.settle_month(workspace=self.workspace, month=month)
                messages.success(
                    request, _("%(month)s is settled; its statement no longer changes.") % {"month": month}
                )
                return redirect(f"{back}?{urlencode({'month': month})}")
            data = CommissionSettingsSerializer(data={"default_rate": request.POST.get("default_rate", "")})
            if not data.is_valid():
                return self.render_page(rate_errors=[str(e) for e in data.errors["default_rate"]], status=400)
            commission.default_rate_set(workspace=self.workspace, rate=data.validated_data["default_rate"])
            messages.success(request, _("The default commission rate is changed; it applies to orders from now on."))
        except RuleViolation as violation:
            messages.error(request, violation.message)
        return redirect(back)

    def render_page(self, status=200, **extra):
        enterprise = self.workspace.enterprise
        filters = selectors.OrderFilterForm(self.request.GET)
        month_form = selectors.MonthForm(self.request.GET)
        valid = filters.is_valid() & month_form.is_valid()
        month = month_form.cleaned_data.get("month") if month_form.is_valid() else clock.month_label()
        statement = commission.statement_rows(month, enterprise=enterprise)
        orders = selectors.orders_for(enterprise, filters.cleaned_data if filters.is_valid() else {})
        api = reverse("api:enterprise-order-export", args=[enterprise.pk])
        statement_api = reverse("api:enterprise-commission-statements-export", args=[enterprise.pk])
        query = {k: v for k, v in self.request.GET.items() if k in ("red_id", "from", "to", "status") and v}
        _start, end = commission.month_bounds(month)
        context = self.get_context_data(
            can_manage=self.workspace.can("manage"),
            default_rate=commission.default_rate(enterprise),
            products=list(selectors.products_for(enterprise)[:PRODUCTS_SHOWN]),
            products_count=selectors.products_for(enterprise).count(),
            filters=filters,
            statuses=OrderStatus.choices,
            month=month,
            months=recent_months(12),
            statement=statement,
            totals={
                "orders": sum(r["orders"] for r in statement),
                "gmv": sum((r["gmv"] for r in statement), ZERO),
                "commission": sum((r["commission"] for r in statement), ZERO),
            },
            settled=commission.is_settled(enterprise, month),
            month_over=clock.now() >= end,
            order_exports=[(label, f"{api}?{urlencode(query | {'format': kind})}") for kind, label in EXPORTS],
            statement_exports=[
                (label, f"{statement_api}?{urlencode({'month': month, 'format': kind})}") for kind, label in EXPORTS
            ],
            **paged(orders, self.request),
            **extra,
        )
        return self.render_to_response(context, status=status if valid else 400)


EXPORTS = (("csv", "CSV"), ("xlsx", "Excel"))


def recent_months(count: int) -> list[str]:
    """This month and the ones before it, newest first (YYYY-MM)."""
    today = clock.local_today()
    year, month = today.year, today.month
    months = []
    for _number in range(count):
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return months


class MyOrdersPage(LoginRequiredMixin, EmployeeNavMixin, TemplateView):
    """我的订单与佣金: the employee's own orders and commission, this month and by month."""

    template_name = "campaigns/employee/orders.html"

    def get_context_data(self, **kwargs):
        account = getattr(self.request.user, "red_account", None)
        if account is None:
            raise Http404
        month_form = selectors.MonthForm(self.request.GET)
        month = month_form.cleaned_data["month"] if month_form.is_valid() else clock.month_label()
        statement = commission.statement_rows(month, account_id=account.pk)
        orders = selectors.orders_for(None, {}, account_id=account.pk)
        page = Paginator(orders, 20).get_page(self.request.GET.get("page"))
        return {
            **super().get_context_data(**kwargs),
            "tab": "employee-orders",
            "month": month,
            "months": recent_months(6),
            "statement": statement,
            "commission": sum((r["commission"] for r in statement), ZERO),
            "gmv": sum((r["gmv"] for r in statement), ZERO),
            "order_count": sum(r["orders"] for r in statement),
            "page": page,
        }


brand_urlpatterns = [path("commerce/", CommercePage.as_view(), name="commerce")]
employee_urlpatterns = [path("orders/", MyOrdersPage.as_view(), name="employee-orders")]
