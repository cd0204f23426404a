"""The one clock: every rule reads time from here (django.utils.timezone.now), in Asia/Shanghai."""

from datetime import date, datetime, timedelta

from django.utils import timezone


def now() -> datetime:
    return timezone.now()


def local_today() -> date:
    return timezone.localdate(now())


def days(n: int) -> timedelta:
    """N days as N × 24 h from the instant the clock started."""
    return timedelta(days=n)


def month_start(at: datetime | None = None) -> datetime:
    """The first instant of the calendar month (Asia/Shanghai) holding `at`."""
    local = timezone.localtime(at or now())
    return local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def instant(value: datetime | None) -> str | None:
    """An instant as the API and the audit log show it: ISO 8601 in Asia/Shanghai (`2026-11-21T09:30:00+08:00`)."""
    return None if value is None else timezone.localtime(value).isoformat()


def month_label(at: datetime | None = None) -> str:
    """`YYYY-MM` of the month (Asia/Shanghai) holding `at`; called per order in a batch, so kept to the essentials."""
    local = (at or now()).astimezone(timezone.get_default_timezone())
    return f"{local.year:04d}-{local.month:02d}"
