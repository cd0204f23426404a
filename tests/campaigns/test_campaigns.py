"""C01, C02: campaigns on pushed notes, their states and derived delivery, their units."""

from datetime import timedelta

import pytest
import time_machine

from accounts.models import AuditEvent
from campaigns import services
from campaigns.models import Campaign, CampaignUnit
from kos_platform import clock

from .helpers import post_spend, pushed_note, recharge, spend_row, workspace_of

pytestmark = pytest.mark.django_db


def url(enterprise, rest=""):
    return f"/api/v1/enterprises/{enterprise.pk}/{rest}"


def campaign_body(**fields):
    return {
        "name": "秋冬新品种草",
        "objective": "product_seeding",
        "placement": "feed",
        "daily_budget": "300.00",
        "start_date": clock.local_today().isoformat(),
    } | fields


def create(client, enterprise, **fields):
    response = client.post(url(enterprise, "campaigns/"), campaign_body(**fields), format="json")
    assert response.status_code == 201, response.content
    return response.json()


def add_unit(client, enterprise, campaign_id, notes, **fields):
    body = {"name": "单元一", "note_ids": [n.note_id for n in notes]} | fields
    return client.post(url(enterprise, f"campaigns/{campaign_id}/units/"), body, format="json")


@pytest.fixture
def funded(world):
    """The world's enterprise after its first recharge, with a pushed note."""
    recharge(world.enterprise, world.users["owner"], "9000.00")
    return pushed_note(world.enterprise)


def test_c01_a_campaign_is_created_as_a_draft(world):
    body = create(
        world.client("operator"), world.enterprise, end_date=(clock.local_today() + timedelta(days=9)).isoformat()
    )
    assert body["status"] == "draft"
    assert body["delivery"] == "draft"
    assert body["delivery_reason"] == "未启动（草稿）"
    assert body["spent_today"] == "0.00"
    assert AuditEvent.objects.filter(action="campaign.created", object_id=str(body["id"])).exists()


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"daily_budget": "99.99"}, "daily_budget"),
        ({"daily_budget": "100.001"}, "daily_budget"),
        ({"objective": "awareness"}, "objective"),
        ({"placement": "tv"}, "placement"),
        ({"start_date": "2020-01-01"}, "start_date"),
        ({"end_date": "2020-01-01"}, "end_date"),
        ({"name": ""}, "name"),
    ],
)
def test_c01_bad_campaigns_are_refused_and_store_nothing(world, unchanged, fields, field):
    client = world.client("operator")
    with unchanged():
        response = client.post(url(world.enterprise, "campaigns/"), campaign_body(**fields), format="json")
    assert response.status_code == 400
    assert field in response.json()["fields"]


def test_c01_start_needs_the_first_recharge(world, unchanged):
    note = pushed_note(world.enterprise)
    client = world.client("operator")
    campaign = create(client, world.enterprise)
    assert add_unit(client, world.enterprise, campaign["id"], [note]).status_code == 201
    with unchanged():
        response = client.post(url(world.enterprise, f"campaigns/{campaign['id']}/start/"))
    assert response.status_code == 409
    assert response.json()["code"] == "recharge_below_minimum"
    assert response.json()["minimum"] == "9000.00"


def test_c01_start_needs_a_unit(world, funded):
    client = world.client("operator")
    campaign = create(client, world.enterprise)
    response = client.post(url(world.enterprise, f"campaigns/{campaign['id']}/start/"))
    assert response.status_code == 409
    assert (response.json()["code"], response.json()["reason"]) == ("campaign_not_startable", "no_units")


