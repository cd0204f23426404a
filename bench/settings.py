"""Settings of the benchmark server and of the in-process measurements: the test settings (PostgreSQL from
DATABASE_URL, Redis) with the floor endpoint's URLconf, DEBUG off and quiet logs.

The database URL is the generator's (default postgres://postgres@127.0.0.1:5432/kos_bench). Connections are
kept open between requests as in production (`CONN_MAX_AGE`, 60 s by default in the base settings).
"""

import os

os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/kos_bench")

from kos_platform.settings.test import *  # noqa: F403
from kos_platform.settings.test import ALLOWED_HOSTS, DATABASES

DATABASES["default"]["CONN_MAX_AGE"] = 60
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

ROOT_URLCONF = "bench.urls"
DEBUG = False
# django.test.Client sends Host: testserver.
ALLOWED_HOSTS = [*ALLOWED_HOSTS, "testserver"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler", "level": "ERROR"}},
    "root": {"handlers": ["console"], "level": "ERROR"},
}

# As in production: the ingests' rollup jobs go to the broker on commit (the benchmark measures the request; the
# test settings it builds on run jobs inline).
CELERY_TASK_ALWAYS_EAGER = False
