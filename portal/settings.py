"""Settings for Cổng Dịch vụ công.

Every environment-dependent value is read from the environment (see `.env.example`).
Without any variable set, the portal runs on its embedded default: SQLite and Celery
tasks run in-process. With DATABASE_URL and REDIS_URL it runs on PostgreSQL with a
real Celery worker and beat.
"""

import datetime
from pathlib import Path

import django_stubs_ext
import environ
from django.utils.translation import gettext_lazy as _

# Lets runtime code subscript generic Django classes (ModelAdmin[Model], ...).
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
if (BASE_DIR / ".env").is_file():
    env.read_env(BASE_DIR / ".env")

DEBUG = env.bool("DJANGO_DEBUG", default=False)
# The secrets' development values. They are public (this file), so they are good
# only with DEBUG on: otherwise `manage.py` commands, gunicorn and the Celery worker
# and beat refuse to start and name each one still in use (portal/checks.py,
# docs/security.md "Secrets"), on a demo server as well.
DEVELOPMENT_SECRETS = {
    "SECRET_KEY": "django-insecure-development-only-do-not-use-in-production",
    "OIDC_CLIENT_SECRET": "dev-only-oidc-client-secret-do-not-use",
    "PAYMENT_GATEWAY_SECRET": "dev-only-payment-secret-do-not-use",
    # The sandbox platform signs with the portal's secret unless given its own.
    "PAYGATE_SECRET": "dev-only-payment-secret-do-not-use",
}
SECRET_KEY = env.str("SECRET_KEY", default=DEVELOPMENT_SECRETS["SECRET_KEY"])
ALLOWED_HOSTS = env.list(
    "ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]", "testserver"]
)
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# --- Applications -----------------------------------------------------------------
# Apps are listed bottom floor first: units, agencies <- accounts <- procedures
# <- dossiers <- chains, dashboards <- portal (see docs/architecture.md).
INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "oauth2_provider",
    "units",
    "agencies",
    "accounts",
    "idp",
    "procedures",
    # Issue 17: the one-stop rule sets dated by the day of receipt (below dossiers).
    "rules",
    # Issue 18: results signed by their agency (PAdES) and verified (below dossiers).
    "signing",
    "dossiers",
    # Issue 6: notifications <- payments (both above dossiers); the sandbox
    # payment platform imports none of the portal's apps.
    "notifications",
    "payments",
    "paygate",
    # Issue 18: each agency's result registers, numbering results (above dossiers).
    "registers",
    "chains",
    # Issue 19: the outbox to the National Public Service Portal and its twin.
    "national",
    "dashboards",
    "feedback",
    "portal",
]

MIDDLEWARE = [
    "portal.middleware.RequestIdMiddleware",
    # NUL characters refused before anything reads the request (portal/nulbytes.py).
    "portal.nulbytes.NulByteMiddleware",
    "portal.metrics.RequestMetricsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "portal.middleware.SecurityHeadersMiddleware",
    # A lost database or a full disk answers 503 + Retry-After (portal/unavailable.py).
    "portal.unavailable.ServiceUnavailableMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # The request's address, for the absolute URLs of what it causes when
    # PORTAL_URL is not set (accounts/addresses.py).
    "accounts.addresses.PublicAddressMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # django-otp's, the TOTP device read by a prepared statement (accounts/otp.py).
    "accounts.otp.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, so that it sees the lockout flag set anywhere in the request.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"
ASGI_APPLICATION = "portal.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portal.context_processors.site",
                "notifications.context_processors.bell",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------------
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and IMMEDIATE transactions let the development server and in-process
    # tasks write without "database is locked" errors.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# The busiest public reads are prepared on the PostgreSQL server, once per
# connection (portal.db.PreparedRead). Off behind a pooler that shares one
# session among clients (PgBouncer in transaction mode).
PREPARED_READS = env.bool("PREPARED_READS", default=True)
# Reporting reads (dashboards, exports) go to this alias inside
# portal.db.reporting_reads() when DATABASE_REPLICA_URL is set; without it the
# alias mirrors the primary and reads stay on `default`.
REPORTING_REPLICA = bool(env.str("DATABASE_REPLICA_URL", default=""))
DATABASES["replica"] = {
    **(
        env.db("DATABASE_REPLICA_URL")
        if env.str("DATABASE_REPLICA_URL", default="")
        else DATABASES["default"]
    ),
    "TEST": {"MIRROR": "default"},
}
DATABASE_ROUTERS = ["portal.db.ReportingRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis, cache and Celery ------------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")

if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "portal",
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Without Redis, tasks run in-process (eagerly) right after the transaction commits.
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_DEFAULT_QUEUE = env.str("CELERY_QUEUE", default="portal")
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=60)
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=90)
CELERY_TASK_IGNORE_RESULT = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A task not acknowledged within this time is delivered again (acks_late).
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 600}
CELERY_TIMEZONE = "Asia/Ho_Chi_Minh"
CELERY_BEAT_SCHEDULE_FILENAME = env.str(
    "CELERY_BEAT_SCHEDULE_FILENAME", default=str(BASE_DIR / "var" / "celerybeat")
)
# The health page reports the worker down when its last heartbeat is older.
HEALTH_WORKER_MAX_AGE_SECONDS = env.int("HEALTH_WORKER_MAX_AGE_SECONDS", default=120)
# The Retry-After of the 503 answered while the database or the disk is out.
UNAVAILABLE_RETRY_AFTER_SECONDS = env.int("UNAVAILABLE_RETRY_AFTER_SECONDS", default=30)

