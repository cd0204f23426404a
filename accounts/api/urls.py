from django.urls import path
from rest_framework.routers import SimpleRouter

from . import views

platform = SimpleRouter()
platform.register("platform/enterprises", views.PlatformEnterpriseViewSet, basename="platform-enterprise")
platform.register("platform/agencies", views.PlatformAgencyViewSet, basename="platform-agency")
platform.register("platform/red-accounts", views.PlatformRedAccountViewSet, basename="platform-red-account")
platform.register("platform/api-keys", views.PlatformApiKeyViewSet, basename="platform-api-key")

brand_agencies = views.EnterpriseAgencyViewSet
brand_keys = views.EnterpriseApiKeyViewSet
brand_members = views.EnterpriseMemberViewSet

urlpatterns = [
    path("auth/token/", views.TokenView.as_view(), name="auth-token"),
    path("me/", views.MeView.as_view(), name="me"),
    path("me/password/", views.MePasswordView.as_view(), name="me-password"),
    path("enterprises/", views.EnterpriseListView.as_view(), name="enterprise-list"),
    path("enterprises/<int:eid>/", views.EnterpriseDetailView.as_view(), name="enterprise-detail"),
    path(
        "enterprises/<int:eid>/agencies/",
        brand_agencies.as_view({"get": "list", "post": "create"}),
        name="enterprise-agency-list",
    ),
    path(
        "enterprises/<int:eid>/agencies/<int:agency_id>/",
        brand_agencies.as_view({"delete": "destroy"}),
        name="enterprise-agency-detail",
    ),
    path(
        "enterprises/<int:eid>/members/",
        brand_members.as_view({"get": "list", "post": "create"}),
        name="enterprise-member-list",
    ),
    path(
        "enterprises/<int:eid>/members/<int:pk>/",
        brand_members.as_view({"patch": "partial_update", "delete": "destroy"}),
        name="enterprise-member-detail",
    ),
    path(
        "enterprises/<int:eid>/api-keys/",
        brand_keys.as_view({"get": "list", "post": "create"}),
        name="enterprise-api-key-list",
    ),
    path(
        "enterprises/<int:eid>/api-keys/<int:pk>/",
        brand_keys.as_view({"delete": "destroy"}),
        name="enterprise-api-key-detail",
    ),
    path("agency/brands/", views.AgencyBrandListView.as_view(), name="agency-brands"),
    *platform.urls,
]
