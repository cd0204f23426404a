"""Every route of the URLconf, every method, as staff, a brand owner and an employee, with a junk query string and
a non-integer id: never a 5xx, and a 4xx answer stores nothing."""

import re

import pytest
from django.db import connection
from django.urls import URLPattern, URLResolver, get_resolver, reverse

pytestmark = pytest.mark.django_db

JUNK_QUERY = (
    "status=zzz&mode=zzz&type=zzz&review_status=zzz&page=abc&page_size=-1&ordering=zzz&from=9999-99-99&to=0"
    "&published_from=0001-01-01&published_to=9999-12-31&submitted_to=x&month=13&q=%27%22%3B--"
    "&red_id=x&action=zzz&standing=maybe&industry=zzz&certified=maybe&date_from=x&report=..%2F..&next=//evil"
)
JUNK_BODY = {"reason": "junk", "note_ids": ["x"], "budget": "1.00", "red_id": "x", "agency_id": 1, "name": "x"}
METHODS = ("get", "post", "put", "patch", "delete")
GROUP = re.compile(r"\(\?P<(\w+)>[^)]*\)|<(?:(\w+):)?(\w+)>")
# Writes a request may make without changing what the product stores: the session, sign-in records.
BOOKKEEPING = ("django_session", "axes_accessattempt", "axes_accesslog", "axes_accessfailurelog")


def routes(resolver=None, prefix=""):
    for pattern in (resolver or get_resolver()).url_patterns:
        text = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from routes(pattern, text)
        elif isinstance(pattern, URLPattern):
            yield text


def concrete(route: str, enterprise_id: int) -> str:
    """A path of the route: the enterprise's id where it is `eid`, a non-integer id wherever the pattern admits one,
    else an id that does not exist."""

    def fill(match):
        name = match.group(1) or match.group(3)
        converter = match.group(2)
        if name == "eid":
            return str(enterprise_id)
        if converter == "int" or (match.group(1) and "\\d" in match.group(0)):
            return "987654321"
        return "x"

    path = GROUP.sub(fill, route).replace("^", "").replace("$", "").replace("\\.", ".")
    return "/" + re.sub(r"\(\?P<format>[^)]*\)|\.\(\?P.*", "", path)


def body(path: str, method: str) -> tuple:
    """A plausible body, so a request gets past its fields to the id and the query."""
    if method in ("get", "delete"):
        return ()
    if path.startswith("/api/"):
        return (JUNK_BODY, "application/json")
    return ({key: str(value) for key, value in JUNK_BODY.items() if not isinstance(value, list)},)


def stored_writes() -> int:
    """Rows inserted, updated or deleted so far in this test's transaction, bookkeeping aside."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT coalesce(sum(n_tup_ins + n_tup_upd + n_tup_del), 0) FROM pg_stat_xact_user_tables "
            "WHERE relname <> ALL(%s)",
            [list(BOOKKEEPING)],
        )
        return cursor.fetchone()[0]


@pytest.mark.parametrize("actor", ["staff", "owner", "employee"])
def test_every_route_with_junk_answers_below_500_and_a_refusal_stores_nothing(world, client, actor):
    client.raise_request_exception = False
    client.force_login(world.users[actor])
    paths = sorted({concrete(route, world.enterprise.pk) for route in routes()})
    assert len(paths) > 100
    failures = []
    for path in paths:
        for method in METHODS:
            before = stored_writes()
            response = getattr(client, method)(f"{path}?{JUNK_QUERY}", *body(path, method))
            changed = stored_writes() - before
            if response.status_code >= 500 or (400 <= response.status_code < 500 and changed):
                failures.append((method.upper(), path, response.status_code, changed))
            if path == reverse("logout"):
                client.force_login(world.users[actor])
    assert failures == []
