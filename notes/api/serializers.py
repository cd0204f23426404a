from decimal import Decimal

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from kos_platform.clock import instant

from .. import rules
from ..choices import NOT_SUBMITTED, REVIEW_FILTERS, NoteType, ReviewStatus
from ..models import NoteBoost, NoteDailyMetric, NotePush, NoteReview
from ..services import MAX_NOTES_PER_SUBMISSION


class SignalsSerializer(serializers.Serializer):
    """N07, as guidance: a promising note, a healthy account, an account below the 10 notes a test needs."""

    promising = serializers.BooleanField()
    account_healthy = serializers.BooleanField()
    account_below_starting_notes = serializers.BooleanField()


class NoteSerializer(serializers.Serializer):
    """A row of the brand's note list. `author_facts` (context) holds each author's selectors.AuthorFacts."""

    note_id = serializers.CharField()
    title = serializers.CharField()
    type = serializers.ChoiceField(choices=NoteType.choices)
    url = serializers.URLField()
    cover_url = serializers.CharField(help_text=_("The cover image's address; empty when none was synced."))
    excerpt = serializers.CharField(help_text=_("The first ~200 characters of the note's text; may be empty."))
    published_at = serializers.DateTimeField()
    red_id = serializers.CharField()
    nickname = serializers.CharField()
    employee_name = serializers.CharField()
    binding_active = serializers.BooleanField()
    exposure = serializers.IntegerField()
    reads = serializers.IntegerField()
    likes = serializers.IntegerField()
    collects = serializers.IntegerField()
    comments = serializers.IntegerField()
    shares = serializers.IntegerField()
    leads = serializers.IntegerField()
    engagement = serializers.IntegerField(help_text=_("likes + collects + comments"))
    read_uv = serializers.IntegerField()
    metrics_through = serializers.DateField(allow_null=True)
    review_status = serializers.ChoiceField(choices=REVIEW_FILTERS)
    review_id = serializers.IntegerField(allow_null=True)
    submitted_at = serializers.DateTimeField(allow_null=True)
    reviewed_at = serializers.DateTimeField(allow_null=True)
    review_reason = serializers.CharField()
    signals = SignalsSerializer()

    def to_representation(self, note):
        """Written directly: this is the hot path of the note list (see bench/)."""
        facts = self.context["author_facts"][note.author_id]
        return {
            "note_id": note.note_id,
            "title": note.title,
            "type": note.type,
            "url": note.url,
            "cover_url": note.cover_url,
            "excerpt": note.excerpt,
            "published_at": instant(note.published_at),
            "red_id": facts.red_id,
            "nickname": facts.nickname,
            "employee_name": facts.employee_name,
            "binding_active": facts.binding_active,
            "exposure": note.exposure,
            "reads": note.reads,
            "likes": note.likes,
            "collects": note.collects,
            "comments": note.comments,
            "shares": note.shares,
            "leads": note.leads,
            "engagement": note.engagement,
            "read_uv": note.read_uv,
            "metrics_through": note.metrics_through.isoformat() if note.metrics_through else None,
            "review_status": note.review_status or NOT_SUBMITTED,
            "review_id": note.current_review_id,
            "submitted_at": instant(note.submitted_at),
            "reviewed_at": instant(note.reviewed_at),
            "review_reason": note.review_reason,
            "signals": {
                "promising": rules.is_promising(note.likes, note.comments),
                "account_healthy": facts.signals.healthy,
                "account_below_starting_notes": facts.signals.below_starting_notes,
            },
        }


class ReviewSerializer(serializers.ModelSerializer):
    note_id = serializers.CharField(source="note.note_id")
    submitted_by = serializers.CharField(source="submitted_by.display_name", default="")
    via_agency = serializers.CharField(source="via_agency.name", default=None, allow_null=True)

    class Meta:
        model = NoteReview
        fields = (
            "id",
            "note_id",
            "month",
            "status",
            "reason",
            "submitted_at",
            "submitted_by",
            "via_agency",
            "reviewed_at",
        )


class BoostSerializer(serializers.ModelSerializer):
    note_id = serializers.CharField(source="note.note_id")

    class Meta:
        model = NoteBoost
        fields = ("id", "note_id", "budget", "created_at")


class PushSerializer(serializers.ModelSerializer):
    note_id = serializers.CharField(source="note.note_id")
    title = serializers.CharField(source="note.title")
    type = serializers.CharField(source="note.type")
    url = serializers.CharField(source="note.url")
    red_id = serializers.CharField(source="note.author.red_id")

    class Meta:
        model = NotePush
        fields = ("id", "note_id", "title", "type", "url", "red_id", "pushed_at")


class NoteDetailSerializer(NoteSerializer):
    """A note with its history in this enterprise: submissions, boosts, the push to ads."""

    reviews = ReviewSerializer(many=True)
    boosts = BoostSerializer(many=True)
    pushed_at = serializers.DateTimeField(allow_null=True)

    def to_representation(self, note):
        return {
            **super().to_representation(note),
            "reviews": ReviewSerializer(self.context["reviews"], many=True).data,
            "boosts": BoostSerializer(self.context["boosts"], many=True).data,
            "pushed_at": instant(self.context["pushed_at"]),
        }


