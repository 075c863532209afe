"""Settings, read from the environment with defaults that run on a laptop.

Every setting a deployment changes is an environment variable; the README lists them.
Bad values are reported by the system checks in ``eprints_app/checks.py``.
"""

import os
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    if not value.isdigit():
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.")
    return int(value)


def env_list(name: str, default: str) -> list[str]:
    return [part.strip() for part in os.environ.get(name, default).split(",") if part.strip()]


DEBUG = env_bool("DEBUG", True)

# A development key is allowed only while DEBUG is on; production refuses to start without one.
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set and DEBUG is off: set the SECRET_KEY environment variable "
            "to a long random string (python -c 'import secrets; print(secrets.token_urlsafe(50))')."
        )
    SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"

# The repository's identity.
BASE_URL = os.environ.get("BASE_URL", "http://127.0.0.1:8000").rstrip("/")
REPOSITORY_NAME = os.environ.get("REPOSITORY_NAME", "Demo Research Online")
REPOSITORY_ID = os.environ.get("REPOSITORY_ID", "demo")
REPOSITORY_CONTACT_EMAIL = os.environ.get("REPOSITORY_CONTACT_EMAIL", "repository@example.org")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", f"{urlsplit(BASE_URL).hostname},127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.sitemaps",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "csp",
    "storages",
    "django_tasks",
    "django_tasks_db",
    "simple_history",
    "axes",
    "eprints_app",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # A view's database or file storage failure becomes a 503 with Retry-After (eprints_app.unavailable).
    "eprints_app.unavailable.UnavailableMiddleware",
    # Answers anonymous readers from kept responses before the rest runs (eprints_app.public_cache).
    "eprints_app.public_cache.PublicCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Refuses sign-ins after repeated failures (django-axes); last, as its documentation asks.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "repository.urls"
WSGI_APPLICATION = "repository.wsgi.application"

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
                "eprints_app.context_processors.repository",
            ],
        },
    },
]

# Database: SQLite under var/ unless DATABASE_URL names another.
(BASE_DIR / "var").mkdir(exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'var' / 'db.sqlite3'}"
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": 1,
        # A connection for each of a gunicorn worker's threads (gunicorn.conf.py).
        "max_size": env_int("DATABASE_POOL_SIZE", env_int("GUNICORN_THREADS", 4)),
        # While the server is away a request waits this long, then is answered 503
        # (eprints_app.unavailable) instead of holding its worker.
        "timeout": 3,
        # The pool retries a lost server with doubling waits for this long, then the next
        # request tries again at once: psycopg_pool's 5 minutes left the site down for about as
        # long again as the server had been (8 s after a 20 s outage), 2 s for under a second.
        "reconnect_timeout": 2,
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # Connections a database restart has killed are found when taken from the pool (an empty
    # query) and replaced, rather than failing a reader's request after the server is back.
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
else:
    # One connection per thread, kept between requests, checked before reuse.
    DATABASES["default"]["CONN_MAX_AGE"] = None
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
# Sign-in throttling (django-axes), for the admin's and the site's login alike: after
# LOGIN_FAILURE_LIMIT failures for one username from one address, that pair waits
# LOGIN_COOLOFF_MINUTES. Attempts and lock-outs are listed in the admin.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# The address the connection came from: a client could send any X-Forwarded-For. Behind a
# proxy every sign-in then comes from the proxy, and a lock-out holds for the username.
AXES_IPWARE_META_PRECEDENCE_ORDER = ["REMOTE_ADDR"]
# The admin's address, e.g. "staff-only/" to keep it off crawlers' usual path.
ADMIN_URL = os.environ.get("ADMIN_URL", "admin/").strip("/") + "/"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = os.environ.get("TIME_ZONE", "Europe/London")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATIC_ROOT.mkdir(exist_ok=True)  # WhiteNoise warns at start-up when it is missing
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT") or BASE_DIR / "media")

# Files: the filesystem by default; S3-compatible storage when a bucket is named.
AWS_STORAGE_BUCKET_NAME = os.environ.get("AWS_STORAGE_BUCKET_NAME", "")
USE_S3 = bool(AWS_STORAGE_BUCKET_NAME)
if USE_S3:
    from botocore.config import Config

    default_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            "endpoint_url": os.environ.get("AWS_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("AWS_S3_REGION_NAME") or None,
            "access_key": os.environ.get("AWS_ACCESS_KEY_ID") or None,
            "secret_key": os.environ.get("AWS_SECRET_ACCESS_KEY") or None,
            "default_acl": None,
            "file_overwrite": False,
            "querystring_auth": True,
            "querystring_expire": 300,
            # An endpoint that is down or hangs is given up on in seconds (then a 503, see
            # eprints_app.unavailable), not after botocore's 60 s per read and its retries, which
            # would hold every worker that touches a file.
            "client_config": Config(
                connect_timeout=env_int("AWS_S3_CONNECT_TIMEOUT", 2),
                read_timeout=env_int("AWS_S3_READ_TIMEOUT", 10),
                retries={"total_max_attempts": env_int("AWS_S3_MAX_ATTEMPTS", 2), "mode": "standard"},
            ),
        },
    }
