"""Commerce endpoints (C05): the shop's products and orders, the default commission rate, the monthly statements and
their settlement, the employee's own orders and statements, and the shop's ingests."""

from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from kos_platform.guard import GuardedJSONParser
from kos_platform.pagination import PageNumberPagination, query_form
from kos_platform.schema import refuses
from kos_platform.tenancy import Actor, IsPlatformStaff, WorkspaceAPIMixin

from .. import commission, exports, orders, selectors
from ..choices import OrderStatus
from ..models import Order, Product
from . import commerce_serializers as s

ORDER_FILTERS = [
    OpenApiParameter("red_id", str),
    OpenApiParameter("from", str, description="YYYY-MM-DD, Asia/Shanghai"),
    OpenApiParameter("to", str, description="YYYY-MM-DD, inclusive"),
    OpenApiParameter("status", str, enum=OrderStatus.values),
]
MONTH = [OpenApiParameter("month", str, description="YYYY-MM, this month by default")]
FORMAT = [OpenApiParameter("format", str, enum=list(exports.KINDS), required=True)]
DOWNLOAD = {(200, "text/csv"): bytes, (200, exports.XLSX_TYPE): bytes}


class Download:
    """`?format=csv|xlsx` names the file type here, not a renderer."""

    def perform_content_negotiation(self, request, force=False):
        return JSONRenderer(), JSONRenderer.media_type


class ProductListView(WorkspaceAPIMixin, generics.ListAPIView):
    """The shop's products, with the commission rate that applies (the product's, else the enterprise's)."""

    serializer_class = s.ProductSerializer
    pagination_class = PageNumberPagination
    model = Product

    def scope_queryset(self, workspace):
        return selectors.products_for(workspace.enterprise)

    def list(self, request, eid):
        page = self.paginate_queryset(self.get_queryset())
        default = commission.default_rate(self.workspace.enterprise)
        rows = [
            {
                "product_id": p.product_id,
                "name": p.name,
                "price": p.price,
                "commission_rate": default if p.commission_rate is None else p.commission_rate,
                "own_rate": p.commission_rate is not None,
            }
            for p in page
        ]
        return self.get_paginated_response(s.ProductSerializer(rows, many=True).data)


@extend_schema(parameters=ORDER_FILTERS)
class OrderListView(WorkspaceAPIMixin, generics.ListAPIView):
    """The enterprise's orders, newest first, with the commission each earns and why it earns none."""

    serializer_class = s.OrderSerializer
    pagination_class = PageNumberPagination
    model = Order

    def scope_queryset(self, workspace):
        return selectors.orders_for(
            workspace.enterprise, query_form(self.request, selectors.OrderFilterForm).cleaned_data
        )


class OrderExportView(Download, OrderListView):
    @extend_schema(parameters=[*ORDER_FILTERS, *FORMAT], responses=DOWNLOAD)
    def get(self, request, eid):
        """The filtered orders as CSV or XLSX, streamed."""
        return exports.orders_export(exports.kind_of(request), self.get_queryset(), self.workspace.enterprise)


class CommissionSettingsView(WorkspaceAPIMixin, generics.GenericAPIView):
    """The default commission rate (owner and admin change it)."""

    serializer_class = s.CommissionSettingsSerializer
    model = Product
    capabilities = {"PATCH": "manage"}

    def scope_queryset(self, workspace):
        return Product.objects.none()

    def get(self, request, eid):
        return Response({"default_rate": f"{commission.default_rate(self.workspace.enterprise):.4f}"})

    def patch(self, request, eid):
        data = s.CommissionSettingsSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        settings = commission.default_rate_set(workspace=self.workspace, rate=data.validated_data["default_rate"])
        return Response({"default_rate": f"{settings.default_rate:.4f}"})


@extend_schema(parameters=MONTH, responses=s.StatementRowSerializer(many=True))
class StatementView(WorkspaceAPIMixin, generics.GenericAPIView):
    """A month's commission statement: one row per KOS account (and holder), settled or open."""

    serializer_class = s.StatementRowSerializer
    pagination_class = PageNumberPagination
    model = Order

    def scope_queryset(self, workspace):
        return Order.objects.filter(enterprise=workspace.enterprise)

    def month(self) -> str:
        return query_form(self.request, selectors.MonthForm).cleaned_data["month"]

    def get(self, request, eid):
        rows = commission.statement_rows(self.month(), enterprise=self.workspace.enterprise)
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(s.StatementRowSerializer(page, many=True).data)