class DailyMetricSerializer(serializers.ModelSerializer):
    class Meta:
        model = NoteDailyMetric
        fields = (
            "date",
            "exposure",
            "reads",
            "likes",
            "collects",
            "comments",
            "shares",
            "leads",
            "read_uv",
            "play_5s_rate",
            "read_3s_rate",
            "avg_view_seconds",
        )


class SubmitSerializer(serializers.Serializer):
    note_ids = serializers.ListField(
        child=serializers.CharField(max_length=64), min_length=1, max_length=MAX_NOTES_PER_SUBMISSION
    )

    def validate_note_ids(self, value):
        if len(set(value)) != len(value):
            raise serializers.ValidationError(_("A note ID is repeated."))
        return value


class SubmissionResultSerializer(serializers.Serializer):
    note_id = serializers.CharField()
    status = serializers.ChoiceField(choices=[ReviewStatus.IN_REVIEW], required=False)
    code = serializers.CharField(required=False)


class QuotaSerializer(serializers.Serializer):
    month = serializers.CharField()
    limit = serializers.IntegerField()
    used = serializers.IntegerField()
    remaining = serializers.IntegerField()


class SubmissionSerializer(serializers.Serializer):
    results = SubmissionResultSerializer(many=True)
    quota = QuotaSerializer()


class BoostRequestSerializer(serializers.Serializer):
    budget = serializers.DecimalField(
        max_digits=12, decimal_places=2, min_value=Decimal("0.01"), max_value=Decimal("9999999999.99")
    )


class RejectSerializer(serializers.Serializer):
    reason = serializers.CharField(min_length=1, max_length=500)


class PlatformReviewSerializer(serializers.ModelSerializer):
    note_id = serializers.CharField(source="note.note_id")
    title = serializers.CharField(source="note.title")
    type = serializers.CharField(source="note.type")
    url = serializers.CharField(source="note.url")
    cover_url = serializers.CharField(source="note.cover_url")
    excerpt = serializers.CharField(source="note.excerpt")
    published_at = serializers.DateTimeField(source="note.published_at")
    red_id = serializers.CharField(source="note.author.red_id")
    enterprise_id = serializers.IntegerField()
    enterprise_name = serializers.CharField(source="enterprise.name")

    class Meta:
        model = NoteReview
        fields = (
            "id",
            "note_id",
            "title",
            "type",
            "url",
            "cover_url",
            "excerpt",
            "published_at",
            "red_id",
            "enterprise_id",
            "enterprise_name",
            "month",
            "status",
            "reason",
            "submitted_at",
            "reviewed_at",
        )


class NoteIngestResultSerializer(serializers.Serializer):
    received = serializers.IntegerField()
    created = serializers.IntegerField()
    updated = serializers.IntegerField()


class MetricIngestResultSerializer(serializers.Serializer):
    received = serializers.IntegerField()
    notes = serializers.IntegerField()


class NoteRowSerializer(serializers.Serializer):
    """One row of `POST platform/notes/` (documentation: rows are checked by notes.ingest). `cover_url` and `excerpt`
    are optional: a row without them (absent, null or empty) keeps what is stored."""

    note_id = serializers.CharField(max_length=64)
    red_id = serializers.CharField(max_length=32)
    title = serializers.CharField(max_length=200, allow_blank=True)
    type = serializers.ChoiceField(choices=NoteType.choices)
    url = serializers.URLField(max_length=500)
    published_at = serializers.DateTimeField()
    cover_url = serializers.URLField(
        max_length=500,
        required=False,
        allow_null=True,
        allow_blank=True,
        help_text=_("The cover image, an http(s) address; sent again without it, the stored cover stays."),
    )
    excerpt = serializers.CharField(
        max_length=1000,
        required=False,
        allow_null=True,
        allow_blank=True,
        help_text=_(
            "The first ~200 characters of the note's text, trimmed; a longer one is cut at 200 characters (ending "
            "with …), one over 1,000 characters is refused; sent again without it, the stored excerpt stays."
        ),
    )


class MetricRowSerializer(serializers.Serializer):
    """One row of `POST platform/note-metrics/`; rates are fractions between 0 and 1."""

    note_id = serializers.CharField(max_length=64)
    date = serializers.DateField()
    exposure = serializers.IntegerField(min_value=0)
    reads = serializers.IntegerField(min_value=0)
    likes = serializers.IntegerField(min_value=0)
    collects = serializers.IntegerField(min_value=0)
    comments = serializers.IntegerField(min_value=0)
    shares = serializers.IntegerField(min_value=0)
    leads = serializers.IntegerField(min_value=0)
    read_uv = serializers.IntegerField(min_value=0)
    play_5s_rate = serializers.DecimalField(max_digits=5, decimal_places=4, allow_null=True, required=False)
    read_3s_rate = serializers.DecimalField(max_digits=5, decimal_places=4, allow_null=True, required=False)
    avg_view_seconds = serializers.DecimalField(max_digits=8, decimal_places=2, allow_null=True, required=False)