# --- Accounts ---------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:account-home"
LOGOUT_REDIRECT_URL = "portal:home"
# Axes first: it refuses a locked-out username+IP before any password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Permission checks in one statement (decision 335); signing in and the
    # session's user stay Django's ModelBackend's.
    "accounts.backends.PermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
_VALIDATION = "django.contrib.auth.password_validation"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": f"{_VALIDATION}.UserAttributeSimilarityValidator"},
    {"NAME": f"{_VALIDATION}.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": f"{_VALIDATION}.CommonPasswordValidator"},
    {"NAME": f"{_VALIDATION}.NumericPasswordValidator"},
]

# --- Language and time ------------------------------------------------------------
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Tiếng Việt")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Vietnamese amounts group thousands with dots (7.000 đồng).
FORMAT_MODULE_PATH = ["portal.formats"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LANGUAGE_COOKIE_SAMESITE = "Lax"

# --- Static and uploaded files ----------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploaded files are never served directly: views check access first.
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # `make serve` sets whitenoise's CompressedManifestStaticFilesStorage (hashed,
    # compressed names after collectstatic); the default needs no collectstatic.
    "staticfiles": {
        "BACKEND": env.str(
            "STATICFILES_BACKEND",
            default="django.contrib.staticfiles.storage.StaticFilesStorage",
        )
    },
}

# Uploaded files on S3-compatible object storage (MinIO, Ceph, a cloud bucket) through
# django-storages (`pip install -e ".[s3]"`) when a bucket is set, so web processes
# keep nothing on their own disk; local disk (MEDIA_ROOT) otherwise.
AWS_STORAGE_BUCKET_NAME = env.str("AWS_STORAGE_BUCKET_NAME", default="")
if AWS_STORAGE_BUCKET_NAME:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            "endpoint_url": env.str("AWS_S3_ENDPOINT_URL", default="") or None,
            "region_name": env.str("AWS_S3_REGION_NAME", default="") or None,
            "access_key": env.str("AWS_ACCESS_KEY_ID", default=""),
            "secret_key": env.str("AWS_SECRET_ACCESS_KEY", default=""),
            # Private objects: files are served by the views after their access
            # check, never by a public URL.
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }

# --- Security ---------------------------------------------------------------------
# Other origins forms may post to or be redirected to after a POST (the identity
# provider, the payment gateway), for the Content-Security-Policy's form-action.
CSP_FORM_ACTION_EXTRA = env.list("CSP_FORM_ACTION_EXTRA", default=[])
# /metrics answers requests with "Authorization: Bearer <token>"; without a token,
# only requests from the machine itself.
METRICS_TOKEN = env.str("METRICS_TOKEN", default="")
# Secure defaults whenever DEBUG is off; each can be overridden from the environment.
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
# Django's database sessions, read by a prepared statement (decision 335).
SESSION_ENGINE = "accounts.sessions"
LANGUAGE_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool(
    "SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True
)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
# TLS is usually terminated by a proxy that redirects http to https itself.
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=False)
# Each silenced check says why where it is added (decision 131).
SILENCED_SYSTEM_CHECKS: list[str] = []
if env.bool("USE_X_FORWARDED_PROTO", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # Behind the TLS-terminating proxy, the proxy redirects http to https (a
    # requirement of docs/security.md): Django redirecting too would only repeat
    # it. Without a declared proxy the warning stays, since nothing redirects.
    if not SECURE_SSL_REDIRECT:
        SILENCED_SYSTEM_CHECKS.append("security.W008")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# --- Email ------------------------------------------------------------------------
EMAIL_BACKEND = env.str(
    "EMAIL_BACKEND",
    default=(
        "django.core.mail.backends.console.EmailBackend"
        if DEBUG
        else "django.core.mail.backends.smtp.EmailBackend"
    ),
)
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env.str(
    "DEFAULT_FROM_EMAIL", default="Cổng Dịch vụ công <no-reply@localhost>"
)

# --- API --------------------------------------------------------------------------
# Public tracking lookups per client address, on the API and the page alike: one
# count for both (accounts.ratelimit, scope "track").
THROTTLE_TRACK = env.str("THROTTLE_TRACK", default="20/min")
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    # Token first: an unauthenticated request then gets 401 with
    # `WWW-Authenticate: Token`, not 403.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 20,
    # A body is one JSON object of bounded depth (portal/parsers.py); every error
    # is a 4xx in the visitor's language, {"detail": ...} (portal/errors.py).
    "DEFAULT_PARSER_CLASSES": [
        "portal.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "EXCEPTION_HANDLER": "portal.errors.api_exception_handler",
}
# A CSRF failure outside DRF: JSON under /api/, templates/403_csrf.html elsewhere.
CSRF_FAILURE_VIEW = "portal.errors.csrf_failure"
SPECTACULAR_SETTINGS = {
    "TITLE": "Cổng Dịch vụ công API",
    "DESCRIPTION": (
        "API of the online public-service portal (version 1).\n\n"
        "Errors: a request that cannot be served gets a 4xx with "
        '`{"detail": "<message>"}` (field errors: `{"<field>": ["<message>"]}`), '
        "as `application/json`, in Vietnamese, or in English with "
        "`Accept-Language: en`. A JSON body is one object, at most 32 levels "
        "deep, in UTF-8; a body other than uploaded files is at most 5 MB (413 "
        "beyond). 401 carries `WWW-Authenticate: Token`; 429 and 503 carry "
        "`Retry-After`; 503 is an RFC 9457 problem."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    # No CDN: the documentation page's assets come from our static files.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # One name for a choice set used by several fields.
    "ENUM_NAME_OVERRIDES": {
        "AgencyTypeEnum": "units.models.AgencyType",
        "OrgUnitKindEnum": "units.models.OrgUnitKind",
        # The catalogue's procedure kind kept its name when org units got one.
        "KindEnum": "procedures.models.Kind",
        "DossierStatusEnum": "dossiers.models.Status",
        "FeedbackKindEnum": "feedback.models.Kind",
        "FeedbackStatusEnum": "feedback.models.Status",
    },
}

# --- Forms ------------------------------------------------------------------------
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- Logging ----------------------------------------------------------------------
# Personal ID and phone numbers never reach a log in clear (portal.logging).
LOG_LEVEL = env.str("LOG_LEVEL", default="INFO")
# "json" (one object per line, for log collectors) or "text".
LOG_FORMAT = env.str("LOG_FORMAT", default="text" if DEBUG else "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "text": {
            "()": "portal.logging.MaskingFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s %(message)s",
        },
        "json": {"()": "portal.logging.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
        },
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # A damaged upload is refused with its reason (accounts/pdf_check.py);
        # pypdf's own warning for each one ("incorrect startxref pointer") is noise.
        "pypdf": {"level": "ERROR"},
    },
}

