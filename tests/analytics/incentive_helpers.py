"""A period of 花漾美妆 that is over (days -20 … -5), and people whose notes and daily interactions the tests set."""

from datetime import timedelta

from analytics.models import IncentivePeriod, NoteDay, default_rules
from analytics.rollups import day_start
from kos_platform import clock

from ..bindings.factories import BindingFactory
from ..factories import RedAccountFactory
from ..notes.factories import NoteFactory


def today():
    return clock.local_today()


def at(days_ago: int, hour: int = 12):
    return day_start(today() - timedelta(days=days_ago)) + timedelta(hours=hour)


def make_period(enterprise, *, first=20, last=5, rules=None, name="十二月激励") -> IncentivePeriod:
    return IncentivePeriod.objects.create(
        enterprise=enterprise,
        name=name,
        start_date=today() - timedelta(days=first),
        end_date=today() - timedelta(days=last),
        rules=rules or default_rules(),
        created_at=clock.now(),
    )


def person(enterprise, *, bound_days_ago=30, red_id=None, **fields):
    """An account bound to `enterprise` since `bound_days_ago`."""
    account = RedAccountFactory(**({"red_id": red_id} if red_id else {}), **fields)
    BindingFactory(enterprise=enterprise, red_account=account, effective_at=at(bound_days_ago, 9))
    return account


def note_with(account, enterprise, *, published_days_ago=15, days=None, interactions=0):
    """A note of `account` with its engagement on the given days (days ago → engagement), or all of
    `interactions` on the day after publishing."""
    note = NoteFactory(author=account, published_at=at(published_days_ago))
    days = days or {published_days_ago - 1: interactions}
    for days_ago, engagement in days.items():
        NoteDay.objects.create(
            note=note,
            date=today() - timedelta(days=days_ago),
            enterprise=enterprise,
            red_account=account,
            engagement=engagement,
        )
    return note
