from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError as DjangoValidationError
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from kos_platform.validators import validate_resident_id

from ..choices import ApiKeyScope, Role
from ..models import Agency, AgencyMembership, AgencyReport, ApiKey, Enterprise, Membership, RedAccount, User
from ..services import ENTERPRISE_FIELDS, kos_permission_reasons


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=128, trim_whitespace=False)


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField()
    expires_at = serializers.DateTimeField(help_text="The token stops working at this instant, 30 days after issue.")


class PasswordChangeSerializer(serializers.Serializer):
    old_password = serializers.CharField(max_length=128, trim_whitespace=False, write_only=True)
    new_password = serializers.CharField(max_length=128, trim_whitespace=False, write_only=True)


class EnterpriseSerializer(serializers.ModelSerializer):
    kos_permission = serializers.BooleanField(read_only=True)
    kos_permission_reasons = serializers.SerializerMethodField(
        help_text="Every E01/E03 condition that fails now; empty when the permission could be granted."
    )

    class Meta:
        model = Enterprise
        fields = (
            "id",
            *ENTERPRISE_FIELDS,
            "kos_permission",
            "kos_permission_granted_at",
            "kos_permission_reasons",
            "invitations_restricted_until",
            "created_at",
        )
        read_only_fields = ("kos_permission_granted_at", "invitations_restricted_until", "created_at")
        extra_kwargs = {"industry": {"required": True}}

    def get_kos_permission_reasons(self, enterprise) -> list[str]:
        return kos_permission_reasons(enterprise)


class ViaAgencySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class WorkspaceEnterpriseSerializer(EnterpriseSerializer):
    """The brand's own view of its enterprise, with the caller's role or agency."""

    role = serializers.SerializerMethodField()
    via_agency = serializers.SerializerMethodField()

    class Meta(EnterpriseSerializer.Meta):
        fields = (*EnterpriseSerializer.Meta.fields, "role", "via_agency")
        read_only_fields = EnterpriseSerializer.Meta.fields

    def get_role(self, enterprise) -> str | None:
        workspace = self.context["workspace"]
        return None if workspace.via_agency else workspace.role

    @extend_schema_field(ViaAgencySerializer(allow_null=True))
    def get_via_agency(self, enterprise):
        agency = self.context["workspace"].agency
        return {"id": agency.pk, "name": agency.name} if agency else None


class EnterpriseListItemSerializer(serializers.ModelSerializer):
    kos_permission = serializers.BooleanField(read_only=True)
    role = serializers.CharField(source="member_role", allow_null=True)
    via_agency = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()

    class Meta:
        model = Enterprise
        fields = ("id", "name", "industry", "kos_permission", "role", "via_agency", "url")

    @extend_schema_field(ViaAgencySerializer(allow_null=True))
    def get_via_agency(self, enterprise):
        if enterprise.member_role or not enterprise.via_agency_id:
            return None
        return {"id": enterprise.via_agency_id, "name": enterprise.via_agency_name}

    def get_url(self, enterprise) -> str:
        return self.context["request"].build_absolute_uri(reverse("api:enterprise-detail", args=[enterprise.pk]))


def validate_new_user(username: str, password: str | None) -> None:
    """A username that does not exist yet needs a password that passes the password validators."""
    if User.objects.filter(username=username).exists():
        return
    if not password:
        raise serializers.ValidationError({"password": [_("A password is required for a new user.")]})
    try:
        validate_password(password, User(username=username))
    except DjangoValidationError as error:
        raise serializers.ValidationError({"password": list(error.messages)}) from None


class NewUserMixin(serializers.Serializer):
    """A username, created with `password` when no such user exists yet."""

    username = serializers.RegexField(r"^[\w.@+-]+\Z", max_length=150)
    password = serializers.CharField(max_length=128, required=False, write_only=True, trim_whitespace=False)
    display_name = serializers.CharField(max_length=64, required=False, default="")

    def validate(self, attrs):
        attrs = super().validate(attrs)
        validate_new_user(attrs["username"], attrs.get("password"))
        return attrs


