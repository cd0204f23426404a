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
from notes.selectors import find_notes, unknown_notes_message

from .. import delivery, exports, ledger, rights, selectors, services, spend
from ..choices import Goal, LedgerKind
from ..guidance import GUIDES
from ..models import AdvancedFeatures, Campaign, LedgerLine
from ..services import FEATURE_FIELDS
from . import serializers as s

RANGE = [OpenApiParameter("from", str, description="YYYY-MM-DD"), OpenApiParameter("to", str, description="YYYY-MM-DD")]
LEDGER_FILTERS = [*RANGE, OpenApiParameter("kind", str, enum=LedgerKind.values)]


class AdAccountView(WorkspaceAPIMixin, generics.GenericAPIView):
    """E05: the ad account — the industry's first-recharge minimum, whether it was met, the balance."""

    model = LedgerLine
    serializer_class = s.AdAccountSerializer

    def scope_queryset(self, workspace):
        return LedgerLine.objects.filter(account_id=workspace.enterprise.pk)

    def get(self, request, eid):
        return Response(s.AdAccountSerializer(ledger.account_facts(self.workspace.enterprise)).data)


class RechargeView(WorkspaceAPIMixin, generics.GenericAPIView):
    """充值 (E05): a first recharge below the industry minimum is refused; later ones may be any positive amount."""

    model = LedgerLine
    serializer_class = s.RechargeRequestSerializer

    def scope_queryset(self, workspace):
        return LedgerLine.objects.filter(account_id=workspace.enterprise.pk)

    @extend_schema(request=s.RechargeRequestSerializer, responses={201: s.RechargeSerializer})
    @refuses("recharge_below_minimum")
    def post(self, request, eid):
        data = s.RechargeRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        line = ledger.recharge(workspace=self.workspace, amount=data.validated_data["amount"])
        return Response(s.RechargeSerializer(line).data, status=status.HTTP_201_CREATED)


@extend_schema(parameters=LEDGER_FILTERS)
class LedgerView(WorkspaceAPIMixin, generics.ListAPIView):
    """The account's ledger, newest first: every recharge, boost and day of spend with the balance after it."""

    model = LedgerLine
    serializer_class = s.LedgerLineSerializer
    pagination_class = PageNumberPagination

    def scope_queryset(self, workspace):
        form = query_form(self.request, selectors.LedgerFilterForm)
        return selectors.ledger_lines(workspace.enterprise, form.cleaned_data)


class LedgerExportView(LedgerView):
    """The filtered ledger as CSV or XLSX, streamed."""

    def perform_content_negotiation(self, request, force=False):
        return JSONRenderer(), JSONRenderer.media_type  # `?format=csv|xlsx` names the file type, not a renderer

    @extend_schema(
        parameters=[*LEDGER_FILTERS, OpenApiParameter("format", str, enum=list(exports.KINDS), required=True)],
        responses={(200, "text/csv"): bytes, (200, exports.XLSX_TYPE): bytes},
    )
    def get(self, request, eid):
        kind = exports.kind_of(request)
        return exports.ledger_export(kind, self.get_queryset(), self.workspace.enterprise)


def _campaign_context(view, campaigns) -> dict:
    facts = delivery.facts_for(view.workspace.enterprise, campaigns)
    return {
        **view.get_serializer_context(),
        "facts": facts,
        "delivery": lambda campaign: delivery.delivery_of(campaign, facts[campaign.pk]),
    }


