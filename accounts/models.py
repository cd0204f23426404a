from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kos_platform import guard
from kos_platform.pii import EncryptedTextField

from .choices import ApiKeyScope, Industry, Role


class User(AbstractUser):
    """A login: brand member, agency staff, employee, platform staff, or the principal of an API key."""

    display_name = models.CharField(_("display name"), max_length=64, blank=True)
    is_service_account = models.BooleanField(
        _("service account"), default=False, help_text=_("The principal of an API key; cannot log in.")
    )
    password_changed_at = models.DateTimeField(_("password changed at"), null=True, blank=True, editable=False)

    def __str__(self):
        return self.display_name or self.username

    def set_password(self, raw_password):
        """Every way a password is set goes through here — `services.user_password_change`, the admin's password
        form, `manage.py changepassword`, a password reset, `set_password` + `save()` — so the time is stamped
        whatever the path, and `BearerKeyAuthentication` refuses every user token issued before it: a password change
        revokes the user's tokens however it was made. (Other sessions end by Django's own session auth hash, which
        the new password hash changes.) Django's silent re-hash on login saves only `password`, so it revokes
        nothing."""
        super().set_password(raw_password)
        self.password_changed_at = timezone.now()

    def set_unusable_password(self):
        """Disabling password sign-in (the admin's password form can) revokes the user's tokens as a change does."""
        super().set_unusable_password()
        self.password_changed_at = timezone.now()

    @property
    def red_account_or_none(self):
        return getattr(self, "red_account", None)


class Enterprise(models.Model):
    """A brand's enterprise professional account (企业专业号): the tenant."""

    name = models.CharField(_("name"), max_length=100)
    industry = models.CharField(_("industry"), max_length=20, choices=Industry.choices)
    certified = models.BooleanField(_("certified"), default=False)
    annual_review_valid_until = models.DateField(
        _("annual review valid until"), null=True, blank=True, validators=[guard.validate_enterprise_date]
    )
    banned = models.BooleanField(_("banned"), default=False)
    store_count = models.PositiveIntegerField(_("offline stores in mainland China"), default=0)
    serious_violation_at = models.DateTimeField(
        _("last serious-violation ban"), null=True, blank=True, validators=[guard.validate_enterprise_date]
    )
    kos_permission_granted_at = models.DateTimeField(_("KOS permission granted at"), null=True, blank=True)
    kos_permission_granted_by = models.ForeignKey(
        User,
        verbose_name=_("KOS permission granted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    invitations_restricted_until = models.DateTimeField(_("invitations restricted until"), null=True, blank=True)
    monthly_note_quota = models.PositiveIntegerField(_("monthly note-review quota"), default=1000)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("enterprise")
        verbose_name_plural = _("enterprises")
        ordering = ["id"]
        indexes = [models.Index(fields=["name"])]

    def __str__(self):
        return self.name

    @property
    def kos_permission(self) -> bool:
        return self.kos_permission_granted_at is not None


class Membership(models.Model):
    """A user's role in an enterprise."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=10, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [models.UniqueConstraint(fields=["user", "enterprise"], name="uniq_membership")]

    def __str__(self):
        return f"{self.user} @ {self.enterprise} ({self.role})"


class Agency(models.Model):
    """An agency (代理商) whose staff act for the brands that reported it."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        ordering = ["id"]

    def __str__(self):
        return self.name


class AgencyMembership(models.Model):
    """A member of an agency's staff."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="agency_memberships")
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="memberships")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("agency staff member")
        verbose_name_plural = _("agency staff")
        constraints = [models.UniqueConstraint(fields=["user", "agency"], name="uniq_agency_membership")]

    def __str__(self):
        return f"{self.user} @ {self.agency}"


class AgencyReport(models.Model):
    """A brand's report (报备) of an agency: while it stands, the agency's staff may act for the brand."""

    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="agency_reports")
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="reports")
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("agency report")
        verbose_name_plural = _("agency reports")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "agency"], condition=Q(revoked_at__isnull=True), name="uniq_standing_report"
            )
        ]

    def __str__(self):
        return f"{self.enterprise} → {self.agency}"

    @property
    def standing(self) -> bool:
        return self.revoked_at is None


class RedAccount(models.Model):
    """A Xiaohongshu (RED) account, as the content platform's registry knows it."""

    red_id = models.CharField(_("RED ID"), max_length=32, unique=True)
    nickname = models.CharField(_("nickname"), max_length=64)
    followers = models.PositiveIntegerField(_("followers"), default=0)
    has_shop = models.BooleanField(_("has a shop"), default=False)
    is_creator = models.BooleanField(_("Pugongying creator"), default=False)
    is_enterprise_account = models.BooleanField(_("enterprise account"), default=False)
    has_violation = models.BooleanField(_("has a violation record"), default=False)
    real_name_verified = models.BooleanField(_("real-name verified"), default=False)
    real_name = models.CharField(_("real name"), max_length=24, blank=True)
    id_number_encrypted = EncryptedTextField(blank=True, editable=False)
    id_number_index = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    id_number_masked = models.CharField(_("ID number"), max_length=18, blank=True, editable=False)
    phone_bound = models.BooleanField(_("phone bound"), default=False)
    user = models.OneToOneField(
        User,
        verbose_name=_("employee login"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="red_account",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("RED account")
        verbose_name_plural = _("RED accounts")
        ordering = ["id"]

    def __str__(self):
        return f"{self.nickname} ({self.red_id})"


class ApiKey(models.Model):
    """A bearer key, stored as a SHA-256 hash. Its principal `user` carries the scope: the user itself
    (a user token), or a service user that is a member of one enterprise, staff of one agency, or platform staff.
    A user token expires 30 days after it is issued (`expires_at`) and dies with a password change
    (`User.set_password`); integration keys live until revoked.
    """

    name = models.CharField(_("name"), max_length=100)
    scope = models.CharField(_("scope"), max_length=12, choices=ApiKeyScope.choices)
    prefix = models.CharField(max_length=12, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_keys")
    enterprise = models.ForeignKey(Enterprise, null=True, blank=True, on_delete=models.CASCADE, related_name="api_keys")
    agency = models.ForeignKey(Agency, null=True, blank=True, on_delete=models.CASCADE, related_name="api_keys")
    created_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(
        _("expires at"), null=True, blank=True, help_text=_("User tokens expire; integration keys do not.")
    )

    class Meta:
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(scope="enterprise", enterprise__isnull=False, agency__isnull=True)
                    | Q(scope="agency", agency__isnull=False, enterprise__isnull=True)
                    | Q(scope__in=["platform", "user"], enterprise__isnull=True, agency__isnull=True)
                ),
                name="api_key_scope_target",
            )
        ]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"


class AuditEvent(models.Model):
    """Who did what, when, before → after, why; with the agency when acting through one (B10)."""

    at = models.DateTimeField(_("at"), db_index=True)
    # An append-only log written in bulk by sweeps: no database-level foreign keys (no per-row checks), and
    # indexes only for the ways it is read.
    enterprise = models.ForeignKey(
        Enterprise,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="audit_events",
        db_constraint=False,
        db_index=False,
    )
    actor = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", db_constraint=False, db_index=False
    )
    via_agency = models.ForeignKey(
        Agency,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_constraint=False,
        db_index=False,
    )
    action = models.CharField(_("action"), max_length=64)
    object_type = models.CharField(max_length=64)
    object_id = models.CharField(max_length=64)
    object_repr = models.CharField(max_length=200, blank=True)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    reason = models.TextField(blank=True)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["enterprise", "-at"]),
            models.Index(fields=["object_type", "object_id"]),
        ]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.object_repr}"
