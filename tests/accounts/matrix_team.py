"""The permission matrix's rows for team management (成员管理): every member reads the team, owners and admins change
it, agency staff acting for the brand do neither (403). Gathered by tests/accounts/test_permission_matrix.py."""

from accounts.choices import Role

from ..conftest import World
from ..factories import MembershipFactory
from ..matrix import BRAND_MANAGE, BRAND_MEMBERS, Endpoint, ok

E = "/api/v1/enterprises/{}"


def _member(world: World) -> int:
    """A member of the brand an admin may change: an analyst of its own."""
    return MembershipFactory(enterprise=world.enterprise, role=Role.ANALYST, user__username="matrix_member").pk


TEAM_ENDPOINTS = [
    Endpoint("enterprise-member-list", "get", lambda w: E.format(w.enterprise.pk) + "/members/", BRAND_MEMBERS),
    Endpoint(
        "enterprise-member-list",
        "post",
        lambda w: E.format(w.enterprise.pk) + "/members/",
        ok(BRAND_MANAGE, 201),
        lambda w: {"username": "team_new", "role": "operator", "password": "Str0ng-pass-x"},
    ),
    Endpoint(
        "enterprise-member-detail",
        "patch",
        lambda w: E.format(w.enterprise.pk) + f"/members/{_member(w)}/",
        BRAND_MANAGE,
        lambda w: {"role": "operator"},
    ),
    Endpoint(
        "enterprise-member-detail",
        "delete",
        lambda w: E.format(w.enterprise.pk) + f"/members/{_member(w)}/",
        ok(BRAND_MANAGE, 204),
    ),
]
