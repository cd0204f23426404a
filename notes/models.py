from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import Agency, Enterprise, RedAccount, User
from kos_platform import guard

from .choices import OPEN_REVIEW_STATUSES, NoteType, ReviewStatus

SUBMIT_WITHIN_DAYS = 90  # N03
MAX_INGEST_ROWS = 10_000


class Note(models.Model):
    """A note synced from the content platform (N01), with the totals of its daily metrics kept beside it so that
    lists sort 500,000 notes without reading millions of metric rows.

    The totals are not indexed: every metrics batch rewrites them, and unindexed columns let PostgreSQL update
    the row in place (a HOT update, helped by the table's fillfactor, see migration 0002) instead of inserting
    into every index. An enterprise's list sorted by a total is a top-N sort of that enterprise's rows.

    `enterprise` is the enterprise the author is bound to now (a live binding, A08 makes it unique) and
    `current_review` that enterprise's latest submission of the note; both are kept by `notes.ownership`."""

    note_id = models.CharField(_("note ID"), max_length=64)
    author = models.ForeignKey(RedAccount, on_delete=models.PROTECT, related_name="notes", db_index=False)
    title = models.CharField(_("title"), max_length=200)
    type = models.CharField(_("note type"), max_length=5, choices=NoteType.choices)
    url = models.URLField(_("note link"), max_length=500)
    # The preview the content platform sends (optional): the cover image's http(s) address and the first ~200
    # characters of the text. Empty when never sent; a page shows a cover only from CONTENT_IMAGE_HOSTS.
    cover_url = models.CharField(_("cover image"), max_length=500, blank=True, default="", db_default="")
    excerpt = models.CharField(_("excerpt"), max_length=200, blank=True, default="", db_default="")
    published_at = models.DateTimeField(_("published at"), validators=[guard.validate_content_date])
    synced_at = models.DateTimeField(_("synced at"))
    enterprise = models.ForeignKey(
        Enterprise, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", db_index=False
    )
    current_review = models.ForeignKey(
        "NoteReview", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", db_index=False
    )
    # The current review's state, copied so that the list reads one table (the join cost a tenth of a list
    # request); written with `current_review` by `set_current_review`, and by the services that decide a review.
    review_status = models.CharField(
        _("review status"), max_length=10, choices=ReviewStatus.choices, blank=True, default="", db_default=""
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    review_reason = models.TextField(_("review reason"), blank=True, default="", db_default="")
    exposure = models.BigIntegerField(_("exposure"), default=0)
    reads = models.BigIntegerField(_("reads"), default=0)
    likes = models.BigIntegerField(_("likes"), default=0)
    collects = models.BigIntegerField(_("collects"), default=0)
    comments = models.BigIntegerField(_("comments"), default=0)
    shares = models.BigIntegerField(_("shares"), default=0)
    leads = models.BigIntegerField(_("leads"), default=0)
    engagement = models.BigIntegerField(_("engagement"), default=0, help_text=_("likes + collects + comments"))
    read_uv = models.BigIntegerField(_("read UV"), default=0)
    metrics_through = models.DateField(_("metrics through"), null=True, blank=True)

    class Meta:
        verbose_name = _("note")
        verbose_name_plural = _("notes")
        ordering = ["-published_at", "-id"]
        # A constraint, not `unique=True`, which would add a second (LIKE) index that every new note pays for.
        constraints = [models.UniqueConstraint(fields=["note_id"], name="unique_note_id")]
        indexes = [
            models.Index(fields=["author", "-published_at"]),
            models.Index(fields=["enterprise", "-published_at", "-id"]),
            models.Index(
                fields=["current_review"], condition=Q(current_review__isnull=False), name="note_current_review"
            ),
        ]

    def __str__(self):
        return f"{self.title} ({self.note_id})"

    def set_current_review(self, review: "NoteReview | None") -> None:
        """Point at `review` and copy its state (save `CURRENT_REVIEW_FIELDS`)."""
        self.current_review = review
        self.review_status = review.status if review else ""
        self.submitted_at = review.submitted_at if review else None
        self.reviewed_at = review.reviewed_at if review else None
        self.review_reason = review.reason if review else ""


CURRENT_REVIEW_FIELDS = ("current_review", "review_status", "submitted_at", "reviewed_at", "review_reason")


class NoteDailyMetric(models.Model):
    """One note's figures for one day (Asia/Shanghai), as the content platform reports them."""

    pk = models.CompositePrimaryKey("note", "date")
    # No database-level foreign key: its check would run once per row at the commit of every 10,000-row batch.
    # Only the ingest writes these rows, for notes it has just looked up and locked.
    note = models.ForeignKey(
        Note, on_delete=models.CASCADE, related_name="daily_metrics", db_index=False, db_constraint=False
    )
    date = models.DateField(_("date"), validators=[guard.validate_content_date])
    exposure = models.PositiveIntegerField(_("exposure"), default=0)
    reads = models.PositiveIntegerField(_("reads"), default=0)
    likes = models.PositiveIntegerField(_("likes"), default=0)
    collects = models.PositiveIntegerField(_("collects"), default=0)
    comments = models.PositiveIntegerField(_("comments"), default=0)
    shares = models.PositiveIntegerField(_("shares"), default=0)
    leads = models.PositiveIntegerField(_("leads"), default=0)
    read_uv = models.PositiveIntegerField(_("read UV"), default=0)
    play_5s_rate = models.DecimalField(_("5 s play rate"), max_digits=5, decimal_places=4, null=True, blank=True)
    read_3s_rate = models.DecimalField(_("3 s read rate"), max_digits=5, decimal_places=4, null=True, blank=True)
    avg_view_seconds = models.DecimalField(
        _("average view seconds"), max_digits=8, decimal_places=2, null=True, blank=True
    )

    class Meta:
        verbose_name = _("daily note metrics")
        verbose_name_plural = _("daily note metrics")
        ordering = ["note", "date"]

    def __str__(self):
        return f"{self.note_id} {self.date}"


class NoteReview(models.Model):
    """A submission of a note for the platform's review (发起笔记审核, N03–N05). Every submission counts against the
    month's quota (N04); a rejected note can be submitted again, which makes a new row."""

    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="note_reviews", db_index=False)
    note = models.ForeignKey(Note, on_delete=models.CASCADE, related_name="reviews", db_index=False)
    month = models.CharField(_("quota month"), max_length=7)
    status = models.CharField(
        _("review status"), max_length=10, choices=ReviewStatus.choices, default=ReviewStatus.IN_REVIEW
    )
    reason = models.TextField(_("reason"), blank=True)
    submitted_at = models.DateTimeField(_("submitted at"))
    submitted_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+", db_index=False)
    via_agency = models.ForeignKey(
        Agency, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", db_index=False
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", db_index=False
    )

    class Meta:
        verbose_name = _("note review")
        verbose_name_plural = _("note reviews")
        ordering = ["-submitted_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "note"],
                condition=Q(status__in=OPEN_REVIEW_STATUSES),
                name="one_open_review_per_enterprise_note",  # N05
            ),
            models.CheckConstraint(
                condition=Q(status=ReviewStatus.IN_REVIEW) | Q(reviewed_at__isnull=False),
                name="decided_review_has_time",
            ),
        ]
        indexes = [
            models.Index(fields=["enterprise", "-submitted_at"]),
            models.Index(fields=["note", "enterprise", "-submitted_at"]),
            models.Index(
                fields=["submitted_at", "id"], condition=Q(status=ReviewStatus.IN_REVIEW), name="note_review_queue"
            ),
        ]

    def __str__(self):
        return f"{self.note.note_id} @ {self.enterprise}"


