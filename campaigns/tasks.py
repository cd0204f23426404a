"""Beat jobs of the ad side; thin and idempotent (safe to run twice or late)."""

from celery import shared_task

from . import rights


@shared_task(ignore_result=True)
def record_advanced_rights() -> int:
    """C03's daily evaluation of every enterprise: records each change once."""
    return rights.record_changes()
