"""N01/N02: the brand's note list — every filter, every sort, paging, the count (kept or counted, always the same),
the export of exactly the filtered rows, and a constant number of queries whatever the page size."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kos_platform import clock
from notes.choices import ReviewStatus
from notes.models import Note, NoteReview

from ..factories import RedAccountFactory
from .factories import bind, submit
from .helpers import (
    brand_url,
    csv_rows,
    listed,
    listed_ids,
    local,
    metric_row,
    note_row,
    sync_metrics,
    sync_notes,
    xlsx_rows,
)

pytestmark = pytest.mark.django_db


@dataclass
class Catalogue:
    """Five notes in the world's brand list (a1, a2 by 李小美; b1–b3 by 王大力), one in the other brand's list
    (c1) and one of an unbound author (d1). `d0` is the day a1 was published at 23:59 and a2 the next day at 00:00."""

    d0: date
    ids: dict[str, str]
    published: dict[str, datetime]
    figures: dict[str, dict]
    submitted: dict[str, datetime]

    def __getitem__(self, name: str) -> str:
        return self.ids[name]

    def names(self, note_ids: list[str]) -> list[str]:
        by_id = {note_id: name for name, note_id in self.ids.items()}
        return [by_id[note_id] for note_id in note_ids]


@pytest.fixture
def catalogue(world, staff) -> Catalogue:
    li = bind(world.enterprise, RedAccountFactory(real_name="李小美", nickname="小美穿搭")).red_account
    wang = bind(world.enterprise, RedAccountFactory(real_name="王大力", nickname="力哥测评")).red_account
    other = bind(world.other_enterprise, RedAccountFactory(real_name="赵别家", nickname="别家达人")).red_account
    loner = RedAccountFactory(real_name="钱路人", nickname="路人甲")
    d0 = clock.local_today() - timedelta(days=10)
    spec = {
        "a1": (li, "秋冬通勤穿搭", "image", local(d0, 23, 59), dict(exposure=500, reads=50, likes=5, collects=1)),
        "a2": (li, "春日野餐VLOG", "video", local(d0 + timedelta(days=1)), dict(exposure=100, reads=300, likes=20)),
        "b1": (wang, "通勤包测评", "image", local(d0 - timedelta(days=5), 12), dict(exposure=900, reads=10, likes=3)),
        "b2": (wang, "护肤心得", "video", local(d0 + timedelta(days=3), 9), {}),
        "b3": (wang, "秋冬护肤", "image", local(d0 - timedelta(days=20), 8), dict(exposure=50, reads=20, comments=1)),
        "c1": (other, "秋冬通勤穿搭 别家", "image", local(d0, 12), dict(exposure=10_000)),
        "d1": (loner, "秋冬通勤穿搭 路人", "image", local(d0, 12), dict(exposure=20_000)),
    }
    rows = {
        name: note_row(account.red_id, title=title, type=kind, published_at=published)
        for name, (account, title, kind, published, _figures) in spec.items()
    }
    sync_notes(staff, list(rows.values()))
    sync_metrics(staff, [metric_row(rows[name]["note_id"], **figures) for name, (*_, figures) in spec.items()])

    notes = {note.note_id: note for note in Note.objects.all()}
    submitted = {
        "b1": local(d0 + timedelta(days=2), 8),
        "a1": local(d0 + timedelta(days=3), 23, 59),
        "a2": local(d0 + timedelta(days=4)),
    }
    statuses = {"b1": ReviewStatus.REJECTED, "a1": ReviewStatus.APPROVED, "a2": ReviewStatus.IN_REVIEW}
    for name, at in submitted.items():
        reason = "与品牌无关" if statuses[name] == ReviewStatus.REJECTED else ""
        submit(notes[rows[name]["note_id"]], world.enterprise, statuses[name], at=at, reason=reason)
    submit(notes[rows["c1"]["note_id"]], world.other_enterprise, ReviewStatus.APPROVED, at=submitted["a1"])

    figures = {}
    for name, (*_, values) in spec.items():
        counts = {"exposure": 0, "reads": 0, "likes": 0, "collects": 0, "comments": 0} | values
        figures[name] = counts | {"engagement": counts["likes"] + counts["collects"] + counts["comments"]}
    return Catalogue(
        d0=d0,
        ids={name: row["note_id"] for name, row in rows.items()},
        published={name: published for name, (_a, _t, _k, published, _f) in spec.items()},
        figures=figures,
        submitted=submitted,
    )


def names(client, world, catalogue, query: str) -> list[str]:
    return catalogue.names(listed_ids(client, world.enterprise, query))


# Filters --------------------------------------------------------------------------------------------------------


REVIEW_TABS = {
    "not_submitted": {"b2", "b3"},
    "submitted": {"a1", "a2", "b1"},
    "in_review": {"a2"},
    "approved": {"a1"},
    "rejected": {"b1"},
    "": {"a1", "a2", "b1", "b2", "b3"},
}
TEXT_AND_TYPE_FILTERS = {
    "title=秋冬": {"a1", "b3"},
    "title=vlog": {"a2"},
    "title=通勤": {"a1", "b1"},
    "title=不存在的标题": set(),
    "employee=李小美": {"a1", "a2"},
    "employee=小美": {"a1", "a2"},
    "employee=王大": {"b1", "b2", "b3"},
    "employee=力哥": {"b1", "b2", "b3"},
    "employee=赵别家": set(),
    "employee=路人": set(),
    "type=video": {"a2", "b2"},
    "type=image": {"a1", "b1", "b3"},
    "title=秋冬&type=image&employee=王大力": {"b3"},
}


def test_n02_review_status_filter(world, operator, catalogue):
    """Each review tab lists exactly the notes in that state — only the brand's own (never c1 or d1)."""
    for status, expected in REVIEW_TABS.items():
        assert set(names(operator, world, catalogue, f"review_status={status}")) == expected, status


