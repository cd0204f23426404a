"""Incentive periods (D02): what counts, competition ranks and who is awarded, closing once from the day after the
last day, a closed period never changing, notices and audit, the export, the employee's own view, the pages."""

import csv
import io
from datetime import timedelta

import openpyxl
import pytest
from django.test import Client
from django.utils import translation

from accounts import audit_display
from accounts.models import AuditEvent
from analytics import incentives
from analytics.models import IncentiveAward, IncentivePeriod, default_rules
from bindings.choices import BindingStatus, EndReason, NotificationKind
from bindings.models import Binding, Notification

from ..bindings.factories import BindingFactory
from ..bindings.helpers import client_for
from ..workers import wait_for
from .incentive_helpers import at, make_period, note_with, person, today

pytestmark = pytest.mark.django_db

RULES = {
    "viral": {"min_interactions": 100, "top": 2, "amount": "1000.00"},
    "cumulative": {"top": 2, "amount": "500.00"},
    "honour": {"top": 3, "prize": "品牌礼盒"},
}


def periods_url(world, *rest):
    base = f"/api/v1/enterprises/{world.enterprise.pk}/incentives/periods/"
    return base + "".join(f"{part}/" for part in rest)


def awards(period, kind):
    return sorted(
        (a.red_account.red_id, a.rank, a.interactions)
        for a in IncentiveAward.objects.filter(period=period, kind=kind).select_related("red_account")
    )


@pytest.fixture
def four(world):
    """Totals 500, 300, 300, 100 (red IDs 901…904)."""
    people = []
    for index, total in enumerate((500, 300, 300, 100)):
        account = person(world.enterprise, red_id=f"9010000{index + 1}")
        note_with(account, world.enterprise, interactions=total)
        people.append(account)
    return people


def test_d02_ties_share_ranks_1_2_2_4_and_everyone_within_top_n_is_awarded(world, four):
    period = make_period(world.enterprise, rules=RULES)
    board = incentives.leaderboard(period)
    assert [(s.red_id, s.rank, s.interactions) for s in board] == [
        ("90100001", 1, 500),
        ("90100002", 2, 300),
        ("90100003", 2, 300),
        ("90100004", 4, 100),
    ]
    response = world.client("analyst").get(periods_url(world, period.pk, "leaderboard"))
    assert [row["rank"] for row in response.json()["results"]] == [1, 2, 2, 4]
    incentives.period_close(actor=None, period=period)
    assert awards(period, "cumulative") == [("90100001", 1, 500), ("90100002", 2, 300), ("90100003", 2, 300)]
    assert [r for r, _rank, _i in awards(period, "honour")] == ["90100001", "90100002", "90100003"]  # 4th is rank 4
    assert awards(period, "viral_note") == [("90100001", 1, 500), ("90100002", 2, 300), ("90100003", 2, 300)]


def test_d02_the_viral_award_ranks_people_by_their_best_note_once_each(world):
    star = person(world.enterprise, red_id="90200001")
    best = note_with(star, world.enterprise, interactions=900)
    note_with(star, world.enterprise, published_days_ago=12, interactions=800)
    runner = person(world.enterprise, red_id="90200002")
    note_with(runner, world.enterprise, interactions=700)
    period = make_period(world.enterprise, rules=RULES)
    incentives.period_close(actor=None, period=period)
    assert awards(period, "viral_note") == [("90200001", 1, 900), ("90200002", 2, 700)]
    assert IncentiveAward.objects.get(period=period, kind="viral_note", red_account=star).note == best
    assert awards(period, "cumulative")[0] == ("90200001", 1, 1700)  # stackable with the first


def test_d02_a_viral_note_needs_more_than_the_minimum_interactions(world):
    exactly = person(world.enterprise, red_id="90300001")
    note_with(exactly, world.enterprise, interactions=100)
    above = person(world.enterprise, red_id="90300002")
    note_with(above, world.enterprise, interactions=101)
    period = make_period(world.enterprise, rules=RULES)
    incentives.period_close(actor=None, period=period)
    assert awards(period, "viral_note") == [("90300002", 1, 101)]


