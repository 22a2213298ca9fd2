"""Django settings for zhenggai.

The environment is read here and nowhere else, through the ``_env_*`` helpers below; every
variable they read is documented in ``docs/configuration.md`` (a test checks both ways).
"""

from __future__ import annotations

import datetime as dt
import os
import secrets
from pathlib import Path

import dj_database_url
import platformdirs
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _


def _env_str(name: str, default: str) -> str:
    return os.environ.get(name, "").strip() or default


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name, "").strip().lower()
    if not value:
        return default
    return value in {"1", "true", "yes", "on"}


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


def _env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name, "")
    items = [item.strip() for item in value.split(",") if item.strip()]
    return items or default


def _secret_key(path: Path) -> str:
    """Read the key kept in the data directory, creating it (mode 0600) on first start.

    ``O_EXCL`` makes the first of several processes starting at once win; the others read
    what it wrote instead of each inventing their own key.
    """
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text(encoding="ascii").strip()
    key = secrets.token_urlsafe(50)
    with os.fdopen(fd, "w", encoding="ascii") as out:
        out.write(key)
    return key


def _databases(data_dir: Path) -> dict[str, dict[str, object]]:
    url = _env_str("DATABASE_URL", f"sqlite:///{data_dir / 'zhenggai.sqlite3'}")
    config: dict[str, object] = dict(dj_database_url.parse(url))
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # WAL lets readers work while one writer writes; IMMEDIATE takes the write lock at
        # the start of a transaction, so concurrent writers wait (busy_timeout) instead of
        # failing halfway with "database is locked".
        config["OPTIONS"] = {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
            "PRAGMA busy_timeout=5000;",
            "transaction_mode": "IMMEDIATE",
        }
    return {"default": config}


def _data_dir() -> Path:
    """``ZHENGGAI_DATA``, else the user's own data directory (``~/.local/share/zhenggai`` on
    Linux): the same place whatever folder a command is run from."""
    configured = _env_str("ZHENGGAI_DATA", "")
    if configured:
        return Path(configured).expanduser().resolve()
    return platformdirs.user_data_path("zhenggai", appauthor=False)


DATA_DIR = _data_dir()
DATA_DIR.mkdir(parents=True, exist_ok=True)

SECRET_KEY = _env_str("ZHENGGAI_SECRET_KEY", "") or _secret_key(DATA_DIR / "secret_key")
# The audit trail (docs/security.md): the HMAC key is kept outside the database, generated on
# first start like the secret key; the anchor file receives one signed line per committed event.
ZHENGGAI_AUDIT_KEY = _env_str("ZHENGGAI_AUDIT_KEY", "") or _secret_key(
    Path(_env_str("ZHENGGAI_AUDIT_KEY_FILE", str(DATA_DIR / "audit_key")))
)
# Keys replaced by a rotation: they verify what they signed (docs/operations.md).
ZHENGGAI_AUDIT_RETIRED_KEYS_FILE = Path(
    _env_str("ZHENGGAI_AUDIT_RETIRED_KEYS_FILE", str(DATA_DIR / "audit_keys_retired"))
)
ZHENGGAI_AUDIT_ANCHOR_FILE = Path(
    _env_str("ZHENGGAI_AUDIT_ANCHOR_FILE", str(DATA_DIR / "audit_anchor.log"))
)
ZHENGGAI_AUDIT_ARCHIVE_DIR = DATA_DIR / "audit_archive"
# 网络安全法 art. 21: network logs are kept at least six months.
ZHENGGAI_AUDIT_RETENTION_DAYS = _env_int("ZHENGGAI_AUDIT_RETENTION_DAYS", 365)
if ZHENGGAI_AUDIT_RETENTION_DAYS < 180:
    raise ImproperlyConfigured(
        "ZHENGGAI_AUDIT_RETENTION_DAYS must be at least 180 (logs are kept six months)"
    )
DEBUG = _env_bool("ZHENGGAI_DEBUG", False)
# Only `zhenggai demo` reads it: the password of the demo accounts (else generated, printed once).
DEMO_PASSWORD = _env_str("ZHENGGAI_DEMO_PASSWORD", "").strip()
ALLOWED_HOSTS = _env_list("ZHENGGAI_ALLOWED_HOSTS", ["127.0.0.1", "localhost"])

DATABASES = _databases(DATA_DIR)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "zhenggai.ledger",
    "zhenggai.web",
    "zhenggai.supervision",
    "zhenggai.assessment",
    "zhenggai.api",
    "zhenggai.public",
    "zhenggai.documents",
    "zhenggai.planning",
    "zhenggai.opinions",
    # The offline image captcha of the public opinion form (opinions/forms.py).
    "captcha",
    "django_htmx",
    # Login lockout (axes) and the second factor (otp: TOTP devices and recovery codes).
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    # After django_otp: its admin hides otp's device screens (security/admin.py).
    "zhenggai.security",
    # Serves the API docs' scripts from the package instead of a CDN.
    "ninja",
]

