"""The whole note flow through the API: sync, list, submit, review, boost, push (N01, N03–N06)."""

from datetime import timedelta

from kos_platform import clock
from notes.models import Note, NoteReview

from ..campaigns.helpers import recharge
from ..factories import RedAccountFactory
from .factories import bind


def test_n01_synced_notes_of_bound_employees_reach_the_brand_list(world, bound_account):
    stranger = RedAccountFactory(red_id="95279999")
    published = (clock.now() - timedelta(days=2)).isoformat()
    rows = [
        {
            "note_id": "649baff80000000012aaaa01",
            "red_id": bound_account.red_id,
            "title": "法式沉浸体验",
            "type": "video",
            "url": "https://www.xiaohongshu.com/explore/649baff80000000012aaaa01",
            "published_at": published,
        },
        {
            "note_id": "649baff80000000012aaaa02",
            "red_id": stranger.red_id,
            "title": "不相关",
            "type": "image",
            "url": "https://www.xiaohongshu.com/explore/649baff80000000012aaaa02",
            "published_at": published,
        },
    ]
    staff = world.client("staff")
    answer = staff.post("/api/v1/platform/notes/", rows, format="json")
    assert answer.status_code == 200, answer.json()
    assert answer.json() == {"received": 2, "created": 2, "updated": 0}
    day = clock.local_today().isoformat()
    metric = {
        "note_id": "649baff80000000012aaaa01",
        "date": day,
        "exposure": 1000,
        "reads": 120,
        "likes": 11,
        "collects": 3,
        "comments": 2,
        "shares": 1,
        "leads": 0,
        "read_uv": 100,
        "play_5s_rate": 0.2214,
        "read_3s_rate": None,
        "avg_view_seconds": 5,
    }
    answer = staff.post("/api/v1/platform/note-metrics/", [metric], format="json")
    assert answer.status_code == 200, answer.json()

    listed = world.client("operator").get(f"/api/v1/enterprises/{world.enterprise.pk}/notes/")
    assert listed.status_code == 200, listed.json()
    body = listed.json()
    assert body["count"] == 1
    row = body["results"][0]
    assert row["note_id"] == "649baff80000000012aaaa01" and row["exposure"] == 1000 and row["engagement"] == 16
    assert row["review_status"] == "not_submitted" and row["signals"]["promising"] is True


def test_n05_submit_review_approve_then_boost_and_push(world, note):
    eid = world.enterprise.pk
    operator = world.client("operator")
    answer = operator.post(f"/api/v1/enterprises/{eid}/note-reviews/", {"note_ids": [note.note_id]}, format="json")
    assert answer.status_code == 201, answer.json()
    assert answer.json()["results"] == [{"note_id": note.note_id, "status": "in_review"}]
    assert answer.json()["quota"]["used"] == 1 and answer.json()["quota"]["remaining"] == 999

    refused = operator.post(
        f"/api/v1/enterprises/{eid}/notes/{note.note_id}/boost/", {"budget": "100.00"}, format="json"
    )
    assert refused.status_code == 409 and refused.json()["code"] == "note_not_approved"

    review = NoteReview.objects.get(note=note)
    staff = world.client("staff")
    queue = staff.get("/api/v1/platform/note-reviews/?status=in_review").json()
    assert [item["id"] for item in queue["results"]] == [review.pk]
    assert staff.post(f"/api/v1/platform/note-reviews/{review.pk}/approve/").status_code == 200

    recharge(world.enterprise, world.users["owner"], "9000.00")  # E05: a boost draws from the ad account
    boosted = operator.post(
        f"/api/v1/enterprises/{eid}/notes/{note.note_id}/boost/", {"budget": "100.00"}, format="json"
    )
    assert boosted.status_code == 201 and boosted.json()["budget"] == "100.00"
    pushed = operator.post(f"/api/v1/enterprises/{eid}/notes/{note.note_id}/push-to-ads/")
    assert pushed.status_code == 201
    assert operator.post(f"/api/v1/enterprises/{eid}/notes/{note.note_id}/push-to-ads/").status_code == 200
    listed = operator.get(f"/api/v1/enterprises/{eid}/pushed-notes/").json()
    assert [item["note_id"] for item in listed["results"]] == [note.note_id]
    detail = operator.get(f"/api/v1/enterprises/{eid}/notes/{note.note_id}/").json()
    assert detail["review_status"] == "approved" and detail["pushed_at"] and len(detail["boosts"]) == 1
    for kind in ("csv", "xlsx"):
        exported = operator.get(f"/api/v1/enterprises/{eid}/notes/export/?format={kind}")
        assert exported.status_code == 200
        assert b"".join(exported.streaming_content)


def test_n01_notes_follow_the_binding(world, note):
    other = world.other_enterprise
    from bindings import services as binding_services
    from kos_platform.tenancy import Actor

    binding = note.author.bindings.get()
    binding_services.binding_remove_for_violation(actor=Actor(user=world.users["staff"]), binding=binding, reason="x")
    assert Note.objects.get(pk=note.pk).enterprise_id is None
    bind(other, note.author)
    assert Note.objects.get(pk=note.pk).enterprise_id == other.pk
