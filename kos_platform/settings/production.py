"""Production: every secret from the environment; PostgreSQL, Redis, S3-compatible storage."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import MIDDLEWARE, PII_BLIND_INDEX_KEY, PII_ENCRYPTION_KEYS, REDIS_URL, STORAGES, env

DEBUG = False
SECRET_KEY = env("SECRET_KEY")
if not PII_ENCRYPTION_KEYS or not PII_BLIND_INDEX_KEY or not REDIS_URL:
    raise ImproperlyConfigured("PII_ENCRYPTION_KEYS, PII_BLIND_INDEX_KEY and REDIS_URL are required in production.")

STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Static files served by the app itself, compressed and cache-busted.
MIDDLEWARE = [MIDDLEWARE[0], "whitenoise.middleware.WhiteNoiseMiddleware", *MIDDLEWARE[1:]]
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
SESSION_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=True)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# HTTPS only, by default: plain http is redirected, and browsers are told (HSTS) to use nothing else for a year,
# on every subdomain, and may preload it. Set SECURE_SSL_REDIRECT=false when the proxy redirects itself.
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
