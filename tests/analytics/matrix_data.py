"""The data centre's endpoints (D01) in the permission matrix (`tests/accounts/test_permission_matrix.py`): members
(the analyst too) and the reported agency read; another tenant's is a 404; `/me/analytics/` is the caller's own — a
user without a Xiaohongshu account of their own has none (404)."""

from ..matrix import BRAND_VIEW, OWN, Endpoint

E = "/api/v1/enterprises/{}/analytics/"


def _path(rest):
    return lambda w: E.format(w.enterprise.pk) + rest


def _mine(rest):
    return lambda w: f"/api/v1/me/analytics/{rest}"


DATA_ENDPOINTS = [
    Endpoint("enterprise-analytics-summary", "get", _path("summary/?preset=last_7"), BRAND_VIEW),
    Endpoint("enterprise-analytics-timeseries", "get", _path("timeseries/"), BRAND_VIEW),
    Endpoint("enterprise-analytics-employees", "get", _path("employees/?ordering=-gmv"), BRAND_VIEW),
    Endpoint("enterprise-analytics-notes", "get", _path("notes/?type=video"), BRAND_VIEW),
    Endpoint("enterprise-analytics-export", "get", _path("export/?table=employees&format=csv"), BRAND_VIEW),
    Endpoint("enterprise-analytics-export", "get", _path("export/?table=notes&format=xlsx"), BRAND_VIEW),
    Endpoint("me-analytics-summary", "get", _mine("summary/"), OWN),
    Endpoint("me-analytics-timeseries", "get", _mine("timeseries/?from=2026-11-01&to=2026-11-30"), OWN),
    Endpoint("me-analytics-notes", "get", _mine("notes/"), OWN),
]
