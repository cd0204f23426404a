"""The served OpenAPI schema, truthful about failures: every operation documents the 4xx answers it can give, in the
error shape of `kos_platform.errors`, with the rule codes of its 409 (`@refuses`), under its app's tag — or `platform`
for the platform's own operations, `me` for the caller's — (described in `SPECTACULAR_SETTINGS["TAGS"]`, in the
request's language) and a readable operation id."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import extend_schema_field, extend_schema_serializer, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import AllowAny

CODE_HELP = _("What went wrong, in snake_case (API.md's codes).")
GENERIC_ACTIONS = {"list", "retrieve", "create", "update", "partial_update", "destroy"}
# Tags by audience before app: what platform staff and the platform's systems call, what the caller asks of their own.
AUDIENCE_TAGS = {"/api/v1/platform/": "platform", "/api/v1/me/": "me"}
# A path that ends in what is done (an export, an action) needs no method word after it: `orders_export`.
ACTION_SEGMENTS = {"export", "settle", "recharge", "read"}
# The platform's bulk ingests store what is new and update what is known: `platform_notes_upsert`.
INGESTS = {"notes", "note-metrics", "ad-spend", "products", "orders"}
# What a method means on these paths, in words.
OPERATION_NAMES = {
    "platform_enterprises_kos_permission_create": "platform_enterprises_kos_permission_grant",
    "platform_enterprises_kos_permission_destroy": "platform_enterprises_kos_permission_revoke",
    "me_password_create": "me_password_change",
}


def refuses(*codes: str):
    """Declare the rule codes (API.md) an action can answer 409 with; the schema lists them."""

    def mark(view_method):
        view_method.rule_codes = codes
        return view_method

    return mark


def signs_in(view_method):
    """Mark the sign-in handler: it can answer 429 `throttled` (accounts.sign_in)."""
    view_method.sign_in = True
    return view_method


@extend_schema_serializer(many=False)
class ErrorSerializer(serializers.Serializer):
    code = serializers.CharField(help_text=CODE_HELP)
    detail = serializers.CharField(help_text=_("The message, in the request's language."))


def code_field(*codes: str) -> serializers.CharField:
    """`code`, one of `codes`: an enum kept inline (in `allOf`, where drf-spectacular does not lift enums into named
    components: one per refusal would collide by name)."""

    @extend_schema_field({"allOf": [{"type": "string", "enum": list(codes)}], "description": str(CODE_HELP)})
    class CodeField(serializers.CharField):
        pass

    return CodeField()


@extend_schema_serializer(many=False)
class InvalidSerializer(ErrorSerializer):
    code = code_field("invalid")
    fields = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text=_("The messages of each input that failed, by name (`[3].date` for a row of a list)."),
    )


@extend_schema_serializer(many=False)
class ThrottledSerializer(ErrorSerializer):
    code = code_field("throttled")
    retry_after = serializers.IntegerField(help_text=_("Seconds until it may be tried again."))


@extend_schema_serializer(many=False)
class TooLargeSerializer(ErrorSerializer):
    code = code_field("too_large")


def _refusal(name: str, codes: tuple[str, ...]):
    return extend_schema_serializer(many=False)(
        inline_serializer(
            name=name,
            fields={"code": code_field(*codes), "detail": serializers.CharField()},
        )
    )


class KosAutoSchema(AutoSchema):
    def _handler(self):
        action = getattr(self.view, "action", None)
        return getattr(self.view, action or self.method.lower(), None)

    def _action(self) -> str | None:
        """A viewset's own action (`unbind`, `approve`), not one of the generic ones."""
        action = getattr(self.view, "action", None)
        return None if action in GENERIC_ACTIONS else action

    def get_tags(self) -> list[str]:
        """`platform` or `me` by the path, else the view's app: `accounts`, `bindings`, `notes`, `campaigns`."""
        for prefix, tag in AUDIENCE_TAGS.items():
            if self.path.startswith(prefix):
                return [tag]
        return [type(self.view).__module__.split(".")[0]]

    def get_operation_id(self) -> str:
        """`bindings_unbind`, `notes_list`, `platform_enterprises_create`: no version, no enterprise prefix for what
        lives in a workspace, no method for an action that has only one or a path that names what is done
        (`orders_export`, `ad_account_recharge`), `upsert` for the platform's ingests, and the words of
        `OPERATION_NAMES`."""
        operation = super().get_operation_id().removeprefix("v1_")
        if operation.startswith("enterprises_") and "{eid}" in self.path and operation.count("_") > 1:
            operation = operation.removeprefix("enterprises_")
        action = self._action()
        handler = self._handler()
        methods = getattr(handler, "mapping", None)
        last = self.path.rstrip("/").rsplit("/", 1)[-1]
        one_method_action = action and methods is not None and len(methods) == 1
        if one_method_action or (last in ACTION_SEGMENTS and operation.endswith(("_create", "_retrieve"))):
            operation = operation.rsplit("_", 1)[0]
        # An action on the whole list whose path repeats a detail action's (`notifications/read/` beside
        # `notifications/{id}/read/`) takes its own name: `notifications_read_all`.
        url_token = getattr(handler, "url_path", action or "").replace("-", "_")
        if one_method_action and not handler.detail and url_token != action and operation.endswith(url_token):
            operation = operation.removesuffix(url_token) + action
        elif self.method == "POST" and self.path == f"/api/v1/platform/{last}/" and last in INGESTS:
            operation = operation.removesuffix("_create") + "_upsert"
        return OPERATION_NAMES.get(operation, operation)

    def _error_responses(self) -> dict:
        has_body = self.method in ("POST", "PUT", "PATCH")
        public = any(isinstance(p, AllowAny) for p in self.view.get_permissions())
        errors = {"400": InvalidSerializer}
        if not public:
            errors |= {"401": ErrorSerializer, "403": ErrorSerializer}
        if "{" in self.path or (self._is_list_view() and self._get_paginator()):  # a page past the last: 404
            errors["404"] = ErrorSerializer
        codes = tuple(getattr(self._handler(), "rule_codes", ()))
        if codes:
            errors["409"] = _refusal(f"{self.get_operation_id().title().replace('_', '')}Refusal", codes)
        if has_body:
            errors["413"] = TooLargeSerializer
        if getattr(self._handler(), "sign_in", False):
            errors["429"] = ThrottledSerializer
        return errors

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if direction == "response":
            for status, serializer in self._error_responses().items():
                responses.setdefault(status, self._get_response_for_code(serializer, status, direction=direction))
        return responses
