"""N01: notes and their daily metrics arrive through the ingest API and reach the list of the enterprise the author
is bound to now — and only that list; they follow the binding when it ends or moves."""

from datetime import timedelta

import pytest

from accounts.models import AuditEvent
from kos_platform import clock
from notes.models import Note, NoteDailyMetric

from ..bindings import helpers as binding_helpers
from ..factories import RedAccountFactory
from .factories import bind
from .helpers import COUNT_FIELDS, brand_url, listed, listed_ids, metric_row, note_row, sync_metrics, sync_notes

pytestmark = pytest.mark.django_db


def test_n01_a_synced_note_reaches_its_authors_enterprise_list_only(world, staff, operator, bound_account):
    """The note of a bound employee is listed by the author's enterprise, not by another one."""
    row = note_row(bound_account.red_id, title="法式沉浸体验")

    assert sync_notes(staff, [row]) == {"received": 1, "created": 1, "updated": 0}

    mine = listed(operator, world.enterprise)
    assert mine["count"] == 1
    assert [r["note_id"] for r in mine["results"]] == [row["note_id"]]
    assert mine["results"][0]["red_id"] == bound_account.red_id
    assert mine["results"][0]["review_status"] == "not_submitted"
    theirs = listed(world.client("other_member"), world.other_enterprise)
    assert theirs == {"count": 0, "next": None, "previous": None, "results": []}


def test_n01_a_note_of_an_unbound_author_appears_in_no_list_until_the_author_binds(world, staff, operator):
    """An unbound author's note is stored but listed nowhere; when the account binds, its notes follow."""
    stranger = RedAccountFactory(red_id="95279999")
    row = note_row(stranger.red_id)

    sync_notes(staff, [row])

    assert Note.objects.get(note_id=row["note_id"]).enterprise_id is None
    assert listed(operator, world.enterprise)["count"] == 0
    assert listed(world.client("other_member"), world.other_enterprise)["count"] == 0

    bind(world.enterprise, stranger)

    assert listed(operator, world.enterprise)["count"] == 1
    assert listed_ids(operator, world.enterprise) == [row["note_id"]]


def test_n01_notes_leave_the_list_on_unbind_and_follow_the_account_to_another_enterprise(world, staff, operator):
    """Unbinding (B03) takes the notes out of the brand's list; binding elsewhere (here enterprise-owned, which B09
    allows at once) brings them to the new enterprise's list; the kept counts follow both moves."""
    account = RedAccountFactory(red_id="95270042")
    binding = bind(world.enterprise, account, effective_at=clock.now() - timedelta(days=31))
    rows = [note_row(account.red_id), note_row(account.red_id)]
    sync_notes(staff, rows)
    assert listed(operator, world.enterprise)["count"] == 2

    answer = operator.post(brand_url(world.enterprise, f"bindings/{binding.pk}/unbind/"), {"reason": "离职"})
    assert answer.status_code == 200, answer.content

    assert listed(operator, world.enterprise) == {"count": 0, "next": None, "previous": None, "results": []}
    assert set(Note.objects.values_list("enterprise_id", flat=True)) == {None}

    binding_helpers.bind(world.other_enterprise, account, binding_helpers.OWNED)

    theirs = listed(world.client("other_member"), world.other_enterprise)
    assert theirs["count"] == 2
    assert {r["note_id"] for r in theirs["results"]} == {r["note_id"] for r in rows}
    assert listed(operator, world.enterprise)["count"] == 0


def test_n01_notes_leave_the_list_when_the_platform_removes_the_binding_for_a_violation(world, staff, operator):
    """E04 removal ends the binding: the author's notes leave the list."""
    account = RedAccountFactory()
    binding = bind(world.enterprise, account)
    row = note_row(account.red_id)
    sync_notes(staff, [row])
    assert listed_ids(operator, world.enterprise) == [row["note_id"]]

    answer = staff.post(f"/api/v1/platform/bindings/{binding.pk}/remove-for-violation/", {"reason": "证明造假"})
    assert answer.status_code == 200, answer.content

    assert listed(operator, world.enterprise)["count"] == 0
    assert listed_ids(operator, world.enterprise) == []


