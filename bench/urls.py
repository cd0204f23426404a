"""The project's URLs plus the floor endpoint: same authentication and workspace resolution, constant answer.

Only the benchmark server (bench.settings) serves it; the application's URLconf does not know it.
"""

from django.urls import include, path
from rest_framework.response import Response
from rest_framework.views import APIView

from kos_platform.tenancy import WorkspaceAPIMixin


class FloorView(WorkspaceAPIMixin, APIView):
    """What every brand endpoint pays before doing any work: middleware, Bearer key, workspace, capability."""

    def get(self, request, eid):
        return Response({"ok": True})


urlpatterns = [
    path("api/v1/enterprises/<int:eid>/floor/", FloorView.as_view(), name="bench-floor"),
    path("", include("kos_platform.urls")),
]
