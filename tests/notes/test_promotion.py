"""N06: only an approved note of an author bound to the enterprise can be boosted (内容加热, with a budget) or pushed
to the ad platform (前往聚光); only pushed notes are in the pushed-notes list campaigns draw on."""

import pytest

from accounts.models import AuditEvent
from notes.choices import ReviewStatus
from notes.models import NoteBoost, NotePush

from ..campaigns.helpers import recharge
from .factories import NoteFactory, bind, submit
from .helpers import brand_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def approved(world, note):
    """An approved note of the brand, after the brand's first recharge (E05: boosts draw from the ad account)."""
    recharge(world.enterprise, world.users["owner"], "9000.00")
    submit(note, world.enterprise, ReviewStatus.APPROVED)
    return note


def boost(client, world, note, budget="100.00"):
    return client.post(brand_url(world.enterprise, f"notes/{note.note_id}/boost/"), {"budget": budget}, format="json")


def push(client, world, note):
    return client.post(brand_url(world.enterprise, f"notes/{note.note_id}/push-to-ads/"))


def pushed_ids(client, enterprise) -> list[str]:
    response = client.get(brand_url(enterprise, "pushed-notes/"))
    assert response.status_code == 200, response.content
    return [row["note_id"] for row in response.json()["results"]]


def test_n06_boost_an_approved_note(world, operator, approved):
    response = boost(operator, world, approved, "1500.50")

    assert response.status_code == 201, response.content
    assert (response.json()["note_id"], response.json()["budget"]) == (approved.note_id, "1500.50")
    stored = NoteBoost.objects.get()
    assert (str(stored.budget), stored.created_by, stored.enterprise) == (
        "1500.50",
        world.users["operator"],
        world.enterprise,
    )
    event = AuditEvent.objects.get(action="note.boosted")
    assert event.after == {"note_id": approved.note_id, "budget": "1500.50"}
    assert (event.actor, event.enterprise_id) == (world.users["operator"], world.enterprise.pk)
    assert boost(operator, world, approved, "20").status_code == 201
    detail = operator.get(brand_url(world.enterprise, f"notes/{approved.note_id}/")).json()
    assert sorted(b["budget"] for b in detail["boosts"]) == ["1500.50", "20.00"]


@pytest.mark.parametrize(
    "state", [None, ReviewStatus.IN_REVIEW, ReviewStatus.REJECTED], ids=["not_submitted", "in_review", "rejected"]
)
def test_n06_a_note_not_approved_cannot_be_boosted_or_pushed(world, operator, note, state, unchanged):
    if state:
        submit(note, world.enterprise, state, reason="不通过" if state == ReviewStatus.REJECTED else "")

    with unchanged():
        boosted, pushed = boost(operator, world, note), push(operator, world, note)

    assert (boosted.status_code, boosted.json()["code"]) == (409, "note_not_approved")
    assert (pushed.status_code, pushed.json()["code"]) == (409, "note_not_approved")
    assert pushed_ids(operator, world.enterprise) == []


@pytest.mark.parametrize(
    "budget",
    ["0", "0.00", "-1", "-0.01", "1.005", "abc", "", None, "NaN", "Infinity", "100000000000"],
)
def test_n06_a_bad_budget_is_400_and_stores_nothing(world, operator, approved, budget, unchanged):
    with unchanged():
        response = boost(operator, world, approved, budget)

    assert response.status_code == 400, response.content
    assert response.json()["code"] == "invalid"
    assert list(response.json()["fields"]) == ["budget"]


def test_n06_a_boost_without_a_budget_is_400(world, operator, approved, unchanged):
    with unchanged():
        response = operator.post(brand_url(world.enterprise, f"notes/{approved.note_id}/boost/"), {}, format="json")

    assert (response.status_code, list(response.json()["fields"])) == (400, ["budget"])


def test_n06_pushing_twice_answers_201_then_200_with_one_row(world, operator, approved):
    first = push(operator, world, approved)
    second = push(operator, world, approved)

    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json() == second.json()
    assert first.json()["note_id"] == approved.note_id
    assert NotePush.objects.count() == 1
    assert AuditEvent.objects.filter(action="note.pushed_to_ads").count() == 1
    detail = operator.get(brand_url(world.enterprise, f"notes/{approved.note_id}/")).json()
    assert detail["pushed_at"] == first.json()["pushed_at"]


def test_n06_only_pushed_notes_are_listed_for_the_ad_platform(world, operator, approved, bound_account):
    """Approved but not pushed, in review, or another brand's pushed note: none is listed."""
    waiting = NoteFactory(author=bound_account)
    submit(waiting, world.enterprise, ReviewStatus.APPROVED)
    submit(NoteFactory(author=bound_account), world.enterprise, ReviewStatus.IN_REVIEW)
    theirs = NoteFactory(author=bind(world.other_enterprise).red_account)
    submit(theirs, world.other_enterprise, ReviewStatus.APPROVED)
    other = world.client("other_member")
    assert other.post(brand_url(world.other_enterprise, f"notes/{theirs.note_id}/push-to-ads/")).status_code == 201

    push(operator, world, approved)
    listed = operator.get(brand_url(world.enterprise, "pushed-notes/")).json()

    assert [row["note_id"] for row in listed["results"]] == [approved.note_id]
    assert listed["results"][0]["red_id"] == bound_account.red_id
    assert pushed_ids(other, world.other_enterprise) == [theirs.note_id]


def test_n06_a_pushed_note_leaves_the_list_when_its_author_leaves(world, staff, operator, approved):
    """Campaigns draw only on notes of authors still bound to the enterprise."""
    push(operator, world, approved)
    binding = approved.author.bindings.get()

    staff.post(f"/api/v1/platform/bindings/{binding.pk}/remove-for-violation/", {"reason": "违规"})

    assert pushed_ids(operator, world.enterprise) == []


def test_n06_the_author_of_a_frozen_binding_cannot_be_promoted(world, operator, approved, unchanged):
    """B02: freezing suspends promotion — `author_not_bound`; unfreezing restores it."""
    binding = approved.author.bindings.get()
    assert operator.post(brand_url(world.enterprise, f"bindings/{binding.pk}/freeze/")).status_code == 200

    with unchanged():
        boosted, pushed = boost(operator, world, approved), push(operator, world, approved)

    assert (boosted.status_code, boosted.json()["code"]) == (409, "author_not_bound")
    assert (pushed.status_code, pushed.json()["code"]) == (409, "author_not_bound")

    assert operator.post(brand_url(world.enterprise, f"bindings/{binding.pk}/unfreeze/")).status_code == 200
    assert boost(operator, world, approved).status_code == 201
    assert push(operator, world, approved).status_code == 201
