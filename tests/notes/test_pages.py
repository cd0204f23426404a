"""The note pages through Django's test client: the two tabs with N02's filters, sorts and paging, the N07 badges,
submission (N03, N04) and its messages, boost and push (N06), the detail page with its figures, roles, tenancy, the
agency's route; the staff console's review queue (N05) and the monthly quota (N04)."""

import json
import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from accounts.models import AuditEvent
from kos_platform import clock
from notes.models import NoteBoost, NotePush, NoteReview

from ..campaigns.helpers import recharge
from ..factories import PASSWORD, RedAccountFactory
from .factories import NoteFactory, bind, metrics, submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def browser(world):
    """A logged-in page client for a world actor, reading English pages."""

    def login(actor):
        client = Client()
        assert client.login(username=world.users[actor].username, password=PASSWORD)
        client.cookies["kos_language"] = "en"
        return client

    return login


@pytest.fixture
def page(world):
    return lambda rest="": f"/w/{world.enterprise.pk}/notes/{rest}"


@pytest.fixture
def notes(world, bound_account):
    """Three notes of one bound employee (李小美) and one of another (王大力), newest first by publish time."""
    other = bind(world.enterprise, RedAccountFactory(red_id="95271002", nickname="大力探店"), name="王大力").red_account
    bound_binding = bound_account.bindings.get()
    bound_binding.name = "李小美"
    bound_binding.save(update_fields=["name"])
    now = clock.now()
    return {
        "video": NoteFactory(
            author=bound_account,
            title="法式沉浸体验",
            type="video",
            exposure=91091,
            reads=1091,
            engagement=300,
            likes=200,
            comments=80,
            published_at=now - timedelta(days=1),
        ),
        "image": NoteFactory(
            author=bound_account,
            title="秋冬通勤穿搭",
            exposure=500,
            reads=50,
            engagement=5,
            likes=3,
            published_at=now - timedelta(days=2),
        ),
        "old": NoteFactory(author=bound_account, title="去年的笔记", published_at=now - timedelta(days=120)),
        "other": NoteFactory(
            author=other,
            title="探店日记",
            exposure=7000,
            reads=700,
            engagement=70,
            published_at=now - timedelta(days=3),
        ),
    }


def rows(response) -> list[str]:
    """The note IDs of the table's rows, in order."""
    return re.findall(r'data-testid="note-row" data-note-id="([^"]+)"', response.content.decode())


def banner(response) -> tuple[int, int]:
    match = re.search(
        r'data-testid="quota-banner" data-remaining="(\d+)" data-limit="(\d+)"', response.content.decode()
    )
    return int(match.group(1)), int(match.group(2))


# Pages, roles, tenancy ------------------------------------------------------------------------------------------


def test_n01_pending_tab_lists_the_unsubmitted_notes_with_the_quota_banner_and_actions(world, browser, page, notes):
    response = browser("operator").get(page())
    assert response.status_code == 200
    content = response.content.decode()
    assert set(rows(response)) == {note.note_id for note in notes.values()}
    assert rows(response)[0] == notes["video"].note_id  # newest first
    assert banner(response) == (1000, 1000)
    assert "Review quota left this month: 1000/1000" in content
    assert f'href="/w/{world.enterprise.pk}/employees/"' in content  # 员工账号
    assert 'data-testid="submit-selected"' in content and 'data-testid="select-all"' in content
    assert content.count('data-testid="submit-one"') == 3  # not the note published 120 days ago
    assert "The note was published more than 90 days ago." in content
    assert "李小美" in content and "95271001" in content and "91,091" in content
    assert "4 notes in all" in content
    # N07: the promising note (likes > 10) is flagged with its rule as a tooltip; every account has < 10 notes
    assert content.count('data-signal="promising"') == 1
    assert "More than 10 likes or more than 5 comments" in content
    assert 'data-signal="below_starting_notes"' in content
    assert 'data-signal="healthy"' not in content
    # the export links carry the tab and filters
    assert f"/w/{world.enterprise.pk}/notes/export.csv?review_status=not_submitted" in content


