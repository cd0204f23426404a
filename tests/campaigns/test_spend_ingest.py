"""The ad platform's daily spend: upsert by (enterprise, note, day), the ledger's difference, auto-pause (E05), and
bad batches refused whole."""

from datetime import timedelta
from decimal import Decimal

import pytest

from accounts.models import AuditEvent
from bindings.models import Notification
from campaigns import services
from campaigns.models import AdAccount, AdSpendDaily, Campaign, CampaignUnit
from kos_platform import clock

from ..factories import EnterpriseFactory
from .helpers import ledger_total, post_spend, pushed_note, recharge, spend_row, workspace_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(world):
    return world.client("staff")


@pytest.fixture
def note(world):
    recharge(world.enterprise, world.users["owner"], "9000.00")
    return pushed_note(world.enterprise)


def active_campaign(world, note, name="常投计划"):
    workspace = workspace_of(world.enterprise, world.users["owner"])
    campaign = services.campaign_create(
        workspace=workspace,
        name=name,
        objective="product_seeding",
        placement="feed",
        daily_budget=Decimal("500.00"),
        start_date=clock.local_today(),
    )
    unit = services.unit_create(workspace=workspace, campaign=campaign, notes=[note], keywords=[], name="单元")
    services.campaign_start(workspace=workspace, campaign=campaign)
    return campaign, unit


def test_e05_spend_takes_the_balance_and_a_restated_day_takes_the_difference(world, staff, note):
    today = clock.local_today()
    result = post_spend(
        staff,
        [
            spend_row(world.enterprise, note, today, "120.50"),
            spend_row(world.enterprise, note, today - timedelta(days=1), "79.50"),
        ],
    )
    assert result == {"received": 2, "created": 2, "updated": 0, "ledger_lines": 2, "paused_campaigns": 0}
    assert AdAccount.objects.get(pk=world.enterprise.pk).balance == Decimal("8800.00")

    restated = post_spend(staff, [spend_row(world.enterprise, note, today, "100.00")])
    assert restated == {"received": 1, "created": 0, "updated": 1, "ledger_lines": 1, "paused_campaigns": 0}
    account = AdAccount.objects.get(pk=world.enterprise.pk)
    assert account.balance == Decimal("8820.50") == ledger_total(world.enterprise)
    assert account.spent_total == Decimal("179.50")
    assert AdSpendDaily.objects.get(note=note, date=today).amount == Decimal("100.00")
    lines = world.client("owner").get(f"/api/v1/enterprises/{world.enterprise.pk}/ad-account/ledger/?kind=spend").json()
    assert [(line["amount"], line["balance_after"]) for line in lines["results"]] == [
        ("20.50", "8820.50"),
        ("-120.50", "8800.00"),
        ("-79.50", "8920.50"),
    ]


def test_e05_sending_the_same_batch_again_changes_nothing(world, staff, note, unchanged):
    rows = [spend_row(world.enterprise, note, amount="42.00")]
    post_spend(staff, rows)
    before = ledger_total(world.enterprise)
    assert post_spend(staff, rows)["ledger_lines"] == 0
    assert ledger_total(world.enterprise) == before == Decimal("8958.00")


def test_e05_spend_that_empties_the_balance_pauses_active_campaigns(world, staff, note):
    campaign, unit = active_campaign(world, note)
    draft = services.campaign_create(
        workspace=workspace_of(world.enterprise, world.users["owner"]),
        name="草稿",
        objective="product_seeding",
        placement="feed",
        daily_budget=Decimal("100.00"),
        start_date=clock.local_today(),
    )
    result = post_spend(staff, [spend_row(world.enterprise, note, amount="9000.00", unit_id=unit.pk)])
    assert result["paused_campaigns"] == 1
    campaign.refresh_from_db()
    assert (campaign.status, campaign.paused_reason) == ("paused", "balance_exhausted")
    assert Campaign.objects.get(pk=draft.pk).status == "draft"
    event = AuditEvent.objects.get(action="campaign.paused_no_balance")
    assert (event.object_id, event.enterprise_id, event.after["paused_reason"]) == (
        str(campaign.pk),
        world.enterprise.pk,
        "balance_exhausted",
    )
    notice = Notification.objects.get(kind="campaigns_paused_no_balance")
    assert (notice.enterprise_id, notice.count) == (world.enterprise.pk, 1)
    body = world.client("owner").get(f"/api/v1/enterprises/{world.enterprise.pk}/campaigns/{campaign.pk}/").json()
    assert (body["status"], body["delivery"]) == ("paused", "balance_exhausted")