def test_n02_text_and_type_filters(world, operator, catalogue):
    """Title contains (any case), employee = the binding holder's name or the account's nickname, note type."""
    for query, expected in TEXT_AND_TYPE_FILTERS.items():
        assert set(names(operator, world, catalogue, query)) == expected, query


def test_n02_note_id_filter_matches_exactly_and_only_the_brands_notes(world, operator, catalogue):
    assert names(operator, world, catalogue, f"note_id={catalogue['a1']}") == ["a1"]
    assert names(operator, world, catalogue, f"note_id={catalogue['a1'][:12]}") == []
    assert names(operator, world, catalogue, f"note_id={catalogue['c1']}") == []
    assert names(operator, world, catalogue, f"note_id={catalogue['d1']}") == []


def test_n02_url_filter_matches_the_24_hex_note_id_inside_any_link(world, operator, catalogue):
    """A link as users paste it (another path, tracking parameters) finds the note by the ID inside it."""
    from urllib.parse import quote

    share = f"https://www.xiaohongshu.com/discovery/item/{catalogue['a2']}?xsec_token=AB12cd&xsec_source=pc_share"
    assert names(operator, world, catalogue, f"url={quote(share, safe='')}") == ["a2"]
    canonical = f"https://www.xiaohongshu.com/explore/{catalogue['b1']}"
    assert names(operator, world, catalogue, f"url={quote(canonical, safe='')}") == ["b1"]
    theirs = f"https://www.xiaohongshu.com/explore/{catalogue['c1']}"
    assert names(operator, world, catalogue, f"url={quote(theirs, safe='')}") == []
    assert names(operator, world, catalogue, "url=https%3A%2F%2Fexample.com%2Fno-id") == []


