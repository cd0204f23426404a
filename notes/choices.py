from django.db import models
from django.utils.translation import gettext_lazy as _


class NoteType(models.TextChoices):
    VIDEO = "video", _("Video note")
    IMAGE = "image", _("Image note")


class ReviewStatus(models.TextChoices):
    """N05: a submission is in review until platform staff approve or reject it."""

    IN_REVIEW = "in_review", _("In review")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


# The list's review filter: a note the enterprise has not submitted yet, or any submitted state.
NOT_SUBMITTED = "not_submitted"
SUBMITTED = "submitted"
REVIEW_FILTERS = (NOT_SUBMITTED, SUBMITTED, *ReviewStatus.values)

# Submissions that block another one for the same note (N05: only a rejected note can be resubmitted).
OPEN_REVIEW_STATUSES = (ReviewStatus.IN_REVIEW, ReviewStatus.APPROVED)
