"""The horse race's endpoints (D03) in the permission matrix (`tests/accounts/test_permission_matrix.py`): members
and the reported agency read; drafting a campaign needs "operate" (not the analyst); another tenant's is a 404."""

from ..campaigns.helpers import pushed_note
from ..conftest import World
from ..matrix import BRAND_OPERATE, BRAND_VIEW, Endpoint, ok

E = "/api/v1/enterprises/{}/analytics/horse-race/"


def _path(rest=""):
    return lambda w: E.format(w.enterprise.pk) + rest


def _draft(world: World) -> dict:
    """An account of the brand with a pushed note: a draft can be made from it."""
    return {"red_ids": [pushed_note(world.enterprise).author.red_id]}


RACE_ENDPOINTS = [
    Endpoint("enterprise-analytics-horse-race", "get", _path("?metric=leads&invest_share=0.1"), BRAND_VIEW),
    Endpoint("enterprise-analytics-horse-race-history", "get", _path("history/"), BRAND_VIEW),
    Endpoint("enterprise-analytics-horse-race-draft", "post", _path("campaign-draft/"), ok(BRAND_OPERATE, 201), _draft),
]
