"""How analytics records read in the audit log (see accounts.audit_display)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.audit_display import EMPTY, SEPARATOR, names_of, register

from .models import IncentivePeriod


def _period_url(event) -> str:
    if not event.enterprise_id:
        return ""
    return reverse("analytics-incentive-period", kwargs={"eid": event.enterprise_id, "period_id": event.object_id})


def _rules(value) -> str:
    from .incentives import clean_rules, rules_in_words

    rules, problems = clean_rules(value)
    return str(SEPARATOR).join(rules_in_words(rules)) if not problems else EMPTY


register(
    "analytics.incentiveperiod",
    label=_("Incentive period"),
    names=names_of(IncentivePeriod, "name"),
    link=_period_url,
    formats={"rules": _rules},
    fields={"awards": _("Awards"), "winners": _("People awarded"), "amount": _("Prize money")},
    money={"amount"},
    choices={"status": [("open", _("Running")), ("closed", _("Closed"))]},
)
