"""Settings, read from the environment (see the configuration table in README.md)."""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent
VAR_DIR = Path(os.environ.get("COPRODUCE_VAR_DIR", Path.cwd() / "var")).resolve()


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def development_secret() -> str:
    """A secret generated once into ./var, so a local install needs no setup and none is committed."""
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    path = VAR_DIR / "secret_key"
    if not path.exists():
        # O_EXCL: two processes starting at once must not write two different keys.
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "w") as handle:
                handle.write(secrets.token_urlsafe(50))
    return path.read_text().strip()


SECRET_KEY = os.environ.get("COPRODUCE_SECRET_KEY") or development_secret()
PRODUCTION = bool(os.environ.get("COPRODUCE_SECRET_KEY"))
DEBUG = env_bool("COPRODUCE_DEBUG", False)
ALLOWED_HOSTS = env_list("COPRODUCE_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("COPRODUCE_CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "allauth",
    "allauth.account",
    "ninja",
    "huey.contrib.djhuey",
    "coproduce.core",
    "coproduce.people",
    "coproduce.spaces",
    "coproduce.notifications",
    "coproduce.budgets",
    "coproduce.ideas",
    "coproduce.meetings",
    "coproduce.actions",
    "coproduce.timebank",
    "coproduce.surveys",
    "coproduce.conversations",
    "coproduce.outcomes",
    "coproduce.sroi",
    "coproduce.quality",
    "coproduce.directory",
    "coproduce.search",
    "coproduce.hub",
    "coproduce.casestudies",
    "coproduce.resources",
    "coproduce.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # Django's, with the person read with their session in one query (people/sessions.py).
    "coproduce.people.sessions.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "coproduce.core.security.SecurityHeadersMiddleware",
    "coproduce.core.ratelimit.RateLimitMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # After a change, its author sees nothing kept for a few seconds (a short-lived cookie, core/shared.py).
    "coproduce.core.shared.WroteRecentlyMiddleware",
    # Last: it calls the view, and calls it again when SQLite was locked and nothing was written yet.
    "coproduce.core.locked.RetryWhenLockedMiddleware",
]

ROOT_URLCONF = "coproduce.urls"
WSGI_APPLICATION = "coproduce.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        # Searched before the apps' own folders, so our allauth overrides win over allauth's templates.
        "DIRS": [BASE_DIR / "core" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "coproduce.core.context_processors.site",
                "coproduce.notifications.context_processors.unread",
            ],
        },
    }
]

