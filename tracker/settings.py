"""Django settings, read from the environment; see README "Configuration"."""

from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

from .env import envbool, envint, envlist, envstr, load_local_env
from .site import site_url

BASE_DIR = Path(__file__).resolve().parent.parent
# A checkout's own defaults (DEBUG=1, a generated SECRET_KEY), written once by
# `make run`, so manage.py commands need no exports. Git-ignored, never in the
# Docker image (.dockerignore); LOCAL_ENV_FILE="" reads none (the tests' setting).
load_local_env(envstr("LOCAL_ENV_FILE", str(BASE_DIR / "var" / "local.env")))
VAR_DIR = Path(envstr("VAR_DIR", str(BASE_DIR / "var")))

DEBUG = envbool("DEBUG", False)

SECRET_KEY = envstr("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY is required when DEBUG is off")
    SECRET_KEY = "insecure-development-key-only-for-debug-mode"  # noqa: S105

# The site's own address; unset, it follows PORT (the port `make run` serves on).
SITE_URL = site_url(envstr("SITE_URL"), envint("PORT", 8000))
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", ["127.0.0.1", "localhost", urlsplit(SITE_URL).hostname])
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", [SITE_URL])
# The newsroom that publishes the record: the author of its ClaimReviews and LiveBlogPosting
# (schema.org JSON-LD), the provider of its oEmbed cards. Its URL is its home page, not ours.
NEWSROOM_NAME = envstr("NEWSROOM_NAME", "Tracker")
NEWSROOM_URL = envstr("NEWSROOM_URL", "") or f"{SITE_URL}/"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    # The house, bottom up: the record core, the domains, then the surfaces.
    "record",
    "publiclog",  # the public log: checkpoints signed over the record's Merkle tree, and its audit
    "events",
    "claims",
    "interchange",  # data in and out (ACLED): a domain-level app over claims and events
    "drafts",
    "archive",
    "search",  # the search index over every version: a domain-level app that reads events and claims
    # Between the domains and the surfaces: reader text, links, feed entries, conditional GET.
    "reader",
    "digests",
    "pages",
    "api",
    "live",
    "desk",
    "edge",
    "memento",  # Memento time travel (RFC 7089) over the pages, the API and the archive
    "demo",
    # Benchmark tools (generate_story): they import the product, the product never imports them.
    "bench",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # A repeated anonymous change-feed poll, replayed as the rest of the chain answered it.
    "api.repeat_polls.repeat_polls",
    # Outside sessions and CSRF, so it sees the cookies they set (edge/headers.py).
    "edge.headers.private_requests",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "tracker.middleware.content_security_policy",
    "tracker.middleware.refuse_nul_in_query",
]

ROOT_URLCONF = "tracker.urls"
WSGI_APPLICATION = "tracker.wsgi.application"

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
            ],
        },
    },
]

# --- Database -------------------------------------------------------------
DATABASE_URL = envstr("DATABASE_URL")
if not DATABASE_URL:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASE_URL = f"sqlite:///{VAR_DIR / 'tracker.sqlite3'}"
# Persistent connections on PostgreSQL (a new connection per request costs more
# than a feed's whole 304); health-checked so a restarted server is survived.
_sqlite = DATABASE_URL.startswith("sqlite")
DATABASES = {"default": dj_database_url.parse(
    DATABASE_URL, conn_max_age=envint("CONN_MAX_AGE", 0 if _sqlite else 60),
    conn_health_checks=not _sqlite,
)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE takes the write lock when a transaction opens, so two writers
    # queue instead of failing half-way with "database is locked".
    DATABASES["default"]["OPTIONS"] = {"transaction_mode": "IMMEDIATE", "timeout": 20}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache, Celery --------------------------------------------------------
REDIS_URL = envstr("REDIS_URL")


def redis_cache(url: str) -> dict:
    """The cache on Redis; while Redis is down it misses instead of failing pages (tracker/cache.py)."""
    return {"default": {"BACKEND": "tracker.cache.ResilientRedisCache", "LOCATION": url,
                        "KEY_PREFIX": envstr("CACHE_PREFIX", "tracker"),
                        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}}}


