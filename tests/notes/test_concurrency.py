"""Under concurrency, each request on its own database connection. N04: with 995 of 1,000 submissions used, 50
simultaneous requests of one note each get exactly 5 places; the month never goes past its limit. N01: metric
batches of the same notes at once keep each note's totals the sums of its days."""

import threading
from collections import Counter
from datetime import timedelta

import pytest
from django.db import connection
from django.db.models import Max, Sum
from rest_framework.test import APIClient

from kos_platform import clock
from notes.models import Note, NoteDailyMetric, NoteQuotaMonth, NoteReview

from ..factories import RedAccountFactory, user_token
from .factories import NoteFactory, bind
from .helpers import COUNT_FIELDS, brand_url

# Many threads, each on its own connection: one such test at a time across pytest-xdist's workers.
pytestmark = pytest.mark.usefixtures("connections_to_spare")

THREADS = 50


@pytest.mark.django_db(transaction=True)
def test_n04_fifty_concurrent_submissions_never_pass_the_monthly_limit(world):
    """995 used: 5 requests answer 201, 45 answer 409 `quota_exceeded`; used is 1000 and 5 reviews exist."""
    enterprise = world.enterprise
    month = clock.month_label()
    NoteQuotaMonth.objects.create(enterprise=enterprise, month=month, used=995)
    authors = [bind(enterprise, RedAccountFactory()).red_account for _ in range(5)]
    notes = [NoteFactory(author=authors[n % 5]) for n in range(THREADS)]
    token = user_token(world.users["operator"])
    url = brand_url(enterprise, "note-reviews/")
    warm = APIClient()
    warm.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    assert warm.get(brand_url(enterprise, "note-quota/")).json()["remaining"] == 5  # records the token's first use

    ready = threading.Barrier(THREADS, timeout=30)
    outcomes: dict[str, tuple[int, str]] = {}

    def post(note_id: str) -> None:
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
        try:
            connection.ensure_connection()  # connect first, so the barrier releases only the requests
            ready.wait()
            response = client.post(url, {"note_ids": [note_id]}, format="json")
            body = response.json()
            outcomes[note_id] = (response.status_code, body.get("code") or body["results"][0].get("status"))
        except Exception as error:  # any other outcome fails the test with its repr
            outcomes[note_id] = (0, repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=post, args=(note.note_id,)) for note in notes]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert not any(thread.is_alive() for thread in threads)
    assert Counter(outcomes.values()) == {(201, "in_review"): 5, (409, "quota_exceeded"): 45}
    assert NoteQuotaMonth.objects.get(enterprise=enterprise, month=month).used == 1000
    reviews = NoteReview.objects.filter(enterprise=enterprise)
    assert reviews.count() == 5
    accepted = {note_id for note_id, (status, _code) in outcomes.items() if status == 201}
    assert set(reviews.values_list("note__note_id", flat=True)) == accepted
    quota = warm.get(brand_url(enterprise, "note-quota/")).json()
    assert (quota["used"], quota["remaining"]) == (1000, 0)


@pytest.mark.django_db(transaction=True)
def test_n05_the_same_note_submitted_ten_times_at_once_is_in_review_once(world):
    """A double click times ten: one submission; the others answer `note_already_submitted`; one place used."""
    note = NoteFactory(author=bind(world.enterprise, RedAccountFactory()).red_account)
    token = user_token(world.users["operator"])
    url = brand_url(world.enterprise, "note-reviews/")
    ready = threading.Barrier(10, timeout=30)
    outcomes: list[tuple[int, str]] = []

    def post() -> None:
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
        try:
            connection.ensure_connection()
            ready.wait()
            response = client.post(url, {"note_ids": [note.note_id]}, format="json")
            (result,) = response.json()["results"]
            outcomes.append((response.status_code, result.get("status") or result.get("code")))
        except Exception as error:  # any other outcome fails the test with its repr
            outcomes.append((0, repr(error)))
        finally:
            connection.close()

    threads = [threading.Thread(target=post) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert Counter(outcomes) == {(201, "in_review"): 1, (201, "note_already_submitted"): 9}
    assert NoteReview.objects.filter(note=note).count() == 1
    assert NoteQuotaMonth.objects.get(enterprise=world.enterprise).used == 1


@pytest.mark.django_db(transaction=True)
def test_n01_concurrent_metric_batches_of_the_same_notes_keep_each_notes_totals_the_sums_of_its_days(world):
    """Eight batches at once, each revising and adding days of the same twelve notes: every day holds one batch's
    figures and every note's kept totals are the sums of its stored days (the notes are locked in id order, so the
    batches queue on them instead of reading days another batch is replacing)."""
    staff_token = user_token(world.users["staff"])
    author = bind(world.enterprise, RedAccountFactory()).red_account
    notes = [NoteFactory(author=author, published_at=clock.now() - timedelta(days=10)) for _ in range(12)]
    today = clock.local_today()
    batches = [
        [
            {"note_id": note.note_id, "date": (today - timedelta(days=(batch + n) % 6)).isoformat()}
            | dict.fromkeys(COUNT_FIELDS, 0)
            | {"reads": 100 * batch + n, "likes": batch}
            for n, note in enumerate(reversed(notes) if batch % 2 else notes)
        ]
        for batch in range(8)
    ]
    ready = threading.Barrier(len(batches), timeout=30)
    statuses: list[int | str] = []

    def post(rows: list[dict]) -> None:
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {staff_token}")
        try:
            connection.ensure_connection()
            ready.wait()
            statuses.append(client.post("/api/v1/platform/note-metrics/", rows, format="json").status_code)
        except Exception as error:  # any other outcome fails the test with its repr
            statuses.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=post, args=(rows,)) for rows in batches]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert statuses == [200] * len(batches)
    sums = {
        row["note"]: row
        for row in NoteDailyMetric.objects.values("note").annotate(
            reads=Sum("reads"), likes=Sum("likes"), last=Max("date")
        )
    }
    for note in Note.objects.filter(pk__in=[note.pk for note in notes]):
        assert (note.reads, note.likes, note.metrics_through) == (
            sums[note.pk]["reads"],
            sums[note.pk]["likes"],
            sums[note.pk]["last"],
        )
    sent: dict[tuple[str, str], set] = {}
    for rows in batches:
        for row in rows:
            sent.setdefault((row["note_id"], row["date"]), set()).add((row["reads"], row["likes"]))
    stored = {
        (note_id, day.isoformat()): (reads, likes)
        for note_id, day, reads, likes in NoteDailyMetric.objects.values_list("note__note_id", "date", "reads", "likes")
    }
    assert stored.keys() == sent.keys()
    assert all(figures in sent[key] for key, figures in stored.items())
