"""N01, N05 — note previews: the ingest takes an optional `cover_url` and `excerpt`; the brand's note lists and the
staff review queue show a small cover (only from CONTENT_IMAGE_HOSTS, else a placeholder) and the excerpt; the staff
review page shows the note beside approve / reject and goes on to the next in the queue."""

import re
from datetime import timedelta

import pytest
from django.contrib.staticfiles import finders
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from rest_framework.exceptions import ValidationError

from accounts.models import AuditEvent
from kos_platform import clock
from kos_platform.tenancy import Actor
from notes import ingest
from notes.demo import load_demo_notes
from notes.models import Note, NoteReview
from notes.preview import cover_src

from ..campaigns.helpers import recharge
from ..factories import PASSWORD
from .factories import NoteFactory, submit
from .helpers import listed, new_note_id, note_row, sync_notes

pytestmark = pytest.mark.django_db

COVER = "https://sns-webpic-qc.xhscdn.com/202611/abc123.jpg"
OTHER_COVER = "https://ci.xiaohongshu.com/def456"
EXCERPT = "早上时间紧？这套通勤妆只用五样产品，10分钟搞定。"


def stored(note_id: str) -> tuple[str, str]:
    return tuple(Note.objects.filter(note_id=note_id).values_list("cover_url", "excerpt").get())


def page_client(world, actor: str) -> Client:
    client = Client()
    assert client.login(username=world.users[actor].username, password=PASSWORD)
    client.cookies["kos_language"] = "en"
    return client


# Ingest --------------------------------------------------------------------------------------------------------


def test_n01_ingest_stores_the_cover_and_excerpt_and_the_list_api_returns_them(world, staff, operator, bound_account):
    row = note_row(bound_account.red_id, cover_url=COVER, excerpt=f"  {EXCERPT}\n")
    plain = note_row(bound_account.red_id)

    assert sync_notes(staff, [row, plain]) == {"received": 2, "created": 2, "updated": 0}

    assert stored(row["note_id"]) == (COVER, EXCERPT)  # trimmed
    assert stored(plain["note_id"]) == ("", "")  # both optional
    results = {r["note_id"]: r for r in listed(operator, world.enterprise)["results"]}
    assert (results[row["note_id"]]["cover_url"], results[row["note_id"]]["excerpt"]) == (COVER, EXCERPT)
    assert (results[plain["note_id"]]["cover_url"], results[plain["note_id"]]["excerpt"]) == ("", "")


def test_n01_a_note_sent_again_without_its_preview_keeps_it_and_a_new_one_replaces_it(staff, bound_account):
    """The content platform may send a note again without its cover or excerpt (absent, null or empty): what is stored
    stays; a new value replaces it."""
    row = note_row(bound_account.red_id, cover_url=COVER, excerpt=EXCERPT)
    sync_notes(staff, [row])
    base = {k: v for k, v in row.items() if k not in ("cover_url", "excerpt")} | {"title": "改过的标题"}

    assert sync_notes(staff, [base])["updated"] == 1
    assert stored(row["note_id"]) == (COVER, EXCERPT)
    sync_notes(staff, [base | {"cover_url": None, "excerpt": None}])
    assert stored(row["note_id"]) == (COVER, EXCERPT)
    sync_notes(staff, [base | {"cover_url": "", "excerpt": "  "}])
    assert stored(row["note_id"]) == (COVER, EXCERPT)

    sync_notes(staff, [base | {"cover_url": OTHER_COVER}])
    assert stored(row["note_id"]) == (OTHER_COVER, EXCERPT)
    sync_notes(staff, [base | {"excerpt": "新的开头"}])
    assert stored(row["note_id"]) == (OTHER_COVER, "新的开头")
    assert Note.objects.get(note_id=row["note_id"]).title == "改过的标题"


def test_n01_a_long_excerpt_is_cut_at_200_characters(staff, bound_account):
    """The contract's "first ~200 characters": up to 1,000 sent, 200 kept (the last one an ellipsis)."""
    exact = note_row(bound_account.red_id, excerpt="字" * 200)
    longer = note_row(bound_account.red_id, excerpt="段" * 999)

    sync_notes(staff, [exact, longer])

    assert stored(exact["note_id"])[1] == "字" * 200
    assert stored(longer["note_id"])[1] == "段" * 199 + "…"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("cover_url", "ftp://sns-webpic-qc.xhscdn.com/a.jpg"),
        ("cover_url", "javascript:alert(1)"),
        ("cover_url", "/static/img/demo-covers/cover-01.svg"),  # site paths: the demo only, never the API
        ("cover_url", "not a link"),
        ("cover_url", "https://sns-webpic-qc.xhscdn.com/" + "a" * 480),  # 513 characters
        ("cover_url", 42),
        ("excerpt", "长" * 1001),
        ("excerpt", ["not", "text"]),
    ],
)
def test_n01_a_bad_cover_or_an_oversize_excerpt_refuses_the_batch_naming_row_and_field(
    staff, bound_account, field, value
):
    good = note_row(bound_account.red_id, cover_url=COVER, excerpt=EXCERPT)
    bad = note_row(bound_account.red_id, **{field: value})
    events = AuditEvent.objects.count()

    response = staff.post("/api/v1/platform/notes/", [good, bad], format="json")

    assert response.status_code == 400, response.content
    body = response.json()
    assert body["code"] == "invalid" and list(body["fields"]) == [f"[1].{field}"]
    assert not Note.objects.exists()  # nothing stored, the good row neither
    assert AuditEvent.objects.count() == events