def test_analyst_sees_the_notes_without_any_action(world, browser, page, notes):
    review = submit(notes["image"], world.enterprise, "approved")
    client = browser("analyst")
    for url in (page(), page("submitted/"), page(f"{notes['image'].note_id}/")):
        content = client.get(url).content.decode()
        for action in ("submit-selected", "submit-one", "select-all", "boost", "push", "resubmit", "boost-submit"):
            assert f'data-testid="{action}"' not in content, (url, action)
    assert review.note.title in client.get(page("submitted/")).content.decode()


def test_analyst_posting_is_403_and_changes_nothing(world, browser, page, notes, unchanged):
    submit(notes["image"], world.enterprise, "approved")
    client = browser("analyst")
    with unchanged():
        assert client.post(page("submit/"), {"note_ids": [notes["video"].note_id]}).status_code == 403
        detail = page(f"{notes['image'].note_id}/")
        assert client.post(detail, {"action": "boost", "budget": "100"}).status_code == 403
        assert client.post(detail, {"action": "push"}).status_code == 403


def test_another_tenant_is_404(world, browser, page, notes):
    outsider = browser("other_member")
    assert outsider.get(page()).status_code == 404
    assert outsider.get(page(f"{notes['video'].note_id}/")).status_code == 404
    assert outsider.post(page("submit/"), {"note_ids": [notes["video"].note_id]}).status_code == 404
    # …and another enterprise's note through one's own workspace is a 404 too
    foreign = NoteFactory(author=bind(world.other_enterprise).red_account)
    own = f"/w/{world.other_enterprise.pk}/notes/"
    assert outsider.get(f"{own}{notes['video'].note_id}/").status_code == 404
    assert browser("operator").get(page(f"{foreign.note_id}/")).status_code == 404


def test_agency_staff_work_in_the_workspace_after_entering_from_the_console(world, browser, page, notes):
    client = browser("agency_reported")
    direct = client.get(page())
    assert direct.status_code == 302 and direct.url == "/agency/"
    client.post(f"/agency/brands/{world.enterprise.pk}/enter/")
    response = client.get(page())
    assert response.status_code == 200 and 'data-testid="submit-selected"' in response.content.decode()
    client.post(page("submit/"), {"note_ids": [notes["video"].note_id]})
    review = NoteReview.objects.get()
    assert review.via_agency == world.agency and review.submitted_by == world.users["agency_reported"]
    detail = client.get(page(f"{notes['video'].note_id}/")).content.decode()
    assert "via 星河代理" in detail


def test_pages_need_a_login(world, page, notes, client):
    response = client.get(page())
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")


# Submission ----------------------------------------------------------------------------------------------------


def test_n03_n04_submitting_checked_notes_creates_reviews_lowers_the_banner_and_lists_them(world, browser, page, notes):
    client = browser("operator")
    response = client.post(
        page("submit/"),
        {"note_ids": [notes["video"].note_id, notes["image"].note_id], "next": page() + "?ordering=-exposure"},
        follow=True,
    )
    assert response.redirect_chain == [(page() + "?ordering=-exposure", 302)]
    content = response.content.decode()
    assert "2 notes are submitted for platform review." in content
    assert "Review quota left this month: 998/1000" in content
    assert banner(response) == (998, 1000)
    assert set(rows(response)) == {notes["old"].note_id, notes["other"].note_id}
    reviews = NoteReview.objects.filter(enterprise=world.enterprise)
    assert {r.note_id for r in reviews} == {notes["video"].pk, notes["image"].pk}
    assert {r.status for r in reviews} == {"in_review"} and {r.submitted_by for r in reviews} == {
        world.users["operator"]
    }

    submitted = client.get(page("submitted/"))
    assert set(rows(submitted)) == {notes["video"].note_id, notes["image"].note_id}
    body = submitted.content.decode()
    assert body.count('data-testid="review-status">In review<') == 2
    assert banner(submitted) == (998, 1000)