# --- Database -----------------------------------------------------------------------------------
SQLITE_PATH = VAR_DIR / "coproduce.sqlite3"
DATABASE_URL = os.environ.get("COPRODUCE_DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)}
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        # Django's, checking a kept connection before each request without a round trip (core/postgresql).
        DATABASES["default"]["ENGINE"] = "coproduce.core.postgresql"
        # Queries asked again on a connection are prepared on the server, which then parses and plans them
        # once: a third more pages a second under load (bench/load.py). Parameters go to the server apart
        # from the SQL (Django's `server_side_binding`). COPRODUCE_DATABASE_PREPARE=0 turns this off, for a
        # connection pooler that cannot keep prepared statements (PgBouncer before 1.21, in transaction mode).
        if env_bool("COPRODUCE_DATABASE_PREPARE", True):
            DATABASES["default"].setdefault("OPTIONS", {}).update(
                server_side_binding=True, prepare_threshold=1
            )
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            # Django's SQLite backend, retrying a BEGIN that found the database locked (core/sqlite3).
            "ENGINE": "coproduce.core.sqlite3",
            "NAME": str(SQLITE_PATH),
            # Each thread keeps its connection: opening one cost more than most pages (Django registers its
            # functions and runs the PRAGMAs below; SQLite reads the whole schema again on the first query).
            "CONN_MAX_AGE": None,
            "OPTIONS": {
                # WAL lets readers carry on while one writer writes; IMMEDIATE takes the write lock at
                # the start of a transaction, so two writers queue instead of failing mid-transaction.
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;",
                "transaction_mode": "IMMEDIATE",
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Accounts -----------------------------------------------------------------------------------
AUTH_USER_MODEL = "people.User"
# Django's and allauth's, reading the person with their unread count (people/backends.py).
AUTHENTICATION_BACKENDS = [
    "coproduce.people.backends.ModelBackend",
    "coproduce.people.backends.AuthenticationBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = os.environ.get("COPRODUCE_EMAIL_VERIFICATION", "optional")
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SIGNUP_FORM_CLASS = "coproduce.people.forms.SignupExtraForm"
ACCOUNT_ADAPTER = "coproduce.people.adapter.AccountAdapter"
# Sign-in, registration and password resets are limited by allauth (its defaults: 30 sign-ins a minute from
# one address; after 5 failed sign-ins to one account in 5 minutes, that account is locked for the rest of
# them). Everything else is limited by coproduce.core.ratelimit (RATE_LIMITS, below).
DISABLE_RATE_LIMITS = env_bool("COPRODUCE_DISABLE_RATE_LIMITS", False)
if DISABLE_RATE_LIMITS:
    ACCOUNT_RATE_LIMITS = False
LOGIN_REDIRECT_URL = "home"
LOGIN_URL = "account_login"

# --- Background tasks: huey, with SQLite storage by default and Redis when configured ------------
# `coproduce serve` runs the consumer in-process (embedded mode); past one machine, point every app
# process at Redis and run `coproduce run_huey` separately (scale-out mode).
REDIS_URL = os.environ.get("COPRODUCE_REDIS_URL", "")
HUEY: dict[str, Any] = {
    "name": "coproduce",
    "immediate": env_bool("COPRODUCE_TASKS_IMMEDIATE", False),
    "consumer": {"workers": 2, "worker_type": "thread"},
    **(
        {"huey_class": "huey.RedisHuey", "url": REDIS_URL}
        if REDIS_URL
        else {"huey_class": "huey.SqliteHuey", "filename": str(VAR_DIR / "tasks.sqlite3")}
    ),
}

# --- Cache: shared by every process (the limits on sign-in attempts are kept here) ---------------
# allauth counts failed sign-ins in Django's cache. Django's default keeps it in one process's memory:
# the counts vanished on restart and each process had its own. In the database by default (the table is
# made by `coproduce migrate`, see core/apps.py), in Redis when COPRODUCE_REDIS_URL is set.
CACHE_TABLE = "coproduce_cache"
if REDIS_URL:
    CACHES: dict[str, dict[str, Any]] = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "coproduce",
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": CACHE_TABLE,
            # Past MAX_ENTRIES a third of the entries is dropped: high, so that flooding the cache with
            # attempts on many names cannot wipe the counts on one.
            "OPTIONS": {"MAX_ENTRIES": 50_000},
        }
    }

# --- Sessions: in the database, read through the shared cache when there is one (Redis) ------------
# Any app process can answer any request: a session made by one is found by every other. Django's engines
# (cached_db, db), reading with SQL built once (core/sessions/).
# Without the shared cache, the session is read with the person it names in one query (people/sessions.py).
SESSION_ENGINE = "coproduce.core.sessions.cached_db" if REDIS_URL else "coproduce.people.sessions"

# --- Privacy: how many days special category data is kept (UK GDPR storage limitation) ----------
# A daily task (people/tasks.py; `coproduce privacy expire`) removes what is older: access needs told for a
# meeting, counted from the meeting's end; safeguarding notes of people who left the timebank (or were not
# accepted), from that decision; personal outcomes conversations, from the day they were held.
RETENTION_DAYS: dict[str, int] = {
    "access_needs": int(os.environ.get("COPRODUCE_RETENTION_ACCESS_NEEDS_DAYS", "90")),
    "safeguarding_notes": int(os.environ.get("COPRODUCE_RETENTION_SAFEGUARDING_NOTES_DAYS", "2190")),
    "outcomes": int(os.environ.get("COPRODUCE_RETENTION_OUTCOMES_DAYS", "1095")),
}

# --- Email: the console by default, SMTP when COPRODUCE_EMAIL_HOST is set -----------------------
# Every email goes through the task queue, so a slow mail server never slows a page down.
EMAIL_BACKEND = "coproduce.core.mail.QueuedEmailBackend"
EMAIL_HOST = os.environ.get("COPRODUCE_EMAIL_HOST", "")
if EMAIL_HOST:
    SENDING_EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = int(os.environ.get("COPRODUCE_EMAIL_PORT", "587"))
    EMAIL_HOST_USER = os.environ.get("COPRODUCE_EMAIL_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("COPRODUCE_EMAIL_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("COPRODUCE_EMAIL_USE_TLS", True)
elif os.environ.get("COPRODUCE_EMAIL_FILE_PATH"):
    # Each email written to a file in this directory (for tests and staging sites that must not send).
    SENDING_EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = os.environ["COPRODUCE_EMAIL_FILE_PATH"]
else:
    SENDING_EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = os.environ.get("COPRODUCE_EMAIL_FROM", "coproduce <noreply@localhost>")

# --- Internationalisation -----------------------------------------------------------------------
LANGUAGE_CODE = "en-gb"
LOCALE_PATHS = [BASE_DIR / "locale"]


def catalogue_languages(locale_paths: list[Path]) -> list[tuple[str, str]]:
    """English, and every language with a compiled catalogue (`locale/<code>/LC_MESSAGES/django.mo`), each named
    in its own language ("Cymraeg", "Gàidhlig"): adding a language is adding its catalogue, no code."""
    from django.conf.locale import LANG_INFO

    languages = {"en-gb": "English"}
    for path in locale_paths:
        for compiled in sorted(Path(path).glob("*/LC_MESSAGES/django.mo")):
            code = compiled.parent.parent.name.replace("_", "-").lower()
            info = LANG_INFO.get(code) or LANG_INFO.get(code.split("-")[0]) or {}
            languages.setdefault(code, info.get("name_local", code))
    return list(languages.items())


# COPRODUCE_LANGUAGES=en-gb,cy offers only these (of those with a catalogue); the default is all of them.
_offered = env_list("COPRODUCE_LANGUAGES", "")
LANGUAGES = [
    (code, name)
    for code, name in catalogue_languages(LOCALE_PATHS)
    if not _offered or code in _offered or code == LANGUAGE_CODE
]
TIME_ZONE = os.environ.get("COPRODUCE_TIME_ZONE", "Europe/London")
USE_I18N = True
USE_TZ = True

# --- Static files -------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
# Static files are served by every app process itself (WhiteNoise, compressed, from the package).
# Uploads: in MEDIA_ROOT (COPRODUCE_MEDIA_ROOT; with several app machines, a volume they all mount), or in
# an S3-compatible bucket when COPRODUCE_S3_BUCKET is set (needs `pip install coproduce[s3]`).
S3_BUCKET = os.environ.get("COPRODUCE_S3_BUCKET", "")
STORAGES: dict[str, dict[str, Any]] = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
if S3_BUCKET:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": S3_BUCKET,
            "endpoint_url": os.environ.get("COPRODUCE_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("COPRODUCE_S3_REGION") or None,
            "access_key": os.environ.get("COPRODUCE_S3_ACCESS_KEY_ID") or None,
            "secret_key": os.environ.get("COPRODUCE_S3_SECRET_ACCESS_KEY") or None,
            "location": os.environ.get("COPRODUCE_S3_PREFIX", ""),
            # Uploads are private: links to them are signed and expire.
            "default_acl": None,
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
MEDIA_ROOT = Path(os.environ.get("COPRODUCE_MEDIA_ROOT") or VAR_DIR / "media").resolve()
MEDIA_URL = "/media/"
# Resources (the hub's uploaded files): the largest file a person may upload.
RESOURCE_MAX_UPLOAD_BYTES = int(os.environ.get("COPRODUCE_RESOURCE_MAX_UPLOAD_BYTES", 10 * 1024 * 1024))

# --- Security -----------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Behind HTTPS in production (a real secret and debug off): secure cookies, HSTS and a redirect.
HTTPS = env_bool("COPRODUCE_HTTPS", PRODUCTION and not DEBUG)
if HTTPS:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = True
    SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# --- What many people see alike (coproduce.core.shared): kept this many seconds, per process and audience;
# someone else's change shows within it, your own at once. 0 keeps nothing.
SHARED_SECONDS = float(os.environ.get("COPRODUCE_SHARED_SECONDS", "5"))

# --- Rate limits (coproduce.core.ratelimit): how often one person ("user") and one address ("ip") may ----
# vote, post and use the API. The address limits are high: everyone at an in-person session shares one.
RATE_LIMITS: dict[str, str] = (
    {}
    if DISABLE_RATE_LIMITS
    else {
        # A ballot, a conversation vote, support for an idea, a dot on an agenda item.
        "vote": "60/m/user,600/m/ip",
        # An idea, a comment, a hub post, a conversation statement, an agenda item, a message.
        "post": "10/m/user,100/h/user,300/m/ip",
        # Any request with a valid API token, and any with a wrong one.
        "token": "120/m/user",
        "token_failed": "20/m/ip",
    }
)

# --- Reverse proxies ------------------------------------------------------------------------------
# Addresses or networks of the proxies in front of the site (e.g. one that ends HTTPS). Only requests
# coming straight from them may say, in X-Forwarded-Proto and X-Forwarded-For, that the visitor used HTTPS
# and who the visitor is; from anyone else those headers are removed (coproduce.core.proxies, applied in
# coproduce.wsgi). SECURE_PROXY_SSL_HEADER is deliberately not set: Django would trust it from anyone.
TRUSTED_PROXIES = env_list("COPRODUCE_TRUSTED_PROXIES", "")

# --- Security headers: Content-Security-Policy and Permissions-Policy (core/security.py) ------------
# Only the site's own scripts, styles, images and fonts: no inline script or style (a template that needs
# an inline <script> gives it nonce="{{ request.csp_nonce }}"), no eval, nothing from other origins.
# The API documentation at /api/v1/docs needs nothing more (Swagger UI is served from our static files).
# (Referrer-Policy is SECURE_REFERRER_POLICY above; X-Frame-Options and frame-ancestors forbid framing.)
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self' 'nonce-{nonce}'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
    "frame-ancestors 'none'"
)
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), "
    "payment=(), usb=(), browsing-topics=()"
)

NETWORK_NAME = os.environ.get("COPRODUCE_NETWORK_NAME", "coproduce")
# The address people reach the site at, for links in emails sent from background tasks (no request there).
SITE_URL = os.environ.get("COPRODUCE_SITE_URL", "http://127.0.0.1:8000").rstrip("/")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("COPRODUCE_LOG_LEVEL", "WARNING")},
    # Configured here, `coproduce run_huey` adds no handler of its own (which printed every line twice).
    "loggers": {"huey": {"handlers": ["console"], "propagate": False}},
}