def test_n02_published_dates_are_inclusive_local_days(world, operator, catalogue):
    """a1 at d0 23:59 and a2 at d0+1 00:00 (Asia/Shanghai) fall on either side of midnight."""
    d0, d1 = catalogue.d0, catalogue.d0 + timedelta(days=1)

    assert set(names(operator, world, catalogue, f"published_to={d0}")) == {"a1", "b1", "b3"}
    assert set(names(operator, world, catalogue, f"published_from={d1}")) == {"a2", "b2"}
    assert names(operator, world, catalogue, f"published_from={d0}&published_to={d0}") == ["a1"]
    assert names(operator, world, catalogue, f"published_from={d1}&published_to={d1}") == ["a2"]


def test_n02_submitted_dates_are_inclusive_local_days(world, operator, catalogue):
    """Submissions at d0+3 23:59 (a1) and d0+4 00:00 (a2); unsubmitted notes match no submission range."""
    d3, d4 = catalogue.d0 + timedelta(days=3), catalogue.d0 + timedelta(days=4)

    assert set(names(operator, world, catalogue, f"submitted_to={d3}")) == {"b1", "a1"}
    assert names(operator, world, catalogue, f"submitted_from={d4}") == ["a2"]
    assert names(operator, world, catalogue, f"submitted_from={d3}&submitted_to={d3}") == ["a1"]
    assert names(operator, world, catalogue, f"submitted_from={catalogue.d0 - timedelta(days=30)}") == [
        "a2",
        "a1",
        "b1",
    ]


# Sorting --------------------------------------------------------------------------------------------------------


def test_n02_every_ordering(world, operator, catalogue):
    """Sort by publish time, exposure, reads, engagement, each ascending and descending."""
    mine = ["a1", "a2", "b1", "b2", "b3"]
    for field in ("published_at", "exposure", "reads", "engagement"):
        table = catalogue.published if field == "published_at" else {n: catalogue.figures[n][field] for n in mine}
        for sign, descending in (("", False), ("-", True)):
            expected = sorted(mine, key=table.get, reverse=descending)
            assert names(operator, world, catalogue, f"ordering={sign}{field}") == expected, sign + field


def test_n02_ordering_by_submission_time(world, operator, catalogue):
    """Among submitted notes, by submission time either way; unsubmitted notes stay in the list."""
    for sign, descending in (("", False), ("-", True)):
        expected = sorted(catalogue.submitted, key=catalogue.submitted.get, reverse=descending)
        assert names(operator, world, catalogue, f"review_status=submitted&ordering={sign}submitted_at") == expected
        listed = names(operator, world, catalogue, f"ordering={sign}submitted_at")
        assert listed[: len(expected)] == expected, "submitted notes first, either way; the unsubmitted after them"
        assert set(listed) == set(REVIEW_TABS[""])


def test_n02_the_default_order_is_newest_published_first(world, operator, catalogue):
    assert names(operator, world, catalogue, "") == ["b2", "a2", "a1", "b1", "b3"]


# Count and paging -----------------------------------------------------------------------------------------------


def count_queries(client, url: str) -> tuple[dict, list[str]]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, response.content
    return response.json(), [query["sql"] for query in queries]


def test_n02_the_kept_count_and_the_counted_count_agree(world, operator, catalogue):
    """Without filters the count comes from notes_enterprisenotecounts; with a filter that keeps every row the rows
    are counted; both equal the rows listed, on every review tab."""
    operator.get(brand_url(world.enterprise, "notes/"))  # the token's first use records last_used_at
    for status, expected in REVIEW_TABS.items():
        base = brand_url(world.enterprise, f"notes/?page_size=100&review_status={status}")
        assert_counts_agree(operator, base, len(expected))


def assert_counts_agree(client, base: str, expected: int) -> None:
    fast, fast_sql = count_queries(client, base)
    counted, counted_sql = count_queries(client, f"{base}&published_from=2013-01-01")

    assert any("notes_enterprisenotecounts" in sql for sql in fast_sql)
    assert not any('"__count"' in sql for sql in fast_sql)
    assert any('"__count"' in sql for sql in counted_sql)
    assert fast["count"] == counted["count"] == len(fast["results"]) == len(counted["results"]) == expected, base
    assert fast["results"] == counted["results"]


