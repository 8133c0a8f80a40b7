"""Settings shared by every environment; values come from the environment (django-environ).

With no DATABASE_URL the app runs on an embedded SQLite file; with no REDIS_URL Celery
tasks run in-process (eager), so `bin/run` works on a bare machine.
"""

from datetime import timedelta
from pathlib import Path

import environ
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

SECRET_KEY = env("SECRET_KEY", default="dev-only-insecure-key-change-me")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "knox",  # API tokens: only a hash is stored, they expire (REST_KNOX below)
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "simple_history",
    "axes",
    "django_ratelimit",
    "csp",
    "auditlog",
    "agencies",
    "assessments",
    "assessments.catalog",
    "assessments.values",
    "assessments.scores",
    "plans",
    "govit.audit",
    "notifications",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "govit.middleware.VietnameseFirstMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "govit.middleware.RefuseNulCharactersMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "govit.audit.middleware.AuditMiddleware",  # auditlog's, with the client address taken safely
    # Last, as django-axes requires.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "govit.urls"
WSGI_APPLICATION = "govit.wsgi.application"

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
                "notifications.context_processors.unread_notifications",
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=0))
# A kept connection the database dropped (restart, failover) is replaced at the next request, not reused.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded database has no row locks (SELECT ... FOR UPDATE is ignored): a transaction takes the
    # write lock at BEGIN and a second one waits for it (up to SQLITE_TIMEOUT seconds), so of two racing
    # actions the second sees the first one's result (409) instead of failing with "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "timeout": env.float("SQLITE_TIMEOUT", default=20)})
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "agencies.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 3600)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# Brute-force protection on the login form (django-axes): AXES_FAILURE_LIMIT failures for one user name
# from one address lock that pair; AXES_IP_FAILURE_LIMIT failures from one address, whatever the user names
# (password spraying), lock the address. The second limit is higher so that an office behind one NAT is not
# locked by one person's typos; a successful sign-in clears only that user's failures (agencies.lockout).
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_IP_FAILURE_LIMIT = env.int("AXES_IP_FAILURE_LIMIT", default=20)
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]  # this order: agencies.lockout reads it
AXES_HANDLER = "agencies.lockout.AddressLimitHandler"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked.html"
AXES_CLIENT_IP_CALLABLE = "govit.audit.middleware.client_address"
# The password reset page's own limits (django-ratelimit, agencies.password_reset): requests per client address
# and per e-mail address asked for, so that the page can neither flood an inbox nor the mail server.
PASSWORD_RESET_RATE_ADDRESS = env.str("PASSWORD_RESET_RATE_ADDRESS", default="20/h")
PASSWORD_RESET_RATE_EMAIL = env.str("PASSWORD_RESET_RATE_EMAIL", default="3/h")
RATELIMIT_FAIL_OPEN = True  # Redis down: the limits pause rather than refusing everyone (govit.cache)
# django-ratelimit lists only django-redis and memcached: Django's own RedisCache (ours, govit.cache) counts
# atomically as well.
SILENCED_SYSTEM_CHECKS = ["django_ratelimit.W001"]

# Reverse proxies in front of the app that append the client to X-Forwarded-For (0: none, the header is
# ignored). One rule for the audit log, login lockouts and API throttling (govit.audit.middleware).
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)

# Vietnamese first, English on request.
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Tiếng Việt")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# An uploaded table (CSV, XLSX, JSON rows) that takes longer than this to read is refused (govit/tabular.py):
# three slow parses in parallel must never hold every web worker.
TABLE_PARSE_SECONDS = env.float("TABLE_PARSE_SECONDS", default=5.0)

REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    # A Redis outage gives cache misses, not errors (govit/cache.py): saves never fail because of it.
    CACHES = {"default": {"BACKEND": "govit.cache.TolerantRedisCache", "LOCATION": REDIS_URL,
                          "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2}}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    # The embedded default is one process (runserver): its memory is the one place the counters can be.
    SILENCED_SYSTEM_CHECKS += ["django_ratelimit.E003"]

# Celery: safe defaults. Tasks are acknowledged after they finish, so a worker that dies
# mid-task leaves the message to be redelivered; JSON only; hard and soft time limits.
# Pages of /api/v1/scores/ are cached until the next run publishes (assessments.scores.cache); 0: off.
SCORES_PAGE_CACHE_SECONDS = env.int("SCORES_PAGE_CACHE_SECONDS", default=300)
# Anonymous read-only rankings of published scores under /public/ and /api/v1/public/ (issue 14); off: 404.
PUBLIC_RANKINGS = env.bool("PUBLIC_RANKINGS", default=False)

CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or "cache+memory://"
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=600)
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=660)
CELERY_RESULT_EXPIRES = 24 * 3600
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}

