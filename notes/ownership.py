"""N01: a note is in the lists of the enterprise its author is bound to now. Binding changes call `follow_binding`."""

from django.db.models import OuterRef, Subquery, Value
from django.db.models.functions import Coalesce

from analytics import rollups
from bindings.choices import LIVE_BINDING_STATUSES
from bindings.models import Binding
from kos_platform import clock

from .counts import refresh_note_counts
from .models import Note, NoteReview


def follow_binding(red_account_id: int) -> None:
    """Move the account's notes to the enterprise of its live binding (or to none), each with that enterprise's
    latest submission of it (and its copied state, see Note), and recount both enterprises' lists. Today's figures
    follow the change in the rollups (D01: a day belongs to the enterprise bound that day)."""
    rollups.touch(rollups.BINDINGS, [(red_account_id, clock.local_today())])
    enterprise_id = (
        Binding.objects.filter(red_account_id=red_account_id, status__in=LIVE_BINDING_STATUSES)
        .values_list("enterprise_id", flat=True)
        .first()
    )
    notes = Note.objects.filter(author_id=red_account_id)
    previous = set(notes.exclude(enterprise_id=enterprise_id).values_list("enterprise_id", flat=True).distinct())
    if not previous:
        return
    latest = NoteReview.objects.filter(note=OuterRef("pk"), enterprise_id=enterprise_id).order_by(
        "-submitted_at", "-id"
    )  # none when the account is bound nowhere: every value below is then empty

    def newest(field: str):
        return Subquery(latest.values(field)[:1])

    notes.update(
        enterprise_id=enterprise_id,
        current_review=newest("pk"),
        review_status=Coalesce(newest("status"), Value("")),
        submitted_at=newest("submitted_at"),
        reviewed_at=newest("reviewed_at"),
        review_reason=Coalesce(newest("reason"), Value("")),
    )
    refresh_note_counts(previous | {enterprise_id})