def test_e05_spend_above_the_balance_goes_negative_and_pauses(world, staff, note):
    campaign, _unit = active_campaign(world, note)
    post_spend(staff, [spend_row(world.enterprise, note, amount="9500.00")])
    assert AdAccount.objects.get(pk=world.enterprise.pk).balance == Decimal("-500.00")
    assert Campaign.objects.get(pk=campaign.pk).paused_reason == "balance_exhausted"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"amount": "-1.00"}, "amount"),
        ({"amount": "1.001"}, "amount"),
        ({"amount": "NaN"}, "amount"),
        ({"amount": 1.5}, "amount"),
        ({"amount": None}, "amount"),
        ({"date": "2099-01-01"}, "date"),
        ({"date": "2026-02-30"}, "date"),
        ({"impressions": -1}, "impressions"),
        ({"clicks": "7"}, "clicks"),
        ({"component_clicks": {"dm": -2}}, "component_clicks.dm"),
        ({"component_clicks": {"hologram": 1}}, "component_clicks"),
        ({"enterprise_id": 999999}, "enterprise_id"),
        ({"note_id": "ffffffffffffffffffffffff"}, "note_id"),
        ({"unit_id": 999999}, "unit_id"),
    ],
)
def test_e05_bad_rows_refuse_the_whole_batch_naming_row_and_field(world, staff, note, unchanged, change, field):
    rows = [
        spend_row(world.enterprise, note, amount="10.00"),
        spend_row(world.enterprise, note, clock.local_today() - timedelta(days=1)) | change,
    ]
    with unchanged():
        response = staff.post("/api/v1/platform/ad-spend/", rows, format="json")
    assert response.status_code == 400, response.content
    assert f"[1].{field}" in response.json()["fields"]


def test_e05_a_note_or_unit_of_another_enterprise_is_refused(world, staff, note, unchanged):
    other = world.other_enterprise
    other_note = pushed_note(other)
    workspace = workspace_of(other, world.users["other_member"])
    campaign = services.campaign_create(
        workspace=workspace,
        name="别家",
        objective="product_seeding",
        placement="feed",
        daily_budget=Decimal("100"),
        start_date=clock.local_today(),
    )
    other_unit = services.unit_create(workspace=workspace, campaign=campaign, notes=[other_note], keywords=[], name="u")
    rows = [
        spend_row(world.enterprise, other_note),
        spend_row(world.enterprise, note, unit_id=other_unit.pk),
        spend_row(EnterpriseFactory(), note),
    ]
    with unchanged():
        response = staff.post("/api/v1/platform/ad-spend/", rows, format="json")
    assert response.status_code == 400
    assert set(response.json()["fields"]) == {"[0].note_id", "[1].unit_id", "[2].note_id"}


def test_e05_repeated_keys_and_oversized_batches_are_refused(world, staff, note, unchanged):
    row = spend_row(world.enterprise, note)
    with unchanged():
        assert staff.post("/api/v1/platform/ad-spend/", [row, row], format="json").status_code == 400
        too_many = staff.post("/api/v1/platform/ad-spend/", [row] * 10_001, format="json")
    assert too_many.status_code == 400
    assert "10,000" in too_many.json()["fields"]["non_field_errors"][0]


def test_c02_component_clicks_are_stored_per_row(world, staff, note):
    _campaign, unit = active_campaign(world, note)
    clicks = {"dm": 4, "product": 3, "lead_form": 2, "store": 1, "search": 5}
    post_spend(staff, [spend_row(world.enterprise, note, unit_id=unit.pk, component_clicks=clicks)])
    row = AdSpendDaily.objects.get(note=note)
    assert (
        row.unit_id,
        row.clicks_dm,
        row.clicks_product,
        row.clicks_lead_form,
        row.clicks_store,
        row.clicks_search,
    ) == (
        unit.pk,
        4,
        3,
        2,
        1,
        5,
    )
    assert CampaignUnit.objects.get(pk=unit.pk).spend.count() == 1