def test_n01_the_postgresql_statement_and_the_orm_path_store_the_same(world, bound_account, monkeypatch):
    """`_UPSERT_NOTES` (PostgreSQL) and the `bulk_create` path of the embedded SQLite default agree: create, keep
    what a row leaves out, replace what it sends, cut a long excerpt."""
    actor = Actor(user=world.users["staff"])

    def run(ids: list[str]) -> list[tuple]:
        created = [
            note_row(bound_account.red_id, ids[0], cover_url=COVER, excerpt=EXCERPT),
            note_row(bound_account.red_id, ids[1], cover_url=COVER),
            note_row(bound_account.red_id, ids[2], excerpt="段" * 300),
            note_row(bound_account.red_id, ids[3]),
        ]
        resent = [
            {k: v for k, v in created[0].items() if k != "cover_url"} | {"title": "新标题"},
            created[1] | {"cover_url": OTHER_COVER, "excerpt": "补上的摘要"},
            created[2] | {"excerpt": None},
            created[3] | {"cover_url": "", "type": "video"},
        ]
        assert ingest.upsert_notes(actor=actor, rows=created)["created"] == 4
        assert ingest.upsert_notes(actor=actor, rows=resent)["updated"] == 4
        notes = {n.note_id: n for n in Note.objects.filter(note_id__in=ids)}
        return [(notes[i].type, notes[i].cover_url, notes[i].excerpt) for i in ids] + [notes[ids[0]].title]

    with CaptureQueriesContext(connection) as statements:
        by_statement = run([new_note_id() for _ in range(4)])
    assert any("unnest" in q["sql"] and "ON CONFLICT" in q["sql"] for q in statements.captured_queries)

    monkeypatch.setattr(connection, "vendor", "sqlite")  # the ORM path, on PostgreSQL
    with CaptureQueriesContext(connection) as statements:
        by_orm = run([new_note_id() for _ in range(4)])
    assert not any("unnest" in q["sql"] for q in statements.captured_queries)

    assert (
        by_statement
        == by_orm
        == [
            ("image", COVER, EXCERPT),
            ("image", OTHER_COVER, "补上的摘要"),
            ("image", "", "段" * 199 + "…"),
            ("video", "", ""),
            "新标题",
        ]
    )


def test_the_demo_may_store_a_cover_on_this_site_the_api_may_not(world, bound_account):
    actor = Actor(user=world.users["staff"])
    row = note_row(bound_account.red_id, cover_url="/static/img/demo-covers/cover-01.svg")

    ingest.upsert_notes(actor=actor, rows=[row], site_covers=True)

    assert stored(row["note_id"])[0] == "/static/img/demo-covers/cover-01.svg"
    with pytest.raises(ValidationError):
        ingest.upsert_notes(actor=actor, rows=[row | {"cover_url": "//evil.example/x.png"}], site_covers=True)
    with pytest.raises(ValidationError):
        ingest.upsert_notes(actor=actor, rows=[row])
    assert stored(row["note_id"])[0] == "/static/img/demo-covers/cover-01.svg"


def test_the_demo_notes_have_excerpts_and_covers_this_site_serves(world, bound_account):
    """Nothing loads from the internet: the demo's covers are static files of this site; some notes have none."""
    recharge(world.enterprise, world.users["owner"], "20000.00")  # the demo boosts a note
    load_demo_notes(staff=world.users["staff"], enterprise=world.enterprise, operator=world.users["operator"])

    notes = list(Note.objects.filter(enterprise=world.enterprise))
    assert notes and all(note.excerpt for note in notes)
    covers = {note.cover_url for note in notes}
    assert "" in covers and len(covers) > 2
    for url in covers - {""}:
        assert url.startswith("/static/img/demo-covers/") and cover_src(url) == url
        assert finders.find(url.removeprefix("/static/")), url


