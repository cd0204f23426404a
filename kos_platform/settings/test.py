"""The test suite: PostgreSQL and Redis, read from DATABASE_URL and REDIS_URL."""

from .base import *  # noqa: F403
from .base import BASE_DIR, env, prepare_when_asked

DATABASES = {"default": prepare_when_asked(env.db("DATABASE_URL", default="postgres://postgres@127.0.0.1:5432/kos"))}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
REDIS_URL = env("REDIS_URL", default="redis://127.0.0.1:6379/0")
# `make test` runs pytest-xdist workers: each has its own test database (pytest-django) and its own cache keys.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": env("PYTEST_XDIST_WORKER", default=""),
    }
}
CELERY_BROKER_URL = REDIS_URL
# Jobs enqueued on commit (the analytics rollups) run inline, so tests never leave messages in Redis; the tests
# that prove the jobs run a real worker on a queue of their own (tests/workers.py).
CELERY_TASK_ALWAYS_EAGER = True

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = BASE_DIR / "artifacts" / "test-media"
PII_ENCRYPTION_KEYS = ["dGVzdC1waWkta2V5LTAwMDAwMDAwMDAwMDAwMDAwMDA=", "b2xkLXRlc3QtcGlpLWtleS0wMDAwMDAwMDAwMDAwMDA="]
PII_BLIND_INDEX_KEY = "test-blind-index-key"