def test_n02_the_kept_count_follows_reviews_and_bindings(world, staff, operator, catalogue):
    """After a decision and a binding ending, the kept counts still equal the rows."""
    review = NoteReview.objects.get(note__note_id=catalogue["a2"], enterprise=world.enterprise)
    assert staff.post(f"/api/v1/platform/note-reviews/{review.pk}/approve/").status_code == 200
    wang = world.enterprise.bindings.get(name="王大力")
    answer = staff.post(f"/api/v1/platform/bindings/{wang.pk}/remove-for-violation/", {"reason": "违规"})
    assert answer.status_code == 200, answer.content

    for status, expected in [("", 2), ("approved", 2), ("in_review", 0), ("rejected", 0), ("not_submitted", 0)]:
        page = listed(operator, world.enterprise, f"review_status={status}")
        assert page["count"] == len(page["results"]) == expected, status


def test_n02_paging(world, operator, catalogue):
    """`page` and `page_size` walk the filtered list in order; a page past the end is 404."""
    url = brand_url(world.enterprise, "notes/?page_size=2")
    pages = [operator.get(f"{url}&page={n}").json() for n in (1, 2, 3)]

    assert [p["count"] for p in pages] == [5, 5, 5]
    assert [catalogue.names([r["note_id"] for r in p["results"]]) for p in pages] == [
        ["b2", "a2"],
        ["a1", "b1"],
        ["b3"],
    ]
    assert pages[0]["previous"] is None and "page=2" in pages[0]["next"]
    assert pages[2]["next"] is None and "page=2" in pages[2]["previous"]
    beyond = operator.get(f"{url}&page=4")
    assert beyond.status_code == 404 and beyond.json()["code"] == "not_found"


# Export ---------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        "",
        "type=image&ordering=-exposure",
        "review_status=submitted&ordering=submitted_at",
        "employee=%E6%9D%8E%E5%B0%8F%E7%BE%8E&ordering=published_at",
    ],
)
def test_n02_export_holds_exactly_the_filtered_rows_in_order(world, operator, catalogue, query):
    """CSV (with a BOM) and XLSX carry the same rows, in the same order, as the list with the same filters."""
    expected = listed_ids(operator, world.enterprise, query)
    url = brand_url(world.enterprise, f"notes/export/?{query}&format=")

    as_csv = csv_rows(operator.get(url + "csv"))
    as_xlsx = xlsx_rows(operator.get(url + "xlsx"))

    assert [row[0] for row in as_csv[1:]] == expected
    assert [row[0] for row in as_xlsx[1:]] == expected
    assert as_csv[0] == list(as_xlsx[0])


def test_n02_export_writes_local_times_and_the_figures(world, operator, catalogue):
    """Publication times in Asia/Shanghai; the kept totals; the holder's name."""
    url = brand_url(world.enterprise, f"notes/export/?note_id={catalogue['a1']}&format=")
    response = operator.get(url + "csv")
    assert response["Content-Disposition"].startswith("attachment;")
    _header, row = csv_rows(response)
    assert row[0] == catalogue["a1"]
    assert row[4] == "李小美"
    assert row[7] == f"{catalogue.d0.isoformat()} 23:59:00"
    assert row[8:11] == ["500", "50", "6"]  # exposure, reads, engagement

    _header, sheet_row = xlsx_rows(operator.get(url + "xlsx"))
    assert sheet_row[0] == catalogue["a1"]
    assert sheet_row[7] == datetime(catalogue.d0.year, catalogue.d0.month, catalogue.d0.day, 23, 59)
    assert sheet_row[8:11] == (500, 50, 6)


