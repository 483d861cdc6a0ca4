"""Qorgau settings. Every deployment value comes from the environment (docs/configuration.md)."""

import datetime
import os
from pathlib import Path

import dj_database_url
import django_stubs_ext
from django.conf.locale import LANG_INFO
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

# Lets runtime code subscript Django generics (QuerySet[Model]) as the type stubs do.
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    if raw.lower() in {"1", "true", "yes", "on"}:
        return True
    if raw.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}")


def env_str(name: str, default: str = "") -> str:
    """A value from NAME, or from the file named by NAME_FILE (for container secrets)."""
    file_name = os.environ.get(f"{name}_FILE")
    if file_name:
        return Path(file_name).read_text(encoding="utf-8").strip()
    return os.environ.get(name, default)


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env_str(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
TESTING = env_bool("QORGAU_TESTING", False)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not (DEBUG or TESTING):
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off")
    SECRET_KEY = "insecure-development-key-only-for-debug-and-tests"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG or TESTING else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "ninja",
    "qorgau.core",
    "qorgau.accounts",
    "qorgau.audit",
    "qorgau.people",
    "qorgau.proceedings",
    "qorgau.safeguards",
    "qorgau.defence",
    "qorgau.support",
    "qorgau.mediation",
    "qorgau.courts",
    "qorgau.probation",
    "qorgau.api",
    "qorgau.web",
    "qorgau.demo",
    # Last, so the GOV.UK widget templates of qorgau.web win over Django's own.
    "django.forms",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # After WhiteNoise: static files keep their caching, everything else is no-store.
    "qorgau.web.middleware.SecurityHeadersMiddleware",
    "qorgau.web.guard.RequestGuardMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "qorgau.accounts.middleware.UserLanguageMiddleware",
    "qorgau.audit.middleware.AuditContextMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "qorgau.web.middleware.SessionExpiryMiddleware",
    "qorgau.web.middleware.SecondFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "qorgau.api.idempotency.IdempotencyMiddleware",
    # Last: turns a sign-in refused for too many failures into the lockout page or JSON.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "qorgau.urls"
WSGI_APPLICATION = "qorgau.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "qorgau.web.context_processors.navigation",
            ],
        },
    },
]
FORM_RENDERER = "qorgau.web.forms.GovukFormRenderer"

DATABASES = {
    "default": dj_database_url.config(
        env="DATABASE_URL",
        default=f"sqlite:///{BASE_DIR / 'var' / 'qorgau.sqlite3'}",
        conn_max_age=int(env_str("DATABASE_CONN_MAX_AGE", "0")),
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
# The lockout backend first: it refuses a locked login before the password is even checked.
AUTHENTICATION_BACKENDS = [
    "qorgau.accounts.backends.LockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Kazakh first: it is the default language of every screen; Russian and English on request.
LANGUAGE_CODE = "kk"
# The language switcher shows each name in its own language; Kazakh calls its own «Қазақша».
LANG_INFO["kk"] = {**LANG_INFO["kk"], "name_local": "Қазақша"}
LANGUAGES = [("kk", _("Kazakh")), ("ru", _("Russian")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "qorgau" / "locale"]
FORMAT_MODULE_PATH = ["qorgau.formats"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Asia/Almaty"
LANGUAGE_COOKIE_SECURE = not DEBUG and not TESTING
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

# Security. Production is HTTPS behind a proxy; `check --deploy` is silent with these.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not (DEBUG or TESTING))
SECURE_HSTS_SECONDS = int(env_str("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = not (DEBUG or TESTING)
CSRF_COOKIE_SECURE = not (DEBUG or TESTING)
# Sessions end 8 hours after sign-in at the latest, and after 30 idle minutes
# (qorgau.web.middleware.SessionExpiryMiddleware).
SESSION_COOKIE_AGE = int(env_str("SESSION_COOKIE_AGE", str(8 * 60 * 60)))
SESSION_IDLE_TIMEOUT = int(env_str("SESSION_IDLE_TIMEOUT", str(30 * 60)))
if env_bool("BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CSP = {
    "default-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "style-src": ["'self'"],
    "script-src": ["'self'"],
    "font-src": ["'self'"],
    "frame-ancestors": ["'none'"],
    "form-action": ["'self'"],
}
X_FRAME_OPTIONS = "DENY"
# Sent on every page: no page of Qorgau uses any of these browser features.
PERMISSIONS_POLICY = [
    "accelerometer",
    "ambient-light-sensor",
    "autoplay",
    "bluetooth",
    "browsing-topics",
    "camera",
    "display-capture",
    "geolocation",
    "gyroscope",
    "hid",
    "magnetometer",
    "microphone",
    "midi",
    "payment",
    "screen-wake-lock",
    "serial",
    "usb",
    "xr-spatial-tracking",
]

# Sign-in lockout (django-axes): after LOGIN_FAILURE_LIMIT wrong passwords for one login from
# one address, that login is refused from that address for LOGIN_LOCKOUT_MINUTES, or until an
# administrator unlocks it on the staff page.
AXES_FAILURE_LIMIT = int(env_str("LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = datetime.timedelta(minutes=int(env_str("LOGIN_LOCKOUT_MINUTES", "30")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "qorgau.audit.middleware.client_ip"
AXES_USERNAME_CALLABLE = "qorgau.accounts.backends.lockout_username"
AXES_LOCKOUT_CALLABLE = "qorgau.web.views.auth.locked_out"
AXES_VERBOSE = False

# Second factor (django-otp): the roles that must confirm each sign-in with a code from an
# authenticator app. By default, in production, every role that reads children's records and
# the administrator, who grants roles; none in the demo and the tests (SECOND_FACTOR_ROLES).
SECOND_FACTOR_ROLES_DEFAULT = (
    "investigator,juvenile_police_inspector,prosecutor,defence_lawyer,social_psychologist,"
    "psychology_intern,judge,court_social_worker,probation_inspector,institution_staff,"
    "child_rights_specialist,administrator"
)
SECOND_FACTOR_ROLES = env_list(
    "SECOND_FACTOR_ROLES", "" if DEBUG or TESTING else SECOND_FACTOR_ROLES_DEFAULT
)
OTP_TOTP_ISSUER = "Qorgau"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}

QORGAU_PAGE_SIZE = 25
# Lists count at most this many rows and say "more than" past it (core/paging.py).
QORGAU_COUNT_CAP = int(env_str("QORGAU_COUNT_CAP", "1000"))
# Key of the IIN digests in the audit trail (audit/searches.py); empty: derived from SECRET_KEY.
QORGAU_AUDIT_IIN_KEY = env_str("QORGAU_AUDIT_IIN_KEY", "")
# How long the first answer to a request sent with an Idempotency-Key is kept for its retries.
QORGAU_IDEMPOTENCY_HOURS = int(env_str("QORGAU_IDEMPOTENCY_HOURS", "24"))
# Seconds an audit row may wait for its seal before `verify-audit` fails (audit/sealer.py).
QORGAU_AUDIT_SEAL_MAX_DELAY = int(env_str("QORGAU_AUDIT_SEAL_MAX_DELAY", "300"))

if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
