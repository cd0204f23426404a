from django.contrib.auth import authenticate, update_session_auth_hash
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import generics, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from kos_platform.schema import refuses, signs_in
from kos_platform.tenancy import Actor, IsAgencyStaff, IsPlatformStaff, WorkspaceAPIMixin

from .. import selectors, services
from ..choices import ApiKeyScope, Role
from ..models import Agency, AgencyMembership, AgencyReport, ApiKey, Enterprise, Membership, RedAccount
from . import serializers as s


def _actor(request) -> Actor:
    return Actor(user=request.user)


# Authentication and the caller ----------------------------------------------------------------------------


class TokenView(APIView):
    """POST exchanges a username and password for a bearer token (`Authorization: Bearer <token>`) valid for 30 days;
    DELETE revokes the user token the request is made with."""

    def get_authenticators(self):
        # The exchange reads no credentials but the body: a stale header or session must not stand in its way.
        # (`self.request` is Django's request here, or None while the schema is generated.)
        if getattr(self.request, "method", None) == "POST":
            return []
        return super().get_authenticators()

    def get_permissions(self):
        return [AllowAny()] if self.request.method == "POST" else super().get_permissions()

    @extend_schema(request=s.TokenRequestSerializer, responses={200: s.TokenSerializer})
    @signs_in
    def post(self, request):
        """Exchange a username and password for a user token, valid for 30 days (`expires_at`)."""
        data = s.TokenRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        # Django's request, not DRF's wrapper: the lockout (accounts.sign_in) marks it, and axes' middleware reads
        # the mark from it to answer 429.
        user = authenticate(request._request, **data.validated_data)
        if user is None:
            raise serializers.ValidationError({"non_field_errors": [_("Wrong username or password.")]})
        key, raw = services.user_token_create(user=user)
        return Response(s.TokenSerializer({"token": raw, "expires_at": key.expires_at}).data)

    @extend_schema(request=None, responses={204: None})
    def delete(self, request):
        """Revoke the user token this request is made with (sign out); other tokens of the user stay valid."""
        key = request.auth
        if not isinstance(key, ApiKey) or key.scope != ApiKeyScope.USER:
            raise serializers.ValidationError(
                {"non_field_errors": [_("Only a user token can be revoked here; sign in with one.")]}
            )
        services.api_key_revoke(actor=_actor(request), key=key)
        return Response(status=status.HTTP_204_NO_CONTENT)


class MeView(APIView):
    """The caller: user, RED account, memberships and agencies."""

    @extend_schema(responses=s.MeSerializer)
    def get(self, request):
        user = request.user
        data = {
            "id": user.pk,
            "username": user.username,
            "display_name": user.display_name,
            "is_staff": user.is_staff,
            "red_account_or_none": user.red_account_or_none,
            "memberships": Membership.objects.filter(user=user).select_related("enterprise"),
            "agencies": Agency.objects.filter(memberships__user=user),
        }
        return Response(s.MeSerializer(data).data)


class MePasswordView(APIView):
    """Change the caller's password. Every user token of the caller — the one of this request too — is revoked, and
    the caller's other sessions end; a browser session making the request stays signed in."""

    @extend_schema(request=s.PasswordChangeSerializer, responses={204: None})
    def post(self, request):
        data = s.PasswordChangeSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            user = services.user_password_change(actor=_actor(request), user=request.user, **data.validated_data)
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.message_dict) from None
        if request.auth is None:
            update_session_auth_hash(request, user)
        return Response(status=status.HTTP_204_NO_CONTENT)


# Brand workspace -----------------------------------------------------------------------------------------


class EnterpriseListView(generics.ListAPIView):
    """Enterprises the caller may act for, with `role`, or `via_agency` for agency staff."""

    serializer_class = s.EnterpriseListItemSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Enterprise.objects.none()
        return selectors.enterprises_for_user(self.request.user)


class EnterpriseDetailView(WorkspaceAPIMixin, generics.RetrieveAPIView):
    serializer_class = s.WorkspaceEnterpriseSerializer
    lookup_url_kwarg = "eid"

    def scope_queryset(self, workspace):
        return Enterprise.objects.filter(pk=workspace.enterprise.pk)

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "workspace": self.workspace}


