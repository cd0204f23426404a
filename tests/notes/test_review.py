"""N05: platform staff decide a submission (in_review → approved | rejected with a reason), once; a rejected note
can be submitted again, an in-review or approved one cannot; the queue is oldest first and staff only."""

from datetime import timedelta

import pytest

from accounts.models import AuditEvent
from notes.models import Note, NoteReview

from .factories import NoteFactory
from .helpers import brand_url, listed, quota, submit

pytestmark = pytest.mark.django_db

QUEUE = "/api/v1/platform/note-reviews/"


@pytest.fixture
def review(world, operator, note) -> NoteReview:
    """The world's note, submitted through the API."""
    assert submit(operator, world.enterprise, [note.note_id]).status_code == 201
    return NoteReview.objects.get(note=note)


def decide(staff, review, verb: str, reason: str | None = None):
    body = {} if reason is None else {"reason": reason}
    return staff.post(f"{QUEUE}{review.pk}/{verb}/", body, format="json")


def brand_row(operator, world, note) -> dict:
    return listed(operator, world.enterprise, f"note_id={note.note_id}")["results"][0]


def test_n05_approve(world, staff, operator, note, review):
    """Approval decides the review; the brand sees the note approved; the decision is audited."""
    response = decide(staff, review, "approve")

    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["id"], body["status"], body["note_id"]) == (review.pk, "approved", note.note_id)
    assert body["reviewed_at"] and body["enterprise_id"] == world.enterprise.pk
    stored = NoteReview.objects.get(pk=review.pk)
    assert (stored.status, stored.reviewed_by) == ("approved", world.users["staff"])
    row = brand_row(operator, world, note)
    assert (row["review_status"], row["review_id"]) == ("approved", review.pk)
    event = AuditEvent.objects.get(action="note_review.approved")
    assert (event.actor, event.enterprise_id, event.object_id) == (
        world.users["staff"],
        world.enterprise.pk,
        str(review.pk),
    )
    assert (event.before, event.after) == ({"status": "in_review"}, {"status": "approved"})


def test_n05_reject_with_a_reason_the_brand_sees(world, staff, operator, note, review):
    response = decide(staff, review, "reject", "与品牌无关")

    assert response.status_code == 200, response.content
    assert (response.json()["status"], response.json()["reason"]) == ("rejected", "与品牌无关")
    row = brand_row(operator, world, note)
    assert (row["review_status"], row["review_reason"]) == ("rejected", "与品牌无关")
    detail = operator.get(brand_url(world.enterprise, f"notes/{note.note_id}/")).json()
    assert [(r["status"], r["reason"]) for r in detail["reviews"]] == [("rejected", "与品牌无关")]
    event = AuditEvent.objects.get(action="note_review.rejected")
    assert (event.reason, event.after) == ("与品牌无关", {"status": "rejected"})


@pytest.mark.parametrize("body", [{}, {"reason": ""}, {"reason": "   "}, {"reason": "x" * 501}, {"reason": None}])
def test_n05_rejecting_needs_a_reason(world, staff, review, body, unchanged):
    with unchanged():
        response = staff.post(f"{QUEUE}{review.pk}/reject/", body, format="json")

    assert response.status_code == 400, response.content
    assert response.json()["code"] == "invalid"
    assert list(response.json()["fields"]) == ["reason"]


@pytest.mark.parametrize(
    "first, second", [("approve", "approve"), ("approve", "reject"), ("reject", "approve"), ("reject", "reject")]
)
def test_n05_a_decided_review_cannot_be_decided_again(world, staff, review, first, second, unchanged):
    assert decide(staff, review, first, "首次").status_code == 200

    with unchanged():
        response = decide(staff, review, second, "再次")

    assert response.status_code == 409, response.content
    assert response.json()["code"] == "review_not_open"


def test_n05_a_rejected_note_can_be_submitted_again(world, staff, operator, note, review):
    """Resubmission makes a new review row (and takes quota again); the list shows the new one."""
    decide(staff, review, "reject", "画面模糊")

    response = submit(operator, world.enterprise, [note.note_id])

    assert response.status_code == 201, response.content
    assert response.json()["results"] == [{"note_id": note.note_id, "status": "in_review"}]
    reviews = NoteReview.objects.filter(note=note).order_by("pk")
    assert [r.status for r in reviews] == ["rejected", "in_review"]
    assert quota(operator, world.enterprise)["used"] == 2
    row = brand_row(operator, world, note)
    assert (row["review_status"], row["review_id"], row["review_reason"]) == ("in_review", reviews[1].pk, "")
    detail = operator.get(brand_url(world.enterprise, f"notes/{note.note_id}/")).json()
    assert sorted(r["status"] for r in detail["reviews"]) == ["in_review", "rejected"]


@pytest.mark.parametrize("decision", [None, "approve"], ids=["in_review", "approved"])
def test_n05_an_open_or_approved_note_cannot_be_submitted_again(world, staff, operator, note, review, decision):
    """`note_already_submitted` for that note; no review row, no quota taken."""
    if decision:
        decide(staff, review, decision)

    response = submit(operator, world.enterprise, [note.note_id])

    assert response.status_code == 201, response.content
    assert response.json()["results"] == [{"note_id": note.note_id, "code": "note_already_submitted"}]
    assert NoteReview.objects.filter(note=note).count() == 1
    assert quota(operator, world.enterprise)["used"] == 1


