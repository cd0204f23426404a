from django.urls import path
from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register(r"enterprises/(?P<eid>\d+)/notes", views.NoteViewSet, basename="enterprise-note")
router.register(r"enterprises/(?P<eid>\d+)/note-reviews", views.NoteReviewViewSet, basename="enterprise-note-review")
router.register(r"enterprises/(?P<eid>\d+)/pushed-notes", views.PushedNoteViewSet, basename="enterprise-pushed-note")
router.register("platform/note-reviews", views.PlatformNoteReviewViewSet, basename="platform-note-review")

urlpatterns = [
    path("enterprises/<int:eid>/note-quota/", views.NoteQuotaView.as_view(), name="enterprise-note-quota"),
    path("platform/notes/", views.NoteIngestView.as_view(), name="platform-notes"),
    path("platform/note-metrics/", views.NoteMetricIngestView.as_view(), name="platform-note-metrics"),
    *router.urls,
]
