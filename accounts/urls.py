from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("accounts/password/", views.PasswordChangeView.as_view(), name="password-change"),
    path("accounts/password/reset/", views.PasswordResetView.as_view(), name="password-reset"),
    path("accounts/password/reset/done/", views.PasswordResetDoneView.as_view(), name="password-reset-done"),
    path(
        "accounts/password/reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password-reset-confirm",
    ),
    path(
        "accounts/password/reset/complete/", views.PasswordResetCompleteView.as_view(), name="password-reset-complete"
    ),
    path("workspaces/", views.WorkspaceSwitcherView.as_view(), name="workspace-switcher"),
    path("w/<int:eid>/", views.OverviewView.as_view(), name="workspace-overview"),
    path("w/<int:eid>/agencies/", views.AgencyReportsView.as_view(), name="workspace-agencies"),
    path("w/<int:eid>/api-keys/", views.ApiKeysView.as_view(), name="workspace-api-keys"),
    path("w/<int:eid>/team/", views.TeamView.as_view(), name="workspace-team"),
    path("agency/", views.AgencyConsoleView.as_view(), name="agency-console"),
    path("agency/brands/<int:eid>/enter/", views.agency_enter_workspace, name="agency-enter"),
    path("m/", views.EmployeeHomeView.as_view(), name="employee-home"),
]
