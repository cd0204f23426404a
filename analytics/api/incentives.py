"""Incentive endpoints (D02): periods with their rules, the live leaderboard, closing, the awards and their export,
and the employee's own periods (`/me/incentives/`)."""

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from campaigns.exports import KINDS, XLSX_TYPE, kind_of
from kos_platform.guard import validate_enterprise_date
from kos_platform.pagination import PageNumberPagination
from kos_platform.schema import ErrorSerializer, refuses
from kos_platform.tenancy import WorkspaceAPIMixin

from .. import incentive_reads, incentives
from ..choices import AwardKind, PeriodStatus
from ..models import IncentiveAward, IncentivePeriod


class RulesField(serializers.JSONField):
    def to_internal_value(self, data):
        rules, problems = incentives.clean_rules(super().to_internal_value(data))
        if problems:
            raise serializers.ValidationError(problems)
        return rules


class PeriodSerializer(serializers.ModelSerializer):
    """A period as set, with its state: `participants` so far, and from when it can be closed."""

    start_date = serializers.DateField(validators=[validate_enterprise_date])
    end_date = serializers.DateField(validators=[validate_enterprise_date])
    rules = RulesField(required=False, help_text=_("D02's template when left out."))
    status = serializers.ChoiceField(choices=PeriodStatus.choices, read_only=True)
    participants = serializers.IntegerField(read_only=True, default=None)
    closable_from = serializers.SerializerMethodField()

    class Meta:
        model = IncentivePeriod
        fields = ["id", "name", "start_date", "end_date", "rules", "status", "participants", "closable_from"]
        fields += ["created_at", "closed_at"]
        read_only_fields = ["created_at", "closed_at"]

    def get_closable_from(self, period) -> str:
        return incentive_reads.closable_from(period).isoformat()

    def validate(self, data):
        start = data.get("start_date", getattr(self.instance, "start_date", None))
        end = data.get("end_date", getattr(self.instance, "end_date", None))
        incentives.check_dates(start, end)
        return data


class BestNoteSerializer(serializers.Serializer):
    note_id = serializers.CharField()
    interactions = serializers.IntegerField()


class StandingSerializer(serializers.Serializer):
    rank = serializers.IntegerField()
    red_id = serializers.CharField()
    nickname = serializers.CharField()
    interactions = serializers.IntegerField()
    notes = serializers.IntegerField()
    best_note = BestNoteSerializer(allow_null=True)


class LeaderboardSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=PeriodStatus.choices)
    results = StandingSerializer(many=True)


class MyAwardSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=AwardKind.choices)
    rank = serializers.IntegerField()
    interactions = serializers.IntegerField()
    amount = serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True)
    prize = serializers.CharField()
    note_id = serializers.CharField(allow_null=True)


class AwardSerializer(MyAwardSerializer):
    """An award of the period, with whom it went to."""

    red_id = serializers.CharField()
    nickname = serializers.CharField()


class AwardListSerializer(serializers.Serializer):
    results = AwardSerializer(many=True)


class MyPeriodSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    enterprise_id = serializers.IntegerField()
    enterprise_name = serializers.CharField()
    name = serializers.CharField()
    start_date = serializers.DateField()
    end_date = serializers.DateField()
    status = serializers.ChoiceField(choices=PeriodStatus.choices)
    rules = serializers.JSONField()
    participants = serializers.IntegerField()
    rank = serializers.IntegerField(allow_null=True, help_text=_("Null without a counted note."))
    interactions = serializers.IntegerField()
    gap = serializers.IntegerField(allow_null=True, help_text=_("Interactions to draw level with the next place."))
    awards = MyAwardSerializer(many=True)


def _standing_row(standing) -> dict:
    best = {"note_id": standing.best_note_id, "interactions": standing.best_interactions}
    return {
        "rank": standing.rank,
        "red_id": standing.red_id,
        "nickname": standing.nickname,
        "interactions": standing.interactions,
        "notes": standing.notes,
        "best_note": best if standing.best_note else None,
    }


