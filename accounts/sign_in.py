"""Sign-in lockout with django-axes (settings: `AXES_*`; API.md "Sign-in").

10 failed attempts for one username lock that username on every sign-in — the login page, the admin's, and
`POST /api/v1/auth/token/` — whatever the IP, until 15 minutes after the last counted failure; the right password is
refused meanwhile. Axes' database handler keeps one attempt row per (username, IP, user agent) with its count and the
time of its last failure, and counts the rows whose last failure is less than 15 minutes old; refused attempts during
a lockout are not counted (`AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False`), so they do not extend it.
Because a row lives on while its failures keep coming less than 15 minutes apart, a slow run of failures also counts:
the window is axes' inactivity window, never shorter than the contract's.

Axes' middleware hands a locked-out request to `lockout_response` (`AXES_LOCKOUT_CALLABLE`): 429 `throttled` with
`retry_after` for the API, the login page again with the minutes left for a page. The request whose failure reached
the limit also writes the lockout's audit record.
"""

import math
from datetime import datetime

from axes.backends import AxesStandaloneBackend
from axes.helpers import get_client_username, get_cool_off, get_failure_limit
from axes.models import AccessAttempt
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import ngettext

from kos_platform import clock
from kos_platform.errors import is_api

from . import services


class LockoutBackend(AxesStandaloneBackend):
    """Axes' backend for every sign-in that comes with a request (a page, the admin, the token endpoint — each passes
    its request, which axes needs). A call without one — Django's test client `login()`, a shell — has no client to
    lock out, and axes would raise on it: it is left to the next backend."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def lockout_ends_at(request: HttpRequest, username: str, credentials: dict | None = None) -> datetime:
    """When the username's lockout ends: the newest attempt rows, newest first, until their failures reach the limit;
    the lockout lasts while that row is inside the window."""
    cool_off = get_cool_off(request)
    limit = get_failure_limit(request, credentials)
    now = clock.now()
    rows = (
        AccessAttempt.objects.filter(username=username, attempt_time__gte=now - cool_off)
        .order_by("-attempt_time")
        .values_list("attempt_time", "failures_since_start")
    )
    counted = 0
    for attempt_time, failures in rows:
        counted += failures
        if counted >= limit:
            return attempt_time + cool_off
    return now + cool_off


def lockout_message(minutes: int) -> str:
    return ngettext(
        "Too many failed sign-in attempts for this username. Try again in %(minutes)d minute.",
        "Too many failed sign-in attempts for this username. Try again in %(minutes)d minutes.",
        minutes,
    ) % {"minutes": minutes}


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: dict | None = None
) -> HttpResponse:
    """`AXES_LOCKOUT_CALLABLE`: the answer to a sign-in refused by the lockout, in the request's language."""
    username = get_client_username(request, credentials) or ""
    ends_at = lockout_ends_at(request, username, credentials)
    retry_after = max(1, math.ceil((ends_at - clock.now()).total_seconds()))
    failures = getattr(request, "axes_failures_since_start", None)
    if failures is not None:
        # Axes counted this request's failure and it reached the limit: the lockout starts here. A request refused
        # during the lockout is not counted and leaves `axes_failures_since_start` unset.
        services.sign_in_lockout_record(
            username=username,
            failures=failures,
            locked_until=ends_at,
            ip_address=getattr(request, "axes_ip_address", None),
        )
    message = lockout_message(math.ceil(retry_after / 60))
    if is_api(request):
        response = JsonResponse(
            {"code": "throttled", "detail": message, "retry_after": retry_after},
            status=429,
            json_dumps_params={"ensure_ascii": False},
        )
    else:
        context = {
            "form": AuthenticationForm(request, initial={"username": username}),
            "next": request.POST.get("next") or request.GET.get("next", ""),
            "lockout_message": message,
        }
        response = render(request, "registration/login.html", context, status=429)
    response["Retry-After"] = str(retry_after)
    return response
