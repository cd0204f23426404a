"""The note rules as plain functions of rows already loaded: N03 (may be submitted), N06 (may be promoted), N07
(the dashboard's signals — guidance, never gates)."""

from dataclasses import dataclass
from datetime import datetime

from kos_platform import clock

from .choices import OPEN_REVIEW_STATUSES, ReviewStatus
from .models import SUBMIT_WITHIN_DAYS, Note

PROMISING_LIKES = 10  # N07: a note is promising with more than 10 likes …
PROMISING_COMMENTS = 5  # … or more than 5 comments
HEALTHY_FOLLOWERS = 200  # N07: an account is healthy with more than 200 followers,
HEALTHY_TOTAL_NOTES = 50  # more than 50 notes in all,
HEALTHY_WEEKLY_NOTES = 5  # and more than 5 notes in the last 7 days
STARTING_MIN_NOTES = 10  # N07: an account starting tests should hold at least 10 notes
WEEK_DAYS = 7


def submit_refusal(note: Note, *, author_bound: bool, now: datetime | None = None) -> str | None:
    """Why the note cannot be submitted for review now (N03, N05), or None."""
    now = now or clock.now()
    if note.review_status in OPEN_REVIEW_STATUSES:
        return "note_already_submitted"
    if note.published_at < now - clock.days(SUBMIT_WITHIN_DAYS):
        return "note_too_old"
    if not author_bound:
        return "author_not_bound"
    return None


def promotion_refusal(note: Note, *, author_bound: bool) -> str | None:
    """N06: only an approved note of an author whose binding is active (B02: freezing suspends promotion)."""
    if note.review_status != ReviewStatus.APPROVED:
        return "note_not_approved"
    if not author_bound:
        return "author_not_bound"
    return None


def is_promising(likes: int, comments: int) -> bool:
    return likes > PROMISING_LIKES or comments > PROMISING_COMMENTS


@dataclass(frozen=True)
class AccountSignals:
    """N07 for one author: notes in all, notes in the last 7 days, followers."""

    followers: int
    total_notes: int
    recent_notes: int

    @property
    def healthy(self) -> bool:
        return (
            self.followers > HEALTHY_FOLLOWERS
            and self.total_notes > HEALTHY_TOTAL_NOTES
            and self.recent_notes > HEALTHY_WEEKLY_NOTES
        )

    @property
    def below_starting_notes(self) -> bool:
        return self.total_notes < STARTING_MIN_NOTES
