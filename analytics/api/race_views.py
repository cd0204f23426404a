"""The horse race's endpoints (D03): the ranking with its tiers, the kept months' 汰换 history, and a campaign draft
from the invest tier. Analysts read; drafting a campaign needs "operate", as campaigns do."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import generics, serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from kos_platform.pagination import query_form
from kos_platform.tenancy import WorkspaceAPIMixin

from .. import horse_race
from ..choices import RaceMetric, Tier
from ..models import AccountDay, HorseRaceMonth
from ..race_forms import RaceForm

UNKNOWN_ACCOUNTS = _("These accounts were never bound to this enterprise: %(red_ids)s.")
NOTHING_PUSHED = _("None of these accounts has a note this enterprise pushed to ads; nothing was created.")


@extend_schema_field(OpenApiTypes.STR, component_name=None)
class MetricValueField(serializers.Field):
    """A count as a whole number; GMV as a decimal string in yuan with two places."""

    def to_representation(self, value):
        return value if isinstance(value, int) else f"{value:.2f}"


class RaceRowSerializer(serializers.Serializer):
    rank = serializers.IntegerField()
    red_id = serializers.CharField()
    nickname = serializers.CharField()
    holder_name = serializers.CharField()
    value = MetricValueField(help_text='a whole number; for gmv a decimal string such as "1234.50"')
    tier = serializers.ChoiceField(choices=Tier.choices)
    test_phase = serializers.BooleanField(help_text="fewer than 10 notes in all (N07)")
    notes = serializers.IntegerField(help_text="the account's notes in all")


class RaceSerializer(serializers.Serializer):
    """`from` and `to` are the range shown (both included), defaults filled in."""

    metric = serializers.ChoiceField(choices=RaceMetric.choices)
    invest_share = serializers.DecimalField(max_digits=5, decimal_places=4)
    replace_share = serializers.DecimalField(max_digits=5, decimal_places=4)
    results = RaceRowSerializer(many=True)

    def get_fields(self):
        return {"from": serializers.DateField(), "to": serializers.DateField(), **super().get_fields()}


class RaceAccountSerializer(serializers.Serializer):
    red_id = serializers.CharField()
    nickname = serializers.CharField()


class RaceMonthSerializer(serializers.Serializer):
    month = serializers.CharField()
    invest = RaceAccountSerializer(many=True)
    replace = RaceAccountSerializer(many=True)
    entered = RaceAccountSerializer(many=True, help_text="entered the invest tier against the month before")
    left = RaceAccountSerializer(many=True, help_text="left the invest tier against the month before")


class RaceHistorySerializer(serializers.Serializer):
    results = RaceMonthSerializer(many=True)


class DraftRequestSerializer(serializers.Serializer):
    red_ids = serializers.ListField(child=serializers.CharField(max_length=32), min_length=1, max_length=100)


class DraftSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="the new campaign draft")
    name = serializers.CharField()
    status = serializers.CharField()
    units = serializers.IntegerField()
    skipped = serializers.ListField(child=serializers.CharField(), help_text="RED IDs without a pushed note")


RACE_PARAMETERS = [
    OpenApiParameter("from", str, description="YYYY-MM-DD, Asia/Shanghai; 30 days before `to` by default"),
    OpenApiParameter("to", str, description="YYYY-MM-DD, inclusive; today by default; at most 366 days"),
    OpenApiParameter("metric", str, enum=RaceMetric.values),
    OpenApiParameter("invest_share", float, description="0 to 0.5, default 0.2"),
    OpenApiParameter("replace_share", float, description="0 to 0.5, default 0.2"),
]


class RaceView(WorkspaceAPIMixin, generics.GenericAPIView):
    """赛马 (D03): every account bound in the range ranked by the metric (1, 2, 2, 4), with its tier — `invest` (the
    top share and ties with its edge), `replace` (the bottom share and ties), else `keep` — and the test-phase mark."""

    model = AccountDay
    serializer_class = RaceSerializer
    pagination_class = None

    def scope_queryset(self, workspace):
        return AccountDay.objects.filter(enterprise=workspace.enterprise)

    @extend_schema(parameters=RACE_PARAMETERS)
    def get(self, request, eid):
        form = query_form(request, RaceForm)
        rows = horse_race.ranking(self.workspace.enterprise, **form.ranking_args())
        data = form.cleaned_data
        body = RaceSerializer(
            {
                "from": data["from"],
                "to": data["to"],
                "metric": data["metric"],
                "invest_share": data["invest_share"],
                "replace_share": data["replace_share"],
                "results": rows,
            }
        ).data
        return Response(body)


class RaceHistoryView(WorkspaceAPIMixin, generics.GenericAPIView):
    """The 汰换 history: each kept month's invest and replace tiers, newest first, with who entered or left the invest
    tier against the month before (kept on the 1st of each month for the month before, engagement, 20 % / 20 %)."""

    model = HorseRaceMonth
    serializer_class = RaceHistorySerializer
    pagination_class = None

    def scope_queryset(self, workspace):
        return HorseRaceMonth.objects.filter(enterprise=workspace.enterprise)

    def get(self, request, eid):
        return Response(RaceHistorySerializer({"results": horse_race.movements(self.workspace.enterprise)}).data)


class RaceDraftView(WorkspaceAPIMixin, generics.GenericAPIView):
    """One click from the invest tier: a campaign draft with one unit per account holding its best three notes pushed
    by this enterprise (by engagement); accounts without one are skipped and listed."""

    model = HorseRaceMonth
    serializer_class = DraftRequestSerializer

    def scope_queryset(self, workspace):
        return HorseRaceMonth.objects.none()

    @extend_schema(request=DraftRequestSerializer, responses={201: DraftSerializer})
    def post(self, request, eid):
        data = DraftRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        red_ids = list(dict.fromkeys(data.validated_data["red_ids"]))
        draft = create_draft(self.workspace, red_ids)
        campaign = draft.campaign
        body = {
            "id": campaign.pk,
            "name": campaign.name,
            "status": campaign.status,
            "units": campaign.units.count(),
            "skipped": draft.skipped,
        }
        return Response(DraftSerializer(body).data, status=status.HTTP_201_CREATED)


def create_draft(workspace, red_ids: list[str]) -> horse_race.Draft:
    """The draft, or a 400 naming `red_ids` (unknown accounts, or none with a pushed note) with nothing stored."""
    unknown = horse_race.unknown_accounts(workspace.enterprise, red_ids)
    if unknown:
        raise ValidationError({"red_ids": [UNKNOWN_ACCOUNTS % {"red_ids": ", ".join(unknown)}]})
    draft = horse_race.draft_campaign(workspace, red_ids)
    if draft.campaign is None:
        raise ValidationError({"red_ids": [NOTHING_PUSHED]})
    return draft
