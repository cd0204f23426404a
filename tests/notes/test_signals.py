"""N07: the content signals in each list row — a promising note (likes > 10 or comments > 5), a healthy account
(followers > 200, notes > 50, > 5 notes in the last 7 days), an account below the 10 notes a test needs. Each
threshold is checked on both sides; the signals are guidance and never refuse a submission."""

from datetime import timedelta

import pytest

from kos_platform import clock
from notes.counts import refresh_note_counts
from notes.models import Note

from ..factories import RedAccountFactory
from .factories import NoteFactory, bind
from .helpers import listed, metric_row, note_row, submit, sync_metrics, sync_notes

pytestmark = pytest.mark.django_db

OLD = timedelta(days=30)
RECENT = timedelta(days=1)


def signals(client, enterprise, note_id: str) -> dict:
    (row,) = listed(client, enterprise, f"note_id={note_id}")["results"]
    return row["signals"]


def author_with(enterprise, now, *, followers: int, total: int, recent: int, last_recent_age=RECENT) -> str:
    """A bound author with `total` notes, `recent` of them published in the last 7 days (the last one
    `last_recent_age` ago); returns the ID of one of its notes."""
    account = bind(enterprise, RedAccountFactory(followers=followers)).red_account
    ages = [RECENT + timedelta(minutes=n) for n in range(recent - 1)] + [last_recent_age] * min(recent, 1)
    ages += [OLD + timedelta(hours=n) for n in range(total - recent)]
    notes = Note.objects.bulk_create(
        NoteFactory.build(author=account, enterprise=enterprise, published_at=now - age) for age in ages
    )
    refresh_note_counts([enterprise.pk])
    return notes[0].note_id


@pytest.mark.parametrize(
    "days, promising",
    [
        ([{"likes": 10, "comments": 5}], False),
        ([{"likes": 11}], True),
        ([{"comments": 6}], True),
        ([{"likes": 6, "comments": 3}, {"likes": 5, "comments": 2}], True),
        ([{"likes": 5, "comments": 3, "collects": 50}, {"likes": 5, "comments": 2}], False),
    ],
    ids=["10_likes_5_comments", "11_likes", "6_comments", "11_likes_over_two_days", "collects_do_not_count"],
)
def test_n07_promising_note(world, staff, operator, bound_account, days, promising):
    """Promising on the note's totals (summed over its days): more than 10 likes or more than 5 comments."""
    row = note_row(bound_account.red_id)
    sync_notes(staff, [row])
    today = clock.local_today()
    sync_metrics(staff, [metric_row(row["note_id"], today - timedelta(days=n), **day) for n, day in enumerate(days)])

    assert signals(operator, world.enterprise, row["note_id"])["promising"] is promising


@pytest.mark.parametrize(
    "followers, total, recent, healthy",
    [
        (201, 51, 6, True),
        (200, 51, 6, False),
        (201, 50, 6, False),
        (201, 51, 5, False),
    ],
    ids=["all_above", "200_followers", "50_notes", "5_recent_notes"],
)
def test_n07_healthy_account(travel, t0, world, operator, followers, total, recent, healthy):
    note_id = author_with(world.enterprise, t0, followers=followers, total=total, recent=recent)

    flags = signals(operator, world.enterprise, note_id)

    assert flags["account_healthy"] is healthy
    assert flags["account_below_starting_notes"] is False


@pytest.mark.parametrize(
    "age, healthy",
    [(timedelta(days=7) - timedelta(minutes=1), True), (timedelta(days=7) + timedelta(minutes=1), False)],
    ids=["7_days_minus_a_minute", "7_days_plus_a_minute"],
)
def test_n07_the_last_7_days_end_to_the_minute(travel, t0, world, operator, age, healthy):
    """The sixth recent note counts while it is within 7 × 24 h of now."""
    note_id = author_with(world.enterprise, t0, followers=201, total=51, recent=6, last_recent_age=age)

    assert signals(operator, world.enterprise, note_id)["account_healthy"] is healthy


def test_n07_the_7_days_move_with_the_clock(travel, t0, world, operator):
    """Healthy now; two minutes after the sixth recent note turns 7 days old, no longer."""
    last = timedelta(days=7) - timedelta(minutes=1)
    note_id = author_with(world.enterprise, t0, followers=201, total=51, recent=6, last_recent_age=last)
    assert signals(operator, world.enterprise, note_id)["account_healthy"] is True

    travel.move_to(t0 + timedelta(minutes=2))

    assert signals(operator, world.enterprise, note_id)["account_healthy"] is False


@pytest.mark.parametrize("total, below", [(9, True), (10, False)])
def test_n07_account_below_the_starting_notes(travel, t0, world, operator, total, below):
    note_id = author_with(world.enterprise, t0, followers=5000, total=total, recent=total)

    flags = signals(operator, world.enterprise, note_id)

    assert flags["account_below_starting_notes"] is below
    assert flags["account_healthy"] is False


def test_n07_signals_are_guidance_not_gates(world, operator):
    """A note that is not promising, of an account with one note and few followers, is still submitted."""
    account = bind(world.enterprise, RedAccountFactory(followers=3)).red_account
    note = NoteFactory(author=account)
    flags = signals(operator, world.enterprise, note.note_id)
    assert flags == {"promising": False, "account_healthy": False, "account_below_starting_notes": True}

    response = submit(operator, world.enterprise, [note.note_id])

    assert response.json()["results"] == [{"note_id": note.note_id, "status": "in_review"}]