# Score runs (assessments/scores/runs.py). A request is a database row before it is a message, and the
# beat task dispatch_pending_runs re-sends, every SCORE_RUN_DISPATCH_INTERVAL seconds, the runs
# whose message was lost: queued for longer than SCORE_RUN_LOST_AFTER seconds (the broker was
# down), or running that long while no worker holds the run's lock (the worker died; Redis
# would only redeliver its unacknowledged message after the visibility timeout, an hour). A run
# whose worker died SCORE_RUN_MAX_ATTEMPTS times is marked failed instead of killing another one.
SCORE_RUN_DISPATCH_INTERVAL = env.float("SCORE_RUN_DISPATCH_INTERVAL", default=60.0)
SCORE_RUN_LOST_AFTER = env.float("SCORE_RUN_LOST_AFTER", default=60.0)
SCORE_RUN_MAX_ATTEMPTS = env.int("SCORE_RUN_MAX_ATTEMPTS", default=3)

CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_TASK_ROUTES = {
    "assessments.scores.tasks.*": {"queue": "scoring"},
    "plans.tasks.*": {"queue": "reminders"},
}
CELERY_TIMEZONE = TIME_ZONE

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first so that an anonymous request gets 401 with a WWW-Authenticate header.
        "knox.auth.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [
        "rest_framework.parsers.JSONParser",
        "rest_framework.parsers.MultiPartParser",
        "rest_framework.parsers.FormParser",
    ],
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "govit.pagination.Pagination",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ],
    # Throttle counters live in the default cache: Redis whenever REDIS_URL is set (production).
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,
    "EXCEPTION_HANDLER": "govit.handlers.api_exception_handler",
    "DEFAULT_THROTTLE_RATES": {
        "anon": env("THROTTLE_ANON", default="60/minute"),
        "user": env("THROTTLE_USER", default="6000/minute"),
        "feeds": env("THROTTLE_FEEDS", default="600/minute"),  # requests per feed source (batches of ≤ 5,000)
        "public": env("THROTTLE_PUBLIC", default="120/minute"),  # /api/v1/public/, per address
    },
}

# API tokens (django-rest-knox): `Authorization: Token KEY`; the database keeps only a SHA-512 digest.
# A token expires API_TOKEN_TTL_HOURS after it is made; all of a user's tokens are revoked when the
# password changes or the user is deactivated (agencies.signals).
API_TOKEN_TTL_HOURS = env.int("API_TOKEN_TTL_HOURS", default=90 * 24)
REST_KNOX = {"TOKEN_TTL": timedelta(hours=API_TOKEN_TTL_HOURS), "AUTH_HEADER_PREFIX": "Token"}

SPECTACULAR_SETTINGS = {
    "TITLE": "GovIT API",
    "DESCRIPTION": "Agencies, requirement catalogs, indicator values, readiness scores and plans.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums", "govit.schema.add_error_responses"],
}

# Content Security Policy (django-csp 4): no inline scripts anywhere.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
    }
}

EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="govit@localhost")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}
FORMAT_MODULE_PATH = ["govit.formats"]

# Audit log (django-auditlog): who, what, before/after, when and from which address.
AUDITLOG_INCLUDE_ALL_MODELS = False
AUDITLOG_DISABLE_REMOTE_ADDR = False


def _beat_schedule() -> dict:
    from assessments.scores.schedule import CELERY_BEAT_SCHEDULE as scores
    from plans.schedule import CELERY_BEAT_SCHEDULE as plans

    dispatch = {**scores["scores-dispatch-pending"], "schedule": SCORE_RUN_DISPATCH_INTERVAL}
    return {**scores, "scores-dispatch-pending": dispatch, **plans}


CELERY_BEAT_SCHEDULE = _beat_schedule()
