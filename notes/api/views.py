from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from kos_platform.guard import GuardedJSONParser
from kos_platform.pagination import PageNumberPagination, query_form
from kos_platform.schema import refuses
from kos_platform.tenancy import Actor, IsPlatformStaff, WorkspaceAPIMixin

from .. import exports, ingest, metrics_ingest, selectors, services
from ..choices import REVIEW_FILTERS, NoteType, ReviewStatus
from ..models import Note, NoteReview
from . import serializers as s

FILTER_PARAMETERS = [
    OpenApiParameter("review_status", str, enum=REVIEW_FILTERS),
    OpenApiParameter("title", str, description="title contains"),
    OpenApiParameter("employee", str, description="employee name or nickname contains"),
    OpenApiParameter("note_id", str),
    OpenApiParameter("url", str, description="a note link; the note ID in it is matched"),
    OpenApiParameter("type", str, enum=NoteType.values),
    OpenApiParameter("published_from", str, description="YYYY-MM-DD, Asia/Shanghai"),
    OpenApiParameter("published_to", str, description="YYYY-MM-DD, inclusive"),
    OpenApiParameter("submitted_from", str, description="YYYY-MM-DD"),
    OpenApiParameter("submitted_to", str, description="YYYY-MM-DD, inclusive"),
    OpenApiParameter("ordering", str, enum=list(selectors.ORDERINGS)),
]


def note_filters(request) -> selectors.NoteFilterForm:
    if not request.query_params.keys() & selectors.NoteFilterForm.base_fields.keys():
        return selectors.UNFILTERED  # the plain list, the most requested: no form to build and check
    return query_form(request, selectors.NoteFilterForm)


def review_filters(request, reviews):
    """`?status=&month=` of the submission lists; a value they do not know is a 400."""
    return selectors.filter_reviews(reviews, query_form(request, selectors.ReviewFilterForm).cleaned_data)


class NotePagination(PageNumberPagination):
    """Takes the list's count from the kept counts when the view knows it (`known_count`)."""

    known_count: int | None = None

    def django_paginator_class(self, object_list, per_page):
        return selectors.CountedPaginator(object_list, per_page, count=self.known_count)


