"""The permission matrix's vocabulary: the status each kind of caller gets, by kind of endpoint, and `Endpoint`.
Each app's endpoints are listed beside its tests (`tests/campaigns/matrix.py`) and gathered by
`tests/accounts/test_permission_matrix.py`, which also proves every API route is listed."""

from collections.abc import Callable
from dataclasses import dataclass

from .conftest import ACTORS, World

# Expected status per caller, by kind of endpoint.
BRAND_VIEW = dict(
    anonymous=401,
    other_member=404,
    analyst=200,
    operator=200,
    admin=200,
    owner=200,
    agency_reported=200,
    agency_unreported=404,
    employee=404,
    staff=404,
)
BRAND_MEMBERS = dict(BRAND_VIEW, agency_reported=403)
BRAND_MANAGE = dict(BRAND_VIEW, analyst=403, operator=403, agency_reported=403)
PLATFORM = {actor: 403 for actor in ACTORS} | {"anonymous": 401, "staff": 200}
AGENCY = {actor: 403 for actor in ACTORS} | {"anonymous": 401, "agency_reported": 200, "agency_unreported": 200}
ANY_USER = {actor: 200 for actor in ACTORS} | {"anonymous": 401}
# Brand writes and proof downloads need the "operate" capability: not the read-only analyst.
BRAND_OPERATE = dict(BRAND_VIEW, analyst=403)
# The employee's own invitation or binding; anyone else's is 404, as a missing one.
OWN = {actor: 404 for actor in ACTORS} | {"anonymous": 401, "employee": 200}
PUBLIC = {actor: 200 for actor in ACTORS}


def ok(expected: dict, code: int) -> dict:
    """The same table with the success code of this endpoint."""
    return {actor: (code if status == 200 else status) for actor, status in expected.items()}


@dataclass
class Endpoint:
    route: str  # URL name under the "api" namespace
    method: str
    path: Callable[[World], str]
    expected: dict
    body: Callable[[World], dict | list] = lambda w: {}
    format: str = "json"