class StatementExportView(Download, StatementView):
    @extend_schema(parameters=[*MONTH, *FORMAT], responses=DOWNLOAD)
    def get(self, request, eid):
        """A month's statement as CSV or XLSX."""
        month = self.month()
        rows = commission.statement_rows(month, enterprise=self.workspace.enterprise)
        return exports.statement_export(exports.kind_of(request), rows, month, self.workspace.enterprise)


class SettleView(WorkspaceAPIMixin, generics.GenericAPIView):
    """Settle a month that is over (owner and admin): its lines never change again."""

    serializer_class = s.SettlementSerializer
    model = Order
    capabilities = {"POST": "manage"}

    def scope_queryset(self, workspace):
        return Order.objects.filter(enterprise=workspace.enterprise)

    @extend_schema(request=None, responses={201: s.SettlementSerializer})
    @refuses("month_not_over", "month_already_settled")
    def post(self, request, eid, month):
        if not selectors.valid_month(month):
            raise ValidationError({"month": [selectors.MONTH_MESSAGE]})
        settlement = commission.settle_month(workspace=self.workspace, month=month)
        body = {"month": settlement.month, "settled_at": settlement.settled_at, "status": "settled"}
        return Response(s.SettlementSerializer(body).data, status=status.HTTP_201_CREATED)


# The employee -------------------------------------------------------------------------------------------------


class MineMixin:
    permission_classes = [IsAuthenticated]

    def account_id(self) -> int:
        account = getattr(self.request.user, "red_account", None)
        if account is None:
            raise Http404
        return account.pk


@extend_schema(parameters=ORDER_FILTERS)
class MyOrdersView(MineMixin, generics.ListAPIView):
    """The orders of the employee's own Xiaohongshu account, in every enterprise, with their commission."""

    serializer_class = s.MyOrderSerializer
    pagination_class = PageNumberPagination

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Order.objects.none()
        filters = query_form(self.request, selectors.OrderFilterForm).cleaned_data
        return selectors.orders_for(None, filters, account_id=self.account_id())


@extend_schema(parameters=MONTH, responses=s.MyStatementRowSerializer(many=True))
class MyStatementsView(MineMixin, generics.GenericAPIView):
    """The employee's own commission statement of a month, per enterprise (and holder)."""

    serializer_class = s.MyStatementRowSerializer
    pagination_class = PageNumberPagination
    queryset = Order.objects.none()  # for the schema: the rows are a statement's, not a queryset's

    def get(self, request):
        month = query_form(request, selectors.MonthForm).cleaned_data["month"]
        rows = commission.statement_rows(month, account_id=self.account_id())
        return self.get_paginated_response(s.MyStatementRowSerializer(self.paginate_queryset(rows), many=True).data)


# The shop's ingests ----------------------------------------------------------------------------------------------


class ProductIngestView(APIView):
    """Bulk upsert of products by (enterprise, product ID), up to 10,000 rows; the whole batch or nothing."""

    permission_classes = [IsPlatformStaff]
    parser_classes = [GuardedJSONParser]

    @extend_schema(request=s.ProductRowSerializer(many=True), responses=s.IngestResultSerializer)
    def post(self, request):
        return Response(orders.upsert_products(actor=Actor(user=request.user), rows=request.data))


class OrderIngestView(APIView):
    """Bulk upsert of orders by order ID, up to 10,000 rows; each is attributed at `paid_at` and commissioned
    (C05); the whole batch or nothing."""

    permission_classes = [IsPlatformStaff]
    parser_classes = [GuardedJSONParser]

    @extend_schema(request=s.OrderRowSerializer(many=True), responses=s.OrderIngestResultSerializer)
    def post(self, request):
        return Response(orders.upsert_orders(actor=Actor(user=request.user), rows=request.data))
