"""Advanced rights (C03): unlocked while the enterprise's ad spend on KOS notes over the last N Asia/Shanghai days
(today included) reaches the threshold. What the page and API show is computed at the instant from the spend rows,
like a timed rule; the daily job only records each change (audit, notification), for every enterprise at once."""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum

from accounts.models import AuditEvent, Enterprise
from bindings.choices import Audience
from bindings.choices import NotificationKind as Kind
from bindings.models import Notification
from kos_platform import clock

from .ledger import platform_settings
from .models import AdSpendDaily, AdvancedFeatures, AdvancedRightsState
from .models.account import ZERO

FEATURES = ("dm_welcome_message", "dm_auto_reply", "dm_quick_menu", "dial_card", "lead_card")
SINCE_LOOKBACK_DAYS = 366


@dataclass(frozen=True)
class RightsState:
    window_days: int
    threshold: Decimal
    spend: Decimal  # in the window ending today
    unlocked: bool
    since: date | None  # the first day of the current unlocked run
    locks_on: date | None  # with no more spend, the first day the window falls below the threshold
    needed_to_keep: Decimal | None  # spend needed by `locks_on` to stay unlocked that day
    needed_to_unlock: Decimal | None  # while locked: what the window lacks today
    days: dict[date, Decimal]  # spend by day in the window, zeros included

    @property
    def features(self) -> tuple[str, ...]:
        return FEATURES if self.unlocked else ()

    def drops_out(self) -> list[tuple[date, Decimal]]:
        """Each day of the window with spend, and the day it leaves the window (with no new spend)."""
        return [(day + timedelta(days=self.window_days), amount) for day, amount in sorted(self.days.items()) if amount]


def _window_sum(by_day: dict[date, Decimal], last: date, window: int) -> Decimal:
    return sum((by_day.get(last - timedelta(days=k), ZERO) for k in range(window)), ZERO)


def rights_of(enterprise: Enterprise, today: date | None = None) -> RightsState:
    today = today or clock.local_today()
    settings = platform_settings()
    window, threshold = settings.advanced_rights_window_days, settings.advanced_rights_threshold
    first = today - timedelta(days=SINCE_LOOKBACK_DAYS + window)
    by_day = dict(
        AdSpendDaily.objects.filter(enterprise=enterprise, date__gte=first, date__lte=today)
        .order_by()
        .values_list("date")
        .annotate(total=Sum("amount"))
    )
    spend = _window_sum(by_day, today, window)
    unlocked = spend >= threshold
    since = locks_on = needed_to_keep = needed_to_unlock = None
    if unlocked and threshold > 0:  # a threshold of 0 never locks
        since = today
        while since > first + timedelta(days=window) and _window_sum(by_day, since - timedelta(days=1), window) >= (
            threshold
        ):
            since -= timedelta(days=1)
        # With no new spend, the window on day D holds the spend of [D - window + 1, today].
        locks_on = today + timedelta(days=1)
        while _window_sum(by_day, locks_on, window) >= threshold:
            locks_on += timedelta(days=1)
        needed_to_keep = threshold - _window_sum(by_day, locks_on, window)
    else:
        needed_to_unlock = threshold - spend
    days = {today - timedelta(days=k): by_day.get(today - timedelta(days=k), ZERO) for k in range(window - 1, -1, -1)}
    return RightsState(window, threshold, spend, unlocked, since, locks_on, needed_to_keep, needed_to_unlock, days)


def is_unlocked(enterprise: Enterprise) -> bool:
    settings = platform_settings()
    start = clock.local_today() - timedelta(days=settings.advanced_rights_window_days - 1)
    spend = AdSpendDaily.objects.filter(
        enterprise=enterprise, date__gte=start, date__lte=clock.local_today()
    ).aggregate(total=Sum("amount"))["total"]
    return (spend or ZERO) >= settings.advanced_rights_threshold


@transaction.atomic
def record_changes(today: date | None = None) -> int:
    """The daily job: every enterprise's state from one grouped query over the window, compared with what was last
    recorded; each change is recorded once (audit, notification). Running it twice records nothing more."""
    today = today or clock.local_today()
    now = clock.now()
    settings = platform_settings()
    start = today - timedelta(days=settings.advanced_rights_window_days - 1)
    unlocked_now = set(
        AdSpendDaily.objects.filter(date__gte=start, date__lte=today)
        .order_by()
        .values("enterprise_id")
        .annotate(total=Sum("amount"))
        .filter(total__gte=settings.advanced_rights_threshold)
        .values_list("enterprise_id", flat=True)
    )
    recorded = dict(AdvancedRightsState.objects.select_for_update().values_list("enterprise_id", "unlocked"))
    changed = {
        pk: pk in unlocked_now for pk in unlocked_now | set(recorded) if recorded.get(pk, False) != (pk in unlocked_now)
    }
    if changed:
        AdvancedRightsState.objects.bulk_create(
            [
                AdvancedRightsState(enterprise_id=pk, unlocked=state, changed_at=now, evaluated_at=now)
                for pk, state in changed.items()
            ],
            update_conflicts=True,
            unique_fields=["enterprise"],
            update_fields=["unlocked", "changed_at", "evaluated_at"],
        )
        AuditEvent.objects.bulk_create(
            AuditEvent(
                at=now,
                enterprise_id=pk,
                action="advanced_rights.unlocked" if state else "advanced_rights.locked",
                object_type=AdvancedRightsState._meta.label_lower,
                object_id=str(pk),
                object_repr=str(AdvancedRightsState._meta.verbose_name),
                before={"unlocked": not state},
                after={"unlocked": state, "threshold": str(settings.advanced_rights_threshold)},
            )
            for pk, state in changed.items()
        )
        Notification.objects.bulk_create(
            Notification(
                audience=Audience.ENTERPRISE,
                enterprise_id=pk,
                kind=Kind.ADVANCED_RIGHTS_UNLOCKED if state else Kind.ADVANCED_RIGHTS_LOCKED,
                created_at=now,
            )
            for pk, state in changed.items()
        )
    AdvancedRightsState.objects.exclude(enterprise_id__any=changed).update(evaluated_at=now)
    return len(changed)


def served_dm_service(enterprise: Enterprise) -> dict | None:
    """The DM service an employee account of `enterprise` shows on its DM page: what the enterprise configured, only
    while its advanced rights are unlocked (C03); None otherwise."""
    features = AdvancedFeatures.objects.filter(enterprise=enterprise).first()
    if features is None or not is_unlocked(enterprise):
        return None
    return {
        "welcome_message": features.welcome_message,
        "auto_replies": features.auto_replies,
        "quick_menu": features.quick_menu,
        "dial_card": {"phone": features.dial_phone, "label": features.dial_label} if features.dial_phone else None,
        "lead_card": (
            {"title": features.lead_card_title, "fields": features.lead_card_fields}
            if features.lead_card_fields
            else None
        ),
    }