# The cache may live on its own Redis (CACHE_URL); by default it shares REDIS_URL.
CACHE_URL = envstr("CACHE_URL", REDIS_URL)
if CACHE_URL:
    CACHES = redis_cache(CACHE_URL)
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Without Redis, `make run` sets CELERY_LOCAL_BROKER_DIR: a real worker and beat then
# pass messages through files there (kombu's filesystem transport; one machine only,
# docs/configuration.md says what it keeps). Neither: tasks run eagerly (tests, commands).
CELERY_LOCAL_BROKER_DIR = None if REDIS_URL else envstr("CELERY_LOCAL_BROKER_DIR")
# A hostname in the URL, though these transports ignore it: without one kombu warns
# "No hostname was supplied" at each new connection (an eager task still opens one).
CELERY_BROKER_URL = REDIS_URL or ("filesystem://localhost/" if CELERY_LOCAL_BROKER_DIR else "memory://localhost/")
CELERY_RESULT_BACKEND = REDIS_URL or None
CELERY_TASK_ALWAYS_EAGER = not (REDIS_URL or CELERY_LOCAL_BROKER_DIR)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_DEFAULT_QUEUE = envstr("CELERY_QUEUE", "tracker")
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
if CELERY_LOCAL_BROKER_DIR:
    _broker_dir = Path(CELERY_LOCAL_BROKER_DIR).resolve()
    for _folder in ("queue", "control"):
        (_broker_dir / _folder).mkdir(parents=True, exist_ok=True)
    # One folder both ways: every process sends to and reads from the same queue files.
    CELERY_BROKER_TRANSPORT_OPTIONS = {"data_folder_in": str(_broker_dir / "queue"),
                                       "data_folder_out": str(_broker_dir / "queue"),
                                       "control_folder": str(_broker_dir / "control"),
                                       # The worker lists the folder this often (kombu's default: 1 s).
                                       "polling_interval": 0.2}
CELERY_TIMEZONE = "UTC"
# Digests: each frequency on its beat; the sweep derives lost work from the database
# (subscription cursors, undelivered digests), so a lost message only delays.
CELERY_BEAT_SCHEDULE = {
    "digests-hourly": {"task": "digests.tasks.send_scheduled_digests",
                       "schedule": crontab(minute=0), "args": ("hourly",)},
    "digests-daily": {"task": "digests.tasks.send_scheduled_digests",
                      "schedule": crontab(minute=0, hour=envint("DIGESTS_DAILY_HOUR", 7)),
                      "args": ("daily",)},
    "digests-weekly": {"task": "digests.tasks.send_scheduled_digests",
                       "schedule": crontab(minute=0, hour=envint("DIGESTS_DAILY_HOUR", 7),
                                           day_of_week="monday"),
                       "args": ("weekly",)},
    "digests-sweep": {"task": "digests.tasks.sweep_digests", "schedule": 60.0},
    "webhook-retry-sweep": {"task": "digests.tasks.webhook_retry_sweep", "schedule": 60.0},
    # Scheduled drafts: published within DRAFTS_PUBLISH_SECONDS of their time.
    "drafts-publish-due": {"task": "drafts.tasks.publish_due_drafts",
                           "schedule": float(envint("DRAFTS_PUBLISH_SECONDS", 15))},
    # Cited sources: each is re-fetched when due (daily in its first week, weekly after).
    "archive-watch": {"task": "archive.tasks.watch_sources", "schedule": 15 * 60.0},
}
# Watching cited sources (archive/): how often a source is checked in its first
# week and after, how many missing answers in a row (404/410, no such host) make
# it gone, and how many checks one beat run makes at most.
# Corrections and retractions from the desk's Save and the API wait for a reviewer (drafts.review).
REVIEW_CORRECTIONS = envbool("REVIEW_CORRECTIONS", True)
ARCHIVE_CAPTURE_ON_CITE = envbool("ARCHIVE_CAPTURE_ON_CITE", True)
ARCHIVE_CHECK_YOUNG_HOURS = envint("ARCHIVE_CHECK_YOUNG_HOURS", 24)
ARCHIVE_CHECK_OLD_HOURS = envint("ARCHIVE_CHECK_OLD_HOURS", 24 * 7)
ARCHIVE_YOUNG_DAYS = envint("ARCHIVE_YOUNG_DAYS", 7)
ARCHIVE_GONE_AFTER = envint("ARCHIVE_GONE_AFTER", 3)
ARCHIVE_WATCH_BATCH = envint("ARCHIVE_WATCH_BATCH", 200)
# Backfills (manage.py capture_sources): fetches run in this many threads, and
# this many captures share one capture revision (archive/backfill.py).
ARCHIVE_BACKFILL_WORKERS = envint("ARCHIVE_BACKFILL_WORKERS", 4)
ARCHIVE_BACKFILL_BATCH = envint("ARCHIVE_BACKFILL_BATCH", 50)
# Email: a temporary refusal (4xx, no connection) is retried after RETRY_BASE * 2**(n-1)
# seconds (at most RETRY_MAX_DELAY, plus up to a quarter of jitter), at most
# EMAIL_MAX_ATTEMPTS times (about an hour with the defaults); a permanent one (5xx)
# fails the digest at once. EMAIL_SUSPEND_AFTER digests in a row failed for good
# suspend the address's subscription.
DIGESTS_RETRY_BASE_SECONDS = envint("DIGESTS_RETRY_BASE_SECONDS", 30)
DIGESTS_RETRY_MAX_DELAY_SECONDS = envint("DIGESTS_RETRY_MAX_DELAY_SECONDS", 3600)
DIGESTS_EMAIL_MAX_ATTEMPTS = envint("DIGESTS_EMAIL_MAX_ATTEMPTS", 8)
DIGESTS_EMAIL_SUSPEND_AFTER = envint("DIGESTS_EMAIL_SUSPEND_AFTER", 3)

