"""Settings for the clinic intake, in one file, every production knob from the environment.

Local defaults are safe and need nothing installed: SQLite, DEBUG off unless DJANGO_DEBUG=1.
Production sets DJANGO_ENV=production, which makes SECRET_KEY and ALLOWED_HOSTS required and
turns on the HTTPS-only settings. README.md lists every variable.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from clinic.email_url import EmailUrlError, parse_email_url

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


PRODUCTION = env("DJANGO_ENV") == "production"
DEBUG = env_bool("DJANGO_DEBUG", default=False)
# Set only when a trusted reverse proxy terminates TLS and sets X-Forwarded-Proto/-For.
BEHIND_PROXY = env_bool("DJANGO_BEHIND_PROXY")

SECRET_KEY = env("DJANGO_SECRET_KEY")
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY is required when DJANGO_ENV=production.")
    SECRET_KEY = "insecure-local-development-key-never-use-in-production"  # noqa: S105

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost")
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("DJANGO_ALLOWED_HOSTS is required when DJANGO_ENV=production.")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")
# An expired form says so in the visitor's language, not in Django's words (intake/errors.py).
CSRF_FAILURE_VIEW = "intake.errors.csrf_failure"

INSTALLED_APPS = [
    "modeltranslation",  # must come before django.contrib.admin
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "formtools",
    "crispy_forms",
    "crispy_bootstrap5",
    # django-axes, with its admin section named in the reader's language (intake/apps.py).
    "intake.apps.AxesConfig",
    # The history of the clinic's texts (flag texts, consent texts, clinic profile): who changed
    # what, when, each earlier version viewable in the admin (intake/translation.py).
    "simple_history",
    "django_tasks",
    "django_tasks_db",
    "intake",
]

MIDDLEWARE = [
    # /healthz before the HTTPS redirect and the Host check: the load balancer probes by address.
    "intake.middleware.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Pages compressed (static files come compressed from WhiteNoise above, which answers them
    # first); above every middleware that reads or writes a page's body. Django's own guards
    # against BREACH (random bytes in each gzip header).
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "intake.middleware.RefuseControlCharactersMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "intake.middleware.StaffIdleTimeoutMiddleware",
    "intake.middleware.TabletModeMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
    # Who changed a text, for the history of the clinic's texts, whatever made the change.
    "simple_history.middleware.HistoryRequestMiddleware",
]

if BEHIND_PROXY:
    MIDDLEWARE.insert(0, "intake.middleware.ClientAddressMiddleware")

ROOT_URLCONF = "clinic.urls"
WSGI_APPLICATION = "clinic.wsgi.application"

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
                "csp.context_processors.nonce",
                "intake.tablet.mode.context",
            ],
        },
    },
]

# SQLite by default so a newcomer needs nothing installed; DATABASE_URL switches to PostgreSQL.
DATABASES = {
    "default": dj_database_url.config(
        env="DATABASE_URL",
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(env("DJANGO_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Persistent connections buy nothing on SQLite and keep files open in tests.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # Simultaneous writers (two doctors deciding at once, several gunicorn workers) take turns: a
    # transaction takes the write lock as it begins and waits up to `timeout` seconds for it.
    # SQLite's default takes it half-way, where a second writer can only fail ("database is
    # locked") instead of waiting.
    DATABASES["default"]["OPTIONS"] = {
        **DATABASES["default"].get("OPTIONS", {}),
        "transaction_mode": "IMMEDIATE",
        "timeout": 10,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
# Each role to its first page: reception to today's visits, doctors to the queue.
LOGIN_REDIRECT_URL = "visits:landing"
LOGOUT_REDIRECT_URL = "login"

# Japanese first, English second.
LANGUAGE_CODE = "ja"
LANGUAGES = [("ja", _("Japanese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Tokyo"
USE_TZ = True
MODELTRANSLATION_DEFAULT_LANGUAGE = "ja"
MODELTRANSLATION_LANGUAGES = ("ja", "en")
MODELTRANSLATION_FALLBACK_LANGUAGES = ("ja", "en")


def _field_in_language(verbose_name: str, language: str) -> str:
    """A translated field's label, "タイトル（英語）" / "Title (English)", not "title [en]"."""
    from django.utils.translation import gettext

    from intake.translation import TEXT_LANGUAGES  # called once the apps are loaded

    return gettext("%(field)s (%(language)s)") % {
        "field": verbose_name,
        "language": TEXT_LANGUAGES.get(language, language),
    }


MODELTRANSLATION_BUILD_LOCALIZED_VERBOSE_NAME = _field_in_language

