import logging
import os
import sys
from pathlib import Path

from django.apps import AppConfig
from django.conf import settings

logger = logging.getLogger("kos_platform")


class KosPlatformConfig(AppConfig):
    name = "kos_platform"
    verbose_name = "KOS platform"

    def ready(self):
        from django.db.backends.signals import connection_created

        from . import lookups  # noqa: F401  (registers `__any`)
        from .stored_times import tolerate_out_of_range_times

        connection_created.connect(tolerate_out_of_range_times)

        if settings.CELERY_TASK_ALWAYS_EAGER and serves_requests(sys.argv):
            logger.warning("Background tasks run inline (CELERY_TASK_ALWAYS_EAGER=True): no Celery worker is used.")


def serves_requests(argv: list[str]) -> bool:
    """Whether this process answers requests, and so says once how it runs tasks: `make run` starts four processes
    (migrate, load_demo, and runserver's autoreloader, which only watches the files and starts the process that serves
    with RUN_MAIN=true). A one-off command or the watcher says nothing; gunicorn, a worker or a test run does."""
    if Path(argv[0]).name not in ("manage.py", "django-admin") or len(argv) < 2:
        return True
    return argv[1] == "runserver" and (os.environ.get("RUN_MAIN") == "true" or "--noreload" in argv)