# --- Working days and deadlines (dossiers/calendar.py) ------------------------------
# A dossier received at or after this time counts from the next working day
# (procedure texts; Luật Hộ tịch 2014 art. 5.3; NĐ 61/2018 art. 18 for hand-over).
# Issue 17: the cut-off and the supplement mode below are fields of the rule set
# in force on the dossier's day of receipt (rules app, `load_rules`); these two
# settings apply only on a day no rule set covers.
DOSSIER_CUTOFF_TIME = env.str("DOSSIER_CUTOFF_TIME", default="15:00")
# A due date ends at the close of the office day (a half day at the morning close).
OFFICE_MORNING_END = env.str("OFFICE_MORNING_END", default="11:30")
OFFICE_DAY_END = env.str("OFFICE_DAY_END", default="17:00")
# Where office hours start, morning and afternoon: the working hours in which a
# linked chain's receiving system must acknowledge a hand-over (Decree 63/2024
# art. 7(4), chains.services.handoffs). Not in the reference: set them to the
# province's office hours (decision 262).
OFFICE_MORNING_START = env.str("OFFICE_MORNING_START", default="07:30")
OFFICE_AFTERNOON_START = env.str("OFFICE_AFTERNOON_START", default="13:30")
# After a supplement request: "restart" counts the time limit again from zero once
# the complete dossier arrives (NĐ 61/2018 art. 19.4); "pause" moves the due date
# by the working days spent waiting (the national service index's way).
DOSSIER_SUPPLEMENT_MODE = env.str("DOSSIER_SUPPLEMENT_MODE", default="restart")
# "Ngày thứ Ba không viết, không hẹn" is no setting: each centre's dated rule
# (rules.NoAppointmentDay, in the admin; issue 22). A deployment without one has
# no such day.
# Working days counted for a procedure whose legal time limit is not known yet
# (the catalogue says "Đang cập nhật"); the explanation says it is this default.
DOSSIER_DEFAULT_PROCESSING_DAYS = env.float(
    "DOSSIER_DEFAULT_PROCESSING_DAYS", default=5
)

# --- Dossier files ------------------------------------------------------------------
DOSSIER_MAX_FILE_MB = env.int("DOSSIER_MAX_FILE_MB", default=10)
DOSSIER_MAX_TOTAL_MB = env.int("DOSSIER_MAX_TOTAL_MB", default=50)
DOSSIER_MAX_FILES = env.int("DOSSIER_MAX_FILES", default=40)
# An image declaring more pixels is refused before decoding (decompression bombs);
# a 40-megapixel phone photo is far above what a scan of a paper needs.
UPLOAD_MAX_PIXELS = env.int("UPLOAD_MAX_PIXELS", default=40_000_000)
# Uploads bigger than this are streamed to a temporary file, not kept in memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- Other agencies' systems (agencies/; docs/agencies.md) --------------------------
# The population registry adapter: a dotted path to a PopulationRegistry class.
POPULATION_REGISTRY_BACKEND = env.str(
    "POPULATION_REGISTRY_BACKEND",
    default="agencies.adapters.population.DevelopmentPopulationRegistry",
)
# A call that takes longer is abandoned (the citizen types the data in instead).
POPULATION_REGISTRY_TIMEOUT_SECONDS = env.float(
    "POPULATION_REGISTRY_TIMEOUT_SECONDS", default=5.0
)
# The development registry behaves like a remote one: a usual delay, and a share of
# calls that fail (half transient errors, half timeouts). On by default in DEBUG.
POPULATION_REGISTRY_DEV_LATENCY_MS = env.int(
    "POPULATION_REGISTRY_DEV_LATENCY_MS", default=400 if DEBUG else 0
)
POPULATION_REGISTRY_DEV_FAILURE_RATE = env.float(
    "POPULATION_REGISTRY_DEV_FAILURE_RATE", default=0.1 if DEBUG else 0.0
)
# Registry lookups a citizen may make per RATE_LIMIT_WINDOW_SECONDS.
POPULATION_REGISTRY_LOOKUP_LIMIT = env.int(
    "POPULATION_REGISTRY_LOOKUP_LIMIT", default=30
)

