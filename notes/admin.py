"""Staff views of notes, reviews, quotas, boosts and pushes. Read-only: changes go through the review console,
the ingest API and the services, which audit them."""

from django.contrib import admin
from django.db import models

from kos_platform.admin import ReadOnlyAdminMixin

from .models import EnterpriseNoteCounts, Note, NoteBoost, NotePush, NoteQuotaMonth, NoteReview


class ReadOnlyAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    pass


@admin.register(Note)
class NoteAdmin(ReadOnlyAdmin):
    list_display = (
        "note_id",
        "title",
        "type",
        "author",
        "enterprise",
        "published_at",
        "exposure",
        "reads",
        "engagement",
    )
    list_filter = ("type", ("enterprise", admin.RelatedOnlyFieldListFilter))
    search_fields = ("note_id", "title", "author__red_id", "author__nickname")
    list_select_related = ("author", "enterprise")
    date_hierarchy = "published_at"
    show_full_result_count = False  # 100,000s of rows: no second COUNT(*) per page
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(NoteReview)
class NoteReviewAdmin(ReadOnlyAdmin):
    list_display = ("id", "note", "enterprise", "month", "status", "submitted_at", "reviewed_at", "reviewed_by")
    list_filter = ("status", "month", ("enterprise", admin.RelatedOnlyFieldListFilter))
    search_fields = ("note__note_id", "note__title", "enterprise__name")
    list_select_related = ("note", "enterprise", "reviewed_by")
    date_hierarchy = "submitted_at"


@admin.register(NoteQuotaMonth)
class NoteQuotaMonthAdmin(ReadOnlyAdmin):
    list_display = ("enterprise", "month", "used")
    list_filter = ("month",)
    search_fields = ("enterprise__name",)
    list_select_related = ("enterprise",)


@admin.register(NoteBoost)
class NoteBoostAdmin(ReadOnlyAdmin):
    list_display = ("id", "note", "enterprise", "budget", "created_at", "created_by", "via_agency")
    list_select_related = ("note", "enterprise", "created_by", "via_agency")
    search_fields = ("note__note_id", "enterprise__name")


@admin.register(NotePush)
class NotePushAdmin(ReadOnlyAdmin):
    list_display = ("id", "note", "enterprise", "pushed_at", "pushed_by", "via_agency")
    list_select_related = ("note", "enterprise", "pushed_by", "via_agency")
    search_fields = ("note__note_id", "enterprise__name")


@admin.register(EnterpriseNoteCounts)
class EnterpriseNoteCountsAdmin(ReadOnlyAdmin):
    list_display = ("enterprise", "total", "not_submitted", "in_review", "approved", "rejected")
    list_select_related = ("enterprise",)