def test_n03_refused_notes_are_listed_with_their_reason(world, browser, page, notes):
    response = browser("operator").post(
        page("submit/"), {"note_ids": [notes["old"].note_id, notes["video"].note_id]}, follow=True
    )
    content = response.content.decode()
    assert "1 note is submitted for platform review." in content
    assert "1 note could not be submitted:" in content
    assert f"去年的笔记 ({notes['old'].note_id}): The note was published more than 90 days ago." in content
    assert NoteReview.objects.get().note == notes["video"]


def test_n04_over_the_quota_nothing_is_submitted_and_the_remaining_quota_is_said(
    world, browser, page, notes, unchanged
):
    world.enterprise.monthly_note_quota = 1
    world.enterprise.save(update_fields=["monthly_note_quota"])
    with unchanged():
        response = browser("operator").post(
            page("submit/"), {"note_ids": [notes["video"].note_id, notes["image"].note_id]}, follow=True
        )
    content = response.content.decode()
    assert "Not enough note-review quota left this month." in content
    assert "Left this month: 1; submittable notes selected: 2." in content
    assert banner(response) == (1, 1)


def test_submitting_nothing_or_an_unknown_note_says_so_and_stores_nothing(world, browser, page, notes, unchanged):
    foreign = NoteFactory(author=bind(world.other_enterprise).red_account)
    client = browser("operator")
    with unchanged():
        empty = client.post(page("submit/"), {}, follow=True).content.decode()
        unknown = client.post(page("submit/"), {"note_ids": [foreign.note_id]}, follow=True).content.decode()
        evil = client.post(page("submit/"), {"note_ids": ["x"], "next": "https://evil.example/"})
    assert "Select at least one note." in empty
    assert "Not among this enterprise&#x27;s notes" in unknown and foreign.note_id in unknown
    assert evil.url == page()  # an outside `next` is not followed


# Filters, sorts, paging ----------------------------------------------------------------------------------------


def test_n02_every_filter_and_sort(world, browser, page, notes):
    client = browser("analyst")
    assert rows(client.get(page("?title=通勤"))) == [notes["image"].note_id]
    assert set(rows(client.get(page("?employee=李小美")))) == {
        notes["video"].note_id,
        notes["image"].note_id,
        notes["old"].note_id,
    }
    assert rows(client.get(page("?employee=大力探"))) == [notes["other"].note_id]  # the nickname
    assert rows(client.get(page(f"?note_id={notes['image'].note_id}"))) == [notes["image"].note_id]
    assert rows(client.get(page(f"?url={notes['other'].url}"))) == [notes["other"].note_id]
    assert rows(client.get(page("?type=video"))) == [notes["video"].note_id]
    since = (clock.local_today() - timedelta(days=2)).isoformat()
    assert set(rows(client.get(page(f"?published_from={since}")))) == {notes["video"].note_id, notes["image"].note_id}
    until = (clock.local_today() - timedelta(days=100)).isoformat()
    assert rows(client.get(page(f"?published_to={until}"))) == [notes["old"].note_id]
    by_exposure = [notes[key].note_id for key in ("video", "other", "image", "old")]
    assert rows(client.get(page("?ordering=-exposure"))) == by_exposure
    assert rows(client.get(page("?ordering=exposure"))) == by_exposure[::-1]
    assert rows(client.get(page("?ordering=-reads"))) == by_exposure
    assert rows(client.get(page("?ordering=-engagement"))) == by_exposure
    # the active header links to the other direction
    assert 'data-sort="exposure"' in client.get(page("?ordering=-exposure")).content.decode()

    submit(notes["video"], world.enterprise, at=clock.now() - timedelta(days=5))
    submit(notes["image"], world.enterprise, "rejected", reason="与品牌无关")
    today = clock.local_today().isoformat()
    assert rows(client.get(page(f"submitted/?submitted_from={today}"))) == [notes["image"].note_id]
    assert rows(client.get(page("submitted/?ordering=submitted_at"))) == [
        notes["video"].note_id,
        notes["image"].note_id,
    ]