# --- Agencies' systems of the linked chains (agencies/adapters/; docs/agencies.md) --
CIVIL_STATUS_REGISTRY_BACKEND = env.str(
    "CIVIL_STATUS_REGISTRY_BACKEND",
    default="agencies.adapters.civil_status.DevelopmentCivilStatusRegistry",
)
RESIDENCE_SYSTEM_BACKEND = env.str(
    "RESIDENCE_SYSTEM_BACKEND",
    default="agencies.adapters.residence.DevelopmentResidenceSystem",
)
SOCIAL_INSURANCE_BACKEND = env.str(
    "SOCIAL_INSURANCE_BACKEND",
    default="agencies.adapters.social_insurance.DevelopmentSocialInsurance",
)
SOCIAL_AFFAIRS_BACKEND = env.str(
    "SOCIAL_AFFAIRS_BACKEND",
    default="agencies.adapters.social_affairs.DevelopmentSocialAffairs",
)
# A call that takes longer is abandoned (the chain step retries it later).
AGENCY_TIMEOUT_SECONDS = env.float("AGENCY_TIMEOUT_SECONDS", default=5.0)
# The development systems behave like remote ones: a usual delay and a share of
# failing calls (half transient errors, half timeouts after the write). On by
# default in DEBUG only.
AGENCY_DEV_LATENCY_MS = env.int("AGENCY_DEV_LATENCY_MS", default=200 if DEBUG else 0)
AGENCY_DEV_FAILURE_RATE = env.float(
    "AGENCY_DEV_FAILURE_RATE", default=0.05 if DEBUG else 0.0
)

# --- Retention (portal/retention.py; docs/security.md) -----------------------------
# Days each kind of data is kept before the daily purge removes it; 0 = kept. The
# legal keeping periods were not verified: dossiers, events, results, payments and
# ratings are never purged, and these default to keeping everything but expired
# credentials.
DATA_ACCESS_LOG_RETENTION_DAYS = env.int("DATA_ACCESS_LOG_RETENTION_DAYS", default=0)
STORED_DOCUMENT_RETENTION_DAYS = env.int("STORED_DOCUMENT_RETENTION_DAYS", default=0)
# Counted from the closing event of a returned, refused, withdrawn or stopped
# dossier; the files go, the attachment rows (name, size, SHA-256) stay.
DOSSIER_ATTACHMENT_RETENTION_DAYS = env.int(
    "DOSSIER_ATTACHMENT_RETENTION_DAYS", default=0
)
# API tokens and SMS codes past their expiry, and test text messages.
EXPIRED_CREDENTIALS_RETENTION_DAYS = env.int(
    "EXPIRED_CREDENTIALS_RETENTION_DAYS", default=30
)

# --- Portal -----------------------------------------------------------------------
PORTAL_NAME = env.str("PORTAL_NAME", default="Cổng Dịch vụ công huyện Vụ Bản")
# Seeding demo accounts is refused with DEBUG off unless forced (seed_demo --force).
DEMO_MODE = env.bool("DEMO_MODE", default=DEBUG)

# --- Identity, two-factor login, lockout (accounts, idp; docs/identity.md) --------
# django-axes: 5 failures per username+IP lock that pair out for 15 minutes.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = datetime.timedelta(
    minutes=env.int("AXES_COOLOFF_MINUTES", default=15)
)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# The lockout lasts 15 minutes from the 5th failure, as the lockout page says;
# attempts made meanwhile do not extend it.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "accounts.views.lockout_response"
# Successful logins are not logged by axes (the portal keeps its own audit rows).
AXES_DISABLE_ACCESS_LOG = True
# Number of proxies in front of the portal whose X-Forwarded-For axes trusts.
AXES_IPWARE_PROXY_COUNT = env.int("AXES_PROXY_COUNT", default=0) or None
OTP_TOTP_ISSUER = env.str("OTP_TOTP_ISSUER", default="Cong Dich vu cong")
# Rate limits (per client IP, counted in the cache: Redis in production).
SIGNUP_RATE_LIMIT = env.int("SIGNUP_RATE_LIMIT", default=5)
# Password attempts per client address across usernames (login page and API
# token endpoint together; axes still locks each username+address after 5).
LOGIN_RATE_LIMIT = env.int("LOGIN_RATE_LIMIT", default=100)
# Downloads of "all my data" (a ZIP) per citizen.
DATA_EXPORT_RATE_LIMIT = env.int("DATA_EXPORT_RATE_LIMIT", default=10)
PASSWORD_RESET_RATE_LIMIT = env.int("PASSWORD_RESET_RATE_LIMIT", default=5)
RATE_LIMIT_WINDOW_SECONDS = env.int("RATE_LIMIT_WINDOW_SECONDS", default=3600)
# API tokens (stored hashed) expire after this many days.
API_TOKEN_TTL_DAYS = env.int("API_TOKEN_TTL_DAYS", default=30)
# Personal document store: accepted upload size.
STORED_DOCUMENT_MAX_BYTES = env.int(
    "STORED_DOCUMENT_MAX_BYTES", default=10 * 1024 * 1024
)

