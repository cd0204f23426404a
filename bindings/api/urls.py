from django.urls import path
from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register(r"enterprises/(?P<eid>\d+)/invitations", views.InvitationViewSet, basename="enterprise-invitation")
router.register(r"enterprises/(?P<eid>\d+)/bindings", views.BindingViewSet, basename="enterprise-binding")
router.register("platform/invitations", views.PlatformInvitationViewSet, basename="platform-invitation")
router.register("platform/bindings", views.PlatformBindingViewSet, basename="platform-binding")
router.register("me/invitations", views.MeInvitationViewSet, basename="me-invitation")
router.register("me/bindings", views.MeBindingViewSet, basename="me-binding")
router.register("me/notifications", views.MeNotificationViewSet, basename="me-notification")

urlpatterns = [
    path(
        "enterprises/<int:eid>/red-accounts/<str:red_id>/eligibility/",
        views.EligibilityView.as_view(),
        name="enterprise-eligibility",
    ),
    path("enterprises/<int:eid>/audit-log/", views.AuditLogView.as_view(), name="enterprise-audit-log"),
    path("red/<str:red_id>/profile/", views.PublicProfileView.as_view(), name="red-profile"),
    *router.urls,
]
