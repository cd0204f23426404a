"""The horse race (D03): tiers by share with ties at their edges, at least one account from five on, the test-phase
mark (N07), the metric switch, accounts bound in the range with no results, the kept months and their movements, the
campaign draft from the invest tier, the pages, the monthly job on a real worker, and a constant number of queries."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.models import AuditEvent
from analytics import horse_race, tasks
from analytics.models import NOTE_FIGURES, AccountDay, EnterpriseDay, HorseRaceMonth, NoteDay
from bindings.choices import BindingStatus, EndReason
from campaigns.models import Campaign, UnitNote
from kos_platform import clock
from kos_platform.guard import day_start

from ..bindings.factories import BindingFactory
from ..campaigns.helpers import pushed_note
from ..factories import EnterpriseFactory, RedAccountFactory
from ..notes.factories import NoteFactory
from ..workers import wait_for

pytestmark = pytest.mark.django_db


def race_url(enterprise, rest=""):
    return f"/api/v1/enterprises/{enterprise.pk}/analytics/horse-race/{rest}"


def account_with(enterprise, day=None, *, red_id=None, **figures):
    """An account bound to `enterprise` since 60 days ago, with one day of results (none when no figures)."""
    account = RedAccountFactory(**({"red_id": red_id} if red_id else {}))
    BindingFactory(enterprise=enterprise, red_account=account, effective_at=clock.now() - timedelta(days=60))
    if figures:
        results(enterprise, account, day or clock.local_today() - timedelta(days=2), **figures)
    return account


def results(enterprise, account, day, **figures):
    """The account's results on the day as the rollups hold them: the notes' figures on a note-day of its one note
    (the first call makes it), the others on its account-day, and both in the enterprise-day."""
    notes = {name: value for name, value in figures.items() if name in NOTE_FIGURES}
    others = {name: value for name, value in figures.items() if name not in NOTE_FIGURES}
    if notes:
        note = NoteDay.objects.filter(red_account=account).values_list("note", flat=True).first()
        NoteDay.objects.update_or_create(
            note_id=note or NoteFactory(author=account).pk,
            date=day,
            defaults={"enterprise": enterprise, "red_account": account, **notes},
        )
    if others:
        AccountDay.objects.update_or_create(enterprise=enterprise, red_account=account, date=day, defaults=others)
    EnterpriseDay.objects.update_or_create(enterprise=enterprise, date=day, defaults=figures)


def field(rows, name):
    return [getattr(row, name) for row in rows]


def race(world, actor="analyst", **params):
    response = world.client(actor).get(race_url(world.enterprise), params)
    assert response.status_code == 200, response.content
    return response.json()


def test_d03_ten_accounts_two_invest_two_replace(world):
    for value in range(10, 0, -1):
        account_with(world.enterprise, engagement=value * 10, red_id=f"9000{value:04d}")
    body = race(world)
    assert body["metric"] == "engagement"
    assert [r["value"] for r in body["results"]] == [100, 90, 80, 70, 60, 50, 40, 30, 20, 10]
    assert [r["rank"] for r in body["results"]] == list(range(1, 11))
    assert [r["tier"] for r in body["results"]] == ["invest"] * 2 + ["keep"] * 6 + ["replace"] * 2
    assert {"rank", "red_id", "value", "tier", "nickname", "holder_name", "test_phase"} <= set(body["results"][0])


def test_d03_ties_at_both_edges_join_their_tier(world):
    for value in (100, 90, 90, 50, 40, 30, 20, 10, 10, 10):
        account_with(world.enterprise, engagement=value)
    rows = horse_race.ranking(world.enterprise, clock.local_today() - timedelta(days=29), clock.local_today())
    assert field(rows, "rank") == [1, 2, 2, 4, 5, 6, 7, 8, 8, 8]
    assert field(rows, "tier") == ["invest"] * 3 + ["keep"] * 4 + ["replace"] * 3


def test_d03_fewer_than_five_accounts_and_an_account_in_both_tiers(world):
    accounts = [account_with(world.enterprise, engagement=value) for value in (40, 30, 20, 10)]
    start, end = clock.local_today() - timedelta(days=29), clock.local_today()
    assert field(horse_race.ranking(world.enterprise, start, end), "tier") == ["keep"] * 4  # ⌊0.2 × 4⌋ = 0
    half = Decimal("0.5")
    rows = horse_race.ranking(world.enterprise, start, end, invest_share=half, replace_share=half)
    assert field(rows, "tier") == ["invest", "invest", "replace", "replace"]
    # All tied: the edges reach across everyone; invest wins, nobody is also flagged for replacement.
    NoteDay.objects.filter(red_account__in=accounts).update(engagement=7)
    rows = horse_race.ranking(world.enterprise, start, end, invest_share=half, replace_share=half)
    assert field(rows, "tier") == ["invest"] * 4 and field(rows, "rank") == [1, 1, 1, 1]


def test_d03_from_five_accounts_each_tier_holds_at_least_one(world):
    for value in (60, 50, 40, 30, 20):
        account_with(world.enterprise, engagement=value)
    start, end = clock.local_today() - timedelta(days=29), clock.local_today()
    small = Decimal("0.05")
    rows = horse_race.ranking(world.enterprise, start, end, invest_share=small, replace_share=small)
    assert field(rows, "tier") == ["invest", "keep", "keep", "keep", "replace"]
    off = horse_race.ranking(world.enterprise, start, end, invest_share=Decimal("0"), replace_share=small)
    assert field(off, "tier") == ["keep"] * 4 + ["replace"]  # a share of 0 switches its tier off


def test_d03_fewer_than_ten_notes_marks_the_test_phase(world):
    seasoned = account_with(world.enterprise, engagement=5)  # each with the note of its figures
    starter = account_with(world.enterprise, engagement=9)
    for _ in range(9):
        NoteFactory(author=seasoned)
    for _ in range(8):
        NoteFactory(author=starter)
    by_id = {r["red_id"]: r for r in race(world)["results"]}
    assert by_id[seasoned.red_id]["test_phase"] is False and by_id[seasoned.red_id]["notes"] == 10
    assert by_id[starter.red_id]["test_phase"] is True and by_id[starter.red_id]["notes"] == 9


def test_d03_the_metric_switches_the_order(world):
    engaging = account_with(world.enterprise, engagement=500, leads=1, gmv=Decimal("10.00"), exposure=9000)
    selling = account_with(world.enterprise, engagement=50, leads=20, gmv=Decimal("1234.50"), exposure=100)
    assert [r["red_id"] for r in race(world)["results"]] == [engaging.red_id, selling.red_id]
    leads = race(world, metric="leads")
    assert leads["metric"] == "leads" and [r["red_id"] for r in leads["results"]] == [selling.red_id, engaging.red_id]
    gmv = race(world, metric="gmv")
    assert [(r["red_id"], r["value"]) for r in gmv["results"]] == [
        (selling.red_id, "1234.50"),
        (engaging.red_id, "10.00"),
    ]
    exposure = race(world, metric="exposure")
    assert [r["value"] for r in exposure["results"]] == [9000, 100]


def test_d03_accounts_bound_in_the_range_count_with_zero_results(world):
    today = clock.local_today()
    start = today - timedelta(days=9)
    active = account_with(world.enterprise, engagement=30)
    silent = account_with(world.enterprise)  # bound, no results at all
    left_in_range = RedAccountFactory()
    BindingFactory(
        enterprise=world.enterprise,
        red_account=left_in_range,
        effective_at=clock.now() - timedelta(days=60),
        status=BindingStatus.ENDED,
        ended_at=day_start(start) + timedelta(hours=10),
        end_reason=EndReason.UNBOUND_BY_ENTERPRISE,
    )
    left_before = RedAccountFactory()
    BindingFactory(
        enterprise=world.enterprise,
        red_account=left_before,
        effective_at=clock.now() - timedelta(days=60),
        status=BindingStatus.ENDED,
        ended_at=day_start(start) - timedelta(hours=1),
        end_reason=EndReason.UNBOUND_BY_ENTERPRISE,
    )
    account_with(world.other_enterprise, engagement=999)  # another brand's account
    body = race(world, **{"from": start.isoformat(), "to": today.isoformat()})
    assert [(r["red_id"], r["value"]) for r in body["results"]] == sorted(
        [(active.red_id, 30), (silent.red_id, 0), (left_in_range.red_id, 0)], key=lambda r: (-r[1], r[0])
    )
    results(world.enterprise, left_before, today - timedelta(days=1), gmv=Decimal("50.00"))  # an order after leaving
    body = race(world, **{"from": start.isoformat(), "to": today.isoformat()})
    assert (left_before.red_id, 0) in [(r["red_id"], r["value"]) for r in body["results"]]  # results there: ranked
    assert body["from"] == start.isoformat() and body["to"] == today.isoformat()


@pytest.mark.parametrize(
    "params",
    [
        {"invest_share": "0.6"},
        {"replace_share": "-0.1"},
        {"invest_share": "abc"},
        {"metric": "followers"},
        {"from": "2025-01-01", "to": "2026-01-02"},
        {"from": "2026-02-01", "to": "2026-01-01"},
    ],
)
def test_d03_shares_metric_and_range_out_of_bounds_are_400(world, params):
    response = world.client("analyst").get(race_url(world.enterprise), params)
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid" and set(body["fields"]) & (set(params) | {"to"})


def test_d03_shares_at_the_bounds_are_accepted(world):
    body = race(world, invest_share="0", replace_share="0.5")
    assert body["invest_share"] == "0.0000" and body["replace_share"] == "0.5000"


# Months ----------------------------------------------------------------------------------------------------------


def month_of(months_ago: int) -> str:
    day = clock.local_today().replace(day=1)
    for _ in range(months_ago):
        day = (day - timedelta(days=1)).replace(day=1)
    return f"{day.year:04d}-{day.month:02d}"


def results_in(enterprise, month, values: dict):
    start, _end = horse_race.month_range(month)
    for account, value in values.items():
        results(enterprise, account, start, engagement=value)


def test_d03_a_month_is_kept_once_and_its_movements_read(world):
    accounts = [account_with(world.enterprise) for _ in range(5)]
    a, b, c, d, e = accounts
    older, last = month_of(2), month_of(1)
    results_in(world.enterprise, older, {a: 50, b: 40, c: 30, d: 20, e: 10})
    results_in(world.enterprise, last, {a: 10, b: 40, c: 50, d: 20, e: 30})
    assert horse_race.record_month(world.enterprise, older) == 5
    assert horse_race.record_month(world.enterprise, last) == 5
    kept = list(HorseRaceMonth.objects.filter(month=older).order_by("rank").values_list("red_account", "tier", "rank"))
    assert kept[0] == (a.pk, "invest", 1) and kept[-1] == (e.pk, "replace", 5)

    results_in(world.enterprise, older, {e: 999})  # figures arriving late never change a kept month
    assert horse_race.record_month(world.enterprise, older) == 0
    assert (
        list(HorseRaceMonth.objects.filter(month=older).order_by("rank").values_list("red_account", "tier", "rank"))
        == kept
    )
    with pytest.raises(ValueError):
        horse_race.record_month(world.enterprise, month_of(0))

    history = horse_race.movements(world.enterprise)
    assert [m["month"] for m in history] == [last, older]
    assert [x["red_id"] for x in history[0]["invest"]] == [c.red_id]
    assert [x["red_id"] for x in history[0]["entered"]] == [c.red_id]
    assert [x["red_id"] for x in history[0]["left"]] == [a.red_id]
    assert [x["red_id"] for x in history[0]["replace"]] == [a.red_id]
    assert history[1]["first"] and history[1]["entered"] == [] and history[1]["left"] == []

    body = world.client("analyst").get(race_url(world.enterprise, "history/")).json()
    assert [m["month"] for m in body["results"]] == [last, older]
    assert body["results"][0]["left"] == [{"red_id": a.red_id, "nickname": a.nickname}]
    assert world.client("other_member").get(race_url(world.enterprise, "history/")).status_code == 404


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_d03_the_monthly_job_keeps_last_month_on_a_real_worker(worker):
    with_results, without = EnterpriseFactory(), EnterpriseFactory()
    accounts = [account_with(with_results) for _ in range(3)]
    account_with(without)
    last = month_of(1)
    results_in(with_results, last, dict(zip(accounts, (30, 20, 10), strict=True)))

    worker.run(tasks.record_horse_race_months)
    wait_for(lambda: HorseRaceMonth.objects.filter(enterprise=with_results, month=last).count() == 3, "keep")
    worker.run(tasks.record_horse_race_months)

    assert HorseRaceMonth.objects.filter(enterprise=with_results).count() == 3
    assert not HorseRaceMonth.objects.filter(enterprise=without).exists()
    assert set(HorseRaceMonth.objects.values_list("metric", flat=True)) == {"engagement"}


# The campaign draft ----------------------------------------------------------------------------------------------


def test_d03_the_draft_holds_each_accounts_best_pushed_notes_and_skips_the_rest(world):
    star = account_with(world.enterprise, engagement=900)
    quiet = account_with(world.enterprise, engagement=800)
    pushed = {value: pushed_note(world.enterprise, star, engagement=value) for value in (5, 50, 30, 10)}
    NoteFactory(author=star, engagement=9999)  # never pushed
    other = pushed_note(world.other_enterprise, star, engagement=5000)  # pushed by another brand

    response = world.client("operator").post(
        race_url(world.enterprise, "campaign-draft/"), {"red_ids": [star.red_id, quiet.red_id]}, format="json"
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["skipped"] == [quiet.red_id] and body["units"] == 1 and body["status"] == "draft"
    campaign = Campaign.objects.get(pk=body["id"], enterprise=world.enterprise)
    assert campaign.name == f"赛马投资{clock.month_label()}"
    unit = campaign.units.get()
    notes = set(UnitNote.objects.filter(unit=unit).values_list("note_id", flat=True))
    assert notes == {pushed[50].pk, pushed[30].pk, pushed[10].pk} and other.pk not in notes
    actions = set(AuditEvent.objects.filter(enterprise_id=world.enterprise.pk).values_list("action", flat=True))
    assert {"campaign.created", "campaign_unit.created"} <= actions


def test_d03_a_draft_with_nothing_to_promote_or_unknown_accounts_is_400(world, unchanged):
    quiet = account_with(world.enterprise, engagement=1)
    stranger = account_with(world.other_enterprise, engagement=1)
    client = world.client("owner")
    with unchanged():
        nothing = client.post(race_url(world.enterprise, "campaign-draft/"), {"red_ids": [quiet.red_id]}, format="json")
        unknown = client.post(
            race_url(world.enterprise, "campaign-draft/"), {"red_ids": [stranger.red_id]}, format="json"
        )
        empty = client.post(race_url(world.enterprise, "campaign-draft/"), {"red_ids": []}, format="json")
    for response in (nothing, unknown, empty):
        assert response.status_code == 400 and response.json()["fields"].keys() == {"red_ids"}
    assert stranger.red_id in unknown.json()["fields"]["red_ids"][0]


# Pages and queries -----------------------------------------------------------------------------------------------


def test_d03_the_page_shows_tiers_history_and_drafts_a_campaign(world, client):
    for value in (60, 50, 40, 30, 20):
        account_with(world.enterprise, engagement=value)
    star = account_with(world.enterprise, engagement=100)
    pushed_note(world.enterprise, star, engagement=70)
    results_in(world.enterprise, month_of(1), {star: 5})
    horse_race.record_month(world.enterprise, month_of(1))
    url = reverse("analytics-horse-race", args=[world.enterprise.pk])

    client.force_login(world.users["analyst"])
    page = client.get(url).content.decode()
    assert "投资" in page and "汰换" in page and "测试期" in page and month_of(1) in page
    assert 'data-testid="draft-campaign"' not in page  # analysts read only
    draft = reverse("analytics-horse-race-draft", args=[world.enterprise.pk])
    assert client.post(draft, {"red_id": [star.red_id]}).status_code == 403
    assert client.get(url, {"invest_share": "0.9"}).status_code == 400

    client.force_login(world.users["operator"])
    page = client.get(url).content.decode()
    assert 'data-testid="draft-campaign"' in page
    response = client.post(draft, {"red_id": [star.red_id]})
    campaign = Campaign.objects.get(enterprise=world.enterprise)
    assert response.status_code == 302
    assert response["Location"] == reverse("campaign-detail", args=[world.enterprise.pk, campaign.pk])

    client.force_login(world.users["other_member"])
    assert client.get(url).status_code == 404


def test_d03_the_ranking_reads_a_constant_number_of_queries(world, django_assert_max_num_queries):
    client = world.client("analyst")
    client.get(race_url(world.enterprise))  # warm the token's and the workspace's caches
    for value in range(3):
        account_with(world.enterprise, engagement=value)
    with django_assert_max_num_queries(8) as few:
        assert client.get(race_url(world.enterprise)).status_code == 200
    for value in range(40):
        NoteFactory(author=account_with(world.enterprise, engagement=value))
    with django_assert_max_num_queries(len(few.captured_queries)):
        body = client.get(race_url(world.enterprise)).json()
    assert len(body["results"]) == 43