def test_n01_a_frozen_binding_keeps_the_notes_listed_but_marks_them_inactive(world, staff, operator):
    """Freezing (B02) does not end the binding: the notes stay, with `binding_active` false."""
    account = RedAccountFactory()
    binding = bind(world.enterprise, account)
    row = note_row(account.red_id)
    sync_notes(staff, [row])

    answer = operator.post(brand_url(world.enterprise, f"bindings/{binding.pk}/freeze/"))
    assert answer.status_code == 200, answer.content

    page = listed(operator, world.enterprise)
    assert page["count"] == 1
    assert page["results"][0]["note_id"] == row["note_id"]
    assert page["results"][0]["binding_active"] is False


def test_n01_syncing_the_same_batch_again_updates_the_notes_in_place(world, staff, operator, bound_account):
    """Idempotent upsert by note_id: the first batch creates, the same batch again updates; one row per note.
    A later sync changes the title, type, link and publication time."""
    rows = [note_row(bound_account.red_id, title="初稿标题"), note_row(bound_account.red_id)]

    assert sync_notes(staff, rows) == {"received": 2, "created": 2, "updated": 0}
    assert sync_notes(staff, rows) == {"received": 2, "created": 0, "updated": 2}
    assert Note.objects.count() == 2

    published = clock.now() - timedelta(days=1)
    changed = note_row(
        bound_account.red_id,
        rows[0]["note_id"],
        title="修改后的标题",
        type="video",
        url=f"https://www.xiaohongshu.com/discovery/item/{rows[0]['note_id']}",
        published_at=published,
    )
    assert sync_notes(staff, [changed]) == {"received": 1, "created": 0, "updated": 1}

    assert Note.objects.count() == 2
    detail = operator.get(brand_url(world.enterprise, f"notes/{rows[0]['note_id']}/")).json()
    assert detail["title"] == "修改后的标题"
    assert detail["type"] == "video"
    assert detail["url"] == changed["url"]
    assert detail["published_at"] == changed["published_at"]
    assert listed(operator, world.enterprise)["count"] == 2


def test_n01_daily_metrics_upsert_by_note_and_day_and_the_totals_are_the_sums(world, staff, operator, bound_account):
    """A day sent again replaces that day; the kept totals (and engagement = likes + collects + comments,
    metrics_through = the latest day) equal the sums over the days, in the list and the note's metrics."""
    today = clock.local_today()
    row = note_row(bound_account.red_id, published_at=clock.now() - timedelta(days=5))
    sync_notes(staff, [row])
    note_id = row["note_id"]
    days = [today - timedelta(days=n) for n in (3, 2, 1)]
    first = [
        metric_row(note_id, days[0], exposure=100, reads=10, likes=1, collects=2, comments=3, shares=1, read_uv=9),
        metric_row(note_id, days[1], exposure=200, reads=20, likes=4, collects=0, comments=1, leads=2, read_uv=15),
        metric_row(note_id, days[2], exposure=50, reads=5, likes=0, collects=1, comments=0, play_5s_rate=0.2214),
    ]
    assert sync_metrics(staff, first) == {"received": 3, "notes": 1}

    replacement = metric_row(note_id, days[1], exposure=300, reads=30, likes=7, collects=5, comments=2, read_uv=25)
    assert sync_metrics(staff, [replacement]) == {"received": 1, "notes": 1}

    assert NoteDailyMetric.objects.filter(note__note_id=note_id).count() == 3
    days_sent = [first[0], replacement, first[2]]
    expected = {field: sum(day[field] for day in days_sent) for field in COUNT_FIELDS}
    note = Note.objects.get(note_id=note_id)
    assert {field: getattr(note, field) for field in COUNT_FIELDS} == expected
    assert note.engagement == expected["likes"] + expected["collects"] + expected["comments"] == 21
    assert note.metrics_through == days[2]

    row = listed(operator, world.enterprise)["results"][0]
    assert {field: row[field] for field in COUNT_FIELDS} == expected
    assert row["engagement"] == 21
    assert row["metrics_through"] == days[2].isoformat()

    series = operator.get(brand_url(world.enterprise, f"notes/{note_id}/metrics/")).json()
    assert [day["date"] for day in series] == [day.isoformat() for day in days]
    assert series[1]["exposure"] == 300 and series[1]["likes"] == 7
    assert series[2]["play_5s_rate"] == "0.2214"
    window = f"notes/{note_id}/metrics/?from={days[1].isoformat()}&to={days[1].isoformat()}"
    assert [day["date"] for day in operator.get(brand_url(world.enterprise, window)).json()] == [days[1].isoformat()]


