from django import forms
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response

from accounts.models import RedAccount
from accounts.services import ensure_enterprise_can_invite
from campaigns.rights import served_dm_service
from kos_platform.pagination import query_form
from kos_platform.schema import refuses
from kos_platform.tenancy import Actor, IsPlatformStaff, WorkspaceAPIMixin

from .. import batch, proofs, rules, selectors, services
from ..choices import Mode
from ..forms import BindingFilterForm, InvitationFilterForm
from ..models import Binding, Invitation, Notification
from . import serializers as s

# The rules that can refuse an invitation (409): the enterprise's (E01, E02, E04), the account's (A01–A08, B06, B09).
ENTERPRISE_RULES = ("enterprise_not_eligible", "kos_permission_missing", "invitations_restricted")
ACCOUNT_RULES = ("account_not_eligible", "account_already_bound", "mode_conversion_unsupported", "rebind_cooldown")
INVITING_RULES = (*ENTERPRISE_RULES, "duplicate_open_invitation", *ACCOUNT_RULES)

LIST_FILTERS = [
    OpenApiParameter("status", str),
    OpenApiParameter("mode", str, enum=Mode.values),
]
BINDING_FILTERS = [
    *LIST_FILTERS,
    OpenApiParameter("position", str),
    OpenApiParameter("region", str),
    OpenApiParameter("q", str, description="RED ID, nickname or holder name contains"),
]


class BindingQueryForm(BindingFilterForm):
    """The binding list's filters in the API: any region text (the page offers the enterprise's regions)."""

    region = forms.CharField(required=False, max_length=64)


def query_filters(request, form_class) -> dict:
    """The list's query filters, cleaned, None where not given (`kos_platform.pagination.query_form`)."""
    return {name: value or None for name, value in query_form(request, form_class).cleaned_data.items()}


def red_account_or_404(red_id: str) -> RedAccount:
    return get_object_or_404(RedAccount, red_id=red_id)


# Brand workspace ----------------------------------------------------------------------------------------------


class EligibilityView(WorkspaceAPIMixin, generics.GenericAPIView):
    """Whether a RED account can be invited, and in which mode (A01–A08, B06, B09)."""

    serializer_class = s.EligibilitySerializer

    def scope_queryset(self, workspace):
        return RedAccount.objects.all()

    def get(self, request, eid, red_id):
        account = red_account_or_404(red_id)
        return Response(s.EligibilitySerializer(rules.eligibility_report(account, self.workspace.enterprise)).data)