class NoteQuotaMonth(models.Model):
    """How many submissions an enterprise has made in a calendar month (N04). The limit is the enterprise's
    `monthly_note_quota`, which platform staff may change; submissions lock this row, so concurrent requests
    never take more than the limit."""

    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="note_quota_months")
    month = models.CharField(_("month"), max_length=7)
    used = models.PositiveIntegerField(_("used"), default=0)

    class Meta:
        verbose_name = _("monthly note quota")
        verbose_name_plural = _("monthly note quotas")
        constraints = [models.UniqueConstraint(fields=["enterprise", "month"], name="one_quota_row_per_month")]

    def __str__(self):
        return f"{self.enterprise} {self.month}: {self.used}"


class NoteBoost(models.Model):
    """内容加热: a budget spent promoting an approved note (N06)."""

    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="note_boosts", db_index=False)
    note = models.ForeignKey(Note, on_delete=models.CASCADE, related_name="boosts", db_index=False)
    budget = models.DecimalField(_("budget"), max_digits=12, decimal_places=2)
    created_at = models.DateTimeField(_("created at"))
    created_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+", db_index=False)
    via_agency = models.ForeignKey(
        Agency, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", db_index=False
    )

    class Meta:
        verbose_name = _("note boost")
        verbose_name_plural = _("note boosts")
        ordering = ["-created_at", "-id"]
        constraints = [models.CheckConstraint(condition=Q(budget__gt=0), name="boost_budget_positive")]
        indexes = [models.Index(fields=["enterprise", "note", "-created_at"])]

    def __str__(self):
        return f"{self.note.note_id}: ¥{self.budget}"


class NotePush(models.Model):
    """前往聚光: an approved note handed to the ad platform (N06); only pushed notes can be promoted in campaigns."""

    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="note_pushes", db_index=False)
    note = models.ForeignKey(Note, on_delete=models.CASCADE, related_name="pushes", db_index=False)
    pushed_at = models.DateTimeField(_("pushed at"))
    pushed_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+", db_index=False)
    via_agency = models.ForeignKey(
        Agency, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", db_index=False
    )

    class Meta:
        verbose_name = _("note pushed to ads")
        verbose_name_plural = _("notes pushed to ads")
        ordering = ["-pushed_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["enterprise", "note"], name="one_push_per_enterprise_note")]

    def __str__(self):
        return f"{self.note.note_id} → {self.enterprise}"


class EnterpriseNoteCounts(models.Model):
    """How many notes an enterprise's list holds, by review state: the tab counts and the unfiltered list's count,
    without counting 100,000s of rows per request. Recomputed (not incremented) by `notes.counts` in the
    transaction of every change that moves them, so it cannot drift."""

    enterprise = models.OneToOneField(
        Enterprise, primary_key=True, on_delete=models.CASCADE, related_name="note_counts"
    )
    total = models.PositiveIntegerField(default=0)
    not_submitted = models.PositiveIntegerField(default=0)
    in_review = models.PositiveIntegerField(default=0)
    approved = models.PositiveIntegerField(default=0)
    rejected = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("note counts")
        verbose_name_plural = _("note counts")

    def __str__(self):
        return f"{self.enterprise}: {self.total}"