# OpenID Connect client (VNeID-style login). Without OIDC_ISSUER_URL the client
# uses the bundled identity provider (idp) of this same server.
OIDC_ISSUER_URL = env.str("OIDC_ISSUER_URL", default="")
OIDC_CLIENT_ID = env.str("OIDC_CLIENT_ID", default="cong-dich-vu-cong-dev")
OIDC_CLIENT_SECRET = env.str(
    "OIDC_CLIENT_SECRET", default=DEVELOPMENT_SECRETS["OIDC_CLIENT_SECRET"]
)
OIDC_SCOPES = env.str("OIDC_SCOPES", default="openid profile email phone")
# Claims that carry the personal ID number and the identity level (1 or 2).
OIDC_CLAIM_PERSONAL_ID = env.str("OIDC_CLAIM_PERSONAL_ID", default="personal_id")
OIDC_CLAIM_IDENTITY_LEVEL = env.str(
    "OIDC_CLAIM_IDENTITY_LEVEL", default="identity_level"
)
OIDC_TIMEOUT_SECONDS = env.int("OIDC_TIMEOUT_SECONDS", default=10)
# The login policy (accounts/policy.py): on, citizens log in by electronic
# identity only (the password login, sign-up and reset are the staff's); needs an
# identity provider (OIDC_ISSUER_URL, or the bundled one in development).
CITIZEN_EID_LOGIN_ONLY = env.bool("CITIZEN_EID_LOGIN_ONLY", default=False)

# Digital signatures of results (signing app, docs/signing.md). Who signs for an
# agency: "development" (the development authority's keys under SIGNATURE_DIR, made
# by `manage.py signing_setup`; refused with DEBUG off), "pkcs12" (each agency's
# own <agency code>.p12 in SIGNATURE_PKCS12_DIR, its passphrase in <agency code>.pass)
# or "remote" (an HSM or a signing service behind SIGNATURE_REMOTE_SERVICE, given the
# digest to sign). With DEBUG off the default is pkcs12: never development keys
# by accident. (Not SIGNING_*: Django's SIGNING_BACKEND signs cookies.)
SIGNATURE_BACKEND = env.str(
    "SIGNATURE_BACKEND", default="development" if DEBUG or DEMO_MODE else "pkcs12"
)
SIGNATURE_DIR = env.path("SIGNATURE_DIR", default=BASE_DIR / "var" / "signing")
SIGNATURE_PKCS12_DIR = env.str("SIGNATURE_PKCS12_DIR", default="")
SIGNATURE_REMOTE_SERVICE = env.str(
    "SIGNATURE_REMOTE_SERVICE",
    default="signing.adapters.remote.DevelopmentSigningService",
)
# The development signing service answers after this delay, as a network would.
SIGNATURE_REMOTE_DELAY_MS = env.int("SIGNATURE_REMOTE_DELAY_MS", default=0)
# CA certificates (PEM or DER files) that results' signatures must chain to, e.g.
# the national root CA. The development authority's root is added only while
# development keys sign (SIGNATURE_BACKEND=development or the development service).
SIGNATURE_TRUST_ROOTS = env.list("SIGNATURE_TRUST_ROOTS", default=[])
# Whether verification may fetch revocation information (OCSP, CRL) over the
# network; without it a revoked certificate is not noticed (docs/signing.md).
SIGNATURE_FETCH_REVOCATION = env.bool("SIGNATURE_FETCH_REVOCATION", default=False)

# The bundled development identity provider: on in DEBUG/demo, off otherwise.
IDP_ENABLED = env.bool("IDP_ENABLED", default=DEBUG or DEMO_MODE)
# RS256 signing key (PEM). Without one, a development key is generated once and
# kept in IDP_KEY_FILE.
IDP_KEY_FILE = Path(
    env.str("IDP_KEY_FILE", default=str(BASE_DIR / "var" / "idp-dev-key.pem"))
)
IDP_RSA_PRIVATE_KEY = env.str("IDP_RSA_PRIVATE_KEY", default="", multiline=True)
if not IDP_RSA_PRIVATE_KEY and IDP_KEY_FILE.is_file():
    IDP_RSA_PRIVATE_KEY = IDP_KEY_FILE.read_text()
