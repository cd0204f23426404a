"""Staff views of invitations and bindings. Read-only: changes go through the review console and the services."""

from django.contrib import admin

from kos_platform.admin import ReadOnlyAdminMixin

from .models import Binding, BindingHolder, Invitation, Notification


class ReadOnlyAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    pass


@admin.register(Invitation)
class InvitationAdmin(ReadOnlyAdmin):
    list_display = (
        "id",
        "enterprise",
        "red_account",
        "mode",
        "status",
        "name",
        "id_number_masked",
        "position",
        "region",
        "created_at",
        "sent_at",
        "expires_at",
    )
    list_filter = ("status", "mode", "position", ("via_agency", admin.RelatedOnlyFieldListFilter))
    search_fields = ("enterprise__name", "red_account__red_id", "red_account__nickname", "name", "region")
    list_select_related = ("enterprise", "red_account")
    date_hierarchy = "created_at"
    exclude = ("id_number_encrypted", "id_number_index")


class HolderInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = BindingHolder
    fields = ("name", "id_number_masked", "position", "region", "started_at", "ended_at")
    readonly_fields = fields
    extra = 0


@admin.register(Binding)
class BindingAdmin(ReadOnlyAdmin):
    list_display = (
        "id",
        "enterprise",
        "red_account",
        "mode",
        "status",
        "name",
        "position",
        "region",
        "effective_at",
        "ended_at",
        "end_reason",
    )
    list_filter = ("status", "mode", "position", "end_reason")
    search_fields = ("enterprise__name", "red_account__red_id", "red_account__nickname", "name", "region")
    list_select_related = ("enterprise", "red_account")
    date_hierarchy = "effective_at"
    exclude = ("id_number_encrypted", "id_number_index")
    inlines = (HolderInline,)


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "audience", "kind", "enterprise", "red_account", "invitation", "read_at")
    list_filter = ("audience", "kind")
    search_fields = ("enterprise__name", "red_account__red_id")
    list_select_related = ("enterprise", "red_account", "invitation")
