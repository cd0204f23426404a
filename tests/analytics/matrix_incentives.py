"""Incentive endpoints (D02) in the permission matrix (`tests/accounts/test_permission_matrix.py`): analysts read,
operators and above create and close, another tenant is a 404, an employee sees only their own `/me/incentives/`."""

from ..matrix import ANY_USER, BRAND_OPERATE, BRAND_VIEW, Endpoint, ok
from .incentive_helpers import make_period

E = "/api/v1/enterprises/{}/incentives/periods/"


def _period(world, **fields) -> str:
    return E.format(world.enterprise.pk) + f"{make_period(world.enterprise, **fields).pk}/"


def _without_account(status: int) -> dict:
    """Users without a Xiaohongshu account of their own have no incentives: 404."""
    actors = ("other_member", "analyst", "operator", "admin", "owner", "agency_reported", "agency_unreported", "staff")
    return {actor: status for actor in actors}


INCENTIVE_ENDPOINTS = [
    Endpoint("enterprise-incentive-period-list", "get", lambda w: E.format(w.enterprise.pk), BRAND_VIEW),
    Endpoint(
        "enterprise-incentive-period-list",
        "post",
        lambda w: E.format(w.enterprise.pk),
        ok(BRAND_OPERATE, 201),
        lambda w: {"name": "一月激励", "start_date": "2099-01-01", "end_date": "2099-01-31"},
    ),
    Endpoint("enterprise-incentive-period-detail", "get", lambda w: _period(w), BRAND_VIEW),
    Endpoint(
        "enterprise-incentive-period-detail",
        "patch",
        lambda w: _period(w, first=-10, last=-40),
        BRAND_OPERATE,
        lambda w: {"name": "改名"},
    ),
    Endpoint("enterprise-incentive-leaderboard", "get", lambda w: _period(w) + "leaderboard/", BRAND_VIEW),
    Endpoint("enterprise-incentive-period-close", "post", lambda w: _period(w) + "close/", BRAND_OPERATE),
    Endpoint("enterprise-incentive-awards", "get", lambda w: _period(w) + "awards/", BRAND_VIEW),
    Endpoint(
        "enterprise-incentive-awards-export", "get", lambda w: _period(w) + "awards/export/?format=csv", BRAND_VIEW
    ),
    Endpoint("me-incentives", "get", lambda w: "/api/v1/me/incentives/", dict(ANY_USER) | _without_account(404)),
]
