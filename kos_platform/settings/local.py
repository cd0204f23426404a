"""The embedded default of the run command: SQLite, local files, tasks inline."""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DEBUG", default=True)
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=True)

# Development keys so the app runs with no configuration; production refuses to start without real ones.
PII_ENCRYPTION_KEYS = env.list("PII_ENCRYPTION_KEYS", default=["ZGV2LW9ubHktcGlpLWtleS0wMDAwMDAwMDAwMDAwMDA="])
PII_BLIND_INDEX_KEY = env("PII_BLIND_INDEX_KEY", default="dev-only-blind-index-key")
