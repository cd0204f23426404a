import logging

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

        if settings.CELERY_TASK_ALWAYS_EAGER:
            logger.warning("Background tasks run inline (CELERY_TASK_ALWAYS_EAGER=True): no Celery worker is used.")