def test_d02_counts_notes_published_while_bound_here_with_days_up_to_the_last_day(world):
    late = person(world.enterprise, red_id="90400001", bound_days_ago=10)
    note_with(late, world.enterprise, published_days_ago=15, interactions=999)  # before its binding: not counted
    note_with(late, world.enterprise, published_days_ago=8, days={7: 40, 5: 2, 4: 1000})  # day -4 is after the end
    rival = person(world.other_enterprise, red_id="90400002")
    note_with(rival, world.other_enterprise, interactions=5000)  # another brand's account
    gone = RedAccountGone = person(world.enterprise, red_id="90400003")
    Binding.objects.filter(red_account=gone).update(
        status=BindingStatus.ENDED, ended_at=at(18), end_reason=EndReason.UNBOUND_BY_ENTERPRISE
    )
    note_with(RedAccountGone, None, published_days_ago=16, interactions=77)  # published after leaving
    before_period = person(world.enterprise, red_id="90400004")
    note_with(before_period, world.enterprise, published_days_ago=25, days={15: 300})  # published before the period
    period = make_period(world.enterprise)
    board = incentives.leaderboard(period)
    assert [(s.red_id, s.interactions, s.notes) for s in board] == [("90400001", 42, 1)]


def test_d02_close_before_the_day_after_the_last_day_is_409(world, unchanged):
    period = make_period(world.enterprise, first=10, last=0)  # ends today
    client = world.client("operator")
    with unchanged():
        response = client.post(periods_url(world, period.pk, "close"))
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "period_not_over" and body["available_on"] == (today() + timedelta(days=1)).isoformat()


def test_d02_closing_twice_changes_nothing(world, four):
    period = make_period(world.enterprise, rules=RULES)
    first = world.client("owner").post(periods_url(world, period.pk, "close"))
    assert first.status_code == 200 and first.json()["status"] == "closed"
    rows = world.client("owner").get(periods_url(world, period.pk, "awards")).json()["results"]
    note_with(four[3], world.enterprise, published_days_ago=10, interactions=10_000)  # late figures change nothing
    again = world.client("admin").post(periods_url(world, period.pk, "close"))
    assert again.status_code == 200 and again.json()["closed_at"] == first.json()["closed_at"]
    assert world.client("owner").get(periods_url(world, period.pk, "awards")).json()["results"] == rows
    assert AuditEvent.objects.filter(action="incentive_period.closed").count() == 1
    assert IncentiveAward.objects.filter(period=period).count() == len(rows) == 9


def test_d02_a_closed_or_started_period_never_changes(world, unchanged):
    closed = make_period(world.enterprise)
    incentives.period_close(actor=None, period=closed)
    running = make_period(world.enterprise, first=3, last=-3)
    owner = world.client("owner")
    for period in (closed, running):
        with unchanged():
            response = owner.patch(periods_url(world, period.pk), {"name": "改"}, format="json")
        assert response.status_code == 409 and response.json()["code"] == "period_started"
    coming = make_period(world.enterprise, first=-10, last=-20)
    rules = RULES | {"honour": {"top": 1, "prize": "奖杯"}}
    response = world.client("operator").patch(
        periods_url(world, coming.pk), {"name": "一月", "rules": rules}, format="json"
    )
    assert response.status_code == 200 and response.json()["rules"]["honour"] == {"top": 1, "prize": "奖杯"}
    event = AuditEvent.objects.get(action="incentive_period.updated")
    assert event.before["name"] == "十二月激励" and event.after["name"] == "一月"


def test_d02_create_defaults_to_the_template_and_bad_rules_store_nothing(world, unchanged):
    client = world.client("operator")
    body = {"name": "一月激励", "start_date": "2099-01-01", "end_date": "2099-01-31"}
    response = client.post(periods_url(world), body, format="json")
    assert response.status_code == 201
    created = response.json()
    assert created["status"] == "open" and created["rules"]["viral"] == default_rules()["viral"]
    bad = RULES | {"viral": {"min_interactions": -1, "top": 0, "amount": "10.123"}}
    for wrong in (
        {**body, "rules": bad},
        {**body, "rules": RULES | {"honour": {"top": 3, "prize": "奖" * 101}}},
        {**body, "end_date": "2098-12-31"},
        {**body, "rules": {"viral": RULES["viral"]}},
    ):
        with unchanged():
            response = client.post(periods_url(world), wrong, format="json", HTTP_ACCEPT_LANGUAGE="zh-hans")
        assert response.status_code == 400 and response.json()["code"] == "invalid", wrong
    assert "单篇爆文" in str(client.post(periods_url(world), {**body, "rules": bad}, format="json").json()["fields"])