@extend_schema(
    parameters=[
        OpenApiParameter("status", str, enum=["draft", "active", "paused", "ended"]),
        OpenApiParameter("q", str, description="name contains"),
    ]
)
class CampaignViewSet(
    WorkspaceAPIMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """推广计划 (C01): what the user set, with the delivery status derived now and its reason."""

    serializer_class = s.CampaignSerializer
    pagination_class = PageNumberPagination
    http_method_names = ["get", "post", "patch"]
    workspace_related = ("ad_account",)

    def scope_queryset(self, workspace):
        filters = query_form(self.request, selectors.CampaignFilterForm).cleaned_data if self.action == "list" else {}
        return selectors.campaigns_for(workspace.enterprise, filters)

    def get_object(self):
        return get_object_or_404(selectors.campaigns_for(self.workspace.enterprise), pk=self.kwargs["pk"])

    def _render(self, campaigns, **kwargs):
        return s.CampaignSerializer(campaigns, context=_campaign_context(self, campaigns), **kwargs).data

    def _one(self, campaign, code=status.HTTP_200_OK):
        campaign = (
            self.get_object()
            if campaign is None
            else selectors.campaigns_for(self.workspace.enterprise).get(pk=campaign.pk)
        )
        return Response(self._render([campaign], many=True)[0], status=code)

    def list(self, request, eid):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(self._render(page, many=True))

    def retrieve(self, request, eid, pk):
        return self._one(None)

    def create(self, request, eid):
        data = s.CampaignSerializer(data=request.data, context={"facts": {}})
        data.is_valid(raise_exception=True)
        campaign = services.campaign_create(workspace=self.workspace, **data.validated_data)
        return self._one(campaign, status.HTTP_201_CREATED)

    @refuses("campaign_not_startable")
    def partial_update(self, request, eid, pk):
        campaign = self.get_object()
        data = s.CampaignSerializer(campaign, data=request.data, partial=True, context={"facts": {}})
        data.is_valid(raise_exception=True)
        return self._one(services.campaign_update(workspace=self.workspace, campaign=campaign, **data.validated_data))

    @extend_schema(request=None, responses=s.CampaignSerializer)
    @action(detail=True, methods=["post"])
    @refuses("campaign_not_startable", "recharge_below_minimum", "insufficient_balance")
    def start(self, request, eid, pk):
        """draft or paused → active: after the first recharge, with money left, with at least one unit."""
        return self._one(services.campaign_start(workspace=self.workspace, campaign=self.get_object()))

    @extend_schema(request=None, responses=s.CampaignSerializer)
    @action(detail=True, methods=["post"])
    @refuses("campaign_not_startable")
    def pause(self, request, eid, pk):
        return self._one(services.campaign_pause(workspace=self.workspace, campaign=self.get_object()))

    @extend_schema(request=None, responses=s.CampaignSerializer)
    @action(detail=True, methods=["post"])
    @refuses("campaign_not_startable")
    def end(self, request, eid, pk):
        """→ ended, for good."""
        return self._one(services.campaign_end(workspace=self.workspace, campaign=self.get_object()))

    @extend_schema(
        parameters=[*RANGE, OpenApiParameter("unit_id", int), OpenApiParameter("note_id", str)],
        responses=s.StatsSerializer,
    )
    @action(detail=True, methods=["get"], pagination_class=None)
    def stats(self, request, eid, pk):
        """Spend, impressions, clicks and component clicks of the campaign's units (C02): in all, by day, by unit
        and by note; `unit_id` or `note_id` narrows them."""
        form = query_form(request, selectors.StatsForm)
        return Response(s.StatsSerializer(selectors.campaign_stats(self.get_object(), form.cleaned_data)).data)

    @extend_schema(request=s.CampaignPlanSerializer, responses={201: s.CampaignSerializer(many=True)})
    @action(detail=False, methods=["post"])
    def plan(self, request, eid):
        """C04 in one step: a feed and a search campaign sharing the daily budget as the goal advises."""
        data = s.CampaignPlanSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        campaigns = services.campaign_plan_create(workspace=self.workspace, **data.validated_data)
        fresh = list(selectors.campaigns_for(self.workspace.enterprise).filter(pk__in=[c.pk for c in campaigns]))
        return Response(self._render(sorted(fresh, key=lambda c: c.pk), many=True), status=status.HTTP_201_CREATED)


class UnitViewSet(WorkspaceAPIMixin, viewsets.ModelViewSet):
    """推广单元 (C01, C02): pushed notes, keywords with their types, negative keywords, components, targeting, bid."""

    serializer_class = s.UnitSerializer
    pagination_class = PageNumberPagination
    http_method_names = ["get", "post", "patch", "delete"]

    def scope_queryset(self, workspace):
        return selectors.units_for(self.campaign)

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self.campaign = get_object_or_404(
            Campaign.objects.filter(enterprise=self.workspace.enterprise), pk=kwargs["campaign_id"]
        )

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "campaign": getattr(self, "campaign", None)}

    def _notes(self, note_ids):
        if note_ids is None:
            return None
        found, unknown = find_notes(self.workspace.enterprise, note_ids)
        if unknown:
            raise ValidationError({"note_ids": [unknown_notes_message(unknown)]})
        return [found[note_id] for note_id in note_ids]

    def _fields(self, data) -> dict:
        fields = dict(data.validated_data)
        fields["notes"] = self._notes(fields.pop("note_ids", None))
        return fields

    def _answer(self, unit, code=status.HTTP_200_OK):
        return Response(s.UnitSerializer(selectors.units_for(self.campaign).get(pk=unit.pk)).data, status=code)

    @refuses("note_not_pushed", "advanced_rights_locked", "campaign_not_startable")
    def create(self, request, eid, campaign_id):
        data = self.get_serializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = self._fields(data)
        fields.setdefault("keywords", [])
        unit = services.unit_create(workspace=self.workspace, campaign=self.campaign, **fields)
        return self._answer(unit, status.HTTP_201_CREATED)

    @refuses("note_not_pushed", "advanced_rights_locked", "campaign_not_startable")
    def partial_update(self, request, eid, campaign_id, pk):
        unit = self.get_object()
        data = self.get_serializer(unit, data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        return self._answer(services.unit_update(workspace=self.workspace, unit=unit, **self._fields(data)))

    @refuses("unit_has_spend", "campaign_not_startable")
    def destroy(self, request, eid, campaign_id, pk):
        services.unit_delete(workspace=self.workspace, unit=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


class BudgetGuidanceView(WorkspaceAPIMixin, generics.GenericAPIView):
    """C04: the goal's feed / search split of a budget, with the deck's content advice, audiences and keyword types."""

    model = Campaign
    serializer_class = s.BudgetGuidanceSerializer

    def scope_queryset(self, workspace):
        return Campaign.objects.filter(enterprise=workspace.enterprise)

    @extend_schema(
        parameters=[OpenApiParameter("goal", str, enum=Goal.values, required=True), OpenApiParameter("budget", str)]
    )
    def get(self, request, eid):
        form = query_form(request, selectors.GuidanceForm)
        goal, budget = form.cleaned_data["goal"], form.cleaned_data["budget"]
        guide, split = GUIDES[goal], services.budget_split(goal, budget)
        body = {
            "goal": goal,
            "budget": budget,
            "feed": split.feed,
            "search": split.search,
            "feed_share": guide.feed_share,
            "content_advice": str(guide.content_advice),
            "audiences": str(guide.audiences),
            "keyword_types": list(guide.keyword_types),
        }
        return Response(s.BudgetGuidanceSerializer(body).data)


class AdvancedRightsView(WorkspaceAPIMixin, generics.GenericAPIView):
    """C03 at this instant: the window's spend against the threshold, the lock forecast (`locks_on`,
    `needed_to_keep`), and what is still missing while locked (`needed_to_unlock`)."""

    model = AdvancedFeatures
    serializer_class = s.AdvancedRightsSerializer

    def scope_queryset(self, workspace):
        return AdvancedFeatures.objects.filter(enterprise=workspace.enterprise)

    def get(self, request, eid):
        state = rights.rights_of(self.workspace.enterprise)
        body = {name: getattr(state, name) for name in s.AdvancedRightsSerializer().fields}
        return Response(s.AdvancedRightsSerializer(body).data)


class AdvancedFeaturesView(WorkspaceAPIMixin, generics.GenericAPIView):
    """C03's features as configured (DM welcome message, auto-reply rules, quick menu, dial card, lead card);
    configurable at any time, served only while the rights are unlocked (`served`)."""

    model = AdvancedFeatures
    serializer_class = s.AdvancedFeaturesSerializer

    def scope_queryset(self, workspace):
        return AdvancedFeatures.objects.filter(enterprise=workspace.enterprise)

    def _answer(self, features):
        body = {name: getattr(features, name) for name in FEATURE_FIELDS}
        body["served"] = rights.is_unlocked(self.workspace.enterprise)
        return Response(s.AdvancedFeaturesSerializer(body).data)

    def get(self, request, eid):
        return self._answer(self.get_queryset().first() or AdvancedFeatures(enterprise=self.workspace.enterprise))

    def patch(self, request, eid):
        data = s.AdvancedFeaturesSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        return self._answer(services.advanced_features_update(workspace=self.workspace, **data.validated_data))


# Platform ----------------------------------------------------------------------------------------------------


class SpendIngestView(APIView):
    """Bulk upsert of daily ad spend by (enterprise, note, date), up to 10,000 rows; the whole batch or nothing.
    The ledger takes each day's change; an enterprise left without balance has its active campaigns paused."""

    permission_classes = [IsPlatformStaff]
    parser_classes = [GuardedJSONParser]

    @extend_schema(request=s.SpendRowSerializer(many=True), responses=s.SpendIngestResultSerializer)
    def post(self, request):
        return Response(spend.upsert_spend(actor=Actor(user=request.user), rows=request.data))


class PlatformSettingsView(APIView):
    """The platform's ad settings: C03's threshold and window, E05's four first-recharge minimums."""

    permission_classes = [IsPlatformStaff]
    serializer_class = s.PlatformSettingsSerializer

    def get(self, request):
        return Response(s.PlatformSettingsSerializer(ledger.platform_settings()).data)

    @extend_schema(request=s.PlatformSettingsSerializer, responses=s.PlatformSettingsSerializer)
    def patch(self, request):
        data = s.PlatformSettingsSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        settings = services.platform_settings_update(actor=Actor(user=request.user), **data.validated_data)
        return Response(s.PlatformSettingsSerializer(settings).data)