STATIC_URL = "static/"
# collectstatic writes here; WhiteNoise serves it from every app server with far-future caching
# of the hashed names, so no separate static server is needed.
STATIC_ROOT = Path(env("DJANGO_STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
# Outside production WhiteNoise serves straight from the source folders, so tests and a local
# gunicorn need no collectstatic; production serves only the collected, hashed, compressed files.
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = not PRODUCTION
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# Nothing shared lives in a cache (the submission limit has its own table, made by `migrate`;
# django-axes keeps its lockouts in the database), so each process keeps its own in memory.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Answers live server-side in the session (database-backed), so a reload or a second app server
# behind the load balancer loses nothing.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = int(env("DJANGO_SESSION_COOKIE_AGE", str(60 * 60 * 24)))
# Staff sessions end after this much idle time (seconds); see intake.middleware.
STAFF_IDLE_TIMEOUT = int(env("DJANGO_STAFF_IDLE_TIMEOUT", str(30 * 60)))

# django-axes: lock a login after repeated failures.
AXES_FAILURE_LIMIT = int(env("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(env("AXES_COOLOFF_HOURS", "1"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/lockout.html"
AXES_RESET_ON_SUCCESS = True
AXES_ENABLED = env_bool("AXES_ENABLED", default=True)

# Patient intake spam guard: submissions per client address per hour.
INTAKE_SUBMIT_RATE_LIMIT = int(env("INTAKE_SUBMIT_RATE_LIMIT", "10"))
# Retention: purge_intakes' default period in days.
INTAKE_RETENTION_DAYS = int(env("INTAKE_RETENTION_DAYS", str(365 * 5)))

# The address patients and doctors reach the site at, for the links in e-mails (sent by the worker,
# which has no request to read it from). Production's default: HTTPS on the first allowed host.
SITE_URL = env(
    "CLINIC_SITE_URL",
    f"https://{ALLOWED_HOSTS[0]}" if PRODUCTION else "http://127.0.0.1:8000",
).rstrip("/")

# E-mail. EMAIL_URL names the mail server (clinic/email_url.py): smtp+tls://user:password@host:587.
# Locally, e-mails are printed on the console; in production without EMAIL_URL nothing is sent and
# reception's page says so (the link and the QR code still work).
EMAIL_URL = env("EMAIL_URL", "" if PRODUCTION else "console://")
EMAIL_ENABLED = bool(EMAIL_URL)
try:
    _mail_server = parse_email_url(EMAIL_URL, production=PRODUCTION) if EMAIL_ENABLED else None
except EmailUrlError as error:
    raise ImproperlyConfigured(str(error)) from None
if _mail_server is None:
    EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"
else:
    EMAIL_BACKEND = _mail_server.backend
    EMAIL_HOST = _mail_server.host
    EMAIL_PORT = _mail_server.port
    EMAIL_HOST_USER = _mail_server.user
    EMAIL_HOST_PASSWORD = _mail_server.password
    EMAIL_USE_TLS = _mail_server.use_tls
    EMAIL_USE_SSL = _mail_server.use_ssl
    EMAIL_TIMEOUT = _mail_server.timeout
# The sender of every e-mail; the clinic's name is put before it (intake/invitations/emails.py).
DEFAULT_FROM_EMAIL = env("EMAIL_FROM", "intake@localhost")
if PRODUCTION and EMAIL_ENABLED and not env("EMAIL_FROM"):
    raise ImproperlyConfigured("EMAIL_FROM is required when EMAIL_URL is set in production.")
# A failed e-mail is tried again after each of these delays (seconds), then given up.
EMAIL_RETRY_DELAYS = [int(delay) for delay in env_list("EMAIL_RETRY_DELAYS", "60,300,1800,7200")]

# Background tasks (Django's tasks API, the django-tasks backport): e-mails are queued in the
# database by the request and sent by the worker, `manage.py db_worker`.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

# send_reminders: patients with an unfinished invitation are reminded this many days before.
INTAKE_REMINDER_DAYS = int(env("INTAKE_REMINDER_DAYS", "2"))

# In-clinic tablet mode: a half-filled questionnaire is cleared after this many idle seconds, with
# a warning this many seconds before; a device stays a tablet this many days unless ended.
INTAKE_TABLET_IDLE_SECONDS = int(env("INTAKE_TABLET_IDLE_SECONDS", "180"))
INTAKE_TABLET_WARNING_SECONDS = int(env("INTAKE_TABLET_WARNING_SECONDS", "30"))
INTAKE_TABLET_DAYS = int(env("INTAKE_TABLET_DAYS", "365"))

# The FHIR base URL, the start of the canonical URLs of the questionnaire and the code systems
# (e.g. https://intake.example-clinic.jp/api/fhir); empty: this site's /api/fhir as requested.
FHIR_BASE_URL = env("FHIR_BASE_URL").rstrip("/")

# Content Security Policy (django-csp 4): no inline script anywhere, nothing from other origins.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = int(env("DJANGO_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", default=True)
    if BEHIND_PROXY:
        # Only when a trusted reverse proxy sets this header and strips it from clients.
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# The language cookie, as the session's: HTTPS-only in production, never read by scripts. Every
# view that sets it (Django's set_language, intake.views.set_language_cookie) reads these.
LANGUAGE_COOKIE_AGE = 60 * 60 * 24 * 365
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_SECURE = PRODUCTION

# Logs never carry patient data. Django logs a request as its path only (no query string, no
# body, no headers); the only identifier in our URLs is the intake's reference. No handler mails
# error reports (those would include POST data): errors go to the console with their traceback,
# whose lines are code, not values. gunicorn's access log format is set in gunicorn.conf.py.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(process)d %(message)s"},
    },
    "filters": {
        "redact": {"()": "intake.logfilters.RedactInvitationTokens"},
        # A path with %0A in it stays on its line.
        "one_line": {"()": "intake.logfilters.EscapeControlCharacters"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["redact", "one_line"],
        },
        "discard": {"class": "logging.NullHandler"},
    },
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", "WARNING")},
    "loggers": {
        # Replaces Django's default handlers, among them mail_admins.
        "django": {
            "handlers": ["console"],
            "level": env("DJANGO_LOG_LEVEL", "WARNING"),
            "propagate": False,
        },
        # Routine internet noise, not errors of ours: a bad Host header, a NUL in a URL. Both
        # answer 400, which gunicorn's access log records. A handler of its own, or the logger
        # would fall back to Python's last resort and print a traceback on stderr.
        "django.security.DisallowedHost": {"handlers": ["discard"], "propagate": False},
        "django.security.ControlCharacterInRequest": {
            "handlers": ["discard"],
            "propagate": False,
        },
    },
}