def test_n02_export_in_another_format_is_400(world, operator, catalogue, unchanged):
    """Only csv and xlsx: `?format=pdf` (or none, or another spelling) is 400 naming `format`."""
    with unchanged():
        answers = {
            query: operator.get(brand_url(world.enterprise, f"notes/export/{query}"))
            for query in ("?format=pdf", "?format=", "?format=CSV", "?format=json", "")
        }

    for query, response in answers.items():
        assert response.status_code == 400, query
        assert response.json()["code"] == "invalid"
        assert list(response.json()["fields"]) == ["format"]


# Query counts ---------------------------------------------------------------------------------------------------

ROWS = 150
QUERY_BOUND = 6  # token, workspace (membership), count (kept or counted), page ids, page rows, the page's authors


@pytest.fixture
def many_notes(world, staff):
    """150 notes over 21 authors (one frozen), 40 of them submitted in various states."""
    authors = [bind(world.enterprise, RedAccountFactory()) for _ in range(21)]
    authors[0].status = "frozen"
    authors[0].save(update_fields=["status"])
    now = clock.now()
    rows = [
        note_row(
            authors[n % 21].red_account.red_id,
            published_at=now - timedelta(hours=n + 1),
            type=("image", "video")[n % 2],
        )
        for n in range(ROWS)
    ]
    sync_notes(staff, rows)
    sync_metrics(staff, [metric_row(row["note_id"], likes=n, comments=n % 7) for n, row in enumerate(rows)])
    statuses = list(ReviewStatus)
    for n, note in enumerate(Note.objects.order_by("pk")[:40]):
        submit(note, world.enterprise, statuses[n % 3], at=now - timedelta(minutes=n))


@pytest.mark.parametrize(
    "query",
    [
        "",
        "review_status=not_submitted&ordering=-exposure",
        "title=%E7%AC%94%E8%AE%B0&ordering=-engagement",
        "published_from=2013-01-01&ordering=submitted_at",
        "employee=%E5%91%98%E5%B7%A5&ordering=reads",
    ],
    ids=["kept_count", "kept_count_by_status", "title", "published_from", "employee"],
)
def test_n02_the_list_runs_a_constant_number_of_queries(world, many_notes, query, django_assert_max_num_queries):
    """No N+1: the same bound at page sizes 1, 20 and 100, with and without filters; page_size is capped at 100."""
    client = world.client("analyst")
    url = brand_url(world.enterprise, f"notes/?{query}&page_size=")
    client.get(url + "1")  # the token's first use records last_used_at

    for size in (1, 20, 100):
        with django_assert_max_num_queries(QUERY_BOUND):
            response = client.get(url + str(size))
        assert response.status_code == 200, response.content
        assert len(response.json()["results"]) == size
    assert len(client.get(url + "500").json()["results"]) == 100


def test_n02_paging_through_equal_values_returns_every_note_once(world, many_notes):
    """All 150 notes have exposure 0: pages of 7 sorted by exposure still hold each note exactly once."""
    client = world.client("analyst")
    seen = []
    for page in range(1, 23):
        response = client.get(brand_url(world.enterprise, f"notes/?ordering=exposure&page_size=7&page={page}"))
        assert response.status_code == 200, response.content
        seen += [row["note_id"] for row in response.json()["results"]]

    assert len(seen) == len(set(seen)) == ROWS


def test_n02_the_list_as_it_opens_equals_the_same_list_sorted_explicitly(world, many_notes):
    """The unfiltered list, newest first, reads its pages with a written-out statement; every page of it equals the
    page the ORM gives for `ordering=-published_at`, rows and fields alike."""
    client = world.client("analyst")
    for page in range(1, 23):
        plain = client.get(brand_url(world.enterprise, f"notes/?page_size=7&page={page}")).json()
        sorted_ = client.get(brand_url(world.enterprise, f"notes/?ordering=-published_at&page_size=7&page={page}"))
        assert plain == sorted_.json() | {"next": plain["next"], "previous": plain["previous"]}
        assert len(plain["results"]) == (7 if page < 22 else ROWS - 21 * 7)
