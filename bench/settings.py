"""Settings of the benchmark server and of the in-process measurements: the test settings (PostgreSQL from
DATABASE_URL, Redis) with the floor endpoint's URLconf, DEBUG off and quiet logs.

The database URL is the generator's (default postgres://postgres@127.0.0.1:5432/kos_bench); as in every
environment, connection reuse comes from the URL (`?conn_max_age=60`), off by default like production.
"""

import os

os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/kos_bench")

from kos_platform.settings.test import *  # noqa: F403
from kos_platform.settings.test import ALLOWED_HOSTS

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