# What a page may show ------------------------------------------------------------------------------------------


def test_a_cover_shows_only_from_the_configured_image_hosts(settings):
    settings.CONTENT_IMAGE_HOSTS = ["https://sns-webpic-qc.xhscdn.com", "https://*.example-cdn.com"]
    assert cover_src(COVER) == COVER
    assert cover_src("https://a.b.example-cdn.com/x.jpg") == "https://a.b.example-cdn.com/x.jpg"
    assert cover_src("/static/img/demo-covers/cover-01.svg") == "/static/img/demo-covers/cover-01.svg"
    for refused in (
        OTHER_COVER,  # not configured here
        "http://sns-webpic-qc.xhscdn.com/a.jpg",  # the policy names https
        "https://sns-webpic-qc.xhscdn.com:8443/a.jpg",
        "https://sns-webpic-qc.xhscdn.com.evil.example/a.jpg",
        "https://example-cdn.com/a.jpg",
        "https://user:pw@sns-webpic-qc.xhscdn.com/a.jpg",
        "//sns-webpic-qc.xhscdn.com/a.jpg",
        "javascript:alert(1)",
        "",
    ):
        assert cover_src(refused) == "", refused


def test_the_policy_allows_the_configured_image_hosts():
    from django.conf import settings

    img_src = settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"]
    assert img_src[:3] == ["'self'", "data:", "blob:"]
    assert img_src[3:] == list(settings.CONTENT_IMAGE_HOSTS) and "https://sns-webpic-qc.xhscdn.com" in img_src


# Pages ---------------------------------------------------------------------------------------------------------


def covers(content: str) -> list[str]:
    return re.findall(r'data-testid="note-cover" data-cover="(\w+)"', content)


def test_n01_the_brand_lists_show_the_cover_and_excerpt_and_a_placeholder_otherwise(world, bound_account, settings):
    settings.CONTENT_IMAGE_HOSTS = ["https://sns-webpic-qc.xhscdn.com"]
    shown = NoteFactory(author=bound_account, cover_url=COVER, excerpt=EXCERPT, title="有封面")
    NoteFactory(author=bound_account, cover_url="https://images.evil.example/x.jpg", title="外站封面")
    NoteFactory(author=bound_account, title="没有封面")
    submitted = NoteFactory(author=bound_account, cover_url=COVER, excerpt="已提交的摘要")
    submit(submitted, world.enterprise)
    client = page_client(world, "operator")

    content = client.get(f"/w/{world.enterprise.pk}/notes/").content.decode()

    assert sorted(covers(content)) == ["none", "none", "shown"]
    assert f'src="{COVER}"' in content and 'loading="lazy"' in content
    assert "images.evil.example" not in content  # never rendered: it would break the policy
    assert EXCERPT in content and 'data-testid="note-excerpt"' in content
    assert shown.title in content
    later = client.get(f"/w/{world.enterprise.pk}/notes/submitted/").content.decode()
    assert covers(later) == ["shown"] and "已提交的摘要" in later


def test_n01_the_brand_note_detail_shows_the_cover_and_excerpt_and_a_placeholder_otherwise(
    world, bound_account, settings
):
    settings.CONTENT_IMAGE_HOSTS = ["https://sns-webpic-qc.xhscdn.com"]
    shown = NoteFactory(author=bound_account, cover_url=COVER, excerpt=EXCERPT, type="video")
    foreign = NoteFactory(author=bound_account, cover_url="https://images.evil.example/x.jpg")
    client = page_client(world, "analyst")

    content = client.get(f"/w/{world.enterprise.pk}/notes/{shown.note_id}/").content.decode()
    bare = client.get(f"/w/{world.enterprise.pk}/notes/{foreign.note_id}/").content.decode()

    assert covers(content) == ["shown"] and f'src="{COVER}"' in content and "note-cover-play" in content
    assert f'alt="Cover of “{shown.title}”"' in content
    assert re.search(r'data-testid="note-detail-excerpt">\s*' + re.escape(EXCERPT), content)
    assert covers(bare) == ["none"] and "images.evil.example" not in bare
    assert 'data-testid="note-detail-no-excerpt"' in bare and "sent no excerpt" in bare


def test_n05_the_staff_queue_shows_covers_and_excerpts_and_links_each_note_to_its_review_page(
    world, bound_account, settings
):
    settings.CONTENT_IMAGE_HOSTS = ["https://sns-webpic-qc.xhscdn.com"]
    first = submit(NoteFactory(author=bound_account, cover_url=COVER, excerpt=EXCERPT), world.enterprise)
    submit(NoteFactory(author=bound_account, cover_url=OTHER_COVER), world.enterprise)
    staff = page_client(world, "staff")

    content = staff.get("/platform/note-reviews/").content.decode()

    assert covers(content) == ["shown", "none"] and OTHER_COVER not in content
    assert EXCERPT in content
    assert f'href="/platform/note-reviews/{first.pk}/"' in content


