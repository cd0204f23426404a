"""The horse race's query (D03), read alike by the API and the page: the range (`from`/`to`, Asia/Shanghai, the last
30 days by default, at most 366 days), the metric and the two shares (0 to 0.5)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from campaigns.selectors import RangeForm

from .choices import RaceMetric
from .horse_race import DEFAULT_SHARE, MAX_SHARE

SHARE_MESSAGE = _("A share from 0 to 0.5, such as 0.2.")
SHARE_ERRORS = ("invalid", "min_value", "max_value", "max_digits", "max_decimal_places", "max_whole_digits")


def share_field(label) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=False,
        min_value=0,
        max_value=MAX_SHARE,
        max_digits=5,
        decimal_places=4,
        error_messages={key: SHARE_MESSAGE for key in SHARE_ERRORS},
    )


class RaceForm(RangeForm):
    metric = forms.ChoiceField(label=_("Metric"), choices=RaceMetric.choices, required=False)
    invest_share = share_field(_("Invest share"))
    replace_share = share_field(_("Replace share"))

    def clean(self):
        data = super().clean()
        data["metric"] = data.get("metric") or RaceMetric.ENGAGEMENT.value
        for name in ("invest_share", "replace_share"):
            if data.get(name) is None and name not in self.errors:
                data[name] = DEFAULT_SHARE
        return data

    def ranking_args(self) -> dict:
        data = self.cleaned_data
        return {
            "start": data["from"],
            "end": data["to"],
            "metric": data["metric"],
            "invest_share": data["invest_share"],
            "replace_share": data["replace_share"],
        }