def test_c01_states_draft_active_paused_ended(world, funded):
    client = world.client("operator")
    campaign = create(client, world.enterprise)
    cid = campaign["id"]
    assert add_unit(client, world.enterprise, cid, [funded]).status_code == 201
    started = client.post(url(world.enterprise, f"campaigns/{cid}/start/")).json()
    assert (started["status"], started["delivery"]) == ("active", "delivering")
    paused = client.post(url(world.enterprise, f"campaigns/{cid}/pause/")).json()
    assert (paused["status"], paused["paused_reason"], paused["delivery"]) == ("paused", "user", "paused")
    assert client.post(url(world.enterprise, f"campaigns/{cid}/pause/")).json()["code"] == "campaign_not_startable"
    assert client.post(url(world.enterprise, f"campaigns/{cid}/start/")).json()["status"] == "active"
    assert client.post(url(world.enterprise, f"campaigns/{cid}/end/")).json()["status"] == "ended"
    again = client.post(url(world.enterprise, f"campaigns/{cid}/start/"))
    assert again.status_code == 409
    assert again.json() | {"detail": ""} == {"code": "campaign_not_startable", "status": "ended", "detail": ""}
    assert client.patch(url(world.enterprise, f"campaigns/{cid}/"), {"name": "改名"}, format="json").status_code == 409
    actions = list(
        AuditEvent.objects.filter(object_id=str(cid), object_type="campaigns.campaign")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == [
        "campaign.created",
        "campaign.started",
        "campaign.paused",
        "campaign.started",
        "campaign.ended",
    ]


def test_c01_start_with_no_money_left_is_insufficient_balance(world, funded, unchanged):
    client = world.client("operator")
    cid = create(client, world.enterprise)["id"]
    add_unit(client, world.enterprise, cid, [funded])
    post_spend(world.client("staff"), [spend_row(world.enterprise, funded, amount="9000.00")])
    with unchanged():
        response = client.post(url(world.enterprise, f"campaigns/{cid}/start/"))
    assert response.status_code == 409
    assert response.json() | {"detail": ""} == {"code": "insufficient_balance", "balance": "0.00", "detail": ""}


def test_c01_delivery_is_derived_in_order(world, funded):
    client = world.client("operator")
    today = clock.local_today()
    later = create(client, world.enterprise, start_date=(today + timedelta(days=3)).isoformat())
    add_unit(client, world.enterprise, later["id"], [funded])
    now = create(client, world.enterprise, end_date=(today + timedelta(days=1)).isoformat(), daily_budget="100.00")
    unit = add_unit(client, world.enterprise, now["id"], [funded]).json()
    for cid in (later["id"], now["id"]):
        assert client.post(url(world.enterprise, f"campaigns/{cid}/start/")).status_code == 200

    def delivery(cid):
        body = client.get(url(world.enterprise, f"campaigns/{cid}/")).json()
        return body["delivery"], body["spent_today"]

    assert delivery(later["id"]) == ("not_started", "0.00")
    assert delivery(now["id"]) == ("delivering", "0.00")
    post_spend(world.client("staff"), [spend_row(world.enterprise, funded, amount="100.00", unit_id=unit["id"])])
    assert delivery(now["id"]) == ("budget_reached", "100.00")
    with time_machine.travel(clock.now() + timedelta(days=3)):
        assert delivery(now["id"]) == ("ended_by_date", "0.00")
        assert delivery(later["id"]) == ("delivering", "0.00")


def test_c01_campaign_list_shows_delivery_in_constant_queries(world, funded, django_assert_max_num_queries):
    client = world.client("operator")
    for n in range(25):
        create(client, world.enterprise, name=f"计划{n}")
    counts = []
    for size in (1, 100):
        with django_assert_max_num_queries(20) as captured:
            response = client.get(url(world.enterprise, f"campaigns/?page_size={size}"))
        assert response.status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1]
    assert response.json()["count"] == 25
    assert client.get(url(world.enterprise, "campaigns/?status=draft")).json()["count"] == 25
    assert client.get(url(world.enterprise, "campaigns/?status=active")).json()["count"] == 0
    assert client.get(url(world.enterprise, "campaigns/?q=计划1")).json()["count"] == 11
    assert client.get(url(world.enterprise, "campaigns/?status=sleeping")).status_code == 400


def test_c01_the_written_out_campaign_rendering_equals_drfs(world, funded):
    """The list's hand-written rendering gives what DRF's fields give, for every state and date shape."""
    from campaigns import delivery, selectors
    from campaigns.api.serializers import CampaignSerializer

    client = world.client("operator")
    started = create(
        client, world.enterprise, name="投放中", end_date=(clock.local_today() + timedelta(days=9)).isoformat()
    )
    assert add_unit(client, world.enterprise, started["id"], [funded]).status_code == 201
    assert client.post(url(world.enterprise, f"campaigns/{started['id']}/start/")).status_code == 200
    create(client, world.enterprise, name="草稿", goal="seed_potential")
    campaigns = list(selectors.campaigns_for(world.enterprise))
    facts = delivery.facts_for(world.enterprise, campaigns)
    context = {"facts": facts, "delivery": lambda c: delivery.delivery_of(c, facts[c.pk])}
    for campaign in campaigns:
        serializer = CampaignSerializer(context=context)
        assert serializer.to_representation(campaign) == serializer.field_representation(campaign)


