"""The horse race's endpoints (D03), under /api/v1/."""

from django.urls import path

from . import race_views

urlpatterns = [
    path(
        "enterprises/<int:eid>/analytics/horse-race/",
        race_views.RaceView.as_view(),
        name="enterprise-analytics-horse-race",
    ),
    path(
        "enterprises/<int:eid>/analytics/horse-race/history/",
        race_views.RaceHistoryView.as_view(),
        name="enterprise-analytics-horse-race-history",
    ),
    path(
        "enterprises/<int:eid>/analytics/horse-race/campaign-draft/",
        race_views.RaceDraftView.as_view(),
        name="enterprise-analytics-horse-race-draft",
    ),
]
