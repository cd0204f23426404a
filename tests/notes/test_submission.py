"""N03 (who and what may be submitted) and N04 (the monthly quota, Asia/Shanghai), through the brand's API."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from accounts.models import AuditEvent
from kos_platform import clock
from notes.choices import ReviewStatus
from notes.models import Note, NoteQuotaMonth, NoteReview

from ..factories import RedAccountFactory
from .factories import NoteFactory, bind
from .factories import submit as submitted
from .helpers import brand_url, quota, submit

pytestmark = pytest.mark.django_db

MINUTE = timedelta(minutes=1)
DAYS_90 = timedelta(days=90)


@pytest.fixture
def fresh_notes(bound_account):
    """`fresh_notes(n)`: n notes of the bound employee, published three days ago."""
    return lambda n, **fields: [NoteFactory(author=bound_account, **fields) for _ in range(n)]


def use_quota(enterprise, used: int, month: str | None = None) -> NoteQuotaMonth:
    return NoteQuotaMonth.objects.create(enterprise=enterprise, month=month or clock.month_label(), used=used)


# N03 ------------------------------------------------------------------------------------------------------------


def test_n03_a_note_published_up_to_90_days_ago_can_be_submitted(travel, t0, world, operator, bound_account):
    """90 days minus a minute, and exactly 90 days, are within the window; 90 days plus a minute is too old."""
    inside = NoteFactory(author=bound_account, published_at=t0 - DAYS_90 + MINUTE)
    exactly = NoteFactory(author=bound_account, published_at=t0 - DAYS_90)
    outside = NoteFactory(author=bound_account, published_at=t0 - DAYS_90 - MINUTE)

    response = submit(operator, world.enterprise, [inside.note_id, exactly.note_id, outside.note_id])

    assert response.status_code == 201, response.content
    assert response.json()["results"] == [
        {"note_id": inside.note_id, "status": "in_review"},
        {"note_id": exactly.note_id, "status": "in_review"},
        {"note_id": outside.note_id, "code": "note_too_old"},
    ]
    assert set(NoteReview.objects.values_list("note__note_id", flat=True)) == {inside.note_id, exactly.note_id}


def test_n03_the_90_days_end_at_their_instant_without_any_job(travel, t0, world, operator, bound_account):
    """A note submittable now is too old two minutes later, when 90 days have passed."""
    note = NoteFactory(author=bound_account, published_at=t0 - DAYS_90 + MINUTE)

    travel.move_to(t0 + 2 * MINUTE)
    response = submit(operator, world.enterprise, [note.note_id])

    assert response.status_code == 201, response.content
    assert response.json()["results"] == [{"note_id": note.note_id, "code": "note_too_old"}]
    assert not NoteReview.objects.exists()
    assert quota(operator, world.enterprise)["used"] == 0


def test_n03_the_author_of_a_frozen_binding_is_not_bound(world, operator, bound_account, note):
    """B02 freezing suspends the right to submit: `author_not_bound`; unfreezing restores it."""
    binding = bound_account.bindings.get()
    assert operator.post(brand_url(world.enterprise, f"bindings/{binding.pk}/freeze/")).status_code == 200

    refused = submit(operator, world.enterprise, [note.note_id])

    assert refused.status_code == 201, refused.content
    assert refused.json()["results"] == [{"note_id": note.note_id, "code": "author_not_bound"}]
    assert refused.json()["quota"]["used"] == 0
    assert not NoteReview.objects.exists()

    assert operator.post(brand_url(world.enterprise, f"bindings/{binding.pk}/unfreeze/")).status_code == 200
    accepted = submit(operator, world.enterprise, [note.note_id])
    assert accepted.json()["results"] == [{"note_id": note.note_id, "status": "in_review"}]


def test_n03_valid_and_refused_notes_in_one_request(world, operator, bound_account, fresh_notes):
    """201 with one result per note in the request's order; only the valid ones are stored and counted."""
    first, second = fresh_notes(2)
    old = NoteFactory(author=bound_account, published_at=clock.now() - DAYS_90 - MINUTE)
    in_review = NoteFactory(author=bound_account)
    submitted(in_review, world.enterprise)
    frozen = bind(world.enterprise, RedAccountFactory(), status="frozen", frozen_at=clock.now()).red_account
    of_frozen = NoteFactory(author=frozen)
    order = [old.note_id, first.note_id, of_frozen.note_id, in_review.note_id, second.note_id]

    response = submit(operator, world.enterprise, order)

    assert response.status_code == 201, response.content
    assert response.json()["results"] == [
        {"note_id": old.note_id, "code": "note_too_old"},
        {"note_id": first.note_id, "status": "in_review"},
        {"note_id": of_frozen.note_id, "code": "author_not_bound"},
        {"note_id": in_review.note_id, "code": "note_already_submitted"},
        {"note_id": second.note_id, "status": "in_review"},
    ]
    assert response.json()["quota"] == {"month": clock.month_label(), "limit": 1000, "used": 2, "remaining": 998}
    new = NoteReview.objects.exclude(note=in_review)
    assert sorted(new.values_list("note__note_id", flat=True)) == sorted([first.note_id, second.note_id])
    assert all(review.submitted_by == world.users["operator"] for review in new)
    events = AuditEvent.objects.filter(action="note_review.submitted")
    assert sorted(events.values_list("object_repr", flat=True)) == sorted([first.note_id, second.note_id])
    assert {e.enterprise_id for e in events} == {world.enterprise.pk}
    assert {e.actor_id for e in events} == {world.users["operator"].pk}
    rows = {
        r["note_id"]: r for r in operator.get(brand_url(world.enterprise, "notes/?page_size=100")).json()["results"]
    }
    assert rows[first.note_id]["review_status"] == "in_review" and rows[first.note_id]["submitted_at"]
    assert rows[old.note_id]["review_status"] == "not_submitted"


