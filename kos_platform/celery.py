"""The Celery app: Redis broker, JSON only, beat schedule from settings."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kos_platform.settings.local")

app = Celery("kos_platform")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