def test_n01_an_older_day_sent_later_keeps_metrics_through_at_the_latest_day(staff, bound_account):
    """metrics_through is the latest day received, whatever the order days arrive in."""
    today = clock.local_today()
    row = note_row(bound_account.red_id, published_at=clock.now() - timedelta(days=5))
    sync_notes(staff, [row])

    sync_metrics(staff, [metric_row(row["note_id"], today, reads=4)])
    sync_metrics(staff, [metric_row(row["note_id"], today - timedelta(days=2), reads=6)])

    note = Note.objects.get(note_id=row["note_id"])
    assert (note.reads, note.metrics_through) == (10, today)


def test_n01_each_ingest_batch_writes_an_audit_event(world, staff, bound_account):
    """Every ingest batch is recorded: who sent it and how many rows it created or updated."""
    rows = [note_row(bound_account.red_id), note_row(bound_account.red_id)]
    sync_notes(staff, rows)
    sync_notes(staff, rows[:1])
    sync_metrics(staff, [metric_row(rows[0]["note_id"]), metric_row(rows[1]["note_id"])])

    events = list(AuditEvent.objects.filter(action__in=("notes.synced", "note_metrics.synced")).order_by("pk"))
    assert [(e.action, e.actor_id, e.after) for e in events] == [
        ("notes.synced", world.users["staff"].pk, {"received": 2, "created": 2, "updated": 0}),
        ("notes.synced", world.users["staff"].pk, {"received": 1, "created": 0, "updated": 1}),
        ("note_metrics.synced", world.users["staff"].pk, {"received": 2, "notes": 2}),
    ]


def test_n01_a_batch_of_new_days_a_missing_day_and_revised_days_keeps_the_totals_the_sums(staff, bound_account):
    """Days after the last one are new; a day before it may be stored (revised) or missing (sent late): the kept
    totals move by what each day changed by in all three cases."""
    today = clock.local_today()
    row = note_row(bound_account.red_id, published_at=clock.now() - timedelta(days=8))
    sync_notes(staff, [row])
    note_id = row["note_id"]
    day = {n: today - timedelta(days=n) for n in range(7)}
    sync_metrics(staff, [metric_row(note_id, day[6], reads=5, likes=1), metric_row(note_id, day[4], reads=7)])

    sync_metrics(
        staff,
        [
            metric_row(note_id, day[6], reads=2, likes=3),  # revised
            metric_row(note_id, day[5], reads=11),  # missing until now, before the last day
            metric_row(note_id, day[2], reads=13, comments=2),  # new
            metric_row(note_id, day[1], reads=17),  # new
        ],
    )

    note = Note.objects.get(note_id=note_id)
    assert (note.reads, note.likes, note.comments, note.engagement) == (2 + 11 + 7 + 13 + 17, 3, 2, 5)
    assert note.metrics_through == day[1]
    stored = NoteDailyMetric.objects.filter(note=note)
    assert sum(stored.values_list("reads", flat=True)) == note.reads