MIDDLEWARE = [
    # Outermost: CSP and Cache-Control on every answer, redirects and static files included.
    "zhenggai.web.headers.SecurityHeadersMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The language the user chose (中文 / English in the header), never the browser's.
    "zhenggai.web.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # Forced password change, second-factor enrolment and verification before any page.
    "zhenggai.security.middleware.LoginRequirementsMiddleware",
    "zhenggai.ledger.middleware.ScopePerRequestMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last: turns axes' "locked out" flag into the Chinese lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "zhenggai.urls"
WSGI_APPLICATION = "zhenggai.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
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

AUTH_USER_MODEL = "ledger.User"
LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/accounts/login/"

# 等保 2.0 level 3 (practice): at least 10 characters from at least 3 of the 4 classes, no
# account's user name in it, none of the last 5 passwords, changed every 90 days.
ZHENGGAI_PASSWORD_MIN_LENGTH = _env_int("ZHENGGAI_PASSWORD_MIN_LENGTH", 10)
ZHENGGAI_PASSWORD_HISTORY = 5
# 0 turns expiry off.
ZHENGGAI_PASSWORD_MAX_AGE_DAYS = _env_int("ZHENGGAI_PASSWORD_MAX_AGE_DAYS", 90)
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "zhenggai.security.passwords.MinimumLengthValidator",
        "OPTIONS": {"min_length": ZHENGGAI_PASSWORD_MIN_LENGTH},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {
        "NAME": "zhenggai.ledger.passwords.CharacterClassValidator",
        "OPTIONS": {"min_classes": 3},
    },
    {"NAME": "zhenggai.security.passwords.NoUsernameValidator"},
    # Also keeps the history and the date of the change when a password is set.
    {"NAME": "zhenggai.security.passwords.HistoryValidator"},
]

# Lockout (axes): 5 failures lock the account and, separately, the address for 10 minutes.
# The address is REMOTE_ADDR, which the server sets from the trusted proxy (docs/security.md).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
ZHENGGAI_LOCKOUT_FAILURES = _env_int("ZHENGGAI_LOCKOUT_FAILURES", 5)
ZHENGGAI_LOCKOUT_MINUTES = _env_int("ZHENGGAI_LOCKOUT_MINUTES", 10)
AXES_FAILURE_LIMIT = ZHENGGAI_LOCKOUT_FAILURES
AXES_COOLOFF_TIME = dt.timedelta(minutes=ZHENGGAI_LOCKOUT_MINUTES)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_CLIENT_IP_CALLABLE = "zhenggai.security.lockout.client_address"
AXES_LOCKOUT_CALLABLE = "zhenggai.security.lockout.lockout_response"
# A locked account stays locked until the time the page told the user, not longer.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
# A success does not wipe the failures: it would wipe the address's too, and one's own good
# login between guesses at someone else's account would then make guessing free again.
AXES_RESET_ON_SUCCESS = False
AXES_VERBOSE = False

# Second factor (TOTP, django-otp): required for these roles (and for accounts the security
# administrator marks); everyone else may enrol.
ZHENGGAI_REQUIRE_2FA = _env_list(
    "ZHENGGAI_REQUIRE_2FA", ["office", "sysadmin", "security_admin", "audit_admin"]
)
OTP_TOTP_ISSUER = "zhenggai"

# Idle sessions end (等保: 10–30 minutes): the cookie's age restarts on every request.
SESSION_COOKIE_AGE = _env_int("ZHENGGAI_SESSION_IDLE_MINUTES", 15) * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

HTTPS = _env_bool("ZHENGGAI_HTTPS", False)
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS
# The reverse proxy (IP address, or several separated by commas) whose X-Forwarded-Proto and
# X-Forwarded-For ``zhenggai serve`` believes; from every other peer they are removed.
TRUSTED_PROXIES = _env_list("ZHENGGAI_TRUSTED_PROXY", [])
if HTTPS:
    # Behind a reverse proxy that terminates TLS and says so in this header (which waitress
    # passes on only from TRUSTED_PROXIES).
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 31536000
# HSTS covers this host only, unlisted: subdomains of a government domain are other units'
# systems, and the browsers' preload list is the domain owner's decision (and useless on an
# intranet name). Silenced on purpose so `check --deploy` shows only what needs action.
SILENCED_SYSTEM_CHECKS = ["security.W005", "security.W021"]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
USE_I18N = True
LOCALE_PATHS = [Path(__file__).resolve().parent / "locale"]
# The chosen language outlives the session (which ends after 15 idle minutes).
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LANGUAGE_COOKIE_SECURE = HTTPS
LANGUAGE_COOKIE_HTTPONLY = True
TIME_ZONE = "Asia/Shanghai"
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
# Evidence files. They are never served from a public URL: a view checks access first.
MEDIA_ROOT = DATA_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
FILE_UPLOAD_PERMISSIONS = 0o640

