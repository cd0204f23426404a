from django.core.exceptions import ValidationError as DjangoValidationError
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.models import RedAccount
from kos_platform.clock import instant
from kos_platform.guard import check_text
from kos_platform.validators import validate_resident_id

from .. import rules
from ..choices import InvitationStatus, Mode, Position
from ..models import Binding, Invitation, Notification
from ..proofs import clean_proof
from ..services import EmployeeDetails


class ProofField(serializers.FileField):
    """An employment proof: checked from its content (type, size, bombs) and cleaned of metadata."""

    def to_internal_value(self, data):
        upload = super().to_internal_value(data)
        try:
            return clean_proof(upload)
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.messages) from None


class RedAccountField(serializers.SlugRelatedField):
    default_error_messages = {"does_not_exist": _("No Xiaohongshu account has this RED ID.")}

    def __init__(self, **kwargs):
        super().__init__(slug_field="red_id", queryset=RedAccount.objects.all(), **kwargs)


class EmployeeDetailsSerializer(serializers.Serializer):
    """The employee part of the I02 form."""

    name = serializers.CharField(min_length=1, max_length=24, validators=[check_text])
    id_number = serializers.CharField(max_length=18, validators=[validate_resident_id])
    position = serializers.ChoiceField(choices=Position.choices)
    region = serializers.CharField(max_length=50, validators=[check_text])
    proof = ProofField()

    def details(self) -> EmployeeDetails:
        data = self.validated_data
        return EmployeeDetails(
            name=data["name"],
            id_number=data["id_number"].upper(),
            position=data["position"],
            region=data["region"],
            proof=data["proof"],
        )


class InvitationCreateSerializer(EmployeeDetailsSerializer):
    mode = serializers.ChoiceField(choices=Mode.choices)
    red_id = RedAccountField()
    commitment_signed = serializers.BooleanField()
    agreement_signed = serializers.BooleanField()

    def validate_commitment_signed(self, value):
        if not value:
            raise serializers.ValidationError(_("The commitment letter must be signed."))
        return value

    def validate_agreement_signed(self, value):
        if not value:
            raise serializers.ValidationError(_("The service agreement must be signed."))
        return value


class HolderSerializer(serializers.Serializer):
    name = serializers.CharField()
    id_number_masked = serializers.CharField()


class InvitationSerializer(serializers.ModelSerializer):
    status = serializers.SerializerMethodField()
    red_id = serializers.CharField(source="red_account.red_id")
    nickname = serializers.CharField(source="red_account.nickname")
    proof_url = serializers.SerializerMethodField()

    class Meta:
        model = Invitation
        fields = (
            "id",
            "status",
            "mode",
            "red_id",
            "nickname",
            "name",
            "id_number_masked",
            "position",
            "region",
            "created_at",
            "sent_at",
            "expires_at",
            "responded_at",
            "cancelled_at",
            "review_reason",
            "rebind_of",
            "proof_url",
        )

    @extend_schema_field(serializers.ChoiceField(choices=InvitationStatus.choices))
    def get_status(self, invitation) -> str:
        return rules.effective_invitation_status(invitation)

    def get_proof_url(self, invitation) -> str | None:
        route = self.context.get("proof_route")
        if not route:
            return None
        return reverse(route, kwargs={**self.context["proof_kwargs"], "pk": invitation.pk})