class EnterpriseAgencyViewSet(WorkspaceAPIMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """The brand's agency reports (报备): report an agency, list them, revoke one (owner and admin)."""

    serializer_class = s.AgencyReportSerializer
    capabilities = {"list": "members", "create": "manage", "destroy": "manage"}
    lookup_url_kwarg = "agency_id"

    def scope_queryset(self, workspace):
        queryset = selectors.agency_reports_for_workspace(workspace)
        if self.request.query_params.get("standing") in ("true", "1"):
            queryset = queryset.filter(revoked_at__isnull=True)
        return queryset

    @extend_schema(request=s.AgencyReportCreateSerializer, responses={201: s.AgencyReportSerializer})
    @refuses("agency_already_reported")
    def create(self, request, eid):
        data = s.AgencyReportCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        report = services.agency_report(workspace=self.workspace, agency=data.validated_data["agency"])
        return Response(s.AgencyReportSerializer(report).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses={204: None})
    def destroy(self, request, eid, agency_id):
        report = get_object_or_404(self.get_queryset(), agency_id=agency_id, revoked_at__isnull=True)
        services.agency_report_revoke(workspace=self.workspace, report=report)
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema_view(
    list=extend_schema(parameters=[OpenApiParameter("role", str, enum=list(Role.values), description="Only this role")])
)
class EnterpriseMemberViewSet(WorkspaceAPIMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """Team management (成员管理): every member sees the team; owners and admins add members, change roles and
    remove members. An admin cannot add, change or remove an owner, nor make anyone owner (403); the last owner can
    neither be demoted nor removed (409 `last_owner`). API keys' logins are managed as keys, not listed here."""

    serializer_class = s.MembershipSerializer
    capabilities = {"list": "members", "create": "manage", "partial_update": "manage", "destroy": "manage"}
    ordering_fields = ("id", "created_at", "role")
    http_method_names = ["get", "post", "patch", "delete"]

    def scope_queryset(self, workspace):
        queryset = selectors.members_for_workspace(workspace)
        role = self.request.query_params.get("role") if self.action == "list" else None
        if role:
            if role not in Role.values:
                raise serializers.ValidationError({"role": [_("Choose a valid role.")]})
            queryset = queryset.filter(role=role)
        return queryset

    @extend_schema(request=s.TeamMemberCreateSerializer, responses={201: s.MembershipSerializer})
    @refuses("member_exists")
    def create(self, request, eid):
        data = s.TeamMemberCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            membership = services.member_add(workspace=self.workspace, **data.validated_data)
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.message_dict) from None
        return Response(s.MembershipSerializer(membership).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.TeamMemberRoleSerializer, responses={200: s.MembershipSerializer})
    @refuses("last_owner")
    def partial_update(self, request, eid, pk):
        member = self.get_object()
        data = s.TeamMemberRoleSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        membership = services.member_role_change(
            workspace=self.workspace, membership=member, role=data.validated_data["role"]
        )
        return Response(s.MembershipSerializer(membership).data)

    @extend_schema(responses={204: None})
    @refuses("last_owner")
    def destroy(self, request, eid, pk):
        services.member_remove(workspace=self.workspace, membership=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


class EnterpriseApiKeyViewSet(WorkspaceAPIMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """The enterprise's integration keys (owner and admin). The raw key is shown once, at creation."""

    serializer_class = s.BrandApiKeySerializer
    capabilities = {"list": "manage", "create": "manage", "destroy": "manage"}

    def scope_queryset(self, workspace):
        return ApiKey.objects.filter(enterprise=workspace.enterprise, scope=ApiKeyScope.ENTERPRISE)

    @extend_schema(responses={201: s.ApiKeyCreatedSerializer})
    def create(self, request, eid):
        data = s.BrandApiKeySerializer(data=request.data)
        data.is_valid(raise_exception=True)
        key, raw = services.api_key_create(
            actor=self.workspace.actor,
            scope=ApiKeyScope.ENTERPRISE,
            enterprise=self.workspace.enterprise,
            name=data.validated_data["name"],
            role=data.validated_data["role"],
        )
        return Response({**s.BrandApiKeySerializer(key).data, "key": raw}, status=status.HTTP_201_CREATED)

    @extend_schema(responses={204: None})
    def destroy(self, request, eid, pk):
        services.api_key_revoke(actor=self.workspace.actor, key=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


# Agency console ------------------------------------------------------------------------------------------


class AgencyBrandListView(generics.ListAPIView):
    """Brands that reported the caller's agency; each links to its workspace."""

    serializer_class = s.AgencyBrandSerializer
    permission_classes = [IsAuthenticated, IsAgencyStaff]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return AgencyReport.objects.none()
        return selectors.agency_brand_reports(self.request.user)


# Platform ------------------------------------------------------------------------------------------------


@extend_schema(parameters=[OpenApiParameter("q", str, description="Name contains")])
class PlatformEnterpriseViewSet(
    mixins.ListModelMixin,
    mixins.CreateModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Enterprises as platform staff manage them; E02 is granted through `kos-permission`."""

    serializer_class = s.EnterpriseSerializer
    permission_classes = [IsAuthenticated, IsPlatformStaff]
    filterset_fields = ("industry", "certified", "banned")
    ordering_fields = ("id", "name", "created_at", "store_count")
    http_method_names = ["get", "post", "patch", "delete"]

    def get_queryset(self):
        queryset = Enterprise.objects.all()
        if q := self.request.query_params.get("q"):
            queryset = queryset.filter(name__icontains=q)
        return queryset

    def perform_create(self, serializer):
        serializer.instance = services.enterprise_create(actor=_actor(self.request), **serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = services.enterprise_update(
            actor=_actor(self.request), enterprise=serializer.instance, **serializer.validated_data
        )

    @extend_schema(request=None, responses={200: s.EnterpriseSerializer}, methods=["POST", "DELETE"])
    @action(detail=True, methods=["post", "delete"], url_path="kos-permission")
    @refuses("enterprise_not_eligible")
    def kos_permission(self, request, pk):
        """POST grants the employee-account management permission (409 `enterprise_not_eligible` with every
        failing reason); DELETE withdraws it."""
        enterprise = self.get_object()
        if request.method == "POST":
            enterprise = services.kos_permission_grant(actor=_actor(request), enterprise=enterprise)
        else:
            enterprise = services.kos_permission_revoke(
                actor=_actor(request), enterprise=enterprise, reason=request.data.get("reason", "")
            )
        return Response(s.EnterpriseSerializer(enterprise).data)

    @extend_schema(
        request=s.MemberWriteSerializer, responses=s.MembershipSerializer(many=True), methods=["GET", "POST"]
    )
    @action(detail=True, methods=["get", "post"])
    @refuses("last_owner")
    def members(self, request, pk):
        enterprise = self.get_object()
        if request.method == "GET":
            memberships = Membership.objects.filter(enterprise=enterprise, user__is_service_account=False)
            page = self.paginate_queryset(memberships.select_related("user").order_by("pk"))
            return self.get_paginated_response(s.MembershipSerializer(page, many=True).data)
        data = s.MemberWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        membership = services.member_set(actor=_actor(request), enterprise=enterprise, **data.validated_data)
        return Response(s.MembershipSerializer(membership).data, status=status.HTTP_201_CREATED)


class PlatformAgencyViewSet(
    mixins.ListModelMixin, mixins.CreateModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    serializer_class = s.AgencySerializer
    permission_classes = [IsAuthenticated, IsPlatformStaff]
    queryset = Agency.objects.all()

    def perform_create(self, serializer):
        serializer.instance = services.agency_create(actor=_actor(self.request), **serializer.validated_data)

    @extend_schema(
        request=s.AgencyStaffWriteSerializer, responses=s.AgencyStaffSerializer(many=True), methods=["GET", "POST"]
    )
    @action(detail=True, methods=["get", "post"])
    def members(self, request, pk):
        agency = self.get_object()
        if request.method == "GET":
            staff = AgencyMembership.objects.filter(agency=agency, user__is_service_account=False)
            page = self.paginate_queryset(staff.select_related("user").order_by("pk"))
            return self.get_paginated_response(s.AgencyStaffSerializer(page, many=True).data)
        data = s.AgencyStaffWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        membership = services.agency_staff_add(actor=_actor(request), agency=agency, **data.validated_data)
        return Response(s.AgencyStaffSerializer(membership).data, status=status.HTTP_201_CREATED)


@extend_schema(parameters=[OpenApiParameter("q", str, description="RED ID or nickname contains")])
class PlatformRedAccountViewSet(
    mixins.ListModelMixin,
    mixins.CreateModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """The content platform's registry of Xiaohongshu accounts; ID numbers go in, only masked ones come out."""

    serializer_class = s.RedAccountSerializer
    permission_classes = [IsAuthenticated, IsPlatformStaff]
    lookup_field = "red_id"
    http_method_names = ["get", "post", "patch"]

    def get_queryset(self):
        queryset = RedAccount.objects.select_related("user").order_by("pk")
        if q := self.request.query_params.get("q"):
            queryset = queryset.filter(Q(red_id__icontains=q) | Q(nickname__icontains=q))
        return queryset

    def perform_create(self, serializer):
        serializer.instance = services.red_account_create(actor=_actor(self.request), **serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = services.red_account_update(
            actor=_actor(self.request), account=serializer.instance, **serializer.validated_data
        )


class PlatformApiKeyViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Integration keys of every scope; the raw key is returned once, at creation."""

    serializer_class = s.ApiKeySerializer
    permission_classes = [IsAuthenticated, IsPlatformStaff]
    queryset = ApiKey.objects.exclude(scope=ApiKeyScope.USER)

    @extend_schema(responses={201: s.ApiKeyCreatedSerializer})
    def create(self, request):
        data = s.ApiKeySerializer(data=request.data)
        data.is_valid(raise_exception=True)
        key, raw = services.api_key_create(actor=_actor(request), **data.validated_data)
        return Response({**s.ApiKeySerializer(key).data, "key": raw}, status=status.HTTP_201_CREATED)

    @extend_schema(responses={204: None})
    def destroy(self, request, pk):
        services.api_key_revoke(actor=_actor(request), key=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)
