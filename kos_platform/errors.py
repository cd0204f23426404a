"""One error shape: `{code, detail, ...facts}` for rule refusals, validation errors and HTTP errors."""

from datetime import datetime

from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.http import Http404, HttpResponse, HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

from .clock import instant

RULE_MESSAGES = {
    "enterprise_not_eligible": _("The enterprise does not meet the conditions."),
    "kos_permission_missing": _(
        "This enterprise does not hold the employee-account management permission, so it cannot bind employee accounts."
    ),
    "invitations_restricted": _(
        "After a violation, this enterprise cannot bind new employee accounts until the restriction ends."
    ),
    "account_not_eligible": _("This Xiaohongshu account does not meet the conditions for an employee account."),
    "account_already_bound": _("This Xiaohongshu account is already bound to an enterprise."),
    "rebind_cooldown": _(
        "This account was unbound less than 30 days ago and cannot yet be authorised by another enterprise."
    ),
    "invitation_not_open": _("This invitation is no longer open."),
    "invitation_expired": _("This invitation has expired; the enterprise must send a new one."),
    "identity_mismatch": _("The name or ID number does not match the account's real-name record."),
    "duplicate_open_invitation": _("This account already has an open invitation from this enterprise."),
    "unbind_locked": _("A personal authorisation can be unbound only 30 days after it took effect."),
    "mode_not_transferable": _("A personal authorisation cannot be handed over."),
    "mode_conversion_unsupported": _(
        "A binding cannot change its mode; unbind, then send an invitation of the other mode."
    ),
    "binding_not_active": _("The binding's current state does not allow this."),
    "note_too_old": _("The note was published more than 90 days ago."),
    "author_not_bound": _("The note's author is not bound to this enterprise."),
    "note_not_approved": _("The note has not been approved."),
    "quota_exceeded": _("Not enough note-review quota left this month."),
    "note_already_submitted": _("This note is in review or approved; only a rejected note can be submitted again."),
    "review_not_open": _("This review has already been decided."),
    "recharge_below_minimum": _("The first recharge is below the industry minimum."),
    "insufficient_balance": _("The ad account's balance is not enough for this."),
    "note_not_pushed": _("Only notes pushed to the ad platform can be promoted in a campaign."),
    "advanced_rights_locked": _(
        "Advanced rights are locked: they unlock when the ad spend of the last 30 days reaches the threshold."
    ),
    "campaign_not_startable": _("The campaign cannot do this in its current state."),
    "unit_has_spend": _("This unit has delivered ads; pause or end the campaign instead of deleting the unit."),
    "month_not_over": _("A month can be settled only after it is over."),
    "month_already_settled": _("This month is already settled."),
    "period_not_over": _("An incentive period can be closed from the day after its last day."),
    "period_started": _("An incentive period can be changed only before it starts."),
    "agency_already_reported": _("This agency is already reported."),
    "member_exists": _("This user is already a member of the enterprise."),
    "last_owner": _("The enterprise must keep at least one owner: make another member owner first."),
}

ENTERPRISE_REASON_MESSAGES = {
    "not_certified": _("the professional account is not certified"),
    "annual_review_expired": _("the annual review has lapsed"),
    "banned": _("the account is banned"),
    "too_few_stores": _("fewer than 10 offline stores in mainland China"),
    "serious_violation_recent": _("banned for a serious marketing violation in the past 365 days"),
}

ACCOUNT_REASON_MESSAGES = {
    "followers_over_limit": _("more than 100,000 followers"),
    "has_shop": _("the account has opened a shop"),
    "is_creator": _("the account is a Pugongying creator"),
    "is_enterprise_account": _("the account is itself an enterprise account"),
    "has_violation": _("the account has a violation record"),
    "not_real_name_verified": _("the account is not real-name verified"),
    "phone_not_bound": _("no phone number is bound to the account"),
}


def reason_label(code: str) -> str:
    """A reason code of `account_not_eligible` or `enterprise_not_eligible`, in words."""
    return str(ACCOUNT_REASON_MESSAGES.get(code) or ENTERPRISE_REASON_MESSAGES.get(code) or code)


