"""广告设置 (platform staff), mounted by campaigns/urls.py under /platform/: the advanced-rights threshold and window
(C03) and the four first-recharge minimums by industry (E05). Checked by the API's own serializer (the same input
is refused as by `PATCH /api/v1/platform/settings/`), saved through `services.platform_settings_update` (audited),
applied at once. Staff only: anyone else logged in gets 403."""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import path
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from accounts.choices import Industry
from accounts.models import AuditEvent
from bindings.views.platform import StaffRequiredMixin
from kos_platform.errors import RuleViolation
from kos_platform.tenancy import Actor
from notes.choices import ReviewStatus
from notes.models import NoteReview

from .. import ledger, services
from ..api.serializers import PlatformSettingsSerializer
from ..models import PlatformSettings

RECENT_CHANGES = 10


def field_labels() -> dict[str, str]:
    """Each setting in words, in the language of the request."""
    return {
        "advanced_rights_threshold": _("Advanced-rights threshold"),
        "advanced_rights_window_days": _("Advanced-rights window (days)"),
        **{
            f"minimum_{value}": _("First recharge minimum: %(industry)s") % {"industry": label}
            for value, label in Industry.choices
        },
    }


def entered_from(settings: PlatformSettings) -> dict:
    return {name: str(getattr(settings, name)) for name in services.SETTINGS_FIELDS}


def entered_from_post(post) -> dict:
    return {name: post.get(name, "").strip() for name in services.SETTINGS_FIELDS}


def api_shape(entered: dict) -> dict:
    """The posted fields in the shape of `PATCH /api/v1/platform/settings/`."""
    return {
        "advanced_rights_threshold": entered["advanced_rights_threshold"],
        "advanced_rights_window_days": entered["advanced_rights_window_days"],
        "first_recharge_minimums": {value: entered[f"minimum_{value}"] for value in Industry.values},
    }


def _message(name: str, error) -> str:
    """The serializer's message, made plainer where a bound is what was missed."""
    if getattr(error, "code", "") == "min_value":
        if name.startswith("minimum_"):
            return _("A first-recharge minimum must be more than ¥0.")
        if name == "advanced_rights_threshold":
            return _("The threshold cannot be negative.")
    if name == "advanced_rights_window_days" and getattr(error, "code", "") in ("min_value", "max_value"):
        return _("The window is 1 to 365 days.")
    return str(error)


def form_errors(errors: dict) -> dict[str, list[str]]:
    """The serializer's errors by form field (`minimum_<industry>` for the nested minimums)."""
    found: dict[str, list[str]] = {}
    for name, detail in errors.items():
        if name == "first_recharge_minimums" and isinstance(detail, dict):
            for industry, inner in detail.items():
                field = f"minimum_{industry}" if industry in Industry.values else "general"
                found.setdefault(field, []).extend(_message(field, e) for e in inner)
        else:
            found.setdefault(name, []).extend(_message(name, e) for e in detail)
    return found


def recent_changes() -> list[dict]:
    events = AuditEvent.objects.filter(action="platform_settings.updated").select_related("actor").order_by("-at")
    labels, changes = field_labels(), []
    for event in events[:RECENT_CHANGES]:
        before, after = event.before or {}, event.after or {}
        changes.append(
            {
                "at": event.at,
                "actor": event.actor,
                "fields": [
                    (labels.get(name, name), before.get(name), value)
                    for name, value in after.items()
                    if before.get(name) != value
                ],
            }
        )
    return changes


class AdSettingsView(StaffRequiredMixin, TemplateView):
    template_name = "campaigns/platform/ad_settings.html"

    def get(self, request, *args, **kwargs):
        return self.render_page(entered_from(ledger.platform_settings()), {})

    def post(self, request, *args, **kwargs):
        entered = entered_from_post(request.POST)
        serializer = PlatformSettingsSerializer(data=api_shape(entered))
        if not serializer.is_valid():
            return self.render_page(entered, form_errors(serializer.errors), status=400)
        try:
            services.platform_settings_update(actor=Actor(user=request.user), **serializer.validated_data)
        except RuleViolation as violation:
            messages.error(request, violation.message)
            return self.render_page(entered, {}, status=409)
        messages.success(request, _("The ad settings are saved; they apply at once."))
        return redirect("platform-ad-settings")

    def render_page(self, entered: dict, errors: dict, status: int = 200):
        settings = ledger.platform_settings()
        context = self.get_context_data(
            entered=entered,
            errors=errors,
            minimums=[
                {"name": f"minimum_{value}", "label": label, "value": entered[f"minimum_{value}"]}
                for value, label in Industry.choices
            ],
            updated_at=settings.updated_at,
            changes=recent_changes(),
            console_note_pending=NoteReview.objects.filter(status=ReviewStatus.IN_REVIEW).count(),
        )
        return self.render_to_response(context, status=status)


urlpatterns = [
    path("ad-settings/", AdSettingsView.as_view(), name="platform-ad-settings"),
]