# --- Email ----------------------------------------------------------------
# The edge (README "The edge"): how long Varnish may keep a public read when no
# purge reaches it (s-maxage, the staleness bound), the Varnish instances a
# committed revision purges, and how long the Redis "latest revision" lives.
EDGE_S_MAXAGE = envint("EDGE_S_MAXAGE", 300)
EDGE_STALE_WHILE_REVALIDATE = envint("EDGE_STALE_WHILE_REVALIDATE", 30)
EDGE_STALE_IF_ERROR = envint("EDGE_STALE_IF_ERROR", 24 * 3600)
EDGE_PURGE_URLS = envlist("EDGE_PURGE_URLS", [])
EDGE_PURGE_TIMEOUT_SECONDS = envint("EDGE_PURGE_TIMEOUT_SECONDS", 5)
EDGE_PURGE_RETRY_BASE_SECONDS = float(envstr("EDGE_PURGE_RETRY_BASE_SECONDS", "2"))
EDGE_PURGE_MAX_RETRIES = envint("EDGE_PURGE_MAX_RETRIES", 6)
EDGE_LATEST_TTL = envint("EDGE_LATEST_TTL", 30)
# A Memento (an `?as_of=` page, docs/memento.md) shows a state that never changes: a year.
EDGE_LASTING_S_MAXAGE = envint("EDGE_LASTING_S_MAXAGE", 365 * 24 * 3600)
# Memento TimeMaps: at most this many Mementos a page (RFC 7089 sets no limit; 1,000 keeps a page small).
MEMENTO_TIMEMAP_PAGE_SIZE = envint("MEMENTO_TIMEMAP_PAGE_SIZE", 1000)
EDGE_LATEST_MEMO_SECONDS = float(envstr("EDGE_LATEST_MEMO_SECONDS", "0.2"))
# On PostgreSQL each process keeps the latest revision id from LISTEN/NOTIFY
# (edge/watch.py): a commit is seen within milliseconds, a missed notification
# within EDGE_LATEST_RESYNC_SECONDS (the listener's re-read), and a listener that
# is down or silent for 3x that is not trusted (Redis, then the database, answer).
EDGE_LATEST_LISTEN = envbool("EDGE_LATEST_LISTEN", True)
EDGE_LATEST_RESYNC_SECONDS = float(envstr("EDGE_LATEST_RESYNC_SECONDS", "1.0"))
# Each process keeps rendered change-feed pages by ETag, up to this many bytes (api/changefeed.py).
API_CHANGES_LOCAL_BYTES = envint("API_CHANGES_LOCAL_BYTES", 16 * 1024 * 1024)
# The anonymous API budget (api/throttling.py): with a Redis cache each process
# counts locally and adds its counts to the shared ones this often, or sooner
# when a client has spent a tenth of its budget here since.
API_THROTTLE_RECONCILE_SECONDS = float(envstr("API_THROTTLE_RECONCILE_SECONDS", "1.0"))