def test_the_staff_queue_runs_a_constant_number_of_queries(world, bound_account):
    staff = page_client(world, "staff")

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert staff.get("/platform/note-reviews/").status_code == 200
        return len(queries)

    for _ in range(2):
        submit(NoteFactory(author=bound_account, cover_url=COVER, excerpt=EXCERPT), world.enterprise)
    few = count()
    for _ in range(12):
        submit(NoteFactory(author=bound_account, cover_url=COVER, excerpt=EXCERPT), world.enterprise)
    assert count() == few


def test_n05_the_review_page_shows_the_note_and_approving_there_opens_the_next(world, bound_account, settings):
    settings.CONTENT_IMAGE_HOSTS = ["https://sns-webpic-qc.xhscdn.com"]
    note = NoteFactory(
        author=bound_account, title="秋冬通勤穿搭", cover_url=COVER, excerpt=EXCERPT, type="video", exposure=12345
    )
    first = submit(note, world.enterprise, at=clock.now() - timedelta(hours=3))
    second = submit(NoteFactory(author=bound_account), world.enterprise, at=clock.now() - timedelta(hours=1))
    staff = page_client(world, "staff")

    response = staff.get(f"/platform/note-reviews/{first.pk}/")

    assert response.status_code == 200
    content = response.content.decode()
    assert covers(content) == ["shown"] and f'src="{COVER}"' in content and "note-cover-lg" in content
    assert EXCERPT in content and "秋冬通勤穿搭" in content and "Video" in content
    assert bound_account.nickname in content and bound_account.red_id in content and "花漾美妆" in content
    assert note.url in content and "12,345" in content
    assert 'data-testid="queue-position">1 of 2 awaiting review' in content
    assert f'href="/platform/note-reviews/{second.pk}/"' in content  # next in the queue

    approved = staff.post(f"/platform/note-reviews/{first.pk}/", {"action": "approve"})

    assert approved.status_code == 302 and approved.url == f"/platform/note-reviews/{second.pk}/"
    first.refresh_from_db()
    assert first.status == "approved" and first.reviewed_by == world.users["staff"]
    assert AuditEvent.objects.filter(action="note_review.approved").count() == 1
    following = staff.get(approved.url, follow=True).content.decode()
    assert "Approved: “秋冬通勤穿搭”" in following

    again = staff.post(f"/platform/note-reviews/{first.pk}/", {"action": "approve"})
    assert again.status_code == 409 and 'data-code="review_not_open"' in again.content.decode()


def test_n05_rejecting_from_the_review_page_needs_a_reason_and_the_last_one_returns_to_the_queue(world, bound_account):
    review = submit(NoteFactory(author=bound_account, title="无关内容"), world.enterprise)
    staff = page_client(world, "staff")
    url = f"/platform/note-reviews/{review.pk}/"

    missing = staff.post(url, {"action": "reject", "reason": "  "})
    assert missing.status_code == 400 and "A reason is required." in missing.content.decode()
    review.refresh_from_db()
    assert review.status == "in_review"
    assert staff.post(url, {"action": "dance"}).status_code == 400

    rejected = staff.post(url, {"action": "reject", "reason": "与品牌无关"})

    assert rejected.status_code == 302 and rejected.url == "/platform/note-reviews/"
    review.refresh_from_db()
    assert (review.status, review.reason) == ("rejected", "与品牌无关")
    decided = staff.get(url).content.decode()
    assert 'data-testid="decided"' in decided and "与品牌无关" in decided and 'data-testid="approve"' not in decided


@pytest.mark.parametrize("actor", ["owner", "operator", "analyst", "agency_reported", "employee"])
def test_the_review_page_is_403_for_everyone_but_staff(world, bound_account, actor):
    review = submit(NoteFactory(author=bound_account), world.enterprise)
    client = page_client(world, actor)
    assert client.get(f"/platform/note-reviews/{review.pk}/").status_code == 403
    assert client.post(f"/platform/note-reviews/{review.pk}/", {"action": "approve"}).status_code == 403
    review.refresh_from_db()
    assert review.status == "in_review"


def test_the_review_page_of_a_missing_review_is_404(world):
    staff = page_client(world, "staff")
    assert staff.get("/platform/note-reviews/999999/").status_code == 404
    assert staff.get("/platform/note-reviews/x/").status_code == 404
    assert NoteReview.objects.count() == 0