@extend_schema(parameters=FILTER_PARAMETERS)
class NoteViewSet(WorkspaceAPIMixin, viewsets.GenericViewSet):
    """The brand's notes (N01, N02): its bound employees' notes with their totals, review state and N07 signals."""

    model = Note
    serializer_class = s.NoteSerializer
    pagination_class = NotePagination
    workspace_related = ("note_counts",)
    lookup_field = "note_id"
    lookup_value_regex = "[^/]+"

    def scope_queryset(self, workspace):
        return selectors.notes_for_enterprise(workspace.enterprise)

    def perform_content_negotiation(self, request, force=False):
        if self.action == "export":  # `?format=csv|xlsx` names the file type here, not a renderer
            return JSONRenderer(), JSONRenderer.media_type
        return super().perform_content_negotiation(request, force)

    def get_object(self):
        note = selectors.note_for_enterprise(self.workspace.enterprise, self.kwargs["note_id"])
        if note is None:
            raise Http404
        return note

    def _context(self, notes) -> dict:
        return {
            **self.get_serializer_context(),
            "author_facts": selectors.author_facts(notes, self.workspace.enterprise),
        }

    def list(self, request, eid):
        form = note_filters(request)
        enterprise = self.workspace.enterprise
        self.paginator.known_count = selectors.list_count(form, enterprise)
        source = selectors.list_source(self.get_queryset(), form.cleaned_data, enterprise)
        page = selectors.page_rows(self.paginate_queryset(source))
        return self.get_paginated_response(s.NoteSerializer(page, many=True, context=self._context(page)).data)

    @extend_schema(parameters=[], responses=s.NoteDetailSerializer)
    def retrieve(self, request, eid, note_id):
        note = self.get_object()
        enterprise = self.workspace.enterprise
        context = {
            **self._context([note]),
            "reviews": selectors.reviews_of(enterprise, note),
            "boosts": note.boosts.filter(enterprise=enterprise).select_related("note"),
            "pushed_at": note.pushes.filter(enterprise=enterprise).values_list("pushed_at", flat=True).first(),
        }
        return Response(s.NoteDetailSerializer(note, context=context).data)

    @extend_schema(
        parameters=[OpenApiParameter("format", str, enum=[*exports.KINDS], required=True)],
        responses={(200, "text/csv"): bytes, (200, exports.XLSX_TYPE): bytes},
    )
    @action(detail=False, methods=["get"])
    def export(self, request, eid):
        """The filtered list as CSV or XLSX, streamed."""
        kind = request.query_params.get("format")
        if kind not in exports.KINDS:
            raise ValidationError({"format": [exports.KIND_ERROR]})
        form = note_filters(request)
        notes = selectors.filter_notes(self.get_queryset(), form.cleaned_data, self.workspace.enterprise)
        return exports.notes_export(kind, notes, self.workspace.enterprise)

    @extend_schema(
        parameters=[OpenApiParameter("from", str), OpenApiParameter("to", str)],
        responses=s.DailyMetricSerializer(many=True),
    )
    @action(detail=True, methods=["get"], pagination_class=None)
    def metrics(self, request, eid, note_id):
        """The note's figures day by day (Asia/Shanghai dates), oldest first."""
        form = query_form(request, selectors.MetricRangeForm)
        rows = selectors.daily_metrics(self.get_object(), form.cleaned_data["from"], form.cleaned_data["to"])
        return Response(s.DailyMetricSerializer(rows, many=True).data)

    @extend_schema(parameters=[], request=s.BoostRequestSerializer, responses={201: s.BoostSerializer})
    @action(detail=True, methods=["post"])
    @refuses("note_not_approved", "author_not_bound")
    def boost(self, request, eid, note_id):
        """内容加热 (N06): an approved note only, else 409 `note_not_approved`."""
        data = s.BoostRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        boost = services.note_boost(
            workspace=self.workspace, note=self.get_object(), budget=data.validated_data["budget"]
        )
        return Response(s.BoostSerializer(boost).data, status=status.HTTP_201_CREATED)

    @extend_schema(parameters=[], request=None, responses={201: s.PushSerializer, 200: s.PushSerializer})
    @action(detail=True, methods=["post"], url_path="push-to-ads")
    @refuses("note_not_approved", "author_not_bound")
    def push_to_ads(self, request, eid, note_id):
        """前往聚光 (N06): an approved note only; pushing again answers 200 with the first push."""
        push, created = services.note_push_to_ads(workspace=self.workspace, note=self.get_object())
        return Response(s.PushSerializer(push).data, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


@extend_schema(parameters=[OpenApiParameter("status", str, enum=ReviewStatus.values), OpenApiParameter("month", str)])
class NoteReviewViewSet(WorkspaceAPIMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """发起笔记审核 (N03–N05) and the enterprise's submissions, newest first."""

    serializer_class = s.ReviewSerializer

    def scope_queryset(self, workspace):
        return review_filters(self.request, selectors.reviews_for_enterprise(workspace.enterprise))

    @extend_schema(request=s.SubmitSerializer, responses={201: s.SubmissionSerializer})
    @refuses("quota_exceeded")
    def create(self, request, eid):
        data = s.SubmitSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        note_ids = data.validated_data["note_ids"]
        found, unknown = selectors.find_notes(self.workspace.enterprise, note_ids)
        if unknown:
            raise ValidationError({"note_ids": [selectors.unknown_notes_message(unknown)]})
        submission = services.submit_for_review(workspace=self.workspace, notes=[found[i] for i in note_ids])
        quota = submission.quota
        body = {
            "results": submission.results,
            "quota": {"month": quota.month, "limit": quota.limit, "used": quota.used, "remaining": quota.remaining},
        }
        return Response(body, status=status.HTTP_201_CREATED)


class NoteQuotaView(WorkspaceAPIMixin, generics.GenericAPIView):
    """N04: this month's (Asia/Shanghai) note-review quota."""

    model = NoteReview
    serializer_class = s.QuotaSerializer

    def scope_queryset(self, workspace):
        return NoteReview.objects.filter(enterprise=workspace.enterprise)

    def get(self, request, eid):
        quota = services.quota_of(self.workspace.enterprise)
        return Response({"month": quota.month, "limit": quota.limit, "used": quota.used, "remaining": quota.remaining})


class PushedNoteViewSet(WorkspaceAPIMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """N06: the notes pushed to the ad platform (前往聚光) — the notes campaigns can promote."""

    serializer_class = s.PushSerializer

    def scope_queryset(self, workspace):
        return selectors.pushed_notes(workspace.enterprise)


# Platform ----------------------------------------------------------------------------------------------------


class NoteIngestView(APIView):
    """Bulk upsert of notes by `note_id` (N01), up to 10,000 rows; the whole batch or nothing."""

    permission_classes = [IsPlatformStaff]
    parser_classes = [GuardedJSONParser]  # a JSON list of rows

    @extend_schema(request=s.NoteRowSerializer(many=True), responses=s.NoteIngestResultSerializer)
    def post(self, request):
        return Response(ingest.upsert_notes(actor=Actor(user=request.user), rows=request.data))


class NoteMetricIngestView(APIView):
    """Bulk upsert of daily note metrics by (`note_id`, `date`), up to 10,000 rows; the totals follow."""

    permission_classes = [IsPlatformStaff]
    parser_classes = [GuardedJSONParser]

    @extend_schema(request=s.MetricRowSerializer(many=True), responses=s.MetricIngestResultSerializer)
    def post(self, request):
        return Response(metrics_ingest.upsert_metrics(actor=Actor(user=request.user), rows=request.data))


@extend_schema(parameters=[OpenApiParameter("status", str, enum=ReviewStatus.values)])
class PlatformNoteReviewViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The note review queue (N05), oldest first: approve, or reject with a reason."""

    permission_classes = [IsPlatformStaff]
    serializer_class = s.PlatformReviewSerializer

    def get_queryset(self):
        if self.action == "list":
            return review_filters(self.request, selectors.review_queue())
        return selectors.review_queue()

    def _review(self) -> NoteReview:
        return get_object_or_404(NoteReview.objects.all(), pk=self.kwargs["pk"])

    @extend_schema(request=None, responses=s.PlatformReviewSerializer)
    @action(detail=True, methods=["post"])
    @refuses("review_not_open")
    def approve(self, request, pk):
        review = services.review_approve(actor=Actor(user=request.user), review=self._review())
        return Response(s.PlatformReviewSerializer(selectors.review_queue().get(pk=review.pk)).data)

    @extend_schema(request=s.RejectSerializer, responses=s.PlatformReviewSerializer)
    @action(detail=True, methods=["post"])
    @refuses("review_not_open")
    def reject(self, request, pk):
        data = s.RejectSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        review = services.review_reject(
            actor=Actor(user=request.user), review=self._review(), reason=data.validated_data["reason"]
        )
        return Response(s.PlatformReviewSerializer(selectors.review_queue().get(pk=review.pk)).data)