# Redirect URIs registered for the portal at the bundled provider, besides the
# loopback ones (any port) that `manage.py idp_setup` always registers.
IDP_REDIRECT_URIS = env.list("IDP_REDIRECT_URIS", default=[])
OAUTH2_PROVIDER = {
    "OIDC_ENABLED": True,
    "OIDC_RSA_PRIVATE_KEY": IDP_RSA_PRIVATE_KEY,
    "ALLOW_LOCALHOST_LOOPBACK": True,
    "PKCE_REQUIRED": True,
    "OAUTH2_VALIDATOR_CLASS": "idp.validators.IdpValidator",
    "SCOPES": {
        "openid": "OpenID Connect",
        "profile": "Họ tên, ngày sinh, giới tính, số định danh",
        "email": "Thư điện tử",
        "phone": "Số điện thoại",
    },
    "DEFAULT_SCOPES": ["openid"],
    "AUTHORIZATION_CODE_EXPIRE_SECONDS": 60,
    "ACCESS_TOKEN_EXPIRE_SECONDS": 300,
    "ID_TOKEN_EXPIRE_SECONDS": 300,
    "ALLOWED_REDIRECT_URI_SCHEMES": ["http", "https"],
    # RFC 9700 (OAuth 2.0 Security BCP) behaviour now rather than at version 4:
    # no implicit or password grant, S256 PKCE only, no token in query strings,
    # `iss` in the authorization response, hashed tokens, refresh-token replay
    # revokes the family.
    "COMPLIANT_BCP_RFC9700_IMPLICIT_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PASSWORD_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PKCE_METHOD": True,
    "COMPLIANT_BCP_RFC9700_ACCESS_TOKEN_TRANSPORT": True,
    "COMPLIANT_BCP_RFC9700_AUTHZ_RESPONSE_ISS": True,
    "COMPLIANT_BCP_RFC9700_TOKEN_STORAGE": True,
    "REFRESH_TOKEN_REUSE_PROTECTION": True,
}
if not IDP_ENABLED:
    # http redirect URIs stay allowed for the loopback callbacks of development
    # and demos; with the bundled provider off (production) nothing is redirected
    # at all, so the warning about them says nothing (decision 131).
    SILENCED_SYSTEM_CHECKS.append("oauth2_provider.W008")

# --- Text messages (accounts/adapters/sms.py) ---------------------------------------
# The gateway class. The default keeps messages in a table (OutboundSms) instead of
# sending them: read them in the admin, or in DEBUG/demo mode at /accounts/dev/sms/.
SMS_BACKEND = env.str("SMS_BACKEND", default="accounts.adapters.sms.DatabaseSmsBackend")
# The development gateway's simulated latency and share of failed sends (0.0-1.0).
SMS_DEV_LATENCY_MS = env.int("SMS_DEV_LATENCY_MS", default=0)
SMS_DEV_FAILURE_RATE = env.float("SMS_DEV_FAILURE_RATE", default=0.0)

# Citizens' feedback (feedback/, docs/feedback.md): abuse limits and papers' caps.
FEEDBACK_RATE_PER_ADDRESS = env.str("FEEDBACK_RATE_PER_ADDRESS", default="10/hour")
FEEDBACK_CODE_RATE_PER_ADDRESS = env.str(
    "FEEDBACK_CODE_RATE_PER_ADDRESS", default="5/hour"
)
FEEDBACK_PHONE_CODES_PER_HOUR = env.int("FEEDBACK_PHONE_CODES_PER_HOUR", default=3)
FEEDBACK_MAX_PER_PHONE_PER_DAY = env.int("FEEDBACK_MAX_PER_PHONE_PER_DAY", default=5)
FEEDBACK_MAX_FILES = env.int("FEEDBACK_MAX_FILES", default=5)
FEEDBACK_MAX_FILE_MB = env.int("FEEDBACK_MAX_FILE_MB", default=10)
FEEDBACK_MAX_TOTAL_MB = env.int("FEEDBACK_MAX_TOTAL_MB", default=20)

# --- Notifications (notifications/; docs/notifications.md) ---------------------------
# The portal's public address (scheme://host[:port], no path): every absolute URL
# it hands out (payment redirect and callback, OIDC redirect, links in emails and
# text messages, QR codes) starts with it. Unset: the address of the request that
# caused the work; work no request caused (periodic tasks) then gets bare paths
# (accounts/addresses.py).
PORTAL_URL = env.str("PORTAL_URL", default="")
# The domain part of the Message-ID of notification emails.
NOTIFY_EMAIL_DOMAIN = env.str("NOTIFY_EMAIL_DOMAIN", default="dichvucong.localhost")
# Throttle: at most this many messages per person and channel (email, SMS) within
# the window; more are held and sent together as one digest. 0 = no throttle.
NOTIFY_THROTTLE_MAX = env.int("NOTIFY_THROTTLE_MAX", default=3)
NOTIFY_THROTTLE_WINDOW_MINUTES = env.int("NOTIFY_THROTTLE_WINDOW_MINUTES", default=10)
# Sending: attempts per channel before it is failed for good, the first retry's
# delay (doubled each time), and how long a sender's claim lasts (longer than
# CELERY_TASK_TIME_LIMIT) before another may take the message over.
NOTIFY_MAX_ATTEMPTS = env.int("NOTIFY_MAX_ATTEMPTS", default=5)
NOTIFY_RETRY_BACKOFF_SECONDS = env.int("NOTIFY_RETRY_BACKOFF_SECONDS", default=30)
NOTIFY_CLAIM_LEASE_SECONDS = env.int("NOTIFY_CLAIM_LEASE_SECONDS", default=300)
# A delivery still waiting after this long had its task lost: the periodic
# resume schedules it again.
NOTIFY_RESUME_AFTER_SECONDS = env.int("NOTIFY_RESUME_AFTER_SECONDS", default=600)
# Working days a citizen has to supplement a dossier: linked groups 7 (NĐ 63/2024
# art. 8); other procedures SUPPLEMENT_WINDOW_DAYS (0 = no lapse date: no
# reminder, since no rule for them is verified). Citizens are reminded on the
# working day before the last day.
SUPPLEMENT_WINDOW_LINKED_DAYS = env.int("SUPPLEMENT_WINDOW_LINKED_DAYS", default=7)
SUPPLEMENT_WINDOW_DAYS = env.int("SUPPLEMENT_WINDOW_DAYS", default=0)

