"""The notification centres over the API (additions to API.md's contract, listed in README.md):

- `GET /api/v1/enterprises/{eid}/notifications/?unread=true|false` — the enterprise's notices, each worded in the
  request's language, with the caller's own read state; `POST …/notifications/{id}/read/` marks one read for the
  caller, `POST …/notifications/read/` all. Every member reads (analysts too: read state is each caller's own),
  and so does a reported agency's staff.
- `POST /api/v1/me/notifications/{id}/read/` — the employee marks one of their notices read.

Another tenant's notice is a 404; marking read is the caller's bookkeeping, not audited."""

from django import forms
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from kos_platform.pagination import query_form
from kos_platform.tenancy import WorkspaceAPIMixin

from .. import notifications as inboxes
from ..choices import NotificationKind
from ..models import Notification


class NotificationCentreSerializer(serializers.Serializer):
    """A notice as its reader sees it (`bindings.notifications.describe`)."""

    id = serializers.IntegerField(source="notification.pk")
    kind = serializers.ChoiceField(choices=NotificationKind.choices, source="notification.kind")
    title = serializers.CharField(help_text="The notice's title, in the request's language.")
    text = serializers.CharField(source="body", help_text="The notice with its facts, in the request's language.")
    url = serializers.CharField(help_text="The page of the object the notice is about.")
    unread = serializers.BooleanField(help_text="Not read by the caller, and not closed.")
    count = serializers.IntegerField(source="notification.count", help_text="How many objects a grouped notice covers.")
    invitation = serializers.IntegerField(source="notification.invitation_id", allow_null=True)
    binding = serializers.IntegerField(source="notification.binding_id", allow_null=True)
    created_at = serializers.DateTimeField(source="notification.created_at")


class UnreadFilterForm(forms.Form):
    unread = forms.ChoiceField(required=False, choices=[("true", "true"), ("false", "false")])


@extend_schema(parameters=[OpenApiParameter("unread", str, enum=["true", "false"], description="Only unread, or read")])
class EnterpriseNotificationViewSet(WorkspaceAPIMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """The enterprise's notification centre."""

    serializer_class = NotificationCentreSerializer
    model = Notification
    capabilities = {"read": "view", "read_all": "view"}

    def inbox(self) -> inboxes.Inbox:
        return inboxes.enterprise_inbox(self.workspace)

    def scope_queryset(self, workspace):
        inbox = self.inbox()
        queryset = inbox.notices()
        if self.action == "list":
            unread = query_form(self.request, UnreadFilterForm).cleaned_data["unread"]
            if unread == "true":
                queryset = inbox.unread(queryset)
            elif unread == "false":
                queryset = queryset.exclude(pk__in=inbox.unread().values("pk"))
        return queryset

    def list(self, request, *args, **kwargs):
        inbox = self.inbox()
        page = self.paginate_queryset(self.get_queryset())
        described = [inboxes.describe(inbox, notification) for notification in page]
        return self.get_paginated_response(self.get_serializer(described, many=True).data)

    @extend_schema(request=None, responses={204: None})
    @action(detail=True, methods=["post"], url_path="read")
    def read(self, request, eid, pk):
        self.inbox().mark_read(self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=None, responses={204: None})
    @action(detail=False, methods=["post"], url_path="read", url_name="read-all")
    def read_all(self, request, eid):
        self.inbox().mark_all_read()
        return Response(status=status.HTTP_204_NO_CONTENT)


class MeNotificationReadView(APIView):
    """The employee marks one of their notices read."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses={204: None})
    def post(self, request, pk):
        inbox = inboxes.employee_inbox(request.user)
        inbox.mark_read(get_object_or_404(inbox.notices(), pk=pk))
        return Response(status=status.HTTP_204_NO_CONTENT)
