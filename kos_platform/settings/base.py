"""Settings shared by every environment; each value that differs comes from the environment."""

from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
env = environ.Env()

SECRET_KEY = env("SECRET_KEY", default="dev-insecure-secret-key-change-me")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "csp",
    "kos_platform",
    "accounts",
    "bindings",
    "notes",
    "campaigns",
    "analytics",
    "axes",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "kos_platform.middleware.LanguageMiddleware",
    "kos_platform.middleware.InputGuardMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into accounts.sign_in.lockout_response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "kos_platform.urls"
# Content Security Policy (django-csp): scripts only from this site's static files — no inline script, no `on…=`
# attribute, no eval (page scripts go in static/js); styles may be inline (Bootstrap and ECharts set style attributes);
# no site may frame a page (a proof is framed by its own review page: its views say so). Redoc's search worker, started
# from a blob: URL, is allowed on /api/redoc/ only (kos_platform.urls).
# Note covers load from the content platform's image hosts (origins such as `https://ci.xiaohongshu.com`, or
# `https://*.example.com`); pages show a cover from any other host as the placeholder (notes.preview), so a stored
# address never meets the policy's refusal.
CONTENT_IMAGE_HOSTS = env.list(
    "CONTENT_IMAGE_HOSTS",
    default=["https://sns-webpic-qc.xhscdn.com", "https://sns-img-qc.xhscdn.com", "https://ci.xiaohongshu.com"],
)
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:", *CONTENT_IMAGE_HOSTS],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "frame-src": ["'self'"],  # a PDF proof, in an iframe of its review page
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
# Request bodies: kos_platform.guard answers by Content-Length, by path, before a view reads anything (413
# `too_large`: 16 MB on the ingest endpoints, 2.5 MB elsewhere, 64 MB for an upload). Django's own limit on what it
# holds in memory is the largest of those for JSON, which it reads whole (DRF parses request.body).
DATA_UPLOAD_MAX_MEMORY_SIZE = 16 * 1024 * 1024
WSGI_APPLICATION = "kos_platform.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "kos_platform.context_processors.navigation",
            ],
        },
    },
]


def prepare_when_asked(database: dict) -> dict:
    """Let psycopg prepare the statements that ask for it (kos_platform.prepared) and no others: Django's cursors
    bind parameters on the client, which never prepares, and Django's default threshold, None, refuses even a
    statement that asks. Those statements are planned once: their plan is the same index walk whatever the
    parameters, and left to itself PostgreSQL plans a `LIMIT $2` again on every run.

    JIT compilation is off for the session: the plans of per-row subqueries (the data centre's employee table) are
    estimated costly enough to compile, and compiling took 1.6 s of a 2.1 s query that runs in 0.5 s without."""
    if database["ENGINE"] == "django.db.backends.postgresql":
        options = database.setdefault("OPTIONS", {})
        options["prepare_threshold"] = 2**31 - 1  # never by count of runs
        session = "-c plan_cache_mode=force_generic_plan -c jit=off"
        options["options"] = f"{options.get('options', '')} {session}".strip()
    return database


DATABASES = {"default": prepare_when_asked(env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"))}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
CSRF_FAILURE_VIEW = "kos_platform.errors.csrf_failure"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
# E-mail: password-reset links (accounts.views.PasswordResetView). SMTP from the environment; the run command's
# embedded default (settings/local.py) prints mails on its console instead, and the tests keep them in memory.
EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="KOS platform <noreply@localhost>")
PASSWORD_RESET_TIMEOUT = 3 * 24 * 60 * 60  # a reset link works once, for three days

# Sign-in lockout (django-axes; accounts.sign_in): 10 failed attempts for one username lock that username — on the
# login page, the admin's and POST /api/v1/auth/token/ alike, whatever the IP — until 15 minutes after the last of them.
# Refused attempts during the lockout are not counted, so they do not extend it. Attempts are kept in the database,
# where staff see them in the admin (Axes › Access attempts).
AUTHENTICATION_BACKENDS = ["accounts.sign_in.LockoutBackend", "django.contrib.auth.backends.ModelBackend"]
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_FAILURE_LIMIT = 10
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_RESET_ON_SUCCESS = False
AXES_LOCKOUT_CALLABLE = "accounts.sign_in.lockout_response"
# Axes warns that a lockout by username alone lets one address try many usernames; the contract locks by username.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]

# Time and language: every rule reads one clock, local time is Asia/Shanghai.
TIME_ZONE = "Asia/Shanghai"
USE_TZ = True
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
USE_I18N = True
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_NAME = "kos_language"

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
NODE_MODULES = BASE_DIR / "node_modules"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/bootstrap", NODE_MODULES / "bootstrap" / "dist"),
    ("vendor/htmx", NODE_MODULES / "htmx.org" / "dist"),
    ("vendor/echarts", NODE_MODULES / "echarts" / "dist"),
]
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")

# Files: local disk by default, S3-compatible (MinIO) when STORAGE_BACKEND=s3. Private in both.
STORAGE_BACKEND = env("STORAGE_BACKEND", default="local")
if STORAGE_BACKEND == "s3":
    _default_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env("S3_BUCKET", default="kos-private"),
            "endpoint_url": env("S3_ENDPOINT_URL", default=None),
            "access_key": env("S3_ACCESS_KEY", default=None),
            "secret_key": env("S3_SECRET_KEY", default=None),
            "region_name": env("S3_REGION", default=None),
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
else:
    _default_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
