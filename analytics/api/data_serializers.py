"""The data centre's answers (D01): figures of a range beside the range before, by day, by employee, by note. Money
is a decimal string with two places; rates are fractions with four."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from bindings.choices import Position
from notes.choices import NoteType


def money(**options) -> serializers.DecimalField:
    return serializers.DecimalField(max_digits=16, decimal_places=2, **options)


def rate(**options) -> serializers.DecimalField:
    return serializers.DecimalField(max_digits=9, decimal_places=4, allow_null=True, **options)


class FiguresSerializer(serializers.Serializer):
    exposure = serializers.IntegerField()
    reads = serializers.IntegerField()
    engagement = serializers.IntegerField(help_text=_("Likes + collects + comments."))
    leads = serializers.IntegerField()
    spend = money(help_text=_("Ad spend the enterprise paid."))
    orders = serializers.IntegerField(help_text=_("Paid orders, less refunds."))
    gmv = money()
    commission = money()


class RangeFiguresSerializer(FiguresSerializer):
    """`from`, `to`, `accounts`, `notes`, then the figures."""

    to = serializers.DateField()
    accounts = serializers.IntegerField(help_text=_("KOS accounts bound at any time in the range."))
    notes = serializers.IntegerField(help_text=_("Notes published in the range."))

    def get_fields(self):
        fields = super().get_fields()  # `from` is a Python keyword: it cannot be declared as an attribute
        first = {"from": serializers.DateField(), **{name: fields.pop(name) for name in ("to", "accounts", "notes")}}
        return first | fields


class AnalyticsSummarySerializer(RangeFiguresSerializer):
    previous = RangeFiguresSerializer(help_text=_("The same figures for the equally long range just before."))
    data_as_of = serializers.DateField(allow_null=True, help_text=_("The last day whose figures are complete."))


class DayFiguresSerializer(FiguresSerializer):
    date = serializers.DateField()

    def get_fields(self):
        fields = super().get_fields()
        return {"date": fields.pop("date"), **fields}


class AnalyticsTimeseriesSerializer(serializers.Serializer):
    to = serializers.DateField()
    data_as_of = serializers.DateField(allow_null=True, help_text=_("The last day whose figures are complete."))
    days = DayFiguresSerializer(many=True, help_text=_("One entry per day of the range, zeros included."))

    def get_fields(self):
        return {"from": serializers.DateField(), **super().get_fields()}


class EmployeeFiguresSerializer(serializers.Serializer):
    red_id = serializers.CharField()
    nickname = serializers.CharField()
    holder_name = serializers.CharField(help_text=_("From the account's latest binding with the enterprise."))
    position = serializers.ChoiceField(choices=Position.choices, allow_blank=True)
    region = serializers.CharField()
    notes = serializers.IntegerField(help_text=_("Notes published in the range."))
    exposure = serializers.IntegerField()
    reads = serializers.IntegerField()
    engagement = serializers.IntegerField()
    leads = serializers.IntegerField()
    spend = money()
    orders = serializers.IntegerField()
    gmv = money()
    commission = money()


class NoteFiguresSerializer(serializers.Serializer):
    note_id = serializers.CharField()
    title = serializers.CharField()
    type = serializers.ChoiceField(choices=NoteType.choices)
    red_id = serializers.CharField()
    published_at = serializers.DateTimeField()
    exposure = serializers.IntegerField()
    reads = serializers.IntegerField()
    engagement = serializers.IntegerField()
    leads = serializers.IntegerField()
    read_uv = serializers.IntegerField()
    play_5s_rate = rate(help_text=_("Video notes: Σ(rate × reads) / Σ reads of the days that reported it."))
    read_3s_rate = rate(help_text=_("Image notes: Σ(rate × reads) / Σ reads of the days that reported it."))
    avg_view_seconds = serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True)
    spend = money()
