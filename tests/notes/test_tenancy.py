"""Who may do what with notes: another enterprise's note is a 404 (as a missing one); the read-only analyst lists,
sees the quota and exports but cannot submit or promote (N03, N06); a reported agency acts like an operator and
its changes carry `via_agency`; every state change is audited."""

import pytest

from accounts.models import AuditEvent
from notes.choices import ReviewStatus
from notes.models import NoteBoost, NotePush, NoteReview

from ..campaigns.helpers import recharge
from .factories import NoteFactory, bind, submit
from .helpers import brand_url, listed_ids, metric_row, note_row, quota, sync_metrics, sync_notes
from .helpers import submit as submit_api

pytestmark = pytest.mark.django_db


@pytest.fixture
def their_note(world):
    """An approved note of an employee bound to the other enterprise."""
    note = NoteFactory(author=bind(world.other_enterprise).red_account)
    submit(note, world.other_enterprise, ReviewStatus.APPROVED)
    return note


@pytest.fixture
def approved(world, note):
    submit(note, world.enterprise, ReviewStatus.APPROVED)
    return note


def note_calls(client, enterprise, note_id: str) -> list:
    base = brand_url(enterprise, f"notes/{note_id}/")
    return [
        client.get(base),
        client.get(base + "metrics/"),
        client.post(base + "boost/", {"budget": "10.00"}, format="json"),
        client.post(base + "push-to-ads/"),
    ]


def test_n01_another_enterprises_note_is_404_on_every_note_endpoint(world, operator, their_note, unchanged):
    with unchanged():
        answers = note_calls(operator, world.enterprise, their_note.note_id)

    assert [(a.status_code, a.json()["code"]) for a in answers] == [(404, "not_found")] * 4
    assert their_note.note_id not in listed_ids(operator, world.enterprise)


def test_n01_a_missing_note_is_the_same_404(world, operator, unchanged, db):
    with unchanged():
        answers = note_calls(operator, world.enterprise, "ffffffffffffffffffffffff")

    assert [(a.status_code, a.json()["code"]) for a in answers] == [(404, "not_found")] * 4


@pytest.mark.parametrize("actor", ["other_member", "agency_unreported", "employee", "staff"])
def test_n01_outsiders_get_404_on_the_brand_note_endpoints(world, approved, actor, unchanged):
    client = world.client(actor)
    eid = world.enterprise

    with unchanged():
        answers = [
            *note_calls(client, eid, approved.note_id),
            client.get(brand_url(eid, "notes/")),
            client.get(brand_url(eid, "notes/export/?format=csv")),
            client.get(brand_url(eid, "note-quota/")),
            client.get(brand_url(eid, "note-reviews/")),
            client.post(brand_url(eid, "note-reviews/"), {"note_ids": [approved.note_id]}, format="json"),
            client.get(brand_url(eid, "pushed-notes/")),
        ]

    assert [a.status_code for a in answers] == [404] * len(answers)


def test_n02_the_analyst_reads_the_list_quota_and_export(world, note):
    analyst = world.client("analyst")

    assert listed_ids(analyst, world.enterprise) == [note.note_id]
    assert quota(analyst, world.enterprise)["remaining"] == 1000
    export = analyst.get(brand_url(world.enterprise, "notes/export/?format=csv"))
    assert export.status_code == 200
    assert note.note_id.encode() in b"".join(export.streaming_content)
    assert analyst.get(brand_url(world.enterprise, f"notes/{note.note_id}/")).status_code == 200
    assert analyst.get(brand_url(world.enterprise, f"notes/{note.note_id}/metrics/")).status_code == 200
    assert analyst.get(brand_url(world.enterprise, "note-reviews/")).status_code == 200
    assert analyst.get(brand_url(world.enterprise, "pushed-notes/")).status_code == 200


def test_n03_n06_the_analyst_cannot_submit_boost_or_push(world, note, approved, unchanged):
    analyst = world.client("analyst")
    fresh = NoteFactory(author=note.author)

    with unchanged():
        answers = [
            submit_api(analyst, world.enterprise, [fresh.note_id]),
            analyst.post(brand_url(world.enterprise, f"notes/{approved.note_id}/boost/"), {"budget": "10"}),
            analyst.post(brand_url(world.enterprise, f"notes/{approved.note_id}/push-to-ads/")),
        ]

    assert [(a.status_code, a.json()["code"]) for a in answers] == [(403, "permission_denied")] * 3


