"""Brugwijzer settings: one module, configured by environment variables.

Production differs from a developer's machine by values, never by files. Every variable is
listed in `.env.example` and in the README's settings table.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from dotenv import load_dotenv

from brugwijzer.env import env_bool, env_choice, env_int, env_list, env_required, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

# A developer's machine keeps its values in .env (written by `make setup`, ignored by git);
# variables already in the environment win. Production sets real environment variables.
load_dotenv(os.environ.get("BRUGWIJZER_ENV_FILE", BASE_DIR / ".env"), override=False)

DEBUG = env_bool("DEBUG", default=False)

if DEBUG:
    # Only ever used on a developer's machine: DEBUG is never on in production.
    SECRET_KEY = env_str("SECRET_KEY", "insecure-development-key-only-for-debug-mode")
else:
    SECRET_KEY = env_required("SECRET_KEY", "it signs sessions and tokens and has no default in production")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])

# HTTPS hardening is on unless explicitly switched off (the demo and the test suite serve
# plain http on localhost).
HTTPS = env_bool("BRUGWIJZER_HTTPS", default=not DEBUG)

INSTALLED_APPS = [
    # First: what it sets up at start-up (every single-line form field refuses control characters).
    "brugwijzer",
    "places",
    "accounts",
    "audit",
    "network",
    "schools",
    "welfare",
    "referrals",
    "reflection",
    # The top floor: seed and benchmark data, which no other app imports.
    "demo",
    "brugwijzer.admin_site.AdminConfig",  # django.contrib.admin with our AdminSite
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    # Full-text search fields and lookups for the directory (harmless on SQLite).
    "django.contrib.postgres",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "django_htmx",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    # Last, as its documentation asks: it watches the login signals of everything above.
    "axes",
]

MIDDLEWARE = [
    "brugwijzer.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "brugwijzer.middleware.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "brugwijzer.middleware.SessionLifetimeMiddleware",
    "accounts.middleware.SecondFactorMiddleware",
    "brugwijzer.middleware.NoStoreMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last: turns a login refused by django-axes into our lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "brugwijzer.urls"
WSGI_APPLICATION = "brugwijzer.wsgi.application"
ASGI_APPLICATION = "brugwijzer.asgi.application"

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
                "accounts.context_processors.active_context",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("BRUGWIJZER_DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file, not SQLite's in-memory default: the browser tests' live server answers from other
    # threads, which an in-memory database cannot share safely.
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / "test-db.sqlite3")}

# An optional streaming replica of the primary. Only code inside `brugwijzer.db.replica_reads`
# reads from it (municipal dashboards, exports); writes and everything else use the primary. In
# the test suite it is a mirror of the test database rather than a database of its own.
DATABASE_REPLICA_URL = env_str("DATABASE_REPLICA_URL")
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = dj_database_url.parse(
        DATABASE_REPLICA_URL,
        conn_max_age=env_int("BRUGWIJZER_DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["brugwijzer.db.ReplicaRouter"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

# django-axes first: it refuses a locked-out login before the password is even checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Five wrong passwords for one account from one address lock that combination for 15 minutes
# (counted from the fifth failure: attempts during the lockout do not prolong it); a successful
# login clears the count. The lockout page is accounts.lockout.lockout_response.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_USERNAME_CALLABLE = "accounts.lockout.username_from"
AXES_LOCKOUT_CALLABLE = "accounts.lockout.lockout_response"
AXES_HTTP_RESPONSE_CODE = 429
# Our audit log records every login; axes keeps only the failure counts it needs.
AXES_DISABLE_ACCESS_LOG = True
# The address is the client's, as in the audit log: REMOTE_ADDR, or behind BRUGWIJZER_PROXY_COUNT
# proxies the address the outermost one saw (brugwijzer/addresses.py).
BRUGWIJZER_PROXY_COUNT = env_int("BRUGWIJZER_PROXY_COUNT", 0)
AXES_CLIENT_IP_CALLABLE = "brugwijzer.addresses.client_address"
# Password-reset mails within an hour: at most three for one address and ten asked from one client
# address (a school's staff behind one router included); further requests get the usual answer and
# no mail (brugwijzer/throttle.py).
BRUGWIJZER_RESET_MAILS_PER_ADDRESS = 3
BRUGWIJZER_RESET_MAILS_PER_CLIENT = 10
BRUGWIJZER_RESET_WINDOW = timedelta(hours=1)

# Two-factor login (django-otp): TOTP apps show "Brugwijzer" above the account's code.
OTP_TOTP_ISSUER = "Brugwijzer"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Internationalisation: Dutch (Belgium) first, English available.
LANGUAGE_CODE = "nl-be"
LANGUAGES = [("nl-be", _("Dutch")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Brussels"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    # Front-end packages installed from the npm registry by `make setup` (see package.json).
    ("vendor/bootstrap", BASE_DIR / "node_modules" / "bootstrap" / "dist"),
]
# Production serves hashed, compressed files collected by `collectstatic`; development and the
# test suite serve straight from the finders.
MANIFEST_STATIC = env_bool("BRUGWIJZER_MANIFEST_STATIC", default=not DEBUG)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if MANIFEST_STATIC
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = not MANIFEST_STATIC

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"
# A filter's empty choice, where a filter names none of its own: not django-filter's "---------".
FILTERS_EMPTY_CHOICE_LABEL = pgettext_lazy("empty choice of a filter", "All")

# Email (Django 6.1 mailers): console output on a developer's machine, SMTP in production.
EMAIL_BACKEND_PATH = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend" if DEBUG else "django.core.mail.backends.smtp.EmailBackend",
)
MAILERS = {"default": {"BACKEND": EMAIL_BACKEND_PATH}}
if EMAIL_BACKEND_PATH == "django.core.mail.backends.smtp.EmailBackend":
    MAILERS["default"]["OPTIONS"] = {
        "host": env_str("EMAIL_HOST", "localhost"),
        "port": env_int("EMAIL_PORT", 25),
        "username": env_str("EMAIL_HOST_USER", ""),
        "password": env_str("EMAIL_HOST_PASSWORD", ""),
        "use_tls": env_bool("EMAIL_USE_TLS", default=False),
        "use_ssl": env_bool("EMAIL_USE_SSL", default=False),
        "timeout": env_int("EMAIL_TIMEOUT", 10),
    }
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Brugwijzer <noreply@brugwijzer.example>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Cache and sessions: with REDIS_URL, the cache lives in Redis (shared by every app server) and
# sessions are "cached_db": read from Redis, written to both, so a Redis restart or eviction logs
# nobody out and the database stays the one record of who is signed in. Without it, each process
# keeps its own small local-memory cache (nothing in Brugwijzer depends on a shared cache) and
# sessions live in the database alone.
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "brugwijzer",
            "TIMEOUT": 300,
            # A slow or absent Redis fails a request within seconds instead of hanging a worker.
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    SESSION_ENGINE = "django.contrib.sessions.backends.db"

# The municipal dashboards as published every night (`manage.py build_dashboards`), shared by every
# app server through the database. An entry older than a day and a half is dropped, so figures
# that stopped being refreshed are built live again rather than shown stale.
CACHES["dashboards"] = {
    "BACKEND": "django.core.cache.backends.db.DatabaseCache",
    "LOCATION": "network_dashboard_snapshot",
    "TIMEOUT": 36 * 60 * 60,
    "OPTIONS": {"MAX_ENTRIES": 10_000},
}

# Sessions and cookies: 30 minutes without a request ends a session, and 12 hours after login it
# ends anyway (brugwijzer.middleware.SessionLifetimeMiddleware renews the session at most once a
# minute, so a page does not write the session table on every request).
SESSION_COOKIE_AGE = 30 * 60
BRUGWIJZER_SESSION_ABSOLUTE_SECONDS = 12 * 60 * 60
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = HTTPS
SESSION_COOKIE_NAME = "__Host-sessionid" if HTTPS else "sessionid"
CSRF_COOKIE_SECURE = HTTPS
CSRF_COOKIE_NAME = "__Host-csrftoken" if HTTPS else "csrftoken"
LANGUAGE_COOKIE_SECURE = HTTPS
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_HTTPONLY = True
SECURE_SSL_REDIRECT = HTTPS
SECURE_HSTS_SECONDS = env_int("BRUGWIJZER_HSTS_SECONDS", 31_536_000 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = env_bool("BRUGWIJZER_HSTS_PRELOAD", default=HTTPS)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BRUGWIJZER_BEHIND_PROXY", False) else None
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Django's own Content-Security-Policy: everything from this site only, no inline script or style,
# no plugins, no framing, no <base> tricks. Pages and assets are all served by the app itself.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

# Brugwijzer's own options.
# Keys that encrypt family details (see brugwijzer/crypto.py); never the SECRET_KEY.
if DEBUG:
    _DEMO_FIELD_KEY = "ZGVtby1vbmx5LWZpZWxkLWtleS1icnVnd2lqemVyLTA="  # demo and development only
    BRUGWIJZER_FIELD_KEYS = env_list("BRUGWIJZER_FIELD_KEYS", [_DEMO_FIELD_KEY])
else:
    BRUGWIJZER_FIELD_KEYS = env_list("BRUGWIJZER_FIELD_KEYS", [])
    if not BRUGWIJZER_FIELD_KEYS:
        env_required("BRUGWIJZER_FIELD_KEYS", "it encrypts the personal details of families")

BRUGWIJZER_INVITATION_DAYS = env_int("BRUGWIJZER_INVITATION_DAYS", 7)
# Where links in emails sent by scheduled commands point (requests use their own host).
BRUGWIJZER_BASE_URL = env_str("BRUGWIJZER_BASE_URL", "http://127.0.0.1:8000")
# A sent referral nobody at the organisation reacted to expires after this many days.
BRUGWIJZER_REFERRAL_EXPIRY_DAYS = env_int("BRUGWIJZER_REFERRAL_EXPIRY_DAYS", 42)
# Personal details of a family are removed this many months after its last referral closed.
BRUGWIJZER_RETENTION_MONTHS = env_int("BRUGWIJZER_RETENTION_MONTHS", 12)
BRUGWIJZER_HSDS_MAX_UPLOAD_BYTES = env_int("BRUGWIJZER_HSDS_MAX_UPLOAD_BYTES", 10 * 1024 * 1024)
# Dashboards show counts of families below this as "< k"; values under 5 are raised to 5.
BRUGWIJZER_DISCLOSURE_K = env_int("BRUGWIJZER_DISCLOSURE_K", 5)
# Uploads up to this size stay in memory; the HSDS import reads the whole file anyway.
FILE_UPLOAD_MAX_MEMORY_SIZE = BRUGWIJZER_HSDS_MAX_UPLOAD_BYTES
# A request body without its files: every form of the app fits in far less than 1 MiB, so a larger
# one is refused with a 400 before it is parsed. Only the HSDS import uploads a file, one at a time.
DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000
DATA_UPLOAD_MAX_NUMBER_FILES = 1

# Logs: one JSON object per line on stderr (brugwijzer.logs), each with the request's id and
# without personal data; "text" is easier to read on a developer's machine.
LOG_FORMAT = env_choice("BRUGWIJZER_LOG_FORMAT", {"json", "text"}, "text" if DEBUG else "json")
LOG_LEVEL = env_str("BRUGWIJZER_LOG_LEVEL", "INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "brugwijzer.logs.RequestIdFilter"}},
    "formatters": {
        "json": {"()": "brugwijzer.logs.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT, "filters": ["request_id"]},
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    # Django's records go through the one handler above (not also through Django's default
    # console and mail_admins handlers, which would write the request in plain text).
    "loggers": {"django": {"handlers": [], "level": LOG_LEVEL, "propagate": True}},
}
