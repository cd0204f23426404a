"""`Authorization: Bearer <key>` for API keys and user tokens; keys are stored only as SHA-256 hashes."""

import hashlib
import secrets
from datetime import timedelta

from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from kos_platform.clock import now

KEY_PREFIX = "kos_"
LAST_USED_PRECISION = timedelta(minutes=1)


def hash_key(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def new_raw_key() -> str:
    return KEY_PREFIX + secrets.token_urlsafe(32)


class BearerKeyAuthentication(authentication.BaseAuthentication):
    """A key is refused (401 `authentication_failed`) when it is unknown, revoked or past its `expires_at`, when its
    user is inactive, or — a user token — when it was issued before its user's last password change
    (`User.set_password` stamps it, whichever way the password was set). One query decides all of it."""

    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).decode("latin-1").split()
        if not header or header[0] != self.keyword:
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("Malformed Authorization header."))
        from accounts.choices import ApiKeyScope
        from accounts.models import ApiKey

        at = now()
        key = (
            ApiKey.objects.select_related("user")
            .filter(key_hash=hash_key(header[1]), revoked_at__isnull=True)
            .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=at))
            .filter(
                ~Q(scope=ApiKeyScope.USER)
                | Q(user__password_changed_at__isnull=True)
                | Q(user__password_changed_at__lte=F("created_at"))
            )
            .first()
        )
        if key is None or not key.user.is_active:
            raise exceptions.AuthenticationFailed(_("Invalid or revoked key."))
        if key.last_used_at is None or at - key.last_used_at >= LAST_USED_PRECISION:
            ApiKey.objects.filter(pk=key.pk).update(last_used_at=at)
        return key.user, key

    def authenticate_header(self, request):
        return self.keyword


class BearerKeyScheme(OpenApiAuthenticationExtension):
    target_class = BearerKeyAuthentication
    name = "bearerKey"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "An API key (enterprise, agency or platform) or a user token from POST /api/v1/auth/token/.",
        }