class PeriodMixin(WorkspaceAPIMixin):
    model = IncentivePeriod

    def scope_queryset(self, workspace):
        return incentives.periods_for(workspace.enterprise)

    def get_object(self):
        return get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])


class PeriodListView(PeriodMixin, generics.ListCreateAPIView):
    """激励活动: the enterprise's incentive periods, newest first; create one (D02's template by default)."""

    serializer_class = PeriodSerializer
    pagination_class = PageNumberPagination

    def create(self, request, eid):
        data = PeriodSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        period = incentives.period_create(workspace=self.workspace, **data.validated_data)
        return Response(PeriodSerializer(self.get_queryset().get(pk=period.pk)).data, status=status.HTTP_201_CREATED)


class PeriodDetailView(PeriodMixin, generics.RetrieveUpdateAPIView):
    """One period; name, dates and rules change only before it starts (409 `period_started`)."""

    serializer_class = PeriodSerializer
    http_method_names = ["get", "patch"]

    @refuses("period_started")
    def partial_update(self, request, eid, pk):
        period = self.get_object()
        data = PeriodSerializer(period, data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        incentives.period_update(workspace=self.workspace, period=period, **data.validated_data)
        return Response(PeriodSerializer(self.get_object()).data)


class LeaderboardView(PeriodMixin, generics.GenericAPIView):
    """The leaderboard: everyone with a counted note by total interactions, competition ranks, best note; live."""

    serializer_class = LeaderboardSerializer

    def get(self, request, eid, pk):
        period = self.get_object()
        rows = [_standing_row(standing) for standing in incentives.leaderboard(period)]
        return Response(LeaderboardSerializer({"status": period.status, "results": rows}).data)


class CloseView(PeriodMixin, generics.GenericAPIView):
    """Close a period from the day after its last day and compute its awards once; closing again changes nothing."""

    serializer_class = PeriodSerializer

    @extend_schema(request=None, responses=PeriodSerializer)
    @refuses("period_not_over")
    def post(self, request, eid, pk):
        period = incentives.period_close(actor=self.workspace.actor, period=self.get_object())
        return Response(PeriodSerializer(self.get_queryset().get(pk=period.pk)).data)


class AwardsView(PeriodMixin, generics.GenericAPIView):
    """The awards of a closed period (none while open), by kind and rank."""

    serializer_class = AwardListSerializer

    def get(self, request, eid, pk):
        rows = incentive_reads.award_rows(self.get_object())
        return Response(AwardListSerializer({"results": rows}).data)


class AwardsExportView(AwardsView):
    def perform_content_negotiation(self, request, force=False):
        return JSONRenderer(), JSONRenderer.media_type  # `?format=csv|xlsx` names the file type, not a renderer

    @extend_schema(
        parameters=[OpenApiParameter("format", str, enum=list(KINDS), required=True)],
        responses={(200, "text/csv"): bytes, (200, XLSX_TYPE): bytes},
    )
    def get(self, request, eid, pk):
        """The awards as CSV or XLSX, streamed."""
        return incentive_reads.awards_export(kind_of(request), self.get_object())


class MyIncentivesView(generics.GenericAPIView):
    """The open and closed periods of the enterprises the user's account was bound to while they ran, with the
    user's rank, the gap to the next place and their awards."""

    permission_classes = [IsAuthenticated]
    serializer_class = MyPeriodSerializer
    pagination_class = PageNumberPagination
    queryset = IncentiveAward.objects.none()  # for the schema

    @extend_schema(responses={200: MyPeriodSerializer(many=True), 404: ErrorSerializer})
    def get(self, request):
        account = getattr(request.user, "red_account", None)
        if account is None:
            raise Http404
        page = self.paginate_queryset(incentive_reads.periods_of_account(account))
        rows = incentive_reads.my_rows(account, page)
        return self.get_paginated_response(MyPeriodSerializer(rows, many=True).data)
