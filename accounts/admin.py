from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from kos_platform.admin import ReadOnlyAdminMixin
from kos_platform.errors import ENTERPRISE_REASON_MESSAGES, RuleViolation
from kos_platform.tenancy import Actor

from . import services
from .models import Agency, AgencyMembership, AgencyReport, ApiKey, AuditEvent, Enterprise, Membership, RedAccount, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "display_name", "is_staff", "is_service_account", "is_active", "last_login")
    list_filter = ("is_staff", "is_service_account", "is_active")
    search_fields = ("username", "display_name", "email")
    fieldsets = (*BaseUserAdmin.fieldsets, (_("KOS"), {"fields": ("display_name", "is_service_account")}))


class ReadOnlyInline(ReadOnlyAdminMixin, admin.TabularInline):
    """Shown for context; changes go through the model's own admin, which calls the services."""

    extra = 0


class MembershipInline(ReadOnlyInline):
    model = Membership


class KosPermissionFilter(admin.SimpleListFilter):
    title = _("KOS permission")
    parameter_name = "kos_permission"

    def lookups(self, request, model_admin):
        return (("yes", _("Granted")), ("no", _("Not granted")))

    def queryset(self, request, queryset):
        if self.value() in ("yes", "no"):
            return queryset.filter(kos_permission_granted_at__isnull=self.value() == "no")
        return queryset


@admin.register(Enterprise)
class EnterpriseAdmin(admin.ModelAdmin):
    list_display = (
        "name",
        "industry",
        "certified",
        "annual_review_valid_until",
        "banned",
        "store_count",
        "kos_permission_granted_at",
        "invitations_restricted_until",
        "monthly_note_quota",
    )
    list_filter = ("industry", "certified", "banned", KosPermissionFilter)
    search_fields = ("name",)
    readonly_fields = ("kos_permission_granted_at", "kos_permission_granted_by", "created_at")
    inlines = (MembershipInline,)
    actions = ("grant_kos_permission", "revoke_kos_permission")

    def save_model(self, request, obj, form, change):
        actor = Actor(user=request.user)
        data = {name: form.cleaned_data[name] for name in services.ENTERPRISE_FIELDS if name in form.cleaned_data}
        if change:
            services.enterprise_update(actor=actor, enterprise=obj, **data)
        else:
            obj.pk = services.enterprise_create(actor=actor, **data).pk

    @admin.action(description=_("Grant the employee-account management permission"))
    def grant_kos_permission(self, request, queryset):
        granted = 0
        for enterprise in queryset:
            try:
                services.kos_permission_grant(actor=Actor(user=request.user), enterprise=enterprise)
                granted += 1
            except RuleViolation as violation:
                reasons = "、".join(str(ENTERPRISE_REASON_MESSAGES[code]) for code in violation.facts["reasons"])
                self.message_user(request, f"{enterprise.name}: {reasons}", messages.ERROR)
        if granted:
            self.message_user(request, ngettext("%d enterprise granted.", "%d enterprises granted.", granted) % granted)

    @admin.action(description=_("Withdraw the employee-account management permission"))
    def revoke_kos_permission(self, request, queryset):
        for enterprise in queryset:
            services.kos_permission_revoke(actor=Actor(user=request.user), enterprise=enterprise)


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "enterprise", "role", "created_at")
    list_filter = ("role",)
    search_fields = ("user__username", "user__display_name", "enterprise__name")
    autocomplete_fields = ("user", "enterprise")
    list_select_related = ("user", "enterprise")

    def save_model(self, request, obj, form, change):
        obj.pk = services.member_set(
            actor=Actor(user=request.user), enterprise=obj.enterprise, username=obj.user.username, role=obj.role
        ).pk


@admin.register(AgencyMembership)
class AgencyMembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "agency", "created_at")
    search_fields = ("user__username", "agency__name")
    autocomplete_fields = ("user", "agency")
    list_select_related = ("user", "agency")

    def save_model(self, request, obj, form, change):
        obj.pk = services.agency_staff_add(
            actor=Actor(user=request.user), agency=obj.agency, username=obj.user.username
        ).pk


class AgencyStaffInline(ReadOnlyInline):
    model = AgencyMembership


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ("name", "created_at")
    search_fields = ("name",)
    inlines = (AgencyStaffInline,)

    def get_readonly_fields(self, request, obj=None):
        return ("name",) if obj else ()

    def save_model(self, request, obj, form, change):
        if not change:
            obj.pk = services.agency_create(actor=Actor(user=request.user), name=obj.name).pk


@admin.register(AgencyReport)
class AgencyReportAdmin(admin.ModelAdmin):
    list_display = ("enterprise", "agency", "created_at", "revoked_at")
    list_filter = (("revoked_at", admin.EmptyFieldListFilter),)
    search_fields = ("enterprise__name", "agency__name")
    list_select_related = ("enterprise", "agency")

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


@admin.register(RedAccount)
class RedAccountAdmin(admin.ModelAdmin):
    list_display = (
        "red_id",
        "nickname",
        "followers",
        "has_shop",
        "is_creator",
        "is_enterprise_account",
        "has_violation",
        "real_name_verified",
        "phone_bound",
        "id_number_masked",
        "user",
    )
    list_filter = (
        "has_shop",
        "is_creator",
        "is_enterprise_account",
        "has_violation",
        "real_name_verified",
        "phone_bound",
    )
    search_fields = ("red_id", "nickname", "real_name", "user__username")
    readonly_fields = ("red_id", "id_number_masked", "user", "created_at", "updated_at")
    exclude = ("id_number_encrypted", "id_number_index")

    def has_add_permission(self, request):
        return False  # the registry is fed by the content platform through the API

    def save_model(self, request, obj, form, change):
        fields = {name: form.cleaned_data[name] for name in form.changed_data if name in services.RED_ACCOUNT_FIELDS}
        services.red_account_update(actor=Actor(user=request.user), account=obj, **fields)


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    list_display = ("name", "scope", "prefix", "enterprise", "agency", "created_at", "last_used_at", "revoked_at")
    list_filter = ("scope", ("revoked_at", admin.EmptyFieldListFilter))
    search_fields = ("name", "prefix", "enterprise__name", "agency__name")
    readonly_fields = ("prefix", "last_used_at", "revoked_at", "created_at")
    actions = ("revoke",)

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Revoke the selected keys"))
    def revoke(self, request, queryset):
        for key in queryset:
            services.api_key_revoke(actor=Actor(user=request.user), key=key)


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("at", "action", "object_repr", "enterprise", "actor", "via_agency", "reason")
    list_filter = ("action", "object_type", ("via_agency", admin.RelatedOnlyFieldListFilter))
    search_fields = ("object_repr", "object_id", "actor__username", "enterprise__name", "reason")
    date_hierarchy = "at"
    list_select_related = ("enterprise", "actor", "via_agency")