def test_d02_awarded_employees_and_the_enterprise_are_notified_and_the_close_audited(world, four):
    period = make_period(world.enterprise, rules=RULES)
    world.client("operator").post(periods_url(world, period.pk, "close"))
    employees = Notification.objects.filter(audience="employee", kind=NotificationKind.INCENTIVE_AWARDED)
    assert sorted(n.red_account_id for n in employees) == sorted(a.pk for a in four[:3])  # once per person
    assert all(n.binding.enterprise_id == world.enterprise.pk for n in employees)
    assert Notification.objects.get(audience="enterprise", kind=NotificationKind.INCENTIVE_PERIOD_CLOSED).count == 3
    event = AuditEvent.objects.get(action="incentive_period.closed")
    assert event.actor == world.users["operator"] and event.after["awards"] == 9
    assert event.after["amount"] == "4500.00"  # viral ranks 1, 2, 2 × ¥1,000 and cumulative 1, 2, 2 × ¥500
    with translation.override("zh-hans"):
        described = audit_display.describe(AuditEvent.objects.filter(enterprise=world.enterprise).order_by("at"))
    closed = next(e for e in described if e.action == "incentive_period.closed")
    assert closed.object_name == period.name and "激励" in closed.label
    assert "¥4,500.00" in closed.changes_text and "incentive" not in closed.summary