def test_n02_invalid_filters_show_the_errors_not_a_500(world, browser, page, notes):
    client = browser("operator")
    response = client.get(page("?published_from=2026-13-40&type=audio&ordering=-nonsense"))
    assert response.status_code == 400
    content = response.content.decode()
    assert 'data-testid="filter-errors"' in content and "Enter a valid date." in content
    assert "Select a valid choice." in content and rows(response) == []
    backwards = client.get(page("submitted/?submitted_from=2026-05-02&submitted_to=2026-05-01"))
    assert backwards.status_code == 400 and "The end date is before the start date." in backwards.content.decode()
    # the pending tab has no submission dates: they are ignored there
    assert client.get(page("?submitted_from=nonsense")).status_code == 200


def test_n02_page_size_total_and_pages(world, browser, page, bound_account):
    for number in range(25):
        NoteFactory(author=bound_account, title=f"笔记{number:02d}")
    client = browser("analyst")
    first = client.get(page("?page_size=10"))
    assert len(rows(first)) == 10
    content = first.content.decode()
    assert "25 in all, 3 pages" in content and "10 per page" in content
    assert len(rows(client.get(page("?page_size=10&page=3")))) == 5
    assert len(rows(client.get(page()))) == 20
    assert client.get(page("?page_size=7")).status_code == 400


# A state tab: its label, then its count in a badge ("全部 8"), no dash between them.
STATE_COUNT = r'data-state="(\w+)">[^<-]*<span class="badge[^"]*" data-testid="state-count">(\d+)</span>'


def test_submitted_tab_counts_each_state_and_offers_the_deck_actions(world, browser, page, notes):
    submit(notes["video"], world.enterprise, "approved")
    submit(notes["image"], world.enterprise, "rejected", reason="与品牌无关")
    submit(notes["other"], world.enterprise)
    client = browser("operator")
    response = client.get(page("submitted/"))
    content = response.content.decode()
    counts = dict(re.findall(STATE_COUNT, content))
    assert counts == {"all": "3", "in_review": "1", "rejected": "1", "approved": "1"}
    assert "与品牌无关" in content
    assert content.count('data-testid="boost"') == 1 and content.count('data-testid="push"') == 1
    assert content.count('data-testid="resubmit"') == 1
    assert rows(client.get(page("submitted/?state=rejected"))) == [notes["image"].note_id]
    # the counts follow the filters
    filtered = client.get(page("submitted/?type=video")).content.decode()
    assert dict(re.findall(STATE_COUNT, filtered)) == {
        "all": "1",
        "in_review": "0",
        "rejected": "0",
        "approved": "1",
    }


def test_n05_a_rejected_note_is_submitted_again_from_the_submitted_tab(world, browser, page, notes):
    submit(notes["image"], world.enterprise, "rejected", reason="与品牌无关")
    response = browser("operator").post(
        page("submit/"), {"note_ids": [notes["image"].note_id], "next": page("submitted/")}, follow=True
    )
    assert response.redirect_chain == [(page("submitted/"), 302)]
    assert NoteReview.objects.filter(note=notes["image"]).count() == 2
    assert 'data-testid="review-status">In review<' in response.content.decode()


def test_export_carries_the_filters(world, browser, page, notes):
    client = browser("analyst")
    response = client.get(page("export.csv?review_status=not_submitted&type=video"))
    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert notes["video"].note_id in body and notes["image"].note_id not in body
    assert client.get(page("export.xlsx")).status_code == 200
    assert client.get(page("export.pdf")).status_code == 404
    assert client.get(page("export.csv?published_from=bad")).status_code == 400


# Boost, push, detail -------------------------------------------------------------------------------------------