class BindingSerializer(serializers.ModelSerializer):
    red_id = serializers.CharField(source="red_account.red_id")
    nickname = serializers.CharField(source="red_account.nickname")
    holder = serializers.SerializerMethodField()
    unbind_available_at = serializers.SerializerMethodField()

    class Meta:
        model = Binding
        fields = (
            "id",
            "red_id",
            "nickname",
            "mode",
            "status",
            "position",
            "region",
            "holder",
            "effective_at",
            "unbind_available_at",
            "frozen_at",
            "ended_at",
            "end_reason",
        )

    @extend_schema_field(HolderSerializer)
    def get_holder(self, binding):
        return {"name": binding.name, "id_number_masked": binding.id_number_masked}

    def get_unbind_available_at(self, binding) -> str | None:
        return None if binding.ended_at else instant(rules.unbind_available_at(binding))

    def to_representation(self, binding):
        """The declared fields, written directly: this is the hot path of the bindings list (see bench/)."""
        account = binding.red_account
        return {
            "id": binding.pk,
            "red_id": account.red_id,
            "nickname": account.nickname,
            "mode": binding.mode,
            "status": binding.status,
            "position": binding.position,
            "region": binding.region,
            "holder": self.get_holder(binding),
            "effective_at": instant(binding.effective_at),
            "unbind_available_at": self.get_unbind_available_at(binding),
            "frozen_at": instant(binding.frozen_at),
            "ended_at": instant(binding.ended_at),
            "end_reason": binding.end_reason,
        }


class EnterpriseBindingSerializer(BindingSerializer):
    """An employee's own view of a binding: which enterprise, and when they may unbind."""

    enterprise_id = serializers.IntegerField()
    enterprise_name = serializers.CharField(source="enterprise.name")

    class Meta(BindingSerializer.Meta):
        fields = ("enterprise_id", "enterprise_name", *BindingSerializer.Meta.fields)

    def to_representation(self, binding):
        return {
            "enterprise_id": binding.enterprise_id,
            "enterprise_name": binding.enterprise.name,
            **super().to_representation(binding),
        }


class EmployeeInvitationSerializer(InvitationSerializer):
    enterprise_id = serializers.IntegerField()
    enterprise_name = serializers.CharField(source="enterprise.name")

    class Meta(InvitationSerializer.Meta):
        fields = (
            "id",
            "status",
            "mode",
            "enterprise_id",
            "enterprise_name",
            "red_id",
            "name",
            "id_number_masked",
            "position",
            "region",
            "sent_at",
            "expires_at",
            "responded_at",
        )


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(
        max_length=500, required=False, allow_blank=True, default="", validators=[check_text]
    )


class RequiredReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500, validators=[check_text])


class HandoverSerializer(EmployeeDetailsSerializer):
    reason = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class RebindSerializer(serializers.Serializer):
    red_id = RedAccountField()


class ModeEligibilitySerializer(serializers.Serializer):
    allowed = serializers.BooleanField()
    code = serializers.CharField(allow_null=True)
    available_at = serializers.DateTimeField(allow_null=True)


class EligibilityModesSerializer(serializers.Serializer):
    enterprise_owned = ModeEligibilitySerializer()
    personal_authorized = ModeEligibilitySerializer()


class EligibilitySerializer(serializers.Serializer):
    red_id = serializers.CharField()
    nickname = serializers.CharField()
    followers = serializers.IntegerField()
    eligible = serializers.BooleanField()
    reasons = serializers.ListField(child=serializers.CharField())
    modes = EligibilityModesSerializer()


class NotificationSerializer(serializers.ModelSerializer):
    text = serializers.CharField(source="get_kind_display")

    class Meta:
        model = Notification
        fields = ("id", "kind", "text", "invitation", "binding", "created_at", "read_at")


class BadgeSerializer(serializers.Serializer):
    enterprise = serializers.CharField()
    position = serializers.CharField()
    label = serializers.CharField()


class PublicProfileSerializer(serializers.Serializer):
    red_id = serializers.CharField()
    nickname = serializers.CharField()
    followers = serializers.IntegerField()
    badge = BadgeSerializer(allow_null=True)
    dm_service = serializers.JSONField(
        allow_null=True,
        help_text="The DM service (welcome message, auto-replies, quick menu, dial card, lead card) while the "
        "enterprise's advanced rights are unlocked (C03); null otherwise.",
    )


class BatchRequestSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="CSV or XLSX with the columns of the template.")
    proofs = serializers.FileField(required=False, help_text="ZIP of the proof files the rows name.")
