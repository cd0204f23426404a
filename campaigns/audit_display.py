"""How ads and commerce records read in the audit log (see accounts.audit_display)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.audit_display import EMPTY, SEPARATOR, change_text, labels_of, names_of, register
from notes.audit_display import synced_rows

from .choices import Component
from .models import Campaign, CampaignUnit, CommissionSettlement


def _no_name(event) -> str:
    """One per enterprise (or the platform's one row): the kind says it all."""
    return ""


def _campaign_url(event) -> str:
    if not event.enterprise_id:
        return ""
    return reverse("campaign-detail", kwargs={"eid": event.enterprise_id, "campaign_id": event.object_id})


def _targeting(value) -> str:
    """Only what is narrowed, e.g. 地域：上海、浙江；性别：女."""
    from .views.campaign_detail import targeting_in_words

    if not isinstance(value, dict):
        return EMPTY
    keys = ("regions", "age_bands", "gender", "interests")  # the order of targeting_in_words' lines
    rows = zip(keys, targeting_in_words(value), strict=True)
    lines = [
        change_text({"field": what, "before": None, "after": whom}) for key, (what, whom) in rows if value.get(key)
    ]
    return str(SEPARATOR).join(lines) or str(_("Everyone"))


def _unit_name(campaign: str, unit: str) -> str:
    return f"{campaign} / {unit}"


def _lead_fields(value) -> str:
    from .views.rights import LEAD_FIELD_LABELS

    return labels_of(list(LEAD_FIELD_LABELS.items()))(value)


register(
    "campaigns.campaign",
    label=_("Campaign"),
    names=names_of(Campaign, "name"),
    link=_campaign_url,
)
register(
    "campaigns.campaignunit",
    label=_("Campaign unit"),
    names=names_of(CampaignUnit, "campaign__name", "name", format=_unit_name),
    formats={"components": labels_of(Component), "targeting": _targeting},
)
register("campaigns.adaccount", label=_("Ad account"), name_of=_no_name)
register(
    "campaigns.advancedrightsstate",
    label=_("Advanced rights"),
    name_of=_no_name,
    fields={"unlocked": _("Unlocked")},
)
register(
    "campaigns.advancedfeatures",
    label=_("Advanced features"),
    name_of=_no_name,
    formats={"lead_card_fields": _lead_fields},
)
register("campaigns.commissionsettings", label=_("Commission settings"), name_of=_no_name)
register(
    "campaigns.commissionsettlement",
    label=_("Commission month"),
    names=names_of(CommissionSettlement, "month"),
    fields={"month": _("Month")},
)
register("campaigns.platformsettings", label=_("Platform ad settings"), name_of=_no_name)
# The ad platform's and the shop's batches (no single object).
register("campaigns.adspenddaily", label=_("Ad spend"), name_of=synced_rows)
register("campaigns.product", label=_("Products"), name_of=synced_rows)
register("campaigns.order", label=_("Shop orders"), name_of=synced_rows)
