"""The rollup job: enqueued on commit by the ingests (`rollups.touch`), idempotent (it recomputes from the sources)."""

from datetime import date

from celery import shared_task

from . import rollups


@shared_task(ignore_result=True)
def refresh_rollups(accounts_days=(), notes_days=(), metrics=False) -> int:
    """Recompute the named (account, day) keys, and those of the named (note, day) pairs' authors."""
    keys = {(account, date.fromisoformat(day)) for account, day in accounts_days}
    notes = [(note, date.fromisoformat(day)) for note, day in notes_days]
    keys |= rollups.keys_of_notes(notes)
    latest = max((day for _n, day in notes), default=None) if metrics else None
    return rollups.refresh(keys, figures_through=latest)