def test_n05_the_queue_lists_open_reviews_oldest_first(travel, t0, world, staff, operator, bound_account):
    """Submissions made at t0+2m, t0, t0+1m appear in the queue as t0, t0+1m, t0+2m; decided ones leave it."""
    notes = [NoteFactory(author=bound_account) for _ in range(4)]
    for minutes, note in zip((2, 0, 1, 3), notes, strict=True):
        travel.move_to(t0 + timedelta(minutes=minutes))
        assert submit(operator, world.enterprise, [note.note_id]).status_code == 201
    reviews = {r.note_id: r for r in NoteReview.objects.all()}
    decide(staff, reviews[notes[3].pk], "approve")

    queue = staff.get(f"{QUEUE}?status=in_review").json()

    assert queue["count"] == 3
    assert [r["note_id"] for r in queue["results"]] == [notes[1].note_id, notes[2].note_id, notes[0].note_id]
    assert queue["results"][0]["submitted_at"] == t0.isoformat()
    approved = staff.get(f"{QUEUE}?status=approved").json()
    assert [r["note_id"] for r in approved["results"]] == [notes[3].note_id]
    assert staff.get(QUEUE).json()["count"] == 4
    one = staff.get(f"{QUEUE}{reviews[notes[1].pk].pk}/").json()
    assert (one["note_id"], one["red_id"], one["enterprise_name"]) == (
        notes[1].note_id,
        bound_account.red_id,
        "花漾美妆",
    )


@pytest.mark.parametrize("actor", ["operator", "owner", "agency_reported", "employee", "analyst"])
def test_n05_only_platform_staff_see_and_decide_the_queue(world, review, actor, unchanged):
    client = world.client(actor)

    with unchanged():
        answers = [
            client.get(f"{QUEUE}?status=in_review"),
            client.get(f"{QUEUE}{review.pk}/"),
            client.post(f"{QUEUE}{review.pk}/approve/"),
            client.post(f"{QUEUE}{review.pk}/reject/", {"reason": "x"}, format="json"),
        ]

    assert [(a.status_code, a.json()["code"]) for a in answers] == [(403, "permission_denied")] * 4
    assert NoteReview.objects.get(pk=review.pk).status == "in_review"


def test_n05_deciding_an_unknown_review_is_404(staff, unchanged, db):
    with unchanged():
        response = staff.post(f"{QUEUE}999999/approve/")

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_n05_a_note_that_moved_enterprises_keeps_each_enterprises_history_apart(world, staff, operator, note, review):
    """The review belongs to the submitting enterprise: once the author binds elsewhere, the note starts there as
    not submitted, and coming back restores the first enterprise's latest review."""
    from bindings import services as binding_services
    from kos_platform.tenancy import Actor

    from .factories import bind

    decide(staff, review, "approve")
    binding = note.author.bindings.get()
    binding_services.binding_remove_for_violation(actor=Actor(user=world.users["staff"]), binding=binding, reason="x")
    moved = bind(world.other_enterprise, note.author)
    theirs = listed(world.client("other_member"), world.other_enterprise)["results"]
    assert [(r["note_id"], r["review_status"]) for r in theirs] == [(note.note_id, "not_submitted")]

    binding_services.binding_remove_for_violation(actor=Actor(user=world.users["staff"]), binding=moved, reason="x")
    bind(world.enterprise, note.author)
    assert brand_row(operator, world, note)["review_status"] == "approved"
    assert Note.objects.get(pk=note.pk).current_review_id == review.pk


@pytest.mark.parametrize("query", ["status=bogus", "month=2026-13", "month=november"])
def test_n05_submission_lists_refuse_unknown_filters(world, query):
    """A status or month the lists do not know is a 400 naming the parameter, on both sides."""
    for client, path in (
        (world.client("staff"), "/api/v1/platform/note-reviews/"),
        (world.client("operator"), f"/api/v1/enterprises/{world.enterprise.pk}/note-reviews/"),
    ):
        answer = client.get(f"{path}?{query}")
        assert answer.status_code == 400 and answer.json()["code"] == "invalid"
        assert query.split("=")[0] in answer.json()["fields"]


def test_n05_the_note_carries_its_current_review_through_every_change(world, staff, operator, note, review):
    """The note's copy of its current review (what the list reads) follows submission, decisions, resubmission,
    and the binding ending and starting again."""
    from bindings import services as binding_services
    from kos_platform.tenancy import Actor

    from .factories import bind

    def copy() -> tuple:
        fresh = Note.objects.select_related("current_review").get(pk=note.pk)
        current = fresh.current_review
        expected = (
            (current.status, current.submitted_at, current.reviewed_at, current.reason)
            if current
            else ("", None, None, "")
        )
        assert (fresh.review_status, fresh.submitted_at, fresh.reviewed_at, fresh.review_reason) == expected
        return expected

    assert copy()[0] == "in_review"
    decide(staff, review, "reject", "与品牌相关性不足")
    assert copy()[0::3] == ("rejected", "与品牌相关性不足")
    assert submit(operator, world.enterprise, [note.note_id]).status_code == 201
    assert copy()[0::3] == ("in_review", "")
    decide(staff, Note.objects.get(pk=note.pk).current_review, "approve")
    approved = copy()
    assert approved[0] == "approved" and approved[2] is not None

    binding = note.author.bindings.get()
    binding_services.binding_remove_for_violation(actor=Actor(user=world.users["staff"]), binding=binding, reason="x")
    assert copy() == ("", None, None, "")
    bind(world.enterprise, note.author)
    assert copy() == approved