def test_n06_boost_and_push_an_approved_note_from_the_list(world, browser, page, notes):
    note = notes["video"]
    submit(note, world.enterprise, "approved")
    recharge(world.enterprise, world.users["owner"], "9000.00")  # E05: a boost draws from the ad account
    client = browser("operator")
    back = page("submitted/")
    boosted = client.post(page(f"{note.note_id}/"), {"action": "boost", "budget": "300.50", "next": back}, follow=True)
    assert boosted.redirect_chain == [(back, 302)]
    assert NoteBoost.objects.get().budget == Decimal("300.50")
    assert "Boost of ¥300.50" in boosted.content.decode()
    pushed = client.post(page(f"{note.note_id}/"), {"action": "push", "next": back}, follow=True)
    content = pushed.content.decode()
    wizard = f"/w/{world.enterprise.pk}/ads/campaigns/new/?note={note.note_id}"
    assert pushed.redirect_chain == [(wizard, 302)]  # 前往聚光 leads on to the campaign wizard, the note chosen
    assert NotePush.objects.get().note == note and "is pushed to the ad platform" in content
    assert f'name="note_ids" value="{note.note_id}" id="note-{note.pk}" checked' in content
    listed = client.get(back).content.decode()
    assert 'data-testid="pushed-button"' in listed and 'data-testid="push"' not in listed
    again = client.post(page(f"{note.note_id}/"), {"action": "push"}, follow=True)
    assert "was already pushed" in again.content.decode() and NotePush.objects.count() == 1


def test_n06_a_note_not_approved_cannot_be_promoted(world, browser, page, notes, unchanged):
    submit(notes["image"], world.enterprise)
    client = browser("operator")
    with unchanged():
        refused = client.post(page(f"{notes['image'].note_id}/"), {"action": "push"})
    assert refused.status_code == 409 and 'data-code="note_not_approved"' in refused.content.decode()
    submit(notes["video"], world.enterprise, "approved")
    with unchanged():
        invalid = client.post(page(f"{notes['video'].note_id}/"), {"action": "boost", "budget": "-5"})
        unknown = client.post(page(f"{notes['video'].note_id}/"), {"action": "nonsense"})
    assert invalid.status_code == 400 and "greater than or equal to 0.01" in invalid.content.decode()
    assert unknown.status_code == 400


def test_d01_detail_shows_the_note_its_reviews_and_figures_over_time(world, browser, page, notes):
    note = notes["video"]
    today = clock.local_today()
    metrics(
        note,
        today - timedelta(days=1),
        exposure=1641,
        reads=131,
        likes=10,
        collects=2,
        comments=1,
        read_uv=116,
        play_5s_rate=Decimal("0.2214"),
        avg_view_seconds=Decimal("5"),
    )
    metrics(note, today - timedelta(days=40), exposure=9, reads=1)
    submit(note, world.enterprise, "rejected", at=clock.now() - timedelta(days=2), reason="画面模糊")
    submit(note, world.enterprise)
    client = browser("operator")
    response = client.get(page(f"{note.note_id}/"))
    assert response.status_code == 200
    content = response.content.decode()
    assert note.url in content and "画面模糊" in content and "李小美" in content
    data = json.loads(
        re.search(r'<script id="note-chart-data" type="application/json">(.*?)</script>', content).group(1)
    )
    assert data["dates"] == [(today - timedelta(days=1)).isoformat()]  # the last 30 days by default
    assert data["exposure"] == [1641] and data["engagement"] == [13] and data["rate"] == [22.14]
    assert "22.14%" in content and "5 s play rate" in content and "vendor/echarts/echarts.min.js" in content
    assert "js/notes.js" in content and "<script>" not in content
    assert content.count('data-testid="review-status">') >= 3  # header + two reviews

    ninety = client.get(page(f"{note.note_id}/?days=90")).content.decode()
    assert (today - timedelta(days=40)).isoformat() in ninety
    custom = client.get(page(f"{note.note_id}/?from={(today - timedelta(days=41)).isoformat()}&to={today}"))
    assert (today - timedelta(days=40)).isoformat() in custom.content.decode()
    backwards = client.get(page(f"{note.note_id}/?from=2026-05-02&to=2026-05-01"))
    assert backwards.status_code == 400 and "The end date is before the start date." in backwards.content.decode()
    empty = client.get(page(f"{notes['image'].note_id}/")).content.decode()
    assert 'data-testid="no-metrics"' in empty and "echarts.min.js" not in empty


# Staff console -------------------------------------------------------------------------------------------------


@pytest.fixture
def staff(world):
    client = Client()
    assert client.login(username="staff", password=PASSWORD)
    client.cookies["kos_language"] = "en"
    return client


def queue_ids(response) -> list[int]:
    return [int(pk) for pk in re.findall(r'data-testid="queue-row" data-id="(\d+)"', response.content.decode())]