def test_c02_a_unit_promotes_only_pushed_notes(world, funded, unchanged):
    from ..notes.factories import NoteFactory, bind, submit

    approved = NoteFactory(author=bind(world.enterprise).red_account)
    submit(approved, world.enterprise, "approved")
    client = world.client("operator")
    cid = create(client, world.enterprise)["id"]
    with unchanged():
        response = add_unit(client, world.enterprise, cid, [funded, approved])
    assert response.status_code == 409
    assert response.json()["code"] == "note_not_pushed"
    assert response.json()["note_ids"] == [approved.note_id]
    with unchanged():
        unknown = client.post(
            url(world.enterprise, f"campaigns/{cid}/units/"), {"name": "x", "note_ids": ["ffff"]}, format="json"
        )
    assert unknown.status_code == 400


def test_c01_search_units_need_typed_unique_keywords(world, funded, unchanged):
    client = world.client("operator")
    cid = create(client, world.enterprise, placement="search")["id"]
    cases = [
        {},
        {"keywords": []},
        {"keywords": [{"text": "保洁", "type": "colour"}]},
        {"keywords": [{"text": "保洁", "type": "category"}, {"text": "保洁", "type": "region"}]},
        {"keywords": [{"text": "x" * 41, "type": "category"}]},
        {"keywords": [{"text": f"词{n}", "type": "category"} for n in range(501)]},
    ]
    for fields in cases:
        with unchanged():
            response = add_unit(client, world.enterprise, cid, [funded], **fields)
        assert response.status_code == 400, fields
        assert "keywords" in response.json()["fields"]
    created = add_unit(
        client,
        world.enterprise,
        cid,
        [funded],
        keywords=[{"text": "上海保洁", "type": "region"}, {"text": "保姆怎么找", "type": "industry_demand"}],
        negative_keywords=["免费"],
        targeting={"regions": ["shanghai"], "age_bands": ["25_34"], "gender": "female", "interests": ["home"]},
        bid="1.50",
        components=["dm", "lead_form"],
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["keywords"] == [
        {"text": "上海保洁", "type": "region"},
        {"text": "保姆怎么找", "type": "industry_demand"},
    ]
    assert (body["negative_keywords"], body["bid"], body["components"]) == (["免费"], "1.50", ["dm", "lead_form"])


def test_c01_targeting_and_components_are_validated(world, funded, unchanged):
    client = world.client("operator")
    cid = create(client, world.enterprise)["id"]
    for fields, field in (
        ({"targeting": {"regions": ["atlantis"]}}, "targeting"),
        ({"targeting": {"gender": "other"}}, "targeting"),
        ({"components": ["hologram"]}, "components"),
        ({"components": ["dm", "dm"]}, "components"),
        ({"bid": "0"}, "bid"),
    ):
        with unchanged():
            response = add_unit(client, world.enterprise, cid, [funded], **fields)
        assert response.status_code == 400, fields
        assert field in response.json()["fields"]


def test_c03_advanced_components_need_unlocked_rights(world, funded, unchanged):
    client = world.client("operator")
    cid = create(client, world.enterprise)["id"]
    with unchanged():
        response = add_unit(client, world.enterprise, cid, [funded], components=["dial_card"])
    assert response.status_code == 409
    assert response.json()["code"] == "advanced_rights_locked"
    post_spend(world.client("staff"), [spend_row(world.enterprise, funded, amount="5000.00")])
    assert add_unit(client, world.enterprise, cid, [funded], components=["dial_card", "lead_card"]).status_code == 201


def test_c02_units_change_and_delete_but_keep_spend_history(world, funded):
    client = world.client("operator")
    cid = create(client, world.enterprise)["id"]
    unit = add_unit(client, world.enterprise, cid, [funded]).json()
    other = pushed_note(world.enterprise)
    changed = client.patch(
        url(world.enterprise, f"campaigns/{cid}/units/{unit['id']}/"), {"note_ids": [other.note_id]}, format="json"
    )
    assert changed.status_code == 200, changed.content
    assert changed.json()["note_ids"] == [other.note_id]
    post_spend(world.client("staff"), [spend_row(world.enterprise, other, unit_id=unit["id"])])
    refused = client.delete(url(world.enterprise, f"campaigns/{cid}/units/{unit['id']}/"))
    assert (refused.status_code, refused.json()["code"]) == (409, "unit_has_spend")
    spare = add_unit(client, world.enterprise, cid, [funded]).json()
    assert client.delete(url(world.enterprise, f"campaigns/{cid}/units/{spare['id']}/")).status_code == 204
    assert list(CampaignUnit.objects.values_list("pk", flat=True)) == [unit["id"]]
    assert client.get(url(world.enterprise, f"campaigns/{cid}/units/")).json()["count"] == 1


def test_c02_stats_come_from_the_units_spend_rows_with_component_clicks(world, funded):
    client = world.client("operator")
    cid = create(client, world.enterprise)["id"]
    unit = add_unit(client, world.enterprise, cid, [funded]).json()
    today = clock.local_today()
    clicks = {"dm": 3, "product": 2, "lead_form": 1, "store": 0, "search": 4}
    post_spend(
        world.client("staff"),
        [
            spend_row(
                world.enterprise,
                funded,
                today - timedelta(days=1),
                "10.50",
                unit_id=unit["id"],
                component_clicks=clicks,
            ),
            spend_row(world.enterprise, funded, today, "20.25", unit_id=unit["id"], impressions=10, clicks=2),
        ],
    )
    start = (today - timedelta(days=2)).isoformat()
    stats = client.get(url(world.enterprise, f"campaigns/{cid}/stats/?from={start}&to={today.isoformat()}")).json()
    assert stats["spend"] == "30.75"
    assert stats["impressions"] == 1010
    assert stats["clicks"] == 52
    assert stats["component_clicks"] == clicks
    assert [(d["spend"], d["impressions"]) for d in stats["days"]] == [("0.00", 0), ("10.50", 1000), ("20.25", 10)]
    assert stats["days"][1]["component_clicks"] == clicks
    assert [(u["unit_id"], u["spend"], u["component_clicks"]["dm"]) for u in stats["units"]] == [
        (unit["id"], "30.75", 3)
    ]
    assert [(n["note_id"], n["spend"]) for n in stats["notes"]] == [(funded.note_id, "30.75")]
    narrowed = client.get(url(world.enterprise, f"campaigns/{cid}/stats/?note_id=nope")).json()
    assert (narrowed["spend"], narrowed["notes"]) == ("0.00", [])
    by_unit = client.get(url(world.enterprise, f"campaigns/{cid}/stats/?unit_id={unit['id']}")).json()
    assert by_unit["spend"] == "30.75"
    assert client.get(url(world.enterprise, f"campaigns/{cid}/stats/?from=2026-13-01")).status_code == 400
    assert client.get(url(world.enterprise, f"campaigns/{cid}/stats/?unit_id=x")).status_code == 400


def test_c04_plan_creates_the_feed_and_the_search_campaign(world):
    client = world.client("operator")
    body = {
        "goal": "retain_core",
        "name": "老客复购",
        "objective": "product_sales",
        "budget": "1000.00",
        "start_date": clock.local_today().isoformat(),
    }
    response = client.post(url(world.enterprise, "campaigns/plan/"), body, format="json")
    assert response.status_code == 201, response.content
    assert [(c["placement"], c["daily_budget"], c["goal"]) for c in response.json()] == [
        ("feed", "200.00", "retain_core"),
        ("search", "800.00", "retain_core"),
    ]
    too_small = client.post(url(world.enterprise, "campaigns/plan/"), body | {"budget": "499.97"}, format="json")
    assert too_small.status_code == 400
    assert "budget" in too_small.json()["fields"]


@pytest.mark.parametrize(
    ("goal", "feed", "search"),
    [
        ("seed_potential", "700.35", "300.15"),
        ("convert_leads", "500.25", "500.25"),
        ("retain_core", "200.10", "800.40"),
    ],
)
def test_c04_budget_guidance_splits_feed_and_search(world, goal, feed, search):
    body = world.client("analyst").get(url(world.enterprise, f"budget-guidance/?goal={goal}&budget=1000.50")).json()
    assert (body["goal"], body["budget"], body["feed"], body["search"]) == (goal, "1000.50", feed, search)
    assert body["content_advice"] and body["audiences"] and body["keyword_types"]


def test_c04_budget_guidance_refuses_unknown_goals(world):
    assert world.client("analyst").get(url(world.enterprise, "budget-guidance/?goal=fame")).status_code == 400


def test_c01_another_enterprises_campaign_is_a_404(world, funded):
    campaign = services.campaign_create(
        workspace=workspace_of(world.other_enterprise, world.users["other_member"]),
        name="别家",
        objective="product_seeding",
        placement="feed",
        daily_budget="100.00",
        start_date=clock.local_today(),
    )
    client = world.client("owner")
    for path in (f"campaigns/{campaign.pk}/", f"campaigns/{campaign.pk}/stats/", f"campaigns/{campaign.pk}/units/"):
        assert client.get(url(world.enterprise, path)).status_code == 404
    assert client.post(url(world.enterprise, f"campaigns/{campaign.pk}/start/")).status_code == 404
    assert Campaign.objects.get(pk=campaign.pk).status == "draft"