class MemberWriteSerializer(NewUserMixin):
    role = serializers.ChoiceField(choices=Role.choices)


class MembershipSerializer(serializers.ModelSerializer):
    username = serializers.CharField(source="user.username")
    display_name = serializers.CharField(source="user.display_name")

    class Meta:
        model = Membership
        fields = ("id", "username", "display_name", "role", "created_at")


class TeamMemberCreateSerializer(serializers.Serializer):
    """Add a member (成员管理): an existing login is added as it is (its password, name and e-mail are left alone);
    a new one is created with `password` (Django's password validators apply), `display_name` and `email`."""

    username = serializers.RegexField(r"^[\w.@+-]+\Z", max_length=150)
    role = serializers.ChoiceField(choices=Role.choices)
    display_name = serializers.CharField(max_length=64, required=False, default="")
    password = serializers.CharField(
        max_length=128, required=False, write_only=True, trim_whitespace=False, help_text="Needed for a new login."
    )
    email = serializers.EmailField(
        max_length=254, required=False, default="", help_text="A new login's e-mail, for resetting its password."
    )

    def validate(self, attrs):
        attrs = super().validate(attrs)
        validate_new_user(attrs["username"], attrs.get("password"))
        return attrs


class TeamMemberRoleSerializer(serializers.Serializer):
    role = serializers.ChoiceField(choices=Role.choices)


class AgencySerializer(serializers.ModelSerializer):
    class Meta:
        model = Agency
        fields = ("id", "name", "created_at")


class AgencyStaffWriteSerializer(NewUserMixin):
    pass


class AgencyStaffSerializer(serializers.ModelSerializer):
    username = serializers.CharField(source="user.username")
    display_name = serializers.CharField(source="user.display_name")

    class Meta:
        model = AgencyMembership
        fields = ("id", "username", "display_name", "created_at")


class AgencyReportSerializer(serializers.ModelSerializer):
    agency = AgencySerializer(read_only=True)
    standing = serializers.BooleanField(read_only=True)

    class Meta:
        model = AgencyReport
        fields = ("id", "agency", "standing", "created_at", "revoked_at")


class AgencyReportCreateSerializer(serializers.Serializer):
    agency_id = serializers.PrimaryKeyRelatedField(queryset=Agency.objects.all(), source="agency")


class AgencyBrandSerializer(serializers.ModelSerializer):
    """A brand in the agency console: the enterprise that reported the agency, with its workspace link."""

    enterprise_id = serializers.IntegerField(source="enterprise.pk")
    name = serializers.CharField(source="enterprise.name")
    industry = serializers.CharField(source="enterprise.industry")
    kos_permission = serializers.BooleanField(source="enterprise.kos_permission")
    agency = AgencySerializer()
    reported_at = serializers.DateTimeField(source="created_at")
    workspace_url = serializers.SerializerMethodField()

    class Meta:
        model = AgencyReport
        fields = ("enterprise_id", "name", "industry", "kos_permission", "agency", "reported_at", "workspace_url")

    def get_workspace_url(self, report) -> str:
        return self.context["request"].build_absolute_uri(reverse("api:enterprise-detail", args=[report.enterprise_id]))