# N04 ------------------------------------------------------------------------------------------------------------


def test_n04_the_quota_shows_month_limit_used_and_remaining(world, operator, fresh_notes):
    assert quota(operator, world.enterprise) == {
        "month": clock.month_label(),
        "limit": 1000,
        "used": 0,
        "remaining": 1000,
    }

    notes = fresh_notes(3)
    response = submit(operator, world.enterprise, [n.note_id for n in notes])

    expected = {"month": clock.month_label(), "limit": 1000, "used": 3, "remaining": 997}
    assert response.json()["quota"] == expected
    assert quota(operator, world.enterprise) == expected


def test_n04_every_submission_counts_resubmissions_too(world, staff, operator, note):
    """A rejected note submitted again takes quota again: two submissions, two reviews, used 2."""
    assert submit(operator, world.enterprise, [note.note_id]).status_code == 201
    review = NoteReview.objects.get()
    assert staff.post(f"/api/v1/platform/note-reviews/{review.pk}/reject/", {"reason": "画面模糊"}).status_code == 200

    again = submit(operator, world.enterprise, [note.note_id])

    assert again.json()["results"] == [{"note_id": note.note_id, "status": "in_review"}]
    assert again.json()["quota"]["used"] == 2
    assert NoteReview.objects.count() == 2
    assert quota(operator, world.enterprise)["remaining"] == 998


def test_n04_more_valid_notes_than_remaining_refuses_the_whole_request(
    world, operator, bound_account, fresh_notes, unchanged
):
    """998 used: three valid notes (and a refused one) → 409 `quota_exceeded` with `remaining` 2, nothing stored."""
    use_quota(world.enterprise, 998)
    notes = fresh_notes(3)
    old = NoteFactory(author=bound_account, published_at=clock.now() - DAYS_90 - MINUTE)

    with unchanged():
        response = submit(operator, world.enterprise, [n.note_id for n in notes] + [old.note_id])

    assert response.status_code == 409, response.content
    assert response.json()["code"] == "quota_exceeded"
    assert response.json()["remaining"] == 2
    assert response.json()["detail"]


def test_n04_refused_notes_do_not_take_quota(world, operator, bound_account, fresh_notes):
    """999 used: one valid note with a too-old one fits; the last place then goes; the next is refused."""
    use_quota(world.enterprise, 999)
    (valid,) = fresh_notes(1)
    old = NoteFactory(author=bound_account, published_at=clock.now() - DAYS_90 - MINUTE)

    response = submit(operator, world.enterprise, [valid.note_id, old.note_id])

    assert response.status_code == 201, response.content
    assert response.json()["quota"] == {"month": clock.month_label(), "limit": 1000, "used": 1000, "remaining": 0}
    (late,) = fresh_notes(1)
    refused = submit(operator, world.enterprise, [late.note_id])
    assert (refused.status_code, refused.json()["code"], refused.json()["remaining"]) == (409, "quota_exceeded", 0)
    assert NoteQuotaMonth.objects.get(enterprise=world.enterprise).used == 1000


def test_n04_exactly_the_remaining_quota_is_accepted(world, operator, fresh_notes):
    use_quota(world.enterprise, 997)
    notes = fresh_notes(3)

    response = submit(operator, world.enterprise, [n.note_id for n in notes])

    assert response.status_code == 201, response.content
    assert response.json()["quota"]["remaining"] == 0
    assert NoteReview.objects.count() == 3


