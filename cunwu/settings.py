"""Settings for cunwu, read from environment variables only (see .env.example)."""

from __future__ import annotations

import os
import warnings
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("CUNWU_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


DEBUG = env_bool("CUNWU_DEBUG")
# Deployment profile: "production" requires two-factor sign-in for admins and refuses the demo seed.
CUNWU_ENV = os.environ.get("CUNWU_ENV", "development").strip().lower()
PRODUCTION = CUNWU_ENV == "production"
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("CUNWU_ENV=production must not run with CUNWU_DEBUG=1.")
SECRET_KEY = os.environ.get("CUNWU_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "CUNWU_SECRET_KEY is not set. Set it (see .env.example), or use `make run`, "
            "which keeps a generated local key under var/."
        )
    SECRET_KEY = "insecure-debug-only-key"

ALLOWED_HOSTS = [
    h.strip() for h in os.environ.get("CUNWU_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h.strip()
]
CSRF_TRUSTED_ORIGINS = [o.strip() for o in os.environ.get("CUNWU_CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()]
# The base URL printed in QR codes and links; it must be the public address of the portal.
BASE_URL = os.environ.get("CUNWU_BASE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "template_partials",
    "axes",
    "cunwu.regions",
    "cunwu.accounts",
    "cunwu.audit",
    "cunwu.ledger",
    "cunwu.catalogs",
    "cunwu.admission",
    "cunwu.reporting",
    "cunwu.signs",
    "cunwu.certificates",
    "cunwu.seals",
    "cunwu.oversight",
    "cunwu.complaints",
    "cunwu.villagework",
    "cunwu.portal",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "cunwu.privacy",
    "cunwu.backups",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "cunwu.audit.middleware.RequestContextMiddleware",
    "cunwu.requestlimits.UploadSizeLimitMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
    "cunwu.accounts.middleware.PasswordChangeRequiredMiddleware",
    "cunwu.accounts.middleware.TwoFactorRequiredMiddleware",
    "cunwu.pages.DomainErrorPageMiddleware",
]

ROOT_URLCONF = "cunwu.urls"
WSGI_APPLICATION = "cunwu.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "cunwu" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "cunwu.accounts.context.header",
            ],
            # `label` and `error_lines` in every template (the label tables and the error summary).
            "builtins": ["cunwu.pagetext"],
        },
    }
]

# SQLite (WAL, under var/) unless DATABASE_URL names another database.
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {
        "default": dj_database_url.parse(
            DATABASE_URL, conn_max_age=env_int("CUNWU_DB_CONN_MAX_AGE", 60), conn_health_checks=True
        )
    }
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(VAR_DIR / "cunwu.sqlite3"),
            # Keep each server thread's connection: opening one per request (and its PRAGMAs) cost
            # two thirds of the verification API's time (docs/benchmarks.md, verify vs /livez).
            "CONN_MAX_AGE": env_int("CUNWU_DB_CONN_MAX_AGE", 60),
            "CONN_HEALTH_CHECKS": True,
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

# A read replica (PostgreSQL streaming replica) for dashboards, public pages and exports; see cunwu/dbrouting.py.
REPLICA_URL = os.environ.get("CUNWU_REPLICA_URL", "")
if REPLICA_URL and DATABASE_URL:
    DATABASES["replica"] = dj_database_url.parse(
        REPLICA_URL, conn_max_age=env_int("CUNWU_DB_CONN_MAX_AGE", 60), conn_health_checks=True
    )
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["cunwu.dbrouting.ReplicaRouter"]
    MIDDLEWARE.insert(
        MIDDLEWARE.index("cunwu.audit.middleware.RequestContextMiddleware"), "cunwu.dbrouting.PinAfterWriteMiddleware"
    )
# Seconds of replication lag above which reads go back to the primary.
REPLICA_MAX_LAG = env_int("CUNWU_REPLICA_MAX_LAG", 5)

CACHE_URL = os.environ.get("CUNWU_REDIS_URL", "")
if CACHE_URL:
    # Shared by every app process: rate limits and cache invalidation hold across processes. When
    # Redis is down the cache fails open (django-redis logs each ignored error as a warning): pages
    # keep working uncached and rate limits are not enforced until Redis is back (docs/deploy.md).
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": CACHE_URL,
            "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 0.5, "SOCKET_TIMEOUT": 0.5},
        }
    }
    DJANGO_REDIS_IGNORE_EXCEPTIONS = True
    DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
    # Sessions written to the database and cached in Redis: they survive a Redis restart.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "cunwu"}}

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
if env_bool("CUNWU_TESTING"):
    # Tests create many accounts; the production hashers stay for everything else.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:workbench"
