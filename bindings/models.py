import uuid
from pathlib import PurePosixPath

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import Agency, Enterprise, RedAccount, User
from kos_platform.pii import EncryptedTextField

from .choices import (
    LIVE_BINDING_STATUSES,
    OPEN_INVITATION_STATUSES,
    Audience,
    BindingStatus,
    EndReason,
    InvitationStatus,
    Mode,
    NotificationKind,
    Position,
)

UNBIND_LOCK_DAYS = 30  # B07
REBIND_COOLDOWN_DAYS = 30  # B09
ACCEPT_WITHIN_HOURS = 48  # I05


def proof_upload_to(instance, filename: str) -> str:
    """A generated private name: nothing of the uploaded name is kept but its checked extension."""
    return f"proofs/{uuid.uuid4().hex}{PurePosixPath(filename).suffix.lower()}"


class Holder(models.Model):
    """The employee behind an account: name, ID number (encrypted, indexed, masked), position, region, proof."""

    name = models.CharField(_("name"), max_length=24)
    id_number_encrypted = EncryptedTextField(editable=False)
    id_number_index = models.CharField(max_length=64, editable=False)
    id_number_masked = models.CharField(_("ID number"), max_length=18, editable=False)
    position = models.CharField(_("position"), max_length=20, choices=Position.choices)
    region = models.CharField(_("region"), max_length=50)
    proof = models.FileField(_("employment proof"), upload_to=proof_upload_to, max_length=200)
    proof_content_type = models.CharField(max_length=40)

    class Meta:
        abstract = True

    def holder_fields(self) -> dict:
        return {field: getattr(self, field) for field in HOLDER_FIELDS}


HOLDER_FIELDS = (
    "name",
    "id_number_encrypted",
    "id_number_index",
    "id_number_masked",
    "position",
    "region",
    "proof",
    "proof_content_type",
)


class Invitation(Holder):
    """A binding invitation (I02–I08): reviewed by the platform, then accepted by the employee within 48 hours."""

    # Few indexes on purpose: every status change rewrites each of them (the expiry sweep touches 100,000s).
    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="invitations", db_index=False)
    red_account = models.ForeignKey(RedAccount, on_delete=models.CASCADE, related_name="invitations", db_index=False)
    mode = models.CharField(_("mode"), max_length=20, choices=Mode.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=InvitationStatus.choices, default=InvitationStatus.PENDING_REVIEW
    )
    commitment_signed = models.BooleanField(_("commitment letter signed"))
    agreement_signed = models.BooleanField(_("service agreement signed"))
    rebind_of = models.ForeignKey(
        "Binding", null=True, blank=True, on_delete=models.SET_NULL, related_name="rebind_invitations", db_index=False
    )
    created_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+", db_index=False)
    via_agency = models.ForeignKey(
        Agency, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", db_index=False
    )
    created_at = models.DateTimeField(_("created at"))
    reviewed_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", db_index=False
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_reason = models.TextField(blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    responded_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "red_account"],
                condition=Q(status__in=OPEN_INVITATION_STATUSES),
                name="one_open_invitation_per_enterprise_account",  # I08
            ),
            models.CheckConstraint(
                condition=Q(commitment_signed=True, agreement_signed=True), name="invitation_documents_signed"
            ),
            models.CheckConstraint(
                condition=Q(sent_at__isnull=True) | Q(expires_at__isnull=False), name="sent_invitation_expires"
            ),
        ]
        indexes = [
            models.Index(fields=["enterprise", "status", "-created_at"]),
            models.Index(fields=["status", "expires_at"]),
            models.Index(fields=["red_account", "status"]),
            models.Index(
                fields=["created_at", "id"],
                condition=Q(status=InvitationStatus.PENDING_REVIEW),
                name="invitation_review_queue",
            ),
        ]

    def __str__(self):
        return f"{self.red_account.red_id} → {self.enterprise}"


class Binding(Holder):
    """A RED account bound to an enterprise as an employee account (B01–B10). The holder fields are the current
    holder; `holders` keeps the history of an enterprise-owned account."""

    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="bindings", db_index=False)
    red_account = models.ForeignKey(RedAccount, on_delete=models.CASCADE, related_name="bindings", db_index=False)
    mode = models.CharField(_("mode"), max_length=20, choices=Mode.choices)
    status = models.CharField(_("status"), max_length=10, choices=BindingStatus.choices, default=BindingStatus.ACTIVE)
    invitation = models.OneToOneField(Invitation, null=True, on_delete=models.SET_NULL, related_name="binding")
    effective_at = models.DateTimeField(_("effective at"))
    frozen_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    end_reason = models.CharField(_("end reason"), max_length=30, choices=EndReason.choices, blank=True)
    ended_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("binding")
        verbose_name_plural = _("bindings")
        ordering = ["-effective_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["red_account"],
                condition=Q(status__in=LIVE_BINDING_STATUSES),
                name="one_live_binding_per_red_account",  # A08
            ),
            models.CheckConstraint(
                condition=Q(status=BindingStatus.ENDED, ended_at__isnull=False)
                | (~Q(status=BindingStatus.ENDED) & Q(ended_at__isnull=True)),
                name="ended_binding_has_ended_at",
            ),
        ]
        indexes = [
            models.Index(fields=["enterprise", "-effective_at", "-id"]),
            models.Index(fields=["enterprise", "status", "-effective_at"]),
            models.Index(fields=["red_account", "mode", "-ended_at"]),
            models.Index(fields=["enterprise", "position"]),
            models.Index(fields=["enterprise", "region"]),
        ]

    def __str__(self):
        return f"{self.red_account.red_id} @ {self.enterprise}"