@pytest.mark.parametrize("actor", ["owner", "operator", "analyst", "agency_reported", "employee"])
def test_note_console_is_403_for_everyone_but_staff(world, browser, actor):
    assert browser(actor).get("/platform/note-reviews/").status_code == 403
    assert browser(actor).post("/platform/note-reviews/", {"action": "approve", "review": "1"}).status_code == 403


def test_n05_queue_oldest_first_filters_and_approve_or_reject(world, staff, notes):
    older = submit(notes["video"], world.enterprise, at=clock.now() - timedelta(hours=5))
    newer = submit(notes["image"], world.enterprise)
    other = submit(
        NoteFactory(author=bind(world.other_enterprise).red_account),
        world.other_enterprise,
        at=clock.now() - timedelta(hours=1),
    )
    done = submit(notes["other"], world.enterprise, "approved")
    response = staff.get("/platform/note-reviews/")
    assert queue_ids(response) == [older.pk, other.pk, newer.pk]
    content = response.content.decode()
    assert "法式沉浸体验" in content and notes["video"].url in content and "95271001" in content
    assert 'data-testid="console-nav"' in content and "Note reviews" in content
    assert queue_ids(staff.get(f"/platform/note-reviews/?enterprise={world.other_enterprise.pk}")) == [other.pk]
    assert queue_ids(staff.get("/platform/note-reviews/?status=approved")) == [done.pk]

    approved = staff.post("/platform/note-reviews/", {"action": "approve", "review": older.pk}, follow=True)
    assert "Approved: “法式沉浸体验”" in approved.content.decode()
    older.refresh_from_db()
    assert older.status == "approved" and older.reviewed_by == world.users["staff"]

    missing = staff.post("/platform/note-reviews/", {"action": "reject", "review": newer.pk, "reason": "  "})
    assert missing.status_code == 400 and "A reason is required." in missing.content.decode()
    rejected = staff.post("/platform/note-reviews/", {"action": "reject", "review": newer.pk, "reason": "与品牌无关"})
    assert rejected.status_code == 302
    newer.refresh_from_db()
    assert (newer.status, newer.reason) == ("rejected", "与品牌无关")
    again = staff.post("/platform/note-reviews/", {"action": "approve", "review": newer.pk})
    assert again.status_code == 409 and 'data-code="review_not_open"' in again.content.decode()
    assert staff.post("/platform/note-reviews/", {"action": "approve", "review": "x"}).status_code == 404
    assert staff.post("/platform/note-reviews/", {"action": "dance"}).status_code == 400
    # the brand sees the reason
    assert AuditEvent.objects.filter(action="note_review.rejected", reason="与品牌无关").exists()


def test_n05_approve_many(world, staff, notes):
    first = submit(notes["video"], world.enterprise)
    second = submit(notes["image"], world.enterprise)
    decided = submit(notes["other"], world.enterprise, "rejected", reason="模糊")
    response = staff.post(
        "/platform/note-reviews/",
        {"action": "approve_selected", "review_ids": [first.pk, second.pk, decided.pk]},
        follow=True,
    )
    content = response.content.decode()
    assert "2 notes approved." in content and "1 note was skipped" in content
    assert set(NoteReview.objects.filter(status="approved").values_list("pk", flat=True)) == {first.pk, second.pk}
    empty = staff.post("/platform/note-reviews/", {"action": "approve_selected"})
    assert empty.status_code == 400 and "Select at least one note." in empty.content.decode()


def test_the_list_pages_run_a_constant_number_of_queries(world, browser, page, bound_account):
    """No query per row: three notes or thirty, on either tab, the same number of queries."""
    client = browser("operator")

    def count(url):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    for _ in range(3):
        submit(NoteFactory(author=bound_account), world.enterprise, "approved")
        NoteFactory(author=bound_account)
    few = (count(page()), count(page("submitted/")), count(page("?title=笔记")))
    for _ in range(27):
        submit(NoteFactory(author=bound_account), world.enterprise, "approved")
        NoteFactory(author=bound_account)
    assert (count(page()), count(page("submitted/")), count(page("?title=笔记"))) == few
