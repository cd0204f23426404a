"""The per-enterprise note counts (EnterpriseNoteCounts): recomputed inside the transaction that changed them."""

from collections.abc import Iterable

from django.db.models import Count, Q

from accounts.models import Enterprise

from .choices import ReviewStatus
from .models import EnterpriseNoteCounts, Note

COUNTED = {
    "total": Count("pk"),
    "not_submitted": Count("pk", filter=Q(review_status="")),
    **{status: Count("pk", filter=Q(review_status=status)) for status in ReviewStatus.values},
}


def refresh_note_counts(enterprise_ids: Iterable[int | None]) -> None:
    """Recount the enterprises' notes. Their rows are locked first, so a concurrent refresh waits and then counts
    what this transaction committed, instead of overwriting it with a count from an older snapshot."""
    ids = sorted({pk for pk in enterprise_ids if pk is not None})
    if not ids:
        return
    list(EnterpriseNoteCounts.objects.select_for_update().filter(pk__in=ids).order_by("pk").values_list("pk"))
    counted = {
        row.pop("enterprise_id"): row
        for row in Note.objects.filter(enterprise_id__in=ids).order_by().values("enterprise_id").annotate(**COUNTED)
    }
    EnterpriseNoteCounts.objects.bulk_create(
        [EnterpriseNoteCounts(enterprise_id=pk, **counted.get(pk, {})) for pk in ids],
        update_conflicts=True,
        unique_fields=["enterprise"],
        update_fields=list(COUNTED),
    )


def note_counts(enterprise: Enterprise) -> EnterpriseNoteCounts:
    """The kept counts (zeros before the first note). List views load them with the workspace
    (`workspace_related = ("note_counts",)`), so reading them here costs no query."""
    try:
        return enterprise.note_counts
    except EnterpriseNoteCounts.DoesNotExist:
        return EnterpriseNoteCounts(enterprise=enterprise)
