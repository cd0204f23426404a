from django.urls import path
from rest_framework.routers import SimpleRouter

from . import commerce_views, views

E = r"enterprises/(?P<eid>\d+)"
router = SimpleRouter()
router.register(rf"{E}/campaigns", views.CampaignViewSet, basename="enterprise-campaign")
router.register(rf"{E}/campaigns/(?P<campaign_id>\d+)/units", views.UnitViewSet, basename="enterprise-campaign-unit")

urlpatterns = [
    # Ads
    path("enterprises/<int:eid>/ad-account/", views.AdAccountView.as_view(), name="enterprise-ad-account"),
    path(
        "enterprises/<int:eid>/ad-account/recharge/",
        views.RechargeView.as_view(),
        name="enterprise-ad-account-recharge",
    ),
    path("enterprises/<int:eid>/ad-account/ledger/", views.LedgerView.as_view(), name="enterprise-ad-account-ledger"),
    path(
        "enterprises/<int:eid>/ad-account/ledger/export/",
        views.LedgerExportView.as_view(),
        name="enterprise-ad-account-ledger-export",
    ),
    path(
        "enterprises/<int:eid>/budget-guidance/", views.BudgetGuidanceView.as_view(), name="enterprise-budget-guidance"
    ),
    path(
        "enterprises/<int:eid>/advanced-rights/", views.AdvancedRightsView.as_view(), name="enterprise-advanced-rights"
    ),
    path(
        "enterprises/<int:eid>/advanced-rights/features/",
        views.AdvancedFeaturesView.as_view(),
        name="enterprise-advanced-features",
    ),
    path("platform/ad-spend/", views.SpendIngestView.as_view(), name="platform-ad-spend"),
    path("platform/settings/", views.PlatformSettingsView.as_view(), name="platform-settings"),
    # Commerce
    path("enterprises/<int:eid>/products/", commerce_views.ProductListView.as_view(), name="enterprise-product-list"),
    path("enterprises/<int:eid>/orders/", commerce_views.OrderListView.as_view(), name="enterprise-order-list"),
    path(
        "enterprises/<int:eid>/orders/export/",
        commerce_views.OrderExportView.as_view(),
        name="enterprise-order-export",
    ),
    path(
        "enterprises/<int:eid>/commission-settings/",
        commerce_views.CommissionSettingsView.as_view(),
        name="enterprise-commission-settings",
    ),
    path(
        "enterprises/<int:eid>/commission-statements/",
        commerce_views.StatementView.as_view(),
        name="enterprise-commission-statements",
    ),
    path(
        "enterprises/<int:eid>/commission-statements/export/",
        commerce_views.StatementExportView.as_view(),
        name="enterprise-commission-statements-export",
    ),
    path(
        "enterprises/<int:eid>/commission-statements/<str:month>/settle/",
        commerce_views.SettleView.as_view(),
        name="enterprise-commission-settle",
    ),
    path("platform/products/", commerce_views.ProductIngestView.as_view(), name="platform-products"),
    path("platform/orders/", commerce_views.OrderIngestView.as_view(), name="platform-orders"),
    path("me/orders/", commerce_views.MyOrdersView.as_view(), name="me-orders"),
    path("me/commission-statements/", commerce_views.MyStatementsView.as_view(), name="me-commission-statements"),
    *router.urls,
]
