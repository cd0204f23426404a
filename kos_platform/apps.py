import logging

from django.apps import AppConfig
from django.conf import settings

logger = logging.getLogger("kos_platform")


class KosPlatformConfig(AppConfig):
    name = "kos_platform"
    verbose_name = "KOS platform"

    def ready(self):
        from . import lookups  # noqa: F401  (registers `__any`)

        if settings.CELERY_TASK_ALWAYS_EAGER:
            logger.warning("Background tasks run inline (CELERY_TASK_ALWAYS_EAGER=True): no Celery worker is used.")