class RedAccountSerializer(serializers.ModelSerializer):
    id_number = serializers.CharField(
        write_only=True, required=False, allow_blank=True, validators=[validate_resident_id], max_length=18
    )
    username = serializers.RegexField(r"^[\w.@+-]+\Z", max_length=150, required=False, source="user.username")
    password = serializers.CharField(write_only=True, required=False, max_length=128, trim_whitespace=False)

    class Meta:
        model = RedAccount
        fields = (
            "red_id",
            "nickname",
            "followers",
            "has_shop",
            "is_creator",
            "is_enterprise_account",
            "has_violation",
            "real_name_verified",
            "real_name",
            "id_number",
            "id_number_masked",
            "phone_bound",
            "username",
            "password",
            "created_at",
            "updated_at",
        )
        read_only_fields = ("id_number_masked", "created_at", "updated_at")

    def validate(self, attrs):
        attrs = super().validate(attrs)
        username = attrs.pop("user", {}).get("username")
        if username:
            attrs["username"] = username
            account = self.instance
            owner = User.objects.filter(username=username).first()
            if owner is None:
                validate_new_user(username, attrs.get("password"))
            elif RedAccount.objects.filter(user=owner).exclude(pk=getattr(account, "pk", None)).exists():
                raise serializers.ValidationError({"username": [_("This login already holds another RED account.")]})
        if self.instance is not None and "red_id" in attrs and attrs["red_id"] != self.instance.red_id:
            raise serializers.ValidationError({"red_id": [_("The RED ID cannot change.")]})
        return attrs


class ApiKeySerializer(serializers.ModelSerializer):
    enterprise_id = serializers.PrimaryKeyRelatedField(
        queryset=Enterprise.objects.all(), source="enterprise", required=False, allow_null=True
    )
    agency_id = serializers.PrimaryKeyRelatedField(
        queryset=Agency.objects.all(), source="agency", required=False, allow_null=True
    )
    scope = serializers.ChoiceField(choices=[c for c in ApiKeyScope.choices if c[0] != ApiKeyScope.USER])
    role = serializers.ChoiceField(choices=Role.choices, default=Role.OPERATOR, write_only=True)

    class Meta:
        model = ApiKey
        fields = (
            "id",
            "name",
            "scope",
            "prefix",
            "enterprise_id",
            "agency_id",
            "role",
            "created_at",
            "last_used_at",
            "revoked_at",
        )
        read_only_fields = ("prefix", "created_at", "last_used_at", "revoked_at")

    def validate(self, attrs):
        scope = attrs["scope"]
        needs = {ApiKeyScope.ENTERPRISE: "enterprise", ApiKeyScope.AGENCY: "agency"}
        for target in ("enterprise", "agency"):
            if needs.get(scope) == target and not attrs.get(target):
                raise serializers.ValidationError({f"{target}_id": [_("Required for this scope.")]})
            if needs.get(scope) != target and attrs.get(target):
                raise serializers.ValidationError({f"{target}_id": [_("Not allowed for this scope.")]})
        return attrs


class ApiKeyCreatedSerializer(ApiKeySerializer):
    key = serializers.CharField(read_only=True, help_text="The raw key, shown once.")

    class Meta(ApiKeySerializer.Meta):
        fields = (*ApiKeySerializer.Meta.fields, "key")


class BrandApiKeySerializer(serializers.ModelSerializer):
    """An enterprise's own integration key."""

    role = serializers.ChoiceField(choices=Role.choices, default=Role.OPERATOR, write_only=True)

    class Meta:
        model = ApiKey
        fields = ("id", "name", "prefix", "role", "created_at", "last_used_at", "revoked_at")
        read_only_fields = ("prefix", "created_at", "last_used_at", "revoked_at")


class MeMembershipSerializer(serializers.Serializer):
    enterprise_id = serializers.IntegerField(source="enterprise.pk")
    enterprise_name = serializers.CharField(source="enterprise.name")
    role = serializers.CharField()


class MeRedAccountSerializer(serializers.ModelSerializer):
    class Meta:
        model = RedAccount
        fields = ("red_id", "nickname", "followers", "real_name", "id_number_masked")


class MeSerializer(serializers.ModelSerializer):
    red_account = MeRedAccountSerializer(allow_null=True, source="red_account_or_none")
    memberships = MeMembershipSerializer(many=True)
    agencies = AgencySerializer(many=True)

    class Meta:
        model = User
        fields = ("id", "username", "display_name", "is_staff", "red_account", "memberships", "agencies")