@extend_schema(parameters=LIST_FILTERS)
class InvitationViewSet(WorkspaceAPIMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Binding invitations: send (multipart, with the employment proof), list, cancel, download the proof."""

    serializer_class = s.InvitationSerializer
    capabilities = {"proof": "operate"}

    def scope_queryset(self, workspace):
        params = query_filters(self.request, InvitationFilterForm)
        queryset = selectors.with_invitation_status(selectors.invitations_for_workspace(workspace), params["status"])
        if params["mode"]:
            queryset = queryset.filter(mode=params["mode"])
        return queryset

    def get_serializer_context(self):
        return {
            **super().get_serializer_context(),
            "proof_route": "api:enterprise-invitation-proof",
            "proof_kwargs": {"eid": self.kwargs["eid"]},
        }

    @extend_schema(
        request={"multipart/form-data": s.InvitationCreateSerializer}, responses={201: s.InvitationSerializer}
    )
    @refuses(*INVITING_RULES)
    def create(self, request, eid):
        data = s.InvitationCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        invitation = services.invitation_create(
            workspace=self.workspace,
            red_account=data.validated_data["red_id"],
            mode=data.validated_data["mode"],
            details=data.details(),
        )
        return Response(self.get_serializer(invitation).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.ReasonSerializer, responses=s.InvitationSerializer)
    @action(detail=True, methods=["post"])
    @refuses("invitation_not_open", "invitation_expired")
    def cancel(self, request, eid, pk):
        data = s.ReasonSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        invitation = services.invitation_cancel(
            workspace=self.workspace, invitation=self.get_object(), reason=data.validated_data["reason"]
        )
        return Response(self.get_serializer(invitation).data)

    @extend_schema(responses={(200, "application/octet-stream"): bytes})
    @action(detail=True, methods=["get"])
    def proof(self, request, eid, pk):
        return proofs.proof_response(self.get_object())

    @extend_schema(request={"multipart/form-data": s.BatchRequestSerializer}, responses=batch.BatchReportSerializer)
    @action(detail=False, methods=["post"])
    @refuses(*ENTERPRISE_RULES)
    def batch(self, request, eid):
        """An enterprise that cannot invite (E01, E02, E04) is refused up front, as on the page: no row is read."""
        ensure_enterprise_can_invite(self.workspace.enterprise)
        data = s.BatchRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            report = batch.run_batch(
                workspace=self.workspace, table=data.validated_data["file"], proofs=data.validated_data.get("proofs")
            )
        except batch.BatchError as error:
            raise ValidationError({"file": [str(error)]}) from None
        return Response(batch.BatchReportSerializer(report).data, status=status.HTTP_200_OK)


@extend_schema(parameters=BINDING_FILTERS)
class BindingViewSet(WorkspaceAPIMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The enterprise's employee accounts and every change to them."""

    serializer_class = s.BindingSerializer
    capabilities = {"proof": "operate"}
    ordering_fields = ("effective_at", "ended_at", "name", "region", "position")

    def scope_queryset(self, workspace):
        params = query_filters(self.request, BindingQueryForm)
        queryset = selectors.search_bindings(selectors.bindings_for_workspace(workspace), **params)
        return selectors.binding_list(queryset) if self.action == "list" else queryset

    def list(self, request, eid):
        params = query_filters(request, BindingQueryForm) | {"ordering": request.query_params.get("ordering")}
        latest = selectors.opening_list(self.workspace, params)
        if latest is None:
            return super().list(request, eid)
        page = self.paginate_queryset(latest)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def _reason(self, request) -> str:
        data = s.ReasonSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return data.validated_data["reason"]

    @extend_schema(request=s.ReasonSerializer, responses=s.BindingSerializer)
    @action(detail=True, methods=["post"])
    @refuses("binding_not_active", "unbind_locked")
    def unbind(self, request, eid, pk):
        binding = services.binding_unbind(
            actor=self.workspace.actor, binding=self.get_object(), reason=self._reason(request)
        )
        return Response(self.get_serializer(binding).data)

    @extend_schema(request=s.ReasonSerializer, responses=s.BindingSerializer)
    @action(detail=True, methods=["post"])
    @refuses("binding_not_active")
    def freeze(self, request, eid, pk):
        binding = services.binding_freeze(
            actor=self.workspace.actor, binding=self.get_object(), reason=self._reason(request)
        )
        return Response(self.get_serializer(binding).data)

    @extend_schema(request=s.ReasonSerializer, responses=s.BindingSerializer)
    @action(detail=True, methods=["post"])
    @refuses("binding_not_active")
    def unfreeze(self, request, eid, pk):
        binding = services.binding_unfreeze(
            actor=self.workspace.actor, binding=self.get_object(), reason=self._reason(request)
        )
        return Response(self.get_serializer(binding).data)

    @extend_schema(request={"multipart/form-data": s.HandoverSerializer}, responses=s.BindingSerializer)
    @action(detail=True, methods=["post"])
    @refuses("binding_not_active", "mode_not_transferable")
    def handover(self, request, eid, pk):
        binding = self.get_object()
        data = s.HandoverSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        binding = services.binding_handover(
            workspace=self.workspace, binding=binding, details=data.details(), reason=data.validated_data["reason"]
        )
        return Response(self.get_serializer(binding).data)

    @extend_schema(request=s.RebindSerializer, responses={201: s.InvitationSerializer})
    @action(detail=True, methods=["post"])
    @refuses("unbind_locked", "binding_not_active", *INVITING_RULES)
    def rebind(self, request, eid, pk):
        binding = self.get_object()
        data = s.RebindSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        invitation = services.binding_rebind(
            workspace=self.workspace, binding=binding, red_account=data.validated_data["red_id"]
        )
        context = {
            **self.get_serializer_context(),
            "proof_route": "api:enterprise-invitation-proof",
            "proof_kwargs": {"eid": eid},
        }
        return Response(s.InvitationSerializer(invitation, context=context).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses={(200, "application/octet-stream"): bytes})
    @action(detail=True, methods=["get"])
    def proof(self, request, eid, pk):
        return proofs.proof_response(self.get_object())


# Platform -------------------------------------------------------------------------------------------------


def _actor(request) -> Actor:
    return Actor(user=request.user)


@extend_schema(parameters=LIST_FILTERS)
class PlatformInvitationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The review queue: approve (the employee then has 48 hours) or reject with a reason."""

    serializer_class = s.InvitationSerializer
    permission_classes = [IsAuthenticated, IsPlatformStaff]

    def get_queryset(self):
        queryset = Invitation.objects.select_related("red_account", "enterprise").order_by("created_at", "id")
        return selectors.with_invitation_status(queryset, query_filters(self.request, InvitationFilterForm)["status"])

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "proof_route": "api:platform-invitation-proof", "proof_kwargs": {}}

    @extend_schema(request=None, responses=s.InvitationSerializer)
    @action(detail=True, methods=["post"])
    @refuses("invitation_not_open")
    def approve(self, request, pk):
        invitation = services.invitation_approve(actor=_actor(request), invitation=self.get_object())
        return Response(self.get_serializer(invitation).data)

    @extend_schema(request=s.RequiredReasonSerializer, responses=s.InvitationSerializer)
    @action(detail=True, methods=["post"])
    @refuses("invitation_not_open")
    def reject(self, request, pk):
        data = s.RequiredReasonSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        invitation = services.invitation_reject(
            actor=_actor(request), invitation=self.get_object(), reason=data.validated_data["reason"]
        )
        return Response(self.get_serializer(invitation).data)

    @extend_schema(responses={(200, "application/octet-stream"): bytes})
    @action(detail=True, methods=["get"])
    def proof(self, request, pk):
        return proofs.proof_response(self.get_object())


@extend_schema(parameters=BINDING_FILTERS)
class PlatformBindingViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = s.BindingSerializer
    permission_classes = [IsAuthenticated, IsPlatformStaff]

    def get_queryset(self):
        params = query_filters(self.request, BindingQueryForm)
        return selectors.search_bindings(
            Binding.objects.select_related("red_account").order_by("-effective_at", "-id"), **params
        )

    @extend_schema(request=s.RequiredReasonSerializer, responses=s.BindingSerializer)
    @action(detail=True, methods=["post"], url_path="remove-for-violation")
    @refuses("binding_not_active")
    def remove_for_violation(self, request, pk):
        data = s.RequiredReasonSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        binding = services.binding_remove_for_violation(
            actor=_actor(request), binding=self.get_object(), reason=data.validated_data["reason"]
        )
        return Response(self.get_serializer(binding).data)


# The employee ----------------------------------------------------------------------------------------------


class MeInvitationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The employee's invitations (sent to their RED account), to accept or decline within 48 hours."""

    serializer_class = s.EmployeeInvitationSerializer
    queryset = Invitation.objects.none()  # for the schema only; rows come from get_queryset

    def get_queryset(self):
        return selectors.invitations_for_employee(self.request.user)

    @extend_schema(request=None, responses=s.EnterpriseBindingSerializer)
    @action(detail=True, methods=["post"])
    @refuses("invitation_not_open", "invitation_expired", "identity_mismatch", *ENTERPRISE_RULES, *ACCOUNT_RULES)
    def accept(self, request, pk):
        binding = services.invitation_accept(actor=_actor(request), invitation=self.get_object())
        return Response(s.EnterpriseBindingSerializer(binding).data)

    @extend_schema(request=None, responses=s.EmployeeInvitationSerializer)
    @action(detail=True, methods=["post"])
    @refuses("invitation_not_open", "invitation_expired")
    def decline(self, request, pk):
        invitation = services.invitation_decline(actor=_actor(request), invitation=self.get_object())
        return Response(self.get_serializer(invitation).data)


class MeBindingViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = s.EnterpriseBindingSerializer
    queryset = Binding.objects.none()  # for the schema only; rows come from get_queryset

    def get_queryset(self):
        return selectors.bindings_for_employee(self.request.user)

    @extend_schema(request=s.ReasonSerializer, responses=s.EnterpriseBindingSerializer)
    @action(detail=True, methods=["post"])
    @refuses("binding_not_active", "unbind_locked")
    def unbind(self, request, pk):
        """B03/B07: the employee unbinds a personal authorisation, 30 days after it took effect."""
        binding = self.get_object()
        if binding.mode != Mode.PERSONAL_AUTHORIZED:
            raise PermissionDenied
        data = s.ReasonSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        binding = services.binding_unbind(
            actor=_actor(request), binding=binding, reason=data.validated_data["reason"], by_employee=True
        )
        return Response(self.get_serializer(binding).data)


class MeNotificationViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """The employee's 消息通知."""

    serializer_class = s.NotificationSerializer
    queryset = Notification.objects.none()  # for the schema only; rows come from get_queryset

    def get_queryset(self):
        return selectors.notifications_for_employee(self.request.user)

    @extend_schema(request=None, responses={204: None})
    @action(detail=False, methods=["post"], url_path="read")
    def mark_read(self, request):
        services.notifications_mark_read(queryset=Notification.objects.filter(pk__in=self.get_queryset().values("pk")))
        return Response(status=status.HTTP_204_NO_CONTENT)


class PublicProfileView(generics.GenericAPIView):
    """The public profile: the identity badge "{enterprise} · {position}" while a binding is active (I03)."""

    serializer_class = s.PublicProfileSerializer
    permission_classes = [AllowAny]

    def get(self, request, red_id):
        account = red_account_or_404(red_id)
        binding = selectors.active_badge_binding(account)
        badge = dm_service = None
        if binding:
            dm_service = served_dm_service(binding.enterprise)
            position = binding.get_position_display()
            badge = {
                "enterprise": binding.enterprise.name,
                "position": position,
                "label": f"{binding.enterprise.name} · {position}",
            }
        return Response(
            s.PublicProfileSerializer(
                {
                    "red_id": account.red_id,
                    "nickname": account.nickname,
                    "followers": account.followers,
                    "badge": badge,
                    "dm_service": dm_service,
                }
            ).data
        )