class RuleViolation(Exception):
    """A rule refuses the action in the current state; carries the API code and its facts."""

    def __init__(self, code: str, **facts):
        self.code = code
        self.facts = facts
        super().__init__(code)

    @property
    def message(self) -> str:
        return str(RULE_MESSAGES.get(self.code, self.code))

    def as_data(self) -> dict:
        data = {"code": self.code, "detail": self.message}
        for key, value in self.facts.items():
            data[key] = instant(value) if isinstance(value, datetime) else value
        return data


_HTTP_CODES = {
    exceptions.NotAuthenticated: ("not_authenticated", _("Please log in.")),
    exceptions.AuthenticationFailed: ("authentication_failed", _("Authentication failed.")),
    exceptions.PermissionDenied: ("permission_denied", _("You do not have permission to do this.")),
    exceptions.NotFound: ("not_found", _("Not found.")),
    exceptions.MethodNotAllowed: ("method_not_allowed", _("This method is not allowed.")),
    exceptions.UnsupportedMediaType: ("unsupported_media_type", _("Unsupported content type.")),
    exceptions.ParseError: ("invalid", _("The request body could not be parsed.")),
    exceptions.Throttled: ("throttled", _("Too many requests; try again later.")),
}
INVALID = _("Some fields are invalid.")
TOO_LARGE = _("The request is too large.")
SERVER_ERROR = _("Something went wrong on our side. Please try again in a moment.")


def _field_messages(detail) -> dict:
    if isinstance(detail, dict):
        return {key: _flatten(value) for key, value in detail.items()}
    return {"non_field_errors": _flatten(detail)}


def _flatten(value) -> list:
    if isinstance(value, dict):
        return [f"{key}: {message}" for key, inner in value.items() for message in _flatten(inner)]
    if isinstance(value, list):
        return [message for item in value for message in _flatten(item)]
    return [str(value)]


def api_exception_handler(exc, context):
    if isinstance(exc, RuleViolation):
        return Response(exc.as_data(), status=status.HTTP_409_CONFLICT)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        response.data = {
            "code": "invalid",
            "detail": str(INVALID),
            "fields": _field_messages(exc.detail),
        }
        return response
    code, message = next(
        ((code, message) for kind, (code, message) in _HTTP_CODES.items() if isinstance(exc, kind)),
        (getattr(exc, "default_code", "error"), exc.detail),
    )
    response.data = {"code": code, "detail": str(message)}
    return response


# Answers outside DRF: the same shape under /api/, a page elsewhere ------------------------------------------------


def is_api(request) -> bool:
    return request.path.startswith("/api/")


def error_response(request, status_code: int, code: str, detail, *, fields=None, template: str | None = None):
    """`{code, detail[, fields]}` for the API; for a page, `template` (400.html by default) with the message."""
    if is_api(request):
        data = {"code": code, "detail": str(detail)}
        if fields:
            data["fields"] = {name: [str(m) for m in messages] for name, messages in fields.items()}
        return JsonResponse(data, status=status_code, json_dumps_params={"ensure_ascii": False})
    messages = [str(m) for values in (fields or {}).values() for m in values]
    if template is None:  # may answer before authentication: a page that reads nothing of the request
        context = {"status": status_code, "detail": str(detail), "messages": messages}
        return HttpResponse(loader.get_template("400.html").render(context), status=status_code)
    return render(request, template, status=status_code)


def bad_request(request, exception=None):
    if isinstance(exception, RequestDataTooBig):
        return error_response(request, 413, "too_large", TOO_LARGE)
    return error_response(request, 400, "invalid", _("The request could not be understood."))


def permission_denied(request, exception=None):
    return error_response(
        request, 403, "permission_denied", _("You do not have permission to do this."), template="403.html"
    )


def csrf_failure(request, reason=""):
    """`CSRF_FAILURE_VIEW`: a form or session call without its CSRF token, in the error shape under /api/."""
    return error_response(
        request,
        403,
        "permission_denied",
        _("The form has expired; reload the page and try again."),
        template="403.html",
    )


def page_not_found(request, exception=None):
    return error_response(request, 404, "not_found", _("Not found."), template="404.html")


def server_error(request):
    if is_api(request):
        return error_response(request, 500, "server_error", SERVER_ERROR)
    return HttpResponseServerError(loader.get_template("500.html").render())
