"""Django settings, all from the environment (gongkai.env).

Development (the default): DEBUG on, SQLite under var/. Production: GONGKAI_DEBUG=false,
SECRET_KEY and ALLOWED_HOSTS required, DATABASE_URL pointing at PostgreSQL.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url

from gongkai.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("GONGKAI_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("GONGKAI_DEBUG", True)
TESTING = env_bool("GONGKAI_TESTING", False)

if DEBUG:
    # A development key: never used with DEBUG off, where SECRET_KEY is required.
    SECRET_KEY = env_str("SECRET_KEY", "dev-insecure-gongkai-key-change-me-0123456789abcdefghijklmnop")
else:
    SECRET_KEY = env_str("SECRET_KEY", required=True)

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "whitenoise.runserver_nostatic",
    "gongkai.admin_apps.GongkaiAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "axes",
    "csp",
    "gongkai.agencies",
    "gongkai.accounts",
    "gongkai.audit",
    "gongkai.jobs",
    "gongkai.workcalendar",
    "gongkai.cases",
    "gongkai.letters",
    "gongkai.publications",
    "gongkai.reports",
    "gongkai.supervision",
    "gongkai.archives",
    "gongkai.dashboards",
    "gongkai.apiclients",
    "gongkai.portal",
    "gongkai.backoffice",
    "gongkai.api",
]

MIDDLEWARE = [
    "gongkai.web.requestid.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "gongkai.web.sessions.SessionRenewalMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "gongkai.web.middleware.NoStoreMiddleware",
    "gongkai.web.middleware.RefuseNulMiddleware",
    "axes.middleware.AxesMiddleware",
    "gongkai.api.auth.AccessLogMiddleware",
]

# Content-Security-Policy (django-csp) on every response: every asset is served from this site.
# Scripts only from static files (no inline script, no javascript: links). Styles allow
# 'unsafe-inline': several templates carry small style blocks and attributes (one computed,
# the catalogue's indentation), CSS cannot run code, and with scripts locked down the remaining
# risk (styling injected markup) is already closed by template autoescaping.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

ROOT_URLCONF = "gongkai.urls"
WSGI_APPLICATION = "gongkai.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "gongkai" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "gongkai.backoffice.context.roles",
            ],
        },
    },
]

_default_sqlite = f"sqlite:///{VAR_DIR / 'gongkai.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", _default_sqlite),
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Two requests writing together: each transaction takes the write lock when it begins
    # (IMMEDIATE), and a second one waits up to `timeout` seconds for it, then reads what the first
    # committed. A deferred transaction would upgrade its read lock mid-way and fail at once with
    # "database is locked" (a 500); this way the loser meets the optimistic lock and gets a 409.
    # WAL: readers never wait for a writer, so pages (a job's progress among them) answer while a
    # long transaction writes (a 20,000-row ledger import); with the default rollback journal the
    # writer locks readers out once its changes outgrow SQLite's page cache.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "transaction_mode": "IMMEDIATE", "init_command": "PRAGMA journal_mode=WAL;"}
    )
    # The tests' database is a file as well, not Django's shared in-memory one: there another
    # connection's write lock fails a statement at once ("database table is locked") instead of
    # waiting `timeout`, so a background job's thread and the request that started it would
    # collide in the tests as they never do on a real file. One file per test process, so two
    # test runs in one checkout never share (and clobber) a file; Django deletes it at the end.
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test-{os.getpid()}.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
        "OPTIONS": {"user_attributes": ("username", "full_name", "first_name", "last_name", "email", "phone")},
    },
    # Django's, with the message in Chinese (gongkai.accounts.passwords says why).
    {"NAME": "gongkai.accounts.passwords.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    # The Chinese 姓名 in the password, and the published demo password with DEBUG off.
    {"NAME": "gongkai.accounts.passwords.FullNameValidator"},
    {"NAME": "gongkai.accounts.passwords.PublishedPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "backoffice:home"
LOGOUT_REDIRECT_URL = "login"

# Sessions expire after inactivity: a request renews the clock, writing the session at most once
# a SESSION_RENEW_SECONDS (gongkai.web.sessions.SessionRenewalMiddleware), not on every request.
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_SECONDS", 30 * 60)
SESSION_RENEW_SECONDS = env_int("SESSION_RENEW_SECONDS", 60)
SESSION_SAVE_EVERY_REQUEST = False
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True

# Login throttling (django-axes, gongkai.web.lockout): lock a username at one client address after
# LOGIN_FAILURE_LIMIT failures, and the username everywhere after LOGIN_FAILURE_CEILING failures
# from any address, each within the cool-off time. The address is gongkai.web.client.client_ip
# (PORTAL_CLIENT_IP_HEADER behind the proxy), so a stranger cannot lock out a colleague.
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
LOGIN_FAILURE_CEILING = env_int("LOGIN_FAILURE_CEILING", 50)
AXES_COOLOFF_TIME = env_int("LOGIN_COOLOFF_MINUTES", 15) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_HANDLER = "gongkai.web.lockout.LockoutHandler"
AXES_CLIENT_IP_CALLABLE = "gongkai.web.client.client_ip"
AXES_LOCKOUT_CALLABLE = "gongkai.web.lockout.lockout_response"
AXES_ENABLED = env_bool("LOGIN_THROTTLING", True)

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
if DEBUG:
    # WhiteNoise warns on a missing STATIC_ROOT; in development static files come from the finders.
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
WHITENOISE_USE_FINDERS = DEBUG
STATICFILES_DIRS = [BASE_DIR / "gongkai" / "static"]
MEDIA_ROOT = Path(env_str("GONGKAI_MEDIA_ROOT", str(VAR_DIR / "media")))
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("UPLOAD_MAX_BYTES", 20 * 1024 * 1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "gongkai@localhost")

# Messages to applicants (gongkai.notifications, gongkai.cases.notifications). In the demo (DEBUG,
# no EMAIL_BACKEND / SMS_BACKEND set) both write one file per message under var/outbox/, so what an
# applicant would receive can be read there. SMS_BACKEND: file | http (the agency's SMS platform:
# SMS_GATEWAY_URL, SMS_GATEWAY_KEY, SMS_SIGNATURE) | disabled. PORTAL_BASE_URL makes the links.
OUTBOX_DIR = Path(env_str("GONGKAI_OUTBOX_DIR", str(VAR_DIR / "outbox")))
if DEBUG and not env_str("EMAIL_BACKEND"):
    EMAIL_BACKEND = "gongkai.notifications.mail.OutboxBackend"  # Django's filebased, one file per message
EMAIL_FILE_PATH = OUTBOX_DIR / "email"
SMS_GATEWAY_URL = env_str("SMS_GATEWAY_URL", "")
SMS_GATEWAY_KEY = env_str("SMS_GATEWAY_KEY", "")
SMS_SIGNATURE = env_str("SMS_SIGNATURE", "政府信息公开")
SMS_TIMEOUT = env_int("SMS_TIMEOUT", 10)
SMS_BACKEND = env_str("SMS_BACKEND", "http" if SMS_GATEWAY_URL else ("file" if DEBUG else "disabled"))
SMS_FILE_PATH = OUTBOX_DIR / "sms"
PORTAL_BASE_URL = env_str("PORTAL_BASE_URL", "http://127.0.0.1:8000" if DEBUG else "").rstrip("/")
NOTIFICATION_MAX_ATTEMPTS = env_int("NOTIFICATION_MAX_ATTEMPTS", 5)

# Whether the fee period (收费通知 to payment) stops the answer clock: spec §2.4 is unconfirmed [U],
# so it is a setting: "suspended" (default) or "running".
GONGKAI_FEE_CLOCK_RULE = env_str("GONGKAI_FEE_CLOCK_RULE", "suspended")

# 内容雷同 of annual reports (gongkai.core.report.similarity): a sentence counts as copied at a
# SequenceMatcher ratio ≥ sentence_ratio (0.85) with the same numbers; a section is flagged when
# copied sentences make ≥ section_share (0.5) of its countable text and ≥ min_copied_chars (50);
# sentences shorter than min_sentence_chars (12) are not compared. Defaults chosen on the corpus
# of tests/core/report/similarity_corpus.py (copied ≥ 0.6, genuine ≤ 0.25).
GONGKAI_SIMILARITY = {
    "sentence_ratio": float(env_str("GONGKAI_SIMILARITY_SENTENCE_RATIO", "0.85")),
    "section_share": float(env_str("GONGKAI_SIMILARITY_SECTION_SHARE", "0.5")),
    "min_copied_chars": env_int("GONGKAI_SIMILARITY_MIN_COPIED_CHARS", 50),
    "min_sentence_chars": env_int("GONGKAI_SIMILARITY_MIN_SENTENCE_CHARS", 12),
}

# Public portal abuse controls (gongkai.portal.ratelimit) and the login lockout. Behind a reverse
# proxy, name the header that carries the client's address (e.g. HTTP_X_FORWARDED_FOR), or every
# citizen shares one limit and every colleague one lockout (gongkai.web.client).
# The limits count in the default cache: per process with the built-in local-memory cache.
PORTAL_CLIENT_IP_HEADER = env_str("PORTAL_CLIENT_IP_HEADER", "")
PUBLICATION_ATTACHMENT_MAX_BYTES = env_int("PUBLICATION_ATTACHMENT_MAX_BYTES", 20 * 1024 * 1024)

REST_FRAMEWORK = {
    # A token of an API client first (``Authorization: Bearer …``, docs/api.md), else the session.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "gongkai.api.auth.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated", "gongkai.api.auth.TokenScope"],
    "DEFAULT_THROTTLE_CLASSES": ["gongkai.api.auth.ClientRateThrottle"],
    "DEFAULT_SCHEMA_CLASS": "gongkai.api.schema.AutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "gongkai.api.pagination.Pagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "gongkai.api.errors.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "gongkai 政府信息公开接口",
    "DESCRIPTION": (
        "本机关政府信息公开工作的接口（版本 v1）。其他系统（12345 热线、政务服务网、集约化平台）用接口令牌调用："
        "请求头 Authorization: Bearer 令牌。令牌只能看到其所属机构的信息公开工作人员可见的内容，且仅限其权限范围；"
        "个人信息一律遮蔽。说明见 docs/api.md。"
    ),
    "VERSION": "v1",
    "PREPROCESSING_HOOKS": ["gongkai.api.urls.only_current_version"],
    "SERVE_INCLUDE_SCHEMA": False,
    # The schema describes every endpoint, so it is for logged-in staff only (issue 11 #16).
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SERVE_AUTHENTICATION": [
        "gongkai.api.auth.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    # One named enum per status set (the items' and the reports' ``status`` would otherwise collide).
    "ENUM_NAME_OVERRIDES": {
        "ItemStatusEnum": "gongkai.api.schema.ITEM_STATUSES",
        "ReportStatusEnum": "gongkai.api.schema.REPORT_STATUSES",
    },
}

# Webhooks (gongkai.apiclients.webhooks): send after each commit in a background thread; allow
# loopback and private receivers only where the receivers are on an intranet (or in tests).
WEBHOOK_BACKGROUND = env_bool("WEBHOOK_BACKGROUND", True)
WEBHOOK_ALLOW_PRIVATE = env_bool("WEBHOOK_ALLOW_PRIVATE", False)

# Production hardening; `manage.py check --deploy` is clean with DEBUG off.
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_CONTENT_TYPE_NOSNIFF = True
    X_FRAME_OPTIONS = "DENY"
# models.W040: the open cases' index (cases ``case_open_idx``) carries INCLUDE columns so that
# PostgreSQL, the production database, answers the desk from the index alone; SQLite builds the same
# index without them, which is right for it. Not a problem to report at every start.
SILENCED_SYSTEM_CHECKS = ["models.W040", *([] if DEBUG else env_list("SILENCED_SYSTEM_CHECKS", []))]

# Logs on standard error: one JSON object per line in production (LOG_FORMAT=json, the default
# with DEBUG off), each with the request id of the request that wrote it (gongkai.web.requestid),
# so the lines of one request can be found across nodes. ACCESS_LOG=true adds a line per request.
LOG_FORMAT = env_str("LOG_FORMAT", "text" if DEBUG else "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "gongkai.web.requestid.RequestIdFilter"}},
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
            "json_ensure_ascii": False,
        },
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": "json" if LOG_FORMAT == "json" else "text",
        }
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
    "loggers": {
        "gongkai.request": {
            "level": "INFO" if env_bool("ACCESS_LOG", False) else "WARNING",
            "handlers": ["console"],
            "propagate": False,
        }
    },
}

# Several processes or machines (issue 16): REDIS_URL puts the cache — and with it the portal's
# rate limits and any cached pages — on one Redis that every node shares. Sessions and the login
# lockout live in the database, which the nodes share already.
REDIS_URL = env_str("REDIS_URL", "")
# Background jobs (gongkai.jobs): with REDIS_URL on Celery workers (`celery -A gongkai.jobs.celery
# worker`, periodic work with `… beat`); without it in a thread pool of the web process, so the
# demo needs nothing more. JOBS_EAGER runs them inline (the tests).
CELERY_BROKER_URL = REDIS_URL
CELERY_TASK_DEFAULT_QUEUE = env_str("CELERY_QUEUE", "celery")
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A job whose worker died is handed to another after this many seconds (the broker's redelivery)
# and taken over once its heartbeat is older than JOB_STALE_SECONDS.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": env_int("JOB_VISIBILITY_SECONDS", 300)}
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_IGNORE_RESULT = True
JOB_STALE_SECONDS = env_int("JOB_STALE_SECONDS", 120)
JOBS_EAGER = env_bool("JOBS_EAGER", False)
JOBS_THREADS = env_int("JOBS_THREADS", 2)
CELERY_BEAT_SCHEDULE = {
    "daily-reminders": {
        "task": "gongkai.cases.remind",
        "schedule": env_int("REMIND_EVERY_SECONDS", 24 * 3600),
    },
    "retry-applicant-messages": {
        "task": "gongkai.cases.retry_messages",
        "schedule": env_int("RETRY_MESSAGES_EVERY_SECONDS", 3600),
    },
}

# "jobs": the progress and heartbeat of background jobs (gongkai.jobs.runner), which every web
# process must see: a job's thread runs in one gunicorn worker while its page is polled through
# any of them. Without Redis a file cache under var/ serves the processes of the one machine.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "jobs": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": VAR_DIR / "cache" / "jobs"},
}
if REDIS_URL:
    _redis_cache = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", "gongkai"),
    }
    CACHES = {"default": _redis_cache, "jobs": _redis_cache}
