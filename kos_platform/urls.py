from csp.decorators import csp_update
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, re_path
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView

from analytics import urls as analytics_urls
from bindings import urls as bindings_urls
from campaigns import urls as campaigns_urls
from kos_platform import errors
from notes import urls as notes_urls

api_v1 = [
    path("", include("accounts.api.urls")),
    path("", include("bindings.api.urls")),
    path("", include("notes.api.urls")),
    path("", include("campaigns.api.urls")),
    path("", include("analytics.api.urls")),
]

# Redoc runs its search index in a worker it starts from a blob: URL; the policy allows that on this page only.
redoc = csp_update({"worker-src": ["blob:"]})(SpectacularRedocView.as_view(url_name="schema"))

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", include((api_v1, "api"))),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    # Swagger UI's start script is a second answer of this view (?script=), not inline: the policy allows none.
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="api-docs"),
    path("api/redoc/", redoc, name="api-redoc"),
    # Any other /api/ path: the JSON 404, in debug mode too (where Django would show its technical page).
    re_path(r"^api/", csrf_exempt(errors.page_not_found)),
    path("", include("accounts.urls")),
    path("w/<int:eid>/", include(bindings_urls.brand_patterns)),
    path("w/<int:eid>/", include(notes_urls.brand_patterns)),
    path("w/<int:eid>/", include(campaigns_urls.brand_patterns)),
    path("w/<int:eid>/", include(analytics_urls.brand_patterns)),
    path("agency/", include(bindings_urls.agency_patterns)),
    path("m/", include(bindings_urls.employee_patterns)),
    path("m/", include(campaigns_urls.employee_patterns)),
    path("m/", include(analytics_urls.employee_patterns)),
    path("platform/", include(bindings_urls.platform_patterns)),
    path("platform/", include(notes_urls.platform_patterns)),
    path("platform/", include(campaigns_urls.platform_patterns)),
]

handler400 = "kos_platform.errors.bad_request"
handler403 = "kos_platform.errors.permission_denied"
handler404 = "kos_platform.errors.page_not_found"
handler500 = "kos_platform.errors.server_error"
