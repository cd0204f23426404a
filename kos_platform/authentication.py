"""`Authorization: Bearer <key>` for API keys and user tokens; keys are stored only as SHA-256 hashes."""

import hashlib
import secrets
from datetime import timedelta

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
    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).decode("latin-1").split()
        if not header or header[0] != self.keyword:
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("Malformed Authorization header."))
        from accounts.models import ApiKey

        key = (
            ApiKey.objects.select_related("user").filter(key_hash=hash_key(header[1]), revoked_at__isnull=True).first()
        )
        if key is None or not key.user.is_active:
            raise exceptions.AuthenticationFailed(_("Invalid or revoked key."))
        at = now()
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