EMAIL_URL = envstr("EMAIL_URL")
if EMAIL_URL:
    _email = urlsplit(EMAIL_URL)
    if _email.scheme not in {"smtp", "smtps", "submission"}:
        raise ImproperlyConfigured(f"EMAIL_URL must be smtp://, smtps:// or submission://, not {EMAIL_URL!r}")
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = _email.hostname or "localhost"
    EMAIL_PORT = _email.port or {"smtp": 25, "smtps": 465, "submission": 587}[_email.scheme]
    EMAIL_HOST_USER = _email.username or ""
    EMAIL_HOST_PASSWORD = _email.password or ""
    EMAIL_USE_SSL = _email.scheme == "smtps"
    EMAIL_USE_TLS = _email.scheme == "submission"
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = str(VAR_DIR / "mail")
DEFAULT_FROM_EMAIL = envstr("DEFAULT_FROM_EMAIL", "Tracker <tracker@localhost>")
# Drafts: email the reviewers of a submitted correction or retraction, and a
# draft's author when it is approved, sent back or published (drafts.notifications).
DRAFTS_EMAIL_REVIEWERS = envbool("DRAFTS_EMAIL_REVIEWERS", True)
DRAFTS_EMAIL_AUTHORS = envbool("DRAFTS_EMAIL_AUTHORS", True)

# --- Outbound fetches (tracker/outbound.py) ----------------------------------
# One switch for every outbound fetch (webhooks, source captures): loopback and
# private targets are refused unless it is on. WEBHOOKS_ALLOW_PRIVATE_TARGETS is
# its old name and still counts, in the environment and in settings.
OUTBOUND_ALLOW_PRIVATE_TARGETS = envbool(
    "OUTBOUND_ALLOW_PRIVATE_TARGETS", envbool("WEBHOOKS_ALLOW_PRIVATE_TARGETS", False))
WEBHOOKS_ALLOW_PRIVATE_TARGETS = OUTBOUND_ALLOW_PRIVATE_TARGETS
OUTBOUND_TIMEOUT_SECONDS = float(envstr("OUTBOUND_TIMEOUT_SECONDS", "20"))
OUTBOUND_MAX_BYTES = envint("OUTBOUND_MAX_BYTES", 10 * 1024 * 1024)

# --- Webhooks -------------------------------------------------------------
WEBHOOKS_TIMEOUT_SECONDS = envint("WEBHOOKS_TIMEOUT_SECONDS", 10)
# Retry n waits RETRY_BASE * 2**(n-1) seconds (at most RETRY_MAX_DELAY) plus up to
# a quarter more of jitter; the defaults span at least 24.5 hours over 12 attempts.
WEBHOOKS_RETRY_BASE_SECONDS = float(envint("WEBHOOKS_RETRY_BASE_SECONDS", 60))
WEBHOOKS_RETRY_MAX_DELAY_SECONDS = float(envint("WEBHOOKS_RETRY_MAX_DELAY_SECONDS", 8 * 3600))
WEBHOOKS_MAX_ATTEMPTS = envint("WEBHOOKS_MAX_ATTEMPTS", 12)

# --- Client addresses -------------------------------------------------------
# How many proxies of our own sit in front of the app (tracker/client.py): 0
# means none, and the socket address is the client; 1 for one TLS proxy, which
# appends the client's address to X-Forwarded-For.
TRUSTED_PROXY_COUNT = envint("TRUSTED_PROXY_COUNT", 0)
if TRUSTED_PROXY_COUNT < 0:
    raise ImproperlyConfigured(f"TRUSTED_PROXY_COUNT must be 0 or more, not {TRUSTED_PROXY_COUNT}")

# --- Live streams (live/) ----------------------------------------------------
# GRIP_URL: Pushpin's publish endpoint (e.g. http://127.0.0.1:5561/), or several
# separated by commas when more than one Pushpin holds readers (each gets every
# publish; a retry goes only to the ones that failed); unset, nothing
# is published and streams are served by the app itself. GRIP_SIG_KEY: Pushpin's
# sig_key, to trust its Grip-Sig (without it every stream is served directly).
GRIP_URL = envstr("GRIP_URL", "")
GRIP_SIG_KEY = envstr("GRIP_SIG_KEY", "")
LIVE_PUBLISH_RETRIES = envint("LIVE_PUBLISH_RETRIES", 3)
LIVE_KEEPALIVE_SECONDS = envint("LIVE_KEEPALIVE_SECONDS", 15)
# Pushpin asks a held stream's recovery link after this long without a publish.
LIVE_RECOVER_SECONDS = envint("LIVE_RECOVER_SECONDS", 120)
# Direct streaming (no Pushpin): poll interval and the life of one connection.
LIVE_POLL_SECONDS = float(envstr("LIVE_POLL_SECONDS", "1"))
LIVE_DIRECT_SECONDS = envint("LIVE_DIRECT_SECONDS", 300)
LIVE_RETRY_MILLISECONDS = envint("LIVE_RETRY_MILLISECONDS", 2000)

