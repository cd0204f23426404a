"""Commerce endpoints in the permission matrix (`tests/accounts/test_permission_matrix.py`)."""

from ..factories import RedAccountFactory
from ..matrix import ANY_USER, BRAND_MANAGE, BRAND_VIEW, PLATFORM, Endpoint, ok

E = "/api/v1/enterprises/{}"
P = "/api/v1/platform"


def _path(rest):
    return lambda w: E.format(w.enterprise.pk) + rest


def _without_account(status: int) -> dict:
    """Users without a Xiaohongshu account of their own have no orders: 404."""
    return {
        actor: status
        for actor in (
            "other_member",
            "analyst",
            "operator",
            "admin",
            "owner",
            "agency_reported",
            "agency_unreported",
            "staff",
        )
    }


COMMERCE_ENDPOINTS = [
    Endpoint("enterprise-product-list", "get", _path("/products/"), BRAND_VIEW),
    Endpoint("enterprise-order-list", "get", _path("/orders/"), BRAND_VIEW),
    Endpoint("enterprise-order-export", "get", _path("/orders/export/?format=csv"), BRAND_VIEW),
    Endpoint("enterprise-commission-settings", "get", _path("/commission-settings/"), BRAND_VIEW),
    Endpoint(
        "enterprise-commission-settings",
        "patch",
        _path("/commission-settings/"),
        BRAND_MANAGE,
        lambda w: {"default_rate": "0.12"},
    ),
    Endpoint("enterprise-commission-statements", "get", _path("/commission-statements/"), BRAND_VIEW),
    Endpoint(
        "enterprise-commission-statements-export",
        "get",
        _path("/commission-statements/export/?format=xlsx"),
        BRAND_VIEW,
    ),
    Endpoint(
        "enterprise-commission-settle", "post", _path("/commission-statements/2026-01/settle/"), ok(BRAND_MANAGE, 201)
    ),
    Endpoint(
        "platform-products",
        "post",
        lambda w: f"{P}/products/",
        PLATFORM,
        lambda w: [{"product_id": "P1", "enterprise_id": w.enterprise.pk, "name": "唇釉", "price": "99.00"}],
    ),
    Endpoint(
        "platform-orders",
        "post",
        lambda w: f"{P}/orders/",
        PLATFORM,
        lambda w: [
            {
                "order_id": "M1",
                "enterprise_id": w.enterprise.pk,
                "red_id": RedAccountFactory(red_id="44440001").red_id,
                "channel": "dm",
                "amount": "99.00",
                "paid_at": "2026-11-20T10:00:00+08:00",
            }
        ],
    ),
    Endpoint("me-orders", "get", lambda w: "/api/v1/me/orders/", dict(ANY_USER) | _without_account(404)),
    Endpoint(
        "me-commission-statements",
        "get",
        lambda w: "/api/v1/me/commission-statements/",
        dict(ANY_USER) | _without_account(404),
    ),
]