# --- Fees and payments (payments/, paygate/; docs/payments.md) ----------------------
# The gateway adapter (a dotted path to a payments.adapters.PaymentGateway).
PAYMENT_GATEWAY_BACKEND = env.str(
    "PAYMENT_GATEWAY_BACKEND", default="payments.adapters.sandbox.SandboxGateway"
)
# The gateway's base address. Unset: the bundled sandbox, /paygate/ at the
# portal's public address (PORTAL_URL or the request's).
PAYMENT_GATEWAY_URL = env.str("PAYMENT_GATEWAY_URL", default="")
PAYMENT_MERCHANT_ID = env.str("PAYMENT_MERCHANT_ID", default="CONG-DVC-VU-BAN")
# The shared secret of the HMAC-SHA256 signatures.
PAYMENT_GATEWAY_SECRET = env.str(
    "PAYMENT_GATEWAY_SECRET", default=DEVELOPMENT_SECRETS["PAYMENT_GATEWAY_SECRET"]
)
PAYMENT_GATEWAY_TIMEOUT_SECONDS = env.float(
    "PAYMENT_GATEWAY_TIMEOUT_SECONDS", default=10.0
)
# Reconciliation (every 5 minutes, portal/celery.py): online payments pending
# for longer than this are asked about; after PAYMENT_EXPIRE_AFTER_MINUTES an
# order the gateway still calls pending (or never saw) expires.
PAYMENT_RECONCILE_AFTER_MINUTES = env.int("PAYMENT_RECONCILE_AFTER_MINUTES", default=10)
PAYMENT_RECONCILE_BATCH = env.int("PAYMENT_RECONCILE_BATCH", default=200)
PAYMENT_EXPIRE_AFTER_MINUTES = env.int("PAYMENT_EXPIRE_AFTER_MINUTES", default=1440)
# Fee exemption rules (a JSON list; docs/payments.md "Exemptions").
PAYMENT_FEE_EXEMPTIONS_FILE = env.path(
    "PAYMENT_FEE_EXEMPTIONS_FILE",
    default=BASE_DIR / "payments" / "data" / "fee_exemptions.json",
)

# The bundled sandbox payment platform (paygate/): on in DEBUG/demo, off otherwise.
PAYGATE_ENABLED = env.bool("PAYGATE_ENABLED", default=DEBUG or DEMO_MODE)
PAYGATE_MERCHANT_ID = env.str("PAYGATE_MERCHANT_ID", default=PAYMENT_MERCHANT_ID)
PAYGATE_SECRET = env.str("PAYGATE_SECRET", default=PAYMENT_GATEWAY_SECRET)
# Its callbacks come late (a random delay in this range) and, at this rate, never.
PAYGATE_CALLBACK_DELAY_MIN_SECONDS = env.float(
    "PAYGATE_CALLBACK_DELAY_MIN_SECONDS", default=1.0
)
PAYGATE_CALLBACK_DELAY_MAX_SECONDS = env.float(
    "PAYGATE_CALLBACK_DELAY_MAX_SECONDS", default=15.0
)
PAYGATE_CALLBACK_LOSS_RATE = env.float(
    "PAYGATE_CALLBACK_LOSS_RATE", default=0.1 if DEBUG else 0.0
)
# Deliveries of a callback the merchant does not acknowledge (2xx).
PAYGATE_CALLBACK_ATTEMPTS = env.int("PAYGATE_CALLBACK_ATTEMPTS", default=4)
PAYGATE_CALLBACK_TIMEOUT_SECONDS = env.float(
    "PAYGATE_CALLBACK_TIMEOUT_SECONDS", default=5.0
)

# --- Dashboards (docs/dashboards.md) ------------------------------------------------
# The dated rules of the service index after Decision 766/QĐ-TTg (maxima, the
# rate that gives full points, sources). Point it at a reviewed copy to change them.
SERVICE_INDEX_RULES_FILE = env.path(
    "SERVICE_INDEX_RULES_FILE",
    default=BASE_DIR / "dashboards" / "data" / "service_index_766.json",
)
# The measures of Decree 224/2026 art. 19(2) shown beside the index's groups.
SERVICE_MEASURES_FILE = env.path(
    "SERVICE_MEASURES_FILE",
    default=BASE_DIR / "dashboards" / "data" / "decree_224_art19.json",
)

