"""The embedded default of the run command: SQLite, local files, tasks inline."""

import warnings

from .base import *  # noqa: F403
from .base import INSTALLED_APPS, MIDDLEWARE, env

# Off, as in production: wrong or foreign URLs get the product's 404 page, refusals log one line. `DEBUG=true make run`
# turns on Django's debug pages for development.
DEBUG = env.bool("DEBUG", default=False)
# Static files (ours, the npm packages' of STATICFILES_DIRS, the apps') are served by the app itself through whitenoise,
# as in production, but straight from where they lie (the finders): no collectstatic. With DEBUG it looks again at
# each request, so an edited file shows at once; runserver leaves static files to it (runserver_nostatic).
INSTALLED_APPS = ["whitenoise.runserver_nostatic", *INSTALLED_APPS]
MIDDLEWARE = [MIDDLEWARE[0], "whitenoise.middleware.WhiteNoiseMiddleware", *MIDDLEWARE[1:]]
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
# It looks in STATIC_ROOT too, which only `collectstatic` fills (the production image's): no warning that it is absent.
warnings.filterwarnings("ignore", message="No directory at: .*staticfiles")
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=True)
# Mails (password-reset links) are printed on the run command's console unless EMAIL_BACKEND says otherwise.
EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")

# Development keys so the app runs with no configuration; production refuses to start without real ones.
PII_ENCRYPTION_KEYS = env.list("PII_ENCRYPTION_KEYS", default=["ZGV2LW9ubHktcGlpLWtleS0wMDAwMDAwMDAwMDAwMDA="])
PII_BLIND_INDEX_KEY = env("PII_BLIND_INDEX_KEY", default="dev-only-blind-index-key")
