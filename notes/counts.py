"""The per-enterprise note counts (EnterpriseNoteCounts): recomputed inside the transaction that changed them."""

from collections.abc import Iterable

from django.db import connection
from django.db.models import Count, Q

from .choices import ReviewStatus
from .models import EnterpriseNoteCounts, Note

COUNTED = {
    "total": Count("pk"),
    "not_submitted": Count("pk", filter=Q(current_review__isnull=True)),
    **{status: Count("pk", filter=Q(current_review__status=status)) for status in ReviewStatus.values},
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


_READ = f"SELECT {', '.join(COUNTED)} FROM notes_enterprisenotecounts WHERE enterprise_id = %s"


def note_counts(enterprise_id: int) -> EnterpriseNoteCounts:
    """The kept counts (zeros before the first note). Read on every list request, so written out."""
    with connection.cursor() as cursor:
        cursor.execute(_READ, [enterprise_id])
        kept = cursor.fetchone()
    return EnterpriseNoteCounts(enterprise_id=enterprise_id, **dict(zip(COUNTED, kept or (), strict=False)))
