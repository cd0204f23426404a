"""高级权益 (brand, C03), mounted by campaigns/urls.py under /w/<int:eid>/: the state at this instant (unlocked or
locked, and since when), the window's spend against the threshold, the spend by day in the window, what drops out
of it on which day, the forecast (the day the rights lock with no more spend, and what keeps them), the features
they unlock, and the form that configures those features. Settings are kept while locked and served only while
unlocked. The form is checked by the API's own serializer, so the page and `PATCH advanced-features/` refuse the
same input; it saves through `services.advanced_features_update`. Analysts read; "operate" changes."""

from datetime import timedelta

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from kos_platform.errors import RuleViolation
from kos_platform.pages import WorkspacePageMixin

from .. import rights, services
from ..api.serializers import LEAD_FIELDS, AdvancedFeaturesSerializer
from ..models import AdvancedFeatures
from ..models.account import ZERO
from ..templatetags.ads import yuan

MAX_AUTO_REPLIES = AdvancedFeaturesSerializer().fields["auto_replies"].max_length
MENU_ROWS = AdvancedFeaturesSerializer().fields["quick_menu"].max_length
MIN_AUTO_REPLY_ROWS = 3

FEATURES = {
    "dm_welcome_message": (
        gettext_lazy("DM welcome message"),
        gettext_lazy("Greets everyone who opens a direct message with an employee account."),
    ),
    "dm_auto_reply": (
        gettext_lazy("DM auto-reply"),
        gettext_lazy("Answers at once when a message contains one of your keywords."),
    ),
    "dm_quick_menu": (
        gettext_lazy("DM quick menu"),
        gettext_lazy("Up to six buttons under the message box, each with its reply."),
    ),
    "dial_card": (
        gettext_lazy("One-click dial card"),
        gettext_lazy("A button in notes and messages that calls your phone number."),
    ),
    "lead_card": (
        gettext_lazy("Lead card"),
        gettext_lazy("A short form in notes and messages that collects a customer's details."),
    ),
}
LEAD_FIELD_LABELS = {
    "name": gettext_lazy("Customer name"),
    "phone": gettext_lazy("Phone number"),
    "city": gettext_lazy("City"),
    "wechat": gettext_lazy("WeChat ID"),
    "note": gettext_lazy("Message"),
}
TEXT_FIELDS = ("welcome_message", "dial_phone", "dial_label", "lead_card_title")


def entered_from(features: AdvancedFeatures) -> dict:
    """What the form shows for the stored features."""
    return {
        **{name: getattr(features, name) for name in TEXT_FIELDS},
        "auto_replies": [dict(rule) for rule in features.auto_replies],
        "quick_menu": [dict(item) for item in features.quick_menu],
        "lead_card_fields": list(features.lead_card_fields),
    }


def _pairs(post, first: str, second: str, keys: tuple[str, str]) -> list[dict]:
    """The rows of two parallel lists; a row left empty on both sides is no row."""
    rows = zip(post.getlist(first), post.getlist(second), strict=False)
    return [{keys[0]: a.strip(), keys[1]: b.strip()} for a, b in rows if a.strip() or b.strip()]


def entered_from_post(post) -> dict:
    """What was posted, in the API's shape (`PATCH advanced-features/`)."""
    return {
        **{name: post.get(name, "").strip() for name in TEXT_FIELDS},
        "auto_replies": _pairs(post, "rule_keyword", "rule_reply", ("keyword", "reply")),
        "quick_menu": _pairs(post, "menu_label", "menu_reply", ("label", "reply")),
        "lead_card_fields": post.getlist("lead_card_fields"),
    }


def _texts(detail) -> list[str]:
    if isinstance(detail, dict):
        return [text for inner in detail.values() for text in _texts(inner)]
    if isinstance(detail, list):
        return [text for item in detail for text in _texts(item)]
    return [str(detail)]


def form_errors(errors: dict) -> dict:
    """The serializer's errors as the template shows them: `fields` (name → messages) and, for the two lists,
    `rows` (name → {row index → {column → messages}})."""
    fields: dict[str, list[str]] = {}
    rows: dict[str, dict[int, dict]] = {}
    for name, detail in errors.items():
        if name == "dial_phone" and any(getattr(e, "code", "") == "invalid" for e in detail):
            fields[name] = [_("Enter a phone number of digits (a leading + and dashes allowed), e.g. 400-820-1234.")]
        elif name in ("auto_replies", "quick_menu") and isinstance(detail, dict):
            for key, inner in detail.items():
                if isinstance(key, int):
                    rows.setdefault(name, {})[key] = {column: _texts(m) for column, m in inner.items()}
                else:
                    fields.setdefault(name, []).extend(_texts(inner))
        else:
            fields[name] = _texts(detail)
    return {"fields": fields, "rows": rows}


def _row_list(values: list[dict], errors: dict[int, dict], keys: tuple[str, str], count: int) -> list[dict]:
    filled = [{"values": row, "errors": errors.get(index, {})} for index, row in enumerate(values)]
    blank = {"values": dict.fromkeys(keys, ""), "errors": {}}
    return filled + [blank] * max(0, count - len(filled))