class BindingHolder(Holder):
    """One holder of a binding's account over time; hand-over (B04) closes one and opens the next."""

    binding = models.ForeignKey(Binding, on_delete=models.CASCADE, related_name="holders")
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    via_agency = models.ForeignKey(Agency, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("account holder")
        verbose_name_plural = _("account holders")
        ordering = ["binding", "started_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["binding"], condition=Q(ended_at__isnull=True), name="one_current_holder_per_binding"
            )
        ]

    def __str__(self):
        return f"{self.name} ({self.id_number_masked})"


class BindingFreeze(models.Model):
    """One spell of a binding frozen (B02), kept so that what held at a past instant can be told: an order paid while
    the binding was frozen earns nothing (C05)."""

    binding = models.ForeignKey(Binding, on_delete=models.CASCADE, related_name="freezes")
    frozen_at = models.DateTimeField(_("frozen at"))
    unfrozen_at = models.DateTimeField(_("unfrozen at"), null=True, blank=True)

    class Meta:
        verbose_name = _("freeze")
        verbose_name_plural = _("freezes")
        ordering = ["binding", "frozen_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["binding"], condition=Q(unfrozen_at__isnull=True), name="one_open_freeze_per_binding"
            )
        ]

    def __str__(self):
        return f"{self.binding_id}: {self.frozen_at}"


class Notification(models.Model):
    """An in-app message: to an employee (their 消息通知), to an enterprise (its members and reported agencies) or
    to platform staff (work awaiting them). Rendered in the reader's language from `kind`; one per kind, invitation
    and audience, so jobs are idempotent. The expiry sweep tells each enterprise once per run, with `count`
    invitations.

    `read_at` closes a notice for every reader: the employee's own read, or the moment what it asked for stopped
    applying (an invitation answered, withdrawn, expired or reviewed). A shared notice (enterprise, platform) is
    read per user through `NotificationRead`, so one member reading it leaves it unread for the others."""

    audience = models.CharField(max_length=10, choices=Audience.choices)
    red_account = models.ForeignKey(
        RedAccount, null=True, blank=True, on_delete=models.CASCADE, related_name="notifications", db_index=False
    )
    enterprise = models.ForeignKey(
        Enterprise, null=True, blank=True, on_delete=models.CASCADE, related_name="notifications", db_index=False
    )
    kind = models.CharField(max_length=30, choices=NotificationKind.choices)
    count = models.PositiveIntegerField(default=1, help_text=_("How many invitations a grouped notice covers."))
    invitation = models.ForeignKey(
        Invitation, null=True, blank=True, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    binding = models.ForeignKey(Binding, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField()
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["invitation", "kind", "audience"],
                condition=Q(invitation__isnull=False),
                name="one_notification_per_invitation_event",
            ),
            models.CheckConstraint(
                condition=Q(audience=Audience.EMPLOYEE, red_account__isnull=False)
                | Q(audience=Audience.ENTERPRISE, enterprise__isnull=False)
                | Q(audience=Audience.PLATFORM),
                name="notification_has_recipient",
            ),
        ]
        indexes = [
            models.Index(fields=["red_account", "-created_at"]),
            models.Index(fields=["enterprise", "-created_at"]),
            models.Index(
                fields=["-created_at"], condition=Q(audience=Audience.PLATFORM), name="platform_notification_recent"
            ),
        ]

    def __str__(self):
        return self.get_kind_display()


class NotificationRead(models.Model):
    """One user's read of a shared notice (an enterprise's or the platform's): each member of the team keeps their
    own unread state. Reading twice keeps the first read."""

    notification = models.ForeignKey(Notification, on_delete=models.CASCADE, related_name="reads", db_index=False)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+", db_index=False)
    read_at = models.DateTimeField()

    class Meta:
        verbose_name = _("notification read")
        verbose_name_plural = _("notification reads")
        constraints = [models.UniqueConstraint(fields=["user", "notification"], name="one_read_per_user_notification")]
        indexes = [models.Index(fields=["notification"], name="notificationread_notification")]

    def __str__(self):
        return f"{self.user} · {self.notification}"


def proof_draft_upload_to(instance, filename: str) -> str:
    """A generated private name for a draft proof, apart from the proofs of invitations."""
    return f"proof-drafts/{uuid.uuid4().hex}{PurePosixPath(filename).suffix.lower()}"


class ProofDraft(models.Model):
    """An employment proof uploaded in the bind wizard before its invitation exists (I02): checked and cleaned like
    any proof, stored under a private random name, reached only by its token and only by the enterprise and user
    that uploaded it. It becomes the invitation's proof when the invitation is created; a sweep removes drafts
    older than 24 hours with their files."""

    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="+", db_index=False)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+", db_index=False)
    token = models.CharField(max_length=64, unique=True)
    file = models.FileField(upload_to=proof_draft_upload_to, max_length=200)
    content_type = models.CharField(max_length=40)
    original_name = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    created_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("draft employment proof")
        verbose_name_plural = _("draft employment proofs")
        indexes = [models.Index(fields=["enterprise", "user", "-created_at"], name="proofdraft_owner_recent")]

    def __str__(self):
        return self.original_name