# --- Linked chains (chains/; docs/linked-chains.md) ---------------------------------
# Attempts of a step against a system that does not answer before it goes to the
# failed-handoff queue (staff retry it from there).
CHAIN_STEP_MAX_ATTEMPTS = env.int("CHAIN_STEP_MAX_ATTEMPTS", default=5)
# Retry n waits between half and all of BASE * 2**(n-1) seconds, at most MAX.
CHAIN_RETRY_BACKOFF_SECONDS = env.float("CHAIN_RETRY_BACKOFF_SECONDS", default=30.0)
CHAIN_RETRY_BACKOFF_MAX_SECONDS = env.float(
    "CHAIN_RETRY_BACKOFF_MAX_SECONDS", default=900.0
)
# A claimed step whose worker has not finished after this long is taken back by
# the reconciler (the worker was killed); longer than the hard task time limit.
CHAIN_STEP_LEASE_SECONDS = env.int(
    "CHAIN_STEP_LEASE_SECONDS", default=CELERY_TASK_TIME_LIMIT + 30
)
# A queued step whose task has not started after this long is sent again (the
# broker lost the message).
CHAIN_REQUEUE_AFTER_SECONDS = env.int("CHAIN_REQUEUE_AFTER_SECONDS", default=120)
# Working days the citizen has to supplement or correct a refused step before the
# chain stops (NĐ 63/2024 art. 8).
CHAIN_SUPPLEMENT_DAYS = env.int("CHAIN_SUPPLEMENT_DAYS", default=7)
# Permanent residence when the commune police must verify the case, and the
# group's total in that case (2026 text of 3.000722; linked-groups.md).
CHAIN_RESIDENCE_VERIFICATION_DAYS = env.float(
    "CHAIN_RESIDENCE_VERIFICATION_DAYS", default=5
)
CHAIN_TOTAL_DAYS_WITH_VERIFICATION = env.float(
    "CHAIN_TOTAL_DAYS_WITH_VERIFICATION", default=5
)
# Dated limits of steps inside a linked flow, where the catalogue has none (group
# 2's limits are UNVERIFIED): {"<group code>/<member code or key>": [["from date",
# working days or "same_day"], ...]}; the latest entry in force on the day the step
# starts applies. Without an entry a step takes the member procedure's standalone
# limit, then DOSSIER_DEFAULT_PROCESSING_DAYS (docs/linked-chains.md).
CHAIN_STEP_DAYS = env.json("CHAIN_STEP_DAYS", default={})

# --- Benchmarks (`make bench`; docs/benchmarks.md) --------------------------------
# Mounts the bare baseline views at /bench/ and the bench's no-op tasks. Only the
# bench's own gunicorn and worker set it; never in a deployment.
BENCH_ENABLED = env.bool("BENCH_ENABLED", default=False)
if BENCH_ENABLED:
    INSTALLED_APPS.append("benchmarks")

# --- The National Public Service Portal (national/; docs/national-portal.md) -------
# A dotted path to a national.adapters.NationalPortal, or empty: not connected, no
# outbox kept. The bundled twin (/dvcqg-sandbox/) by default with DEBUG or demo.
NATIONAL_PORTAL_BACKEND = env.str(
    "NATIONAL_PORTAL_BACKEND",
    default="national.adapters.DevelopmentNationalPortal" if DEBUG or DEMO_MODE else "",
)
NATIONAL_SANDBOX_ENABLED = env.bool(
    "NATIONAL_SANDBOX_ENABLED", default=DEBUG or DEMO_MODE
)
NATIONAL_DEV_LATENCY_MS = env.float("NATIONAL_DEV_LATENCY_MS", default=20.0)
NATIONAL_DEV_FAILURE_RATE = env.float("NATIONAL_DEV_FAILURE_RATE", default=0.0)
NATIONAL_TIMEOUT_SECONDS = env.float("NATIONAL_TIMEOUT_SECONDS", default=10.0)
# Attempts of one event before it waits in the failed-sync queue, and the wait
# between them: 30 s doubled each time, at most an hour (about an hour in all).
NATIONAL_SYNC_MAX_ATTEMPTS = env.int("NATIONAL_SYNC_MAX_ATTEMPTS", default=8)
NATIONAL_SYNC_BACKOFF_SECONDS = env.float("NATIONAL_SYNC_BACKOFF_SECONDS", default=30.0)
NATIONAL_SYNC_BACKOFF_MAX_SECONDS = env.float(
    "NATIONAL_SYNC_BACKOFF_MAX_SECONDS", default=3600.0
)
# The reconciler (every minute) sends again an event waiting this long past its time.
NATIONAL_SYNC_REQUEUE_AFTER_SECONDS = env.int(
    "NATIONAL_SYNC_REQUEUE_AFTER_SECONDS", default=120
)
NATIONAL_SYNC_RECONCILE_BATCH = env.int("NATIONAL_SYNC_RECONCILE_BATCH", default=500)
# The secret the national side signs its pushes of dossiers with (HMAC-SHA256),
# agreed with it. Empty (the default): every push is refused.
NATIONAL_INBOUND_SECRET = env.str("NATIONAL_INBOUND_SECRET", default="")
