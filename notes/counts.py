"""The per-enterprise note counts (EnterpriseNoteCounts): recomputed inside the transaction that changed them."""

from collections.abc import Iterable

from django.db import connection

from .choices import ReviewStatus
from .models import EnterpriseNoteCounts

_REFRESH = f"""
INSERT INTO notes_enterprisenotecounts (enterprise_id, total, not_submitted, in_review, approved, rejected)
SELECT e.id, count(n.id), count(n.id) FILTER (WHERE n.current_review_id IS NULL),
       count(n.id) FILTER (WHERE r.status = '{ReviewStatus.IN_REVIEW}'),
       count(n.id) FILTER (WHERE r.status = '{ReviewStatus.APPROVED}'),
       count(n.id) FILTER (WHERE r.status = '{ReviewStatus.REJECTED}')
FROM accounts_enterprise e
LEFT JOIN notes_note n ON n.enterprise_id = e.id
LEFT JOIN notes_notereview r ON r.id = n.current_review_id
WHERE e.id = ANY(%s)
GROUP BY e.id
ON CONFLICT (enterprise_id) DO UPDATE SET total = EXCLUDED.total, not_submitted = EXCLUDED.not_submitted,
    in_review = EXCLUDED.in_review, approved = EXCLUDED.approved, rejected = EXCLUDED.rejected
"""


def refresh_note_counts(enterprise_ids: Iterable[int]) -> None:
    """Recount the enterprises' notes. The rows are locked first, so a concurrent refresh waits and then counts
    what this transaction committed (a single INSERT … ON CONFLICT would count from a snapshot taken before)."""
    ids = sorted({pk for pk in enterprise_ids if pk is not None})
    if not ids:
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT enterprise_id FROM notes_enterprisenotecounts WHERE enterprise_id = ANY(%s) "
            "ORDER BY enterprise_id FOR UPDATE",
            [ids],
        )
        cursor.execute(_REFRESH, [ids])


def note_counts(enterprise_id: int) -> EnterpriseNoteCounts:
    return EnterpriseNoteCounts.objects.filter(pk=enterprise_id).first() or EnterpriseNoteCounts(
        enterprise_id=enterprise_id
    )
