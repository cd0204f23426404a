"""The data centre's endpoints (D01), under /api/v1/: the enterprise's and the employee's own."""

from django.urls import path

from . import data_views as views

A = "enterprises/<int:eid>/analytics"

urlpatterns = [
    path(f"{A}/summary/", views.SummaryView.as_view(), name="enterprise-analytics-summary"),
    path(f"{A}/timeseries/", views.TimeseriesView.as_view(), name="enterprise-analytics-timeseries"),
    path(f"{A}/employees/", views.EmployeesView.as_view(), name="enterprise-analytics-employees"),
    path(f"{A}/notes/", views.NotesView.as_view(), name="enterprise-analytics-notes"),
    path(f"{A}/export/", views.ExportView.as_view(), name="enterprise-analytics-export"),
    path("me/analytics/summary/", views.MySummaryView.as_view(), name="me-analytics-summary"),
    path("me/analytics/timeseries/", views.MyTimeseriesView.as_view(), name="me-analytics-timeseries"),
    path("me/analytics/notes/", views.MyNotesView.as_view(), name="me-analytics-notes"),
]
