"""The rollup job: enqueued on commit by the ingests (`rollups.touch`), idempotent (it recomputes from the sources)."""

from datetime import date

from celery import shared_task

from . import rollups


@shared_task(ignore_result=True)
def refresh_rollups(source: str, keys) -> int:
    """Recompute what `source` changed at the (note or account id, ISO day) `keys` (rollups.refresh)."""
    rollups.refresh(source, [(key, date.fromisoformat(day)) for key, day in keys])
    return len(keys)


@shared_task(ignore_result=True)
def record_horse_race_months() -> int:
    """Monthly (the 1st, 00:10 Asia/Shanghai): keep last month's horse-race tiers of every enterprise with results
    then (D03); a month already kept is left as it is."""
    from accounts.models import Enterprise

    from . import horse_race

    month = horse_race.previous_month()
    enterprises = Enterprise.objects.filter(pk__in=horse_race.enterprises_with_results(month)).order_by("pk")
    return sum(horse_race.record_month(enterprise, month) for enterprise in enterprises)


@shared_task(ignore_result=True)
def close_incentive_periods() -> int:
    """D02's daily job: close every open incentive period whose last day is over, with its awards, once."""
    from . import incentives

    return incentives.close_due_periods()