# --- Auth, i18n, static ---------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "admin:login"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
# The story map's basemap is offline (Natural Earth, static/vendor/); a tile server's URL template
# (https://tiles.example.org/{z}/{x}/{y}.png) draws real tiles over it, its origin allowed for images.
MAP_TILES_URL = envstr("MAP_TILES_URL", "")
# Captured sources' WARC files (archive/): a directory under var/ by default;
# ARCHIVE_STORAGE=s3 keeps them in S3-compatible object storage (django-storages,
# README "Sources and archives").
ARCHIVE_STORAGE = envstr("ARCHIVE_STORAGE", "filesystem")
if ARCHIVE_STORAGE == "s3":
    _archive_storage = {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {
        "bucket_name": envstr("ARCHIVE_S3_BUCKET"),
        "endpoint_url": envstr("ARCHIVE_S3_ENDPOINT_URL") or None,
        "region_name": envstr("ARCHIVE_S3_REGION") or None,
        "location": envstr("ARCHIVE_S3_PREFIX", "archive"),
        "default_acl": None, "querystring_auth": True, "file_overwrite": False,
    }}
elif ARCHIVE_STORAGE == "filesystem":
    _archive_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage",
                        "OPTIONS": {"location": envstr("ARCHIVE_DIR", str(VAR_DIR / "archive"))}}
else:
    raise ImproperlyConfigured(f"ARCHIVE_STORAGE is filesystem or s3, not {ARCHIVE_STORAGE!r}")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "archive": _archive_storage,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"
                    if not DEBUG else "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# --- History --------------------------------------------------------------
SIMPLE_HISTORY_DATE_INDEX = "Composite"
SIMPLE_HISTORY_REVERT_DISABLED = True

# --- REST API -------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.AnonymousThrottle"],  # counts by client_ip
    # For any stock DRF throttle too: believe no more forwarded entries than our proxies wrote.
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,
    "DEFAULT_THROTTLE_RATES": {"anon": envstr("API_ANON_RATE", "600/minute")},
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.LimitOffsetPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "api.errors.api_exception_handler",
    # One representation per URL (api/renderers.py): no browsable HTML, no client-chosen indent.
    "DEFAULT_RENDERER_CLASSES": ["api.renderers.OneJSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [
        "api.parsers.TextJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Tracker API",
    "DESCRIPTION": "Stories, developments, claims and the change feed of the news tracker.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI's files are served from our own origin: the CSP allows nothing else.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "StoryStatusEnum": "events.models.Story.Status",
        "DevelopmentKindEnum": "events.models.Development.Kind",
        "DevelopmentStatusEnum": "events.models.Development.Status",
        "RevisionKindEnum": "record.models.Revision.Kind",
        "ActorKindEnum": "events.models.Actor.Kind",
        "ClaimTypeEnum": "claims.models.Claim.Type",
        "EditKindEnum": "api.common.EDIT_KINDS",
        "WritableDevelopmentStatusEnum": "api.common.WRITABLE_STATUSES",
        "FeedItemTypeEnum": "api.common.FEED_ITEM_TYPES",
    },
}

# --- Security -------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": envstr("LOG_LEVEL", "WARNING")},
}

# --- The public log -------------------------------------------------------
# The Ed25519 key that signs checkpoints (manage.py log_keygen; `make run` makes
# a local one in var/). LOG_TREE=0 only for the benchmark's "without the tree".
LOG_SIGNING_KEY = envstr("LOG_SIGNING_KEY")
LOG_SIGNING_KEY_FILE = envstr("LOG_SIGNING_KEY_FILE")
LOG_TREE = envbool("LOG_TREE", True)
LOG_CHECKPOINT_SECONDS = envint("LOG_CHECKPOINT_SECONDS", 30)
# Witnesses asked to cosign each new checkpoint: "<URL> <verifier key>" entries, comma- or
# newline-separated (docs/witnesses.md); each asked at most LOG_WITNESS_ATTEMPTS times a round.
LOG_WITNESSES = envstr("LOG_WITNESSES", "")
LOG_WITNESS_TIMEOUT_SECONDS = float(envstr("LOG_WITNESS_TIMEOUT_SECONDS", "5"))
LOG_WITNESS_ATTEMPTS = envint("LOG_WITNESS_ATTEMPTS", 3)
CELERY_BEAT_SCHEDULE["log-checkpoint"] = {"task": "publiclog.tasks.publish_checkpoint",
                                          "schedule": float(LOG_CHECKPOINT_SECONDS)}