else:
    default_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
STORAGES = {
    "default": default_storage,
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# Downloads may be sent by the web server in front: "X-Accel-Redirect" (nginx, with an internal
# location at SENDFILE_PREFIX aliased to MEDIA_ROOT) or "X-Sendfile" (Apache's mod_xsendfile).
# Off by default: Django streams the file itself, with sendfile where the server offers it.
SENDFILE_HEADER = os.environ.get("SENDFILE_HEADER", "")
SENDFILE_PREFIX = os.environ.get("SENDFILE_PREFIX", "/protected-media/")

# Uploads: documents larger than this are refused with a form error.
MAX_UPLOAD_SIZE_MB = os.environ.get("MAX_UPLOAD_SIZE_MB", "200")
DATA_UPLOAD_MAX_NUMBER_FIELDS = 5000

# Background tasks (text extraction, thumbnails: eprints_app/tasks.py). "immediate" runs them at
# once in the process that asks, so one machine needs no worker; "database" queues them for
# `manage.py db_worker`. An unknown name is reported by the system checks.
TASK_BACKENDS = {
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
    "database": "django_tasks_db.DatabaseBackend",
}
TASKS_BACKEND = os.environ.get("TASKS_BACKEND") or "immediate"
TASKS = {"default": {"BACKEND": TASK_BACKENDS.get(TASKS_BACKEND, TASK_BACKENDS["immediate"])}}

# Listings, Cite as and the copy-request rate limit use the cache. One process's memory is enough
# for development; several gunicorn workers must share one, so production defaults to files
# under var/cache (CACHE_DIR), and CACHE_URL=redis://... uses Redis (with the redis package).
CACHE_URL = os.environ.get("CACHE_URL", "")
if CACHE_URL.startswith(("redis://", "rediss://")):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}}
elif DEBUG and not os.environ.get("CACHE_DIR"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": 5000},
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": os.environ.get("CACHE_DIR") or str(BASE_DIR / "var" / "cache"),
            "OPTIONS": {"MAX_ENTRIES": 20000},
        }
    }

# Public pages answered to anonymous readers are kept in the cache above until anything they
# show changes (eprints_app.public_cache); a CDN or reverse proxy in front may keep them this long.
PUBLIC_CACHE_SECONDS = os.environ.get("PUBLIC_CACHE_SECONDS", "60")

# Usage statistics (eprints_app/stats/): item-page views and downloads counted to COUNTER
# Release 5. Events wait in each process's memory for up to USAGE_STATISTICS_FLUSH_SECONDS and
# are then written in one insert (0: each at once). USAGE_ROBOTS_FILE is where
# `manage.py update_robots_list` puts a newer robots list (the shipped one is used until then).
# Behind a proxy, USAGE_CLIENT_ADDRESS_HEADER names the header it puts the reader's address in
# (e.g. X-Real-IP), or every reader is the proxy; addresses are only ever hashed.
USAGE_STATISTICS = env_bool("USAGE_STATISTICS", True)
USAGE_STATISTICS_FLUSH_SECONDS = env_int("USAGE_STATISTICS_FLUSH_SECONDS", 10)
USAGE_ROBOTS_FILE = os.environ.get("USAGE_ROBOTS_FILE") or str(BASE_DIR / "var" / "COUNTER_Robots_list.json")
_usage_header = os.environ.get("USAGE_CLIENT_ADDRESS_HEADER", "").strip()
USAGE_CLIENT_ADDRESS_HEADER = f"HTTP_{_usage_header.upper().replace('-', '_')}" if _usage_header else ""

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", REPOSITORY_CONTACT_EMAIL)

# Depositors' "Deposit" goes straight to the live archive when this is on
# (EPrints' "skip buffer" setting); otherwise it goes to review.
DEPOSIT_SKIPS_REVIEW = env_bool("DEPOSIT_SKIPS_REVIEW", False)

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [SELF],
    }
}

# HTTPS: a production site whose BASE_URL is https gets secure cookies, HSTS and a redirect of
# plain HTTP. Behind a proxy that terminates TLS, set TRUST_X_FORWARDED_PROTO=1 so that requests
# it forwarded over HTTPS count as secure, or SECURE_SSL_REDIRECT=0 when the proxy redirects.
HTTPS = not DEBUG and BASE_URL.startswith("https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", HTTPS)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", HTTPS)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 365 * 24 * 3600 if HTTPS else 0)
# Subdomains of the repository's own host (not of the institution's domain).
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", HTTPS)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", HTTPS)
if env_bool("TRUST_X_FORWARDED_PROTO", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {"eprints_app": {"handlers": ["console"], "level": "INFO"}},
}