# --- upload limits (docs/security.md, "上传限制 / Upload limits") ------------------------------
# Any one uploaded file (evidence, notice, ledger sheet), in MB.
ZHENGGAI_UPLOAD_MAX_MB = _env_int("ZHENGGAI_UPLOAD_MAX_MB", 50)
# All evidence files of one measure together, in MB.
ZHENGGAI_EVIDENCE_MAX_MB_PER_MEASURE = _env_int("ZHENGGAI_EVIDENCE_MAX_MB_PER_MEASURE", 200)
# A .docx or .xlsx inflated (all its members together), in MB, and how many members it may have:
# checked before python-docx or openpyxl open it (zip bombs).
ZHENGGAI_UNZIPPED_MAX_MB = _env_int("ZHENGGAI_UNZIPPED_MAX_MB", 20)
ZHENGGAI_ZIP_MAX_MEMBERS = _env_int("ZHENGGAI_ZIP_MAX_MEMBERS", 1000)
# Rows of an imported ledger sheet (a unit's ledger has tens to hundreds of measures).
ZHENGGAI_XLSX_MAX_ROWS = _env_int("ZHENGGAI_XLSX_MAX_ROWS", 10000)
# Uploads larger than this go to a temporary file instead of memory; form fields (not files)
# may total at most this much. Both are Django's default (2.5 MB), stated to be deliberate.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_NUMBER_FILES = 10

# --- deadlines, lights and reminders (zhenggai.supervision; docs/reminders.md) ---------------
# Statutory deadlines after the feedback date, in calendar months (条例: reports within 2 months;
# practice: the plan within 1 month). A month is a calendar month: 31 Jan + 1 month = 29 Feb.
ZHENGGAI_PLAN_MONTHS = _env_int("ZHENGGAI_PLAN_MONTHS", 1)
ZHENGGAI_REPORT_MONTHS = _env_int("ZHENGGAI_REPORT_MONTHS", 2)
# 长期坚持: the first periodic report this many months after feedback, then every
# ``review_period_months`` of the measure.
ZHENGGAI_REVIEW_FIRST_MONTHS = _env_int("ZHENGGAI_REVIEW_FIRST_MONTHS", 3)
# Yellow light: due within this many days (today included), or behind plan — still 未开始 when
# this percentage of the time between feedback and deadline has passed.
ZHENGGAI_YELLOW_DAYS = _env_int("ZHENGGAI_YELLOW_DAYS", 7)
ZHENGGAI_BEHIND_PLAN_PERCENT = _env_int("ZHENGGAI_BEHIND_PLAN_PERCENT", 50)
# Reminders this many days before a deadline (besides on the day and once when it has passed).
ZHENGGAI_REMINDER_DAYS = sorted(
    {int(days) for days in _env_list("ZHENGGAI_REMINDER_DAYS", ["30", "7", "1"])}, reverse=True
)

# E-mail. Without a host, messages are written as files to <data>/mail (nothing leaves the
# machine); with one, they go out over SMTP.
EMAIL_HOST = _env_str("ZHENGGAI_EMAIL_HOST", "")
EMAIL_PORT = _env_int("ZHENGGAI_EMAIL_PORT", 25)
EMAIL_HOST_USER = _env_str("ZHENGGAI_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = _env_str("ZHENGGAI_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = _env_bool("ZHENGGAI_EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = 30
DEFAULT_FROM_EMAIL = _env_str("ZHENGGAI_EMAIL_FROM", "zhenggai@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = DATA_DIR / "mail"


# --- 群众监督意见 (zhenggai.opinions; docs/public.md) ----------------------------------------
# An opinion is answered within this many working days (Monday to Friday, less the holidays).
ZHENGGAI_OPINION_ANSWER_WORKING_DAYS = _env_int("ZHENGGAI_OPINION_ANSWER_WORKING_DAYS", 15)
# Public holidays (ISO dates, comma-separated) that are not working days for the answer deadline.
ZHENGGAI_HOLIDAYS = _env_list("ZHENGGAI_HOLIDAYS", [])
# Online opinions accepted per hour from one address, and per hour on one notice.
ZHENGGAI_OPINION_RATE_PER_ADDRESS = _env_int("ZHENGGAI_OPINION_RATE_PER_ADDRESS", 5)
ZHENGGAI_OPINION_RATE_PER_NOTICE = _env_int("ZHENGGAI_OPINION_RATE_PER_NOTICE", 200)
# A citizen's attachment (PDF, JPG or PNG), in MB.
ZHENGGAI_OPINION_ATTACHMENT_MAX_MB = _env_int("ZHENGGAI_OPINION_ATTACHMENT_MAX_MB", 5)
# The captcha (django-simple-captcha, drawn offline with Pillow). Test mode accepts the answer
# "passed": for automated tests only, never in production.
CAPTCHA_TEST_MODE = _env_bool("ZHENGGAI_CAPTCHA_TEST_MODE", False)
CAPTCHA_LENGTH = 5
CAPTCHA_TIMEOUT = 10