def test_n04_the_month_turns_at_midnight_asia_shanghai(world, bound_account):
    """At 2026-11-30 23:59 +08:00 November's exhausted quota refuses; at 2026-12-01 00:00 +08:00 (16:00 UTC on
    the 30th) December starts at 0 — November's usage does not count."""
    operator = world.client("operator")
    before = datetime(2026, 11, 30, 15, 59, tzinfo=UTC)
    with time_machine.travel(before, tick=False) as traveller:
        use_quota(world.enterprise, 1000, "2026-11")
        note = NoteFactory(author=bound_account, published_at=before - timedelta(days=3))

        assert quota(operator, world.enterprise) == {"month": "2026-11", "limit": 1000, "used": 1000, "remaining": 0}
        refused = submit(operator, world.enterprise, [note.note_id])
        assert (refused.status_code, refused.json()["code"]) == (409, "quota_exceeded")

        traveller.move_to(datetime(2026, 11, 30, 16, 0, tzinfo=UTC))
        assert quota(operator, world.enterprise) == {"month": "2026-12", "limit": 1000, "used": 0, "remaining": 1000}
        accepted = submit(operator, world.enterprise, [note.note_id])

    assert accepted.status_code == 201, accepted.content
    assert accepted.json()["quota"] == {"month": "2026-12", "limit": 1000, "used": 1, "remaining": 999}
    assert dict(NoteQuotaMonth.objects.values_list("month", "used")) == {"2026-11": 1000, "2026-12": 1}
    assert NoteReview.objects.get().month == "2026-12"


def test_n04_staff_change_the_limit_and_it_applies_at_once(world, staff, operator, fresh_notes):
    """PATCH monthly_note_quota: the quota shows it and the next submission is held to it; a limit below what is
    used leaves 0."""
    notes = fresh_notes(4)
    answer = staff.patch(
        f"/api/v1/platform/enterprises/{world.enterprise.pk}/", {"monthly_note_quota": 2}, format="json"
    )
    assert answer.status_code == 200, answer.content
    assert quota(operator, world.enterprise)["limit"] == 2

    refused = submit(operator, world.enterprise, [n.note_id for n in notes[:3]])
    assert (refused.status_code, refused.json()["code"], refused.json()["remaining"]) == (409, "quota_exceeded", 2)
    accepted = submit(operator, world.enterprise, [n.note_id for n in notes[:2]])
    assert accepted.status_code == 201
    assert accepted.json()["quota"] == {"month": clock.month_label(), "limit": 2, "used": 2, "remaining": 0}

    staff.patch(f"/api/v1/platform/enterprises/{world.enterprise.pk}/", {"monthly_note_quota": 1}, format="json")
    assert quota(operator, world.enterprise) == {"month": clock.month_label(), "limit": 1, "used": 2, "remaining": 0}
    staff.patch(f"/api/v1/platform/enterprises/{world.enterprise.pk}/", {"monthly_note_quota": 3}, format="json")
    assert submit(operator, world.enterprise, [notes[2].note_id]).status_code == 201
    assert quota(operator, world.enterprise)["remaining"] == 0


def test_n04_quotas_are_per_enterprise(world, operator, fresh_notes):
    """Another enterprise's usage does not touch this one's."""
    use_quota(world.other_enterprise, 1000)
    (note,) = fresh_notes(1)

    assert quota(operator, world.enterprise)["used"] == 0
    assert submit(operator, world.enterprise, [note.note_id]).status_code == 201
    assert quota(world.client("other_member"), world.other_enterprise)["remaining"] == 0
    assert Note.objects.get(pk=note.pk).current_review.status == ReviewStatus.IN_REVIEW


@pytest.mark.parametrize("limit", [-1, "many", None, 1.5])
def test_n04_a_bad_limit_is_400_and_stores_nothing(world, staff, limit, unchanged):
    with unchanged():
        response = staff.patch(
            f"/api/v1/platform/enterprises/{world.enterprise.pk}/", {"monthly_note_quota": limit}, format="json"
        )

    assert response.status_code == 400, response.content
    assert list(response.json()["fields"]) == ["monthly_note_quota"]


@pytest.mark.parametrize("actor", ["owner", "admin", "agency_reported"])
def test_n04_only_platform_staff_change_the_limit(world, actor, unchanged):
    client = world.client(actor)

    with unchanged():
        response = client.patch(
            f"/api/v1/platform/enterprises/{world.enterprise.pk}/", {"monthly_note_quota": 5000}, format="json"
        )

    assert response.status_code == 403


def test_n04_the_brand_lists_its_submissions_by_state_and_month(travel, t0, world, staff, operator, fresh_notes):
    """`GET note-reviews/`: newest first, `?status=` and `?month=` narrow it."""
    first, second, third = fresh_notes(3)
    for minutes, note in enumerate((first, second, third)):
        travel.move_to(t0 + timedelta(minutes=minutes))
        submit(operator, world.enterprise, [note.note_id])
    rejected = NoteReview.objects.get(note=second)
    staff.post(f"/api/v1/platform/note-reviews/{rejected.pk}/reject/", {"reason": "无关"})
    url = brand_url(world.enterprise, "note-reviews/")

    every = operator.get(url).json()["results"]
    assert [r["note_id"] for r in every] == [third.note_id, second.note_id, first.note_id]
    assert every[0]["submitted_by"] == world.users["operator"].display_name
    only_rejected = operator.get(f"{url}?status=rejected").json()["results"]
    assert [(r["note_id"], r["reason"]) for r in only_rejected] == [(second.note_id, "无关")]
    assert operator.get(f"{url}?month={clock.month_label()}").json()["count"] == 3
    assert operator.get(f"{url}?month=1999-01").json()["count"] == 0
