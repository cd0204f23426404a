"""Incentive periods (D02) under /api/v1/enterprises/<eid>/incentives/, and the employee's /api/v1/me/incentives/."""

from django.urls import path

from . import incentives as views

P = "enterprises/<int:eid>/incentives/periods/"

urlpatterns = [
    path(P, views.PeriodListView.as_view(), name="enterprise-incentive-period-list"),
    path(f"{P}<int:pk>/", views.PeriodDetailView.as_view(), name="enterprise-incentive-period-detail"),
    path(f"{P}<int:pk>/leaderboard/", views.LeaderboardView.as_view(), name="enterprise-incentive-leaderboard"),
    path(f"{P}<int:pk>/close/", views.CloseView.as_view(), name="enterprise-incentive-period-close"),
    path(f"{P}<int:pk>/awards/", views.AwardsView.as_view(), name="enterprise-incentive-awards"),
    path(f"{P}<int:pk>/awards/export/", views.AwardsExportView.as_view(), name="enterprise-incentive-awards-export"),
    path("me/incentives/", views.MyIncentivesView.as_view(), name="me-incentives"),
]