def test_d02_the_awards_export_parses_back_to_the_apis_rows(world, four):
    period = make_period(world.enterprise, rules=RULES)
    incentives.period_close(actor=None, period=period)
    client = world.client("analyst")
    rows = client.get(periods_url(world, period.pk, "awards")).json()["results"]
    expected = [
        [r["red_id"], r["nickname"], r["kind"], r["rank"], r["interactions"], r["amount"], r["prize"], r["note_id"]]
        for r in rows
    ]
    labels = {"viral_note": "单篇爆文", "cumulative": "累计排名", "honour": "荣誉榜"}
    with translation.override("zh-hans"):
        csv_response = client.get(periods_url(world, period.pk, "awards", "export") + "?format=csv")
        text = b"".join(csv_response.streaming_content).decode("utf-8-sig")
    parsed = list(csv.reader(io.StringIO(text)))[1:]
    assert [[r[0], r[1], r[2], int(r[3]), int(r[4]), r[5] or None, r[6], r[7] or None] for r in parsed] == [
        [*e[:2], labels.get(e[2], e[2]), *e[3:]] for e in expected
    ]
    xlsx = client.get(periods_url(world, period.pk, "awards", "export") + "?format=xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(xlsx.streaming_content))).active
    values = [list(row) for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert [[str(v[0]), v[1], int(v[3]), int(v[4])] for v in values] == [[e[0], e[1], e[3], e[4]] for e in expected]
    assert [f"{v[5]:.2f}" if v[5] is not None else None for v in values] == [e[5] for e in expected]


def test_d02_period_list_costs_the_same_queries_whatever_its_length(world, four, django_assert_max_num_queries):
    client = world.client("analyst")
    make_period(world.enterprise)
    with django_assert_max_num_queries(8) as few:
        assert client.get(periods_url(world)).json()["count"] == 1
    for index in range(15):
        make_period(world.enterprise, name=f"第{index}期", first=40 + index, last=30)
    with django_assert_max_num_queries(len(few.captured_queries)):
        results = client.get(periods_url(world)).json()["results"]
    assert len(results) == 16 and results[-1]["participants"] == 0
    assert next(r for r in results if r["name"] == "十二月激励")["participants"] == 4


def test_d02_the_employee_sees_own_rank_gap_and_awards_only(world, four):
    closed = make_period(world.enterprise, rules=RULES)
    incentives.period_close(actor=None, period=closed)
    running = make_period(world.enterprise, first=20, last=-5, name="本月激励")
    make_period(world.other_enterprise, name="别家激励")
    third = four[2]
    body = client_for(third.user).get("/api/v1/me/incentives/").json()
    by_name = {row["name"]: row for row in body["results"]}
    assert set(by_name) == {"十二月激励", "本月激励"}
    assert (by_name["本月激励"]["rank"], by_name["本月激励"]["gap"]) == (2, 200)
    assert by_name["本月激励"]["status"] == "open" and by_name["本月激励"]["id"] == running.pk
    assert {a["kind"] for a in by_name["十二月激励"]["awards"]} == {"viral_note", "cumulative", "honour"}
    leader = client_for(four[0].user).get("/api/v1/me/incentives/").json()["results"]
    assert {row["name"]: row["gap"] for row in leader}["本月激励"] is None
    assert client_for(world.users["employee"]).get("/api/v1/me/incentives/").json()["results"] == []


def test_d02_another_tenants_period_is_404(world):
    theirs = make_period(world.other_enterprise)
    url = f"/api/v1/enterprises/{world.enterprise.pk}/incentives/periods/{theirs.pk}/"
    for rest in ("", "leaderboard/", "awards/"):
        assert world.client("owner").get(url + rest).status_code == 404
    assert world.client("owner").post(url + "close/").status_code == 404


# Pages -------------------------------------------------------------------------------------------------------------


def browser(user):
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(user)
    return client


def test_d02_the_brand_pages_create_show_and_close(world, four):
    owner = browser(world.users["owner"])
    base = f"/w/{world.enterprise.pk}/incentives/"
    page = owner.get(base)
    assert page.status_code == 200 and "激励活动" in page.content.decode() and 'value="100"' in page.content.decode()
    form = {
        "name": "年终激励",
        "start_date": (today() - timedelta(days=20)).isoformat(),
        "end_date": (today() - timedelta(days=5)).isoformat(),
        "viral_min_interactions": "100",
        "viral_top": "2",
        "viral_amount": "1000.00",
        "cumulative_top": "2",
        "cumulative_amount": "500",
        "honour_top": "3",
        "honour_prize": "品牌礼盒",
    }
    assert owner.post(base, {**form, "viral_top": "0"}).status_code == 400
    created = owner.post(base, form)
    period = IncentivePeriod.objects.get(name="年终激励")
    assert created.status_code == 302 and period.rules == RULES
    detail = owner.get(f"{base}{period.pk}/").content.decode()
    assert "单篇爆文" in detail and 'data-testid="close-period"' in detail and "90100001" in detail
    assert owner.post(f"{base}{period.pk}/", {"action": "close"}).status_code == 302
    closed = owner.get(f"{base}{period.pk}/").content.decode()
    assert 'data-testid="awards"' in closed and "¥1,000.00" in closed and "format=xlsx" in closed
    analyst = browser(world.users["analyst"])
    assert analyst.get(base).status_code == 200 and analyst.post(base, form).status_code == 403
    assert browser(world.users["other_member"]).get(f"{base}{period.pk}/").status_code == 404


def test_d02_the_employee_page_shows_rank_gap_and_awards(world, four):
    make_period(world.enterprise, first=20, last=-5, name="本月激励")
    closed = make_period(world.enterprise, rules=RULES, name="上月激励")
    incentives.period_close(actor=None, period=closed)
    page = browser(four[2].user).get("/m/incentives/").content.decode()
    assert "我的激励" in page and "本月激励" in page and "200" in page and "累计排名" in page


def test_d02_the_employee_page_costs_the_same_queries_whatever_the_number_of_periods(
    world, four, django_assert_max_num_queries
):
    make_period(world.enterprise, first=20, last=-5, name="本月激励")
    client = browser(four[2].user)
    with django_assert_max_num_queries(20) as few:
        page = client.get("/m/incentives/")
    assert page.status_code == 200 and [row["rank"] for row in page.context["open_rows"]] == [2]
    late = person(world.enterprise, red_id="90100005")
    note_with(late, world.enterprise, published_days_ago=3, interactions=1000)
    for first, last, name in ((10, -1, "第二期"), (4, -10, "第三期"), (30, -2, "第四期")):
        make_period(world.enterprise, first=first, last=last, name=name)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get("/m/incentives/")
    assert page.status_code == 200
    shown = {row["name"]: (row["rank"], row["participants"], row["gap"]) for row in page.context["open_rows"]}
    assert shown == {
        "本月激励": (3, 5, 200),  # 1000 (the late note), 500, 300, 300, 100
        "第二期": (None, 1, None),  # their note is older than these two periods
        "第三期": (None, 1, None),
        "第四期": (3, 5, 200),
    }


def test_d02_the_leaderboards_of_many_periods_are_each_periods_leaderboard(world, four):
    mover = person(world.other_enterprise, red_id="90100009", bound_days_ago=40)
    note_with(mover, world.other_enterprise, published_days_ago=16, interactions=300)
    note_with(four[3], world.enterprise, published_days_ago=7, days={6: 150, 5: 50, 2: 900})
    periods = [
        make_period(world.enterprise, rules=RULES),
        make_period(world.enterprise, first=8, last=2, name="第二期"),
        make_period(world.enterprise, first=30, last=25, name="空的一期"),
        make_period(world.other_enterprise, name="别家激励"),
    ]
    boards = incentives.leaderboards(periods)
    assert boards == {period.pk: incentives.leaderboard(period) for period in periods}
    assert [(s.red_id, s.rank, s.interactions) for s in boards[periods[0].pk]] == [
        ("90100001", 1, 500),
        ("90100002", 2, 300),
        ("90100003", 2, 300),
        ("90100004", 2, 300),  # 100 and the second note's 200 up to the last day
    ]
    assert [(s.red_id, s.interactions, s.best_listed_here) for s in boards[periods[1].pk]] == [("90100004", 1100, True)]
    assert boards[periods[2].pk] == [] and [s.red_id for s in boards[periods[3].pk]] == ["90100009"]
    assert incentives.leaderboards([]) == {}


def test_d02_only_the_binding_at_publishing_counts_when_an_account_moves(world):
    mover = person(world.other_enterprise, red_id="90500001", bound_days_ago=40)
    Binding.objects.filter(red_account=mover).update(
        status=BindingStatus.ENDED, ended_at=at(14), end_reason=EndReason.UNBOUND_BY_ENTERPRISE
    )
    BindingFactory(enterprise=world.enterprise, red_account=mover, effective_at=at(13, 16))
    note_with(mover, world.other_enterprise, published_days_ago=16, interactions=500)  # for 别家品牌
    note_with(mover, world.enterprise, published_days_ago=10, interactions=60)
    assert [(s.interactions, s.notes) for s in incentives.leaderboard(make_period(world.enterprise))] == [(60, 1)]
    assert [s.interactions for s in incentives.leaderboard(make_period(world.other_enterprise))] == [500]


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_d02_the_daily_job_closes_periods_that_are_over_once_on_a_real_worker(worker):
    from analytics import tasks

    from ..factories import EnterpriseFactory

    enterprise = EnterpriseFactory()
    winner = person(enterprise, red_id="90600001")
    note_with(winner, enterprise, interactions=150)
    over = make_period(enterprise)
    ends_today = make_period(enterprise, first=3, last=0, name="本周激励")

    worker.run(tasks.close_incentive_periods)

    wait_for(lambda: IncentivePeriod.objects.get(pk=over.pk).status == "closed", "close the period")
    assert IncentivePeriod.objects.get(pk=ends_today.pk).status == "open"  # from the day after its last day only
    assert awards(over, "viral_note") == [("90600001", 1, 150)]
    event = AuditEvent.objects.get(action="incentive_period.closed")
    assert event.actor is None and event.object_id == str(over.pk)

    worker.run(tasks.close_incentive_periods)  # idempotent: nothing more to close, nothing sent twice

    assert IncentiveAward.objects.filter(period=over).count() == 3
    assert AuditEvent.objects.filter(action="incentive_period.closed").count() == 1
    assert Notification.objects.filter(kind=NotificationKind.INCENTIVE_AWARDED).count() == 1
