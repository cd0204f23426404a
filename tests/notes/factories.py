"""Factories for notes. `bind` puts an account in an enterprise's list the way acceptance does (follow_binding);
`NoteFactory` places a note in its author's enterprise's list; `submit` makes a review without the quota path.
Each writes in a transaction of its own (the kept counts lock their rows), so they work in transactional tests too."""

import secrets
from datetime import timedelta

import factory
from django.db import transaction

from kos_platform import clock
from notes.choices import NoteType, ReviewStatus
from notes.counts import refresh_note_counts
from notes.models import CURRENT_REVIEW_FIELDS, Note, NoteDailyMetric, NoteReview
from notes.ownership import follow_binding

from ..bindings.factories import BindingFactory
from ..factories import RedAccountFactory


@transaction.atomic
def bind(enterprise, account=None, **fields):
    """An active binding of `account` (a new one by default) to `enterprise`; the account's notes follow."""
    binding = BindingFactory(enterprise=enterprise, red_account=account or RedAccountFactory(), **fields)
    follow_binding(binding.red_account_id)
    return binding


class NoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Note
        skip_postgeneration_save = True

    note_id = factory.LazyFunction(lambda: secrets.token_hex(12))
    author = factory.SubFactory(RedAccountFactory)
    title = factory.Sequence(lambda n: f"通勤穿搭分享 第{n}篇")
    type = NoteType.IMAGE
    url = factory.LazyAttribute(lambda o: f"https://www.xiaohongshu.com/explore/{o.note_id}")
    published_at = factory.LazyFunction(lambda: clock.now() - timedelta(days=3))
    synced_at = factory.LazyFunction(clock.now)

    @factory.post_generation
    def placed(note, create, extracted, **kwargs):
        """In the list of the author's enterprise, as ingest places it."""
        if create:
            _place(note)


@transaction.atomic
def _place(note):
    live = note.author.bindings.filter(status__in=("active", "frozen")).values_list("enterprise_id", flat=True)
    enterprise_id = live.first()
    if enterprise_id and note.enterprise_id != enterprise_id:
        Note.objects.filter(pk=note.pk).update(enterprise_id=enterprise_id)
        note.enterprise_id = enterprise_id
    refresh_note_counts([enterprise_id])


def metrics(note, day, **figures):
    """One day's figures; totals are not recomputed (use the ingest API for that)."""
    values = {"exposure": 0, "reads": 0, "likes": 0, "collects": 0, "comments": 0, "shares": 0, "leads": 0}
    return NoteDailyMetric.objects.create(note=note, date=day, **(values | figures))


@transaction.atomic
def submit(note, enterprise, status=ReviewStatus.IN_REVIEW, *, at=None, reason=""):
    """A review of `note` by `enterprise`, made current, without the quota path."""
    at = at or clock.now()
    review = NoteReview.objects.create(
        enterprise=enterprise,
        note=note,
        month=clock.month_label(at),
        status=status,
        reason=reason,
        submitted_at=at,
        reviewed_at=None if status == ReviewStatus.IN_REVIEW else at,
    )
    note.set_current_review(review)
    note.save(update_fields=CURRENT_REVIEW_FIELDS)
    refresh_note_counts([enterprise.pk])
    return review