def test_n04_n06_a_reported_agency_acts_like_an_operator_and_is_recorded(world, staff, note):
    """Agency staff submit, boost and push; the rows and the audit records carry the agency."""
    agency = world.client("agency_reported")
    fresh = NoteFactory(author=note.author)
    recharge(world.enterprise, world.users["owner"], "9000.00")  # E05: a boost draws from the ad account

    submitted = submit_api(agency, world.enterprise, [note.note_id, fresh.note_id])
    assert submitted.status_code == 201, submitted.content
    assert quota(agency, world.enterprise)["used"] == 2
    review = NoteReview.objects.get(note=note)
    assert staff.post(f"/api/v1/platform/note-reviews/{review.pk}/approve/").status_code == 200
    boosted = agency.post(brand_url(world.enterprise, f"notes/{note.note_id}/boost/"), {"budget": "88.00"})
    pushed = agency.post(brand_url(world.enterprise, f"notes/{note.note_id}/push-to-ads/"))

    assert (boosted.status_code, pushed.status_code) == (201, 201)
    assert set(NoteReview.objects.values_list("via_agency", flat=True)) == {world.agency.pk}
    assert (NoteBoost.objects.get().via_agency, NotePush.objects.get().via_agency) == (world.agency, world.agency)
    events = AuditEvent.objects.filter(action__in=("note_review.submitted", "note.boosted", "note.pushed_to_ads"))
    assert sorted(events.values_list("action", flat=True)) == [
        "note.boosted",
        "note.pushed_to_ads",
        "note_review.submitted",
        "note_review.submitted",
    ]
    assert {(e.actor_id, e.via_agency_id, e.enterprise_id) for e in events} == {
        (world.users["agency_reported"].pk, world.agency.pk, world.enterprise.pk)
    }
    log = world.client("owner").get(brand_url(world.enterprise, "audit-log/?page_size=100")).json()["results"]
    agency_entries = [e for e in log if e["action"] in ("note_review.submitted", "note.boosted", "note.pushed_to_ads")]
    assert len(agency_entries) == 4
    assert all(e["via_agency"] for e in agency_entries)
    reviews = agency.get(brand_url(world.enterprise, "note-reviews/")).json()["results"]
    assert {r["via_agency"] for r in reviews} == {world.agency.name}


def test_n01_n06_every_note_state_change_writes_an_audit_event(world, staff, operator, bound_account):
    """Ingest batches, each submitted note, approve, reject, boost, push: one record each, with its actor."""
    recharge(world.enterprise, world.users["owner"], "9000.00")  # E05: a boost draws from the ad account
    rows = [note_row(bound_account.red_id), note_row(bound_account.red_id)]
    sync_notes(staff, rows)
    sync_metrics(staff, [metric_row(rows[0]["note_id"])])
    submit_api(operator, world.enterprise, [r["note_id"] for r in rows])
    first, second = NoteReview.objects.order_by("pk")
    staff.post(f"/api/v1/platform/note-reviews/{first.pk}/approve/")
    staff.post(f"/api/v1/platform/note-reviews/{second.pk}/reject/", {"reason": "无关"})
    operator.post(brand_url(world.enterprise, f"notes/{rows[0]['note_id']}/boost/"), {"budget": "5"})
    operator.post(brand_url(world.enterprise, f"notes/{rows[0]['note_id']}/push-to-ads/"))

    events = (
        AuditEvent.objects.exclude(action__startswith="api_key").exclude(action__startswith="ad_account").order_by("pk")
    )
    staff_pk, operator_pk = world.users["staff"].pk, world.users["operator"].pk
    assert [(e.action, e.actor_id) for e in events] == [
        ("notes.synced", staff_pk),
        ("note_metrics.synced", staff_pk),
        ("note_review.submitted", operator_pk),
        ("note_review.submitted", operator_pk),
        ("note_review.approved", staff_pk),
        ("note_review.rejected", staff_pk),
        ("note.boosted", operator_pk),
        ("note.pushed_to_ads", operator_pk),
    ]
    assert {e.enterprise_id for e in events[2:]} == {world.enterprise.pk}