LOGOUT_REDIRECT_URL = "accounts:login"
SESSION_COOKIE_AGE = env_int("CUNWU_SESSION_SECONDS", 8 * 3600)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
# Served over HTTPS (CUNWU_HTTPS=1): HSTS, redirect to https and secure cookies, switched on together.
# `make run` serves plain http on loopback and leaves it off.
CUNWU_HTTPS = env_bool("CUNWU_HTTPS")
SESSION_COOKIE_SECURE = CUNWU_HTTPS or env_bool("CUNWU_SECURE_COOKIES")
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = CUNWU_HTTPS
SECURE_HSTS_SECONDS = env_int("CUNWU_HSTS_SECONDS", 365 * 24 * 3600) if CUNWU_HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = CUNWU_HTTPS
SECURE_HSTS_PRELOAD = CUNWU_HTTPS and env_bool("CUNWU_HSTS_PRELOAD", True)
# Addresses (or CIDR blocks) of reverse proxies whose X-Forwarded-For / X-Real-IP / X-Forwarded-Proto
# are believed; none by default. See cunwu/clientip.py.
CUNWU_TRUSTED_PROXIES = [p.strip() for p in os.environ.get("CUNWU_TRUSTED_PROXIES", "").split(",") if p.strip()]
if CUNWU_HTTPS and CUNWU_TRUSTED_PROXIES:
    # TLS ends at the proxy, which must overwrite (never pass on) the client's X-Forwarded-Proto.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Two-factor sign-in (TOTP, django-otp) for province, prefecture and county admins and for
# account and role operations; on in production, off in `make run`.
CUNWU_2FA_REQUIRED = env_bool("CUNWU_2FA_REQUIRED", PRODUCTION)
OTP_TOTP_ISSUER = "村务"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Account lockout (django-axes): lock a username+IP after repeated failures.
AXES_FAILURE_LIMIT = env_int("CUNWU_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("CUNWU_LOGIN_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked.html"
AXES_VERBOSE = False
AXES_ENABLED = env_bool("CUNWU_AXES_ENABLED", True)
AXES_CLIENT_IP_CALLABLE = "cunwu.clientip.client_ip"

# Requests per minute per client on public endpoints; benchmarks raise them and say so.
RATE_LIMITS = {
    "login": env_int("CUNWU_RATE_LOGIN", 20),
    "public": env_int("CUNWU_RATE_PUBLIC", 120),
    "verify": env_int("CUNWU_RATE_VERIFY", 300),
    "token": env_int("CUNWU_RATE_TOKEN", 20),
}
RATE_LIMIT_ENABLED = env_bool("CUNWU_RATE_LIMIT_ENABLED", True)
API_TOKEN_TTL = timedelta(hours=env_int("CUNWU_API_TOKEN_HOURS", 12))

# Content Security Policy: every asset is ours; htmx needs no inline script.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "style-src": ["'self'"],
        "script-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "cunwu" / "locale"]

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
# Serve app static files straight from the apps too, so a fresh checkout works before collectstatic.
WHITENOISE_USE_FINDERS = True
STATICFILES_DIRS = [BASE_DIR / "cunwu" / "static"]
MEDIA_ROOT = Path(os.environ.get("CUNWU_MEDIA_ROOT", VAR_DIR / "media"))
UPLOAD_MAX_BYTES = env_int("CUNWU_UPLOAD_MAX_MB", 10) * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = UPLOAD_MAX_BYTES + 1024 * 1024
# All files of one request together; a larger multipart body is refused before it is parsed
# (cunwu.requestlimits), and each form checks count and sizes before reading a file.
UPLOAD_MAX_TOTAL_BYTES = env_int("CUNWU_UPLOAD_MAX_TOTAL_MB", 50) * 1024 * 1024
# Django's own cap on files per request (default 100); the forms' limits (at most 10) come first.
DATA_UPLOAD_MAX_NUMBER_FILES = 20

# Signing keys for certificate tokens live in the database, encrypted with this Fernet key when set.
CUNWU_KEY_ENCRYPTION_KEY = os.environ.get("CUNWU_KEY_ENCRYPTION_KEY", "")
CUNWU_DEMO_PASSWORD = os.environ.get("CUNWU_DEMO_PASSWORD", "")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("CUNWU_LOG_LEVEL", "WARNING")},
}

# joserfc marks "EdDSA" deprecated (RFC 9864); DESIGN.md §4 keeps it on purpose.
warnings.filterwarnings("ignore", message=".*EdDSA.*", category=Warning)

# The origin line of the signed ledger checkpoints (docs/ledger.md); fixed once witnesses cosign.
CUNWU_LEDGER_ORIGIN = os.environ.get("CUNWU_LEDGER_ORIGIN", "")