def forecast(state: rights.RightsState) -> str:
    """The sentence under the progress bar: when the rights lock, and what keeps them; or what unlocks them."""
    if state.unlocked and state.locks_on is None:
        return _("The threshold is %(threshold)s: the rights never lock.") % {"threshold": yuan(state.threshold)}
    if state.unlocked:
        return _("Locks on %(day)s unless %(amount)s more is spent by then.") % {
            "day": state.locks_on.isoformat(),
            "amount": yuan(state.needed_to_keep),
        }
    return _("%(amount)s more ad spend within the last %(days)s days unlocks them at once.") % {
        "amount": yuan(state.needed_to_unlock),
        "days": state.window_days,
    }


def drop_rows(state: rights.RightsState) -> list[dict]:
    """Each day of the window with spend: the day it leaves the window and what the window holds then, with no new
    spend; the first row below the threshold is the day the rights lock."""
    left = state.spend
    rows, crossed = [], not state.unlocked
    for leaves_on, amount in state.drops_out():
        left -= amount
        locks = not crossed and left < state.threshold
        crossed = crossed or locks
        rows.append(
            {
                "spent_on": leaves_on - timedelta(days=state.window_days),
                "amount": amount,
                "leaves_on": leaves_on,
                "left": left,
                "locks": locks,
            }
        )
    return rows


def chart_data(state: rights.RightsState) -> dict:
    running, total = [], ZERO
    for amount in state.days.values():
        total += amount
        running.append(f"{total:.2f}")
    return {
        "dates": [day.isoformat() for day in state.days],
        "spend": [f"{amount:.2f}" for amount in state.days.values()],
        "running": running,
        "threshold": f"{state.threshold:.2f}",
    }


class AdvancedRightsPage(WorkspacePageMixin, TemplateView):
    template_name = "campaigns/brand/advanced_rights.html"

    def get(self, request, *args, **kwargs):
        stored = AdvancedFeatures.objects.filter(enterprise=self.workspace.enterprise).first()
        features = stored or AdvancedFeatures(enterprise=self.workspace.enterprise)
        return self.render_page(entered_from(features), {"fields": {}, "rows": {}})

    def post(self, request, *args, **kwargs):
        self.require("operate")
        entered = entered_from_post(request.POST)
        serializer = AdvancedFeaturesSerializer(data=entered)
        if not serializer.is_valid():
            messages.error(request, _("The features were not saved: correct the fields marked below."))
            return self.render_page(entered, form_errors(serializer.errors), status=400)
        try:
            services.advanced_features_update(workspace=self.workspace, **serializer.validated_data)
        except RuleViolation as violation:
            messages.error(request, violation.message)
            return self.render_page(entered, {"fields": {}, "rows": {}}, status=409)
        if rights.is_unlocked(self.workspace.enterprise):
            messages.success(request, _("The features are saved and served to your customers now."))
        else:
            messages.success(
                request, _("The features are saved; they are served once the advanced rights unlock again.")
            )
        return redirect("advanced-rights", eid=self.workspace.enterprise.pk)

    def render_page(self, entered: dict, errors: dict, status: int = 200):
        enterprise = self.workspace.enterprise
        state = rights.rights_of(enterprise)
        updated_at = AdvancedFeatures.objects.filter(enterprise=enterprise).values_list("updated_at", flat=True)
        threshold = state.threshold
        percent = 100 if threshold <= 0 else min(100, int(state.spend * 100 / threshold))
        rule_errors, menu_errors = errors["rows"].get("auto_replies", {}), errors["rows"].get("quick_menu", {})
        rule_rows = min(MAX_AUTO_REPLIES, max(MIN_AUTO_REPLY_ROWS, len(entered["auto_replies"]) + 1))
        context = self.get_context_data(
            state=state,
            percent=percent,
            forecast=forecast(state),
            drops=drop_rows(state),
            chart=chart_data(state),
            has_spend=any(state.days.values()),
            window_start=min(state.days),
            window_end=max(state.days),
            features=[
                {"code": code, "label": label, "description": text, "served": state.unlocked}
                for code, (label, text) in FEATURES.items()
            ],
            can_operate=self.workspace.can("operate"),
            entered=entered,
            errors=errors["fields"],
            rule_rows=_row_list(entered["auto_replies"], rule_errors, ("keyword", "reply"), rule_rows),
            menu_rows=_row_list(entered["quick_menu"], menu_errors, ("label", "reply"), MENU_ROWS),
            max_auto_replies=MAX_AUTO_REPLIES,
            lead_fields=[(code, LEAD_FIELD_LABELS[code]) for code in LEAD_FIELDS],
            lead_field_labels=[str(LEAD_FIELD_LABELS.get(c, c)) for c in entered["lead_card_fields"]],
            configured_at=updated_at.first(),
        )
        return self.render_to_response(context, status=status)


brand_urlpatterns = [
    path("ads/advanced-rights/", AdvancedRightsPage.as_view(), name="advanced-rights"),
]