STORAGES = {
    "default": _default_storage,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Redis: cache and Celery broker. Without REDIS_URL (the embedded default) the cache is local memory.
REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=REDIS_URL or "memory://")
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE = {
    "expire-invitations": {"task": "bindings.tasks.expire_invitations", "schedule": 60.0},
    "remind-expiring-invitations": {"task": "bindings.tasks.remind_expiring_invitations", "schedule": 60.0},
    "sweep-proof-drafts": {"task": "bindings.tasks.sweep_proof_drafts", "schedule": 3600.0},  # drafts over 24 h
    # C03: each day just after midnight Asia/Shanghai (CELERY_TIMEZONE), when yesterday's spend leaves the window.
    "record-advanced-rights": {"task": "campaigns.tasks.record_advanced_rights", "schedule": crontab(minute=5, hour=0)},
    # D02: each day just after midnight, the periods whose last day was yesterday close with their awards.
    "close-incentive-periods": {
        "task": "analytics.tasks.close_incentive_periods",
        "schedule": crontab(minute=10, hour=0),
    },
    # D03: on the 1st of each month, 00:10 Asia/Shanghai, last month's horse-race tiers are kept.
    "record-horse-race-months": {
        "task": "analytics.tasks.record_horse_race_months",
        "schedule": crontab(minute=10, hour=0, day_of_month=1),
    },
}

# PII: ID numbers are encrypted with the first key (the others still decrypt, for rotation)
# and matched through a keyed blind index.
PII_ENCRYPTION_KEYS = env.list("PII_ENCRYPTION_KEYS", default=[])
PII_BLIND_INDEX_KEY = env("PII_BLIND_INDEX_KEY", default="")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "kos_platform.authentication.BearerKeyAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [
        "kos_platform.guard.GuardedJSONParser",
        "rest_framework.parsers.MultiPartParser",
        "rest_framework.parsers.FormParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "kos_platform.pagination.PageNumberPagination",
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "kos_platform.pagination.OrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "kos_platform.schema.KosAutoSchema",
    "EXCEPTION_HANDLER": "kos_platform.errors.api_exception_handler",
    "PAGE_SIZE": 20,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "KOS platform API",
    "DESCRIPTION": _("Brands bind employees' Xiaohongshu accounts as KOS accounts, review and promote their notes."),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Swagger UI would send the schema's address to validator.swagger.io for a badge: nothing leaves the machine.
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},
    # One per app, then the caller's own and the platform's (kos_platform.schema tags each operation); served in the
    # request's language.
    "TAGS": [
        {
            "name": "accounts",
            "description": _("Sign-in, enterprises, their members, agency reports and API keys; an agency's brands."),
        },
        {"name": "bindings", "description": _("Invitations and bindings of employee accounts, their proofs and log.")},
        {"name": "notes", "description": _("Employee notes, their figures, review quota, reviews, boosts, pushes.")},
        {
            "name": "campaigns",
            "description": _(
                "The ad account and its ledger, campaigns and units, spend, advanced rights, products, orders and "
                "commission."
            ),
        },
        {
            "name": "analytics",
            "description": _(
                "Analytics: the data centre (summary, daily series, per-employee and per-note tables, exports), "
                "incentive periods and the horse race."
            ),
        },
        {
            "name": "me",
            "description": _(
                "The caller: who they are and their password; an employee's invitations, bindings, notifications, "
                "orders and commission."
            ),
        },
        {
            "name": "platform",
            "description": _(
                "For platform staff and the platform's systems (a platform API key): enterprises and the KOS "
                "permission, agencies, RED accounts, the review of invitations and notes, bindings, settings, and the "
                "bulk ingests of notes, their figures, ad spend, products and orders."
            ),
        },
    ],
    "ENUM_NAME_OVERRIDES": {
        "InvitationStatusEnum": "bindings.choices.InvitationStatus",
        "BindingStatusEnum": "bindings.choices.BindingStatus",
        "NotificationKindEnum": "bindings.choices.NotificationKind",
        "ReviewStatusEnum": "notes.choices.ReviewStatus",
        "ReviewFilterEnum": "notes.choices.REVIEW_FILTERS",
        "BatchRowResultEnum": ["created", "invalid", "refused"],
        "NoteTypeEnum": "notes.choices.NoteType",
        "KeywordTypeEnum": "campaigns.choices.KeywordType",
        "LedgerKindEnum": "campaigns.choices.LedgerKind",
        "CampaignStatusEnum": "campaigns.choices.CampaignStatus",
        "DeliveryEnum": "campaigns.choices.Delivery",
        "ComponentEnum": "campaigns.choices.Component",
        "PlacementEnum": "campaigns.choices.Placement",
        "ObjectiveEnum": "campaigns.choices.Objective",
        "GoalEnum": "campaigns.choices.Goal",
        "OrderStatusEnum": "campaigns.choices.OrderStatus",
        "StatementStatusEnum": "campaigns.choices.StatementStatus",
        "OrderChannelEnum": "campaigns.choices.OrderChannel",
        "CommissionReasonEnum": "campaigns.choices.CommissionReason",
        "AwardKindEnum": "analytics.choices.AwardKind",
        "PeriodStatusEnum": "analytics.choices.PeriodStatus",
    },
}

# One console log. A refusal (4xx) is one line, without the traceback Django attaches to a 403 (log_filters: on
# django.request, where refusals are logged, and on the handler for the django.security.* loggers). Django's own
# "django" logger writes through it too: its default console handler (in DEBUG) would print each line twice.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "filters": {"refusals_in_one_line": {"()": "kos_platform.log_filters.RefusalsInOneLine"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["refusals_in_one_line"]}
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django": {"level": "INFO"},
        "django.request": {"filters": ["refusals_in_one_line"]},
        "django.db.backends": {"level": "WARNING"},
    },
}
