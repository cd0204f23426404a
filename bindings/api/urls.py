from django.urls import path
from rest_framework.routers import SimpleRouter

from . import audit, notifications, views

router = SimpleRouter()
router.register(r"enterprises/(?P<eid>\d+)/invitations", views.InvitationViewSet, basename="enterprise-invitation")
router.register(r"enterprises/(?P<eid>\d+)/bindings", views.BindingViewSet, basename="enterprise-binding")
router.register("platform/invitations", views.PlatformInvitationViewSet, basename="platform-invitation")
router.register("platform/bindings", views.PlatformBindingViewSet, basename="platform-binding")
router.register("me/invitations", views.MeInvitationViewSet, basename="me-invitation")
router.register("me/bindings", views.MeBindingViewSet, basename="me-binding")
router.register("me/notifications", views.MeNotificationViewSet, basename="me-notification")
router.register(
    r"enterprises/(?P<eid>\d+)/notifications",
    notifications.EnterpriseNotificationViewSet,
    basename="enterprise-notification",
)

urlpatterns = [
    path(
        "enterprises/<int:eid>/red-accounts/<str:red_id>/eligibility/",
        views.EligibilityView.as_view(),
        name="enterprise-eligibility",
    ),
    path("enterprises/<int:eid>/audit-log/", audit.AuditLogView.as_view(), name="enterprise-audit-log"),
    path(
        "enterprises/<int:eid>/audit-log/export/",
        audit.AuditLogExportView.as_view(),
        name="enterprise-audit-log-export",
    ),
    path("red/<str:red_id>/profile/", views.PublicProfileView.as_view(), name="red-profile"),
    path(
        "me/notifications/<int:pk>/read/", notifications.MeNotificationReadView.as_view(), name="me-notification-read"
    ),
    *router.urls,
]
