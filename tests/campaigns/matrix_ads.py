"""Ads endpoints in the permission matrix (`tests/accounts/test_permission_matrix.py`)."""

from decimal import Decimal

from campaigns import services
from campaigns.models import CampaignUnit
from kos_platform import clock

from ..conftest import World
from ..matrix import BRAND_OPERATE, BRAND_VIEW, PLATFORM, Endpoint, ok
from .helpers import pushed_note, recharge, spend_row, workspace_of

E = "/api/v1/enterprises/{}"


def _funded(world: World):
    """The brand after its first recharge, with a pushed note."""
    recharge(world.enterprise, world.users["owner"], "9000.00")
    return pushed_note(world.enterprise)


def _campaign(world: World, *, unit: bool = False, active: bool = False) -> int:
    workspace = workspace_of(world.enterprise, world.users["owner"])
    campaign = services.campaign_create(
        workspace=workspace,
        name="矩阵计划",
        objective="product_seeding",
        placement="feed",
        daily_budget=Decimal("200.00"),
        start_date=clock.local_today(),
    )
    if unit or active:
        services.unit_create(workspace=workspace, campaign=campaign, notes=[_funded(world)], keywords=[], name="单元")
    if active:
        services.campaign_start(workspace=workspace, campaign=campaign)
    return campaign.pk


def _unit(world: World) -> str:
    pk = _campaign(world, unit=True)
    unit = CampaignUnit.objects.get(campaign_id=pk)
    return f"{pk}/units/{unit.pk}"


def _path(rest):
    return lambda w: E.format(w.enterprise.pk) + rest


ADS_ENDPOINTS = [
    Endpoint("enterprise-ad-account", "get", _path("/ad-account/"), BRAND_VIEW),
    Endpoint(
        "enterprise-ad-account-recharge",
        "post",
        _path("/ad-account/recharge/"),
        ok(BRAND_OPERATE, 201),
        lambda w: {"amount": "9000.00"},
    ),
    Endpoint("enterprise-ad-account-ledger", "get", _path("/ad-account/ledger/"), BRAND_VIEW),
    Endpoint("enterprise-ad-account-ledger-export", "get", _path("/ad-account/ledger/export/?format=csv"), BRAND_VIEW),
    Endpoint(
        "enterprise-budget-guidance", "get", _path("/budget-guidance/?goal=seed_potential&budget=1000"), BRAND_VIEW
    ),
    Endpoint("enterprise-advanced-rights", "get", _path("/advanced-rights/"), BRAND_VIEW),
    Endpoint("enterprise-advanced-features", "get", _path("/advanced-rights/features/"), BRAND_VIEW),
    Endpoint(
        "enterprise-advanced-features",
        "patch",
        _path("/advanced-rights/features/"),
        BRAND_OPERATE,
        lambda w: {"welcome_message": "欢迎咨询"},
    ),
    Endpoint("enterprise-campaign-list", "get", _path("/campaigns/"), BRAND_VIEW),
    Endpoint(
        "enterprise-campaign-list",
        "post",
        _path("/campaigns/"),
        ok(BRAND_OPERATE, 201),
        lambda w: {
            "name": "新计划",
            "objective": "lead_collection",
            "placement": "search",
            "daily_budget": "100.00",
            "start_date": clock.local_today().isoformat(),
        },
    ),
    Endpoint(
        "enterprise-campaign-plan",
        "post",
        _path("/campaigns/plan/"),
        ok(BRAND_OPERATE, 201),
        lambda w: {
            "goal": "convert_leads",
            "name": "客资",
            "objective": "lead_collection",
            "budget": "400.00",
            "start_date": clock.local_today().isoformat(),
        },
    ),
    Endpoint(
        "enterprise-campaign-detail",
        "get",
        lambda w: E.format(w.enterprise.pk) + f"/campaigns/{_campaign(w)}/",
        BRAND_VIEW,
    ),
    Endpoint(
        "enterprise-campaign-detail",
        "patch",
        lambda w: E.format(w.enterprise.pk) + f"/campaigns/{_campaign(w)}/",
        BRAND_OPERATE,
        lambda w: {"daily_budget": "150.00"},
    ),
    Endpoint(
        "enterprise-campaign-start",
        "post",
        lambda w: E.format(w.enterprise.pk) + f"/campaigns/{_campaign(w, unit=True)}/start/",
        BRAND_OPERATE,
    ),
    Endpoint(
        "enterprise-campaign-pause",
        "post",
        lambda w: E.format(w.enterprise.pk) + f"/campaigns/{_campaign(w, active=True)}/pause/",
        BRAND_OPERATE,
    ),
    Endpoint(
        "enterprise-campaign-end",
        "post",
        lambda w: E.format(w.enterprise.pk) + f"/campaigns/{_campaign(w)}/end/",
        BRAND_OPERATE,
    ),
    Endpoint(
        "enterprise-campaign-stats",
        "get",
        lambda w: E.format(w.enterprise.pk) + f"/campaigns/{_campaign(w)}/stats/",
        BRAND_VIEW,
    ),
    Endpoint(
        "enterprise-campaign-unit-list",
        "get",
        lambda w: E.format(w.enterprise.pk) + f"/campaigns/{_campaign(w)}/units/",
        BRAND_VIEW,
    ),
    Endpoint(
        "enterprise-campaign-unit-list",
        "post",
        lambda w: E.format(w.enterprise.pk) + f"/campaigns/{_campaign(w)}/units/",
        ok(BRAND_OPERATE, 201),
        lambda w: {"name": "新单元", "note_ids": [pushed_note(w.enterprise).note_id]},
    ),
    Endpoint(
        "enterprise-campaign-unit-detail",
        "get",
        lambda w: E.format(w.enterprise.pk) + f"/campaigns/{_unit(w)}/",
        BRAND_VIEW,
    ),
    Endpoint(
        "enterprise-campaign-unit-detail",
        "patch",
        lambda w: E.format(w.enterprise.pk) + f"/campaigns/{_unit(w)}/",
        BRAND_OPERATE,
        lambda w: {"bid": "2.00"},
    ),
    Endpoint(
        "enterprise-campaign-unit-detail",
        "delete",
        lambda w: E.format(w.enterprise.pk) + f"/campaigns/{_unit(w)}/",
        ok(BRAND_OPERATE, 204),
    ),
    Endpoint(
        "platform-ad-spend",
        "post",
        lambda w: "/api/v1/platform/ad-spend/",
        PLATFORM,
        lambda w: [spend_row(w.enterprise, pushed_note(w.enterprise), amount="12.30")],
    ),
    Endpoint("platform-settings", "get", lambda w: "/api/v1/platform/settings/", PLATFORM),
    Endpoint(
        "platform-settings",
        "patch",
        lambda w: "/api/v1/platform/settings/",
        PLATFORM,
        lambda w: {"advanced_rights_threshold": "6000.00"},
    ),
]
