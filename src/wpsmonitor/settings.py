"""One settings module; every knob comes from an environment variable.

WPSMONITOR_HOME      data directory (SQLite file, uploads, secret key); default ~/.local/share/wpsmonitor
DATABASE_URL         e.g. postgres://user@127.0.0.1:5432/wps; default SQLite in WPSMONITOR_HOME
WPSMONITOR_SECRET_KEY  or WPSMONITOR_SECRET_KEY_FILE; default a key generated once into WPSMONITOR_HOME
WPSMONITOR_ENCRYPTION_KEYS  or WPSMONITOR_ENCRYPTION_KEY_FILE: the keys that encrypt identifying
                     fields at rest (docs/security.md, "Encryption at rest"), the first encrypts,
                     all decrypt; default a file generated once into WPSMONITOR_HOME. Keep the key
                     out of the database's backups
WPSMONITOR_DEBUG     true/false (default false)
WPSMONITOR_ALLOWED_HOSTS  comma separated (default localhost, 127.0.0.1, [::1])
WPSMONITOR_TASKS     "database" (default: a worker runs beside the web server), "immediate"
                     (run in the calling process; tests), or "rq" (Redis, with WPSMONITOR_REDIS_URL)
WPSMONITOR_EMAIL     "file" (default: one file per mail in WPSMONITOR_HOME/mail), "console", or
                     "smtp" (with WPSMONITOR_SMTP_HOST, _PORT, _USER, _PASSWORD, _TLS)
WPSMONITOR_FROM_EMAIL  sender of the platform's mail (default wpsmonitor@localhost)
WPSMONITOR_BASE_URL  the public address used in links sent by mail (default http://127.0.0.1:8000)
WPSMONITOR_OPEN_DATA_LICENCE  the licence of every release of figures, an SPDX id (default CC-BY-4.0)
WPSMONITOR_EVIDENCE_MAX_MB  largest evidence file accepted (default 10)
WPSMONITOR_STORY_IMAGE_MAX_MB, WPSMONITOR_STORY_AUDIO_MAX_MB, WPSMONITOR_STORY_VIDEO_MAX_MB,
WPSMONITOR_STORY_DOCUMENT_MAX_MB
                     largest photo, audio recording, video and document attached to a story
                     (default 10, 20, 100, 10; docs/stories.md, "Media")
WPSMONITOR_STORY_AUDIO_MAX_MINUTES, WPSMONITOR_STORY_VIDEO_MAX_MINUTES
                     longest audio recording and video attached to a story (default 120, 15)
WPSMONITOR_IMPORT_MAX_FILE_BYTES, WPSMONITOR_IMPORT_MAX_XLSX_UNCOMPRESSED_BYTES,
WPSMONITOR_IMPORT_MAX_XLSX_SHEET_BYTES, WPSMONITOR_IMPORT_MAX_XLSX_PART_BYTES,
WPSMONITOR_IMPORT_MAX_XLSX_CELLS, WPSMONITOR_IMPORT_MAX_XLSX_SECONDS
                     the bounds of an imported file (docs/import-formats.md, "Limits")
WPSMONITOR_ODK_URL, WPSMONITOR_ODK_EMAIL, WPSMONITOR_ODK_PASSWORD, WPSMONITOR_ODK_PROJECT
                     an ODK Central server for field collection (docs/field-collection.md): its
                     address, a web user's email and password, the project's number (default 1)
WPSMONITOR_KOBO_URL, WPSMONITOR_KOBO_TOKEN  a KoboToolbox server instead (its kpi address,
                     e.g. https://kf.kobotoolbox.org, and an account's API token)
WPSMONITOR_FIELD_MAX_BYTES, WPSMONITOR_FIELD_MAX_SUBMISSIONS  the bounds of a batch of field
                     submissions, uploaded or pulled (default 20 MB, 5000 submissions)
WPSMONITOR_HTTPS     true/false (default false): the site is served over HTTPS only, behind a proxy
                     that sets X-Forwarded-Proto (and overwrites any such header a client sent).
                     Turns on HSTS, secure session and CSRF cookies, the redirect of plain HTTP to
                     HTTPS and trust in that header, so that `wpsmonitor manage check --deploy` is clean
WPSMONITOR_HSTS_SECONDS  how long browsers remember HTTPS only (default 31536000, one year; start
                     lower, e.g. 3600, while trying HTTPS out)
WPSMONITOR_HSTS_PRELOAD  true/false (default false): ask to be on the browsers' preload list
WPSMONITOR_LOGIN_FAILURES  failed sign-ins that lock an account, or an address, out (default 5)
WPSMONITOR_LOCKOUT_MINUTES  how long a lockout lasts, counted from the last failure (default 15)
WPSMONITOR_IDLE_MINUTES  a session signed in with a second factor (every account that must use
                     one) ends after this many minutes without a request (default 30)
WPSMONITOR_SENSITIVE_TOKEN_DAYS
                     an API token that reads sensitive items whole (stories, early-warning
                     signals), issued from a session signed in with a second factor, stops working
                     this many days after its issue (default 30)
WPSMONITOR_CACHE_URL  where the cache lives, shared by the web workers: "file" (default: files in
                     WPSMONITOR_HOME/cache), file:///a/folder, redis://host:6379/1 (with the
                     "redis" extra; for several machines), "locmem" (one process only) or "none"
WPSMONITOR_PUBLIC_CACHE_SECONDS  how long a public page is kept for anonymous readers at most
                     (default 300; 0 turns the cache of public pages off); publishing a release or
                     editing a plan makes every cached page stale at once (docs/publishing.md)
WPSMONITOR_PROXY_CACHE_SECONDS  how long a proxy in front may serve a public page without asking
                     again (default 0: it keeps it but revalidates it, by its ETag, every time)
WPSMONITOR_WARM_SECONDS  after a release is published, its plan's most read public pages are drawn
                     into the cache in the background, at the address of WPSMONITOR_BASE_URL, for
                     at most this many seconds (default 120; 0 turns the warming off)

Signing in (django-axes, docs/security.md): failed sign-ins are counted per account and per
address; at WPSMONITOR_LOGIN_FAILURES within WPSMONITOR_LOCKOUT_MINUTES the account, or the
address, is refused (status 429) until that many minutes pass without a new failure, or until the
administrator unlocks it (`wpsmonitor manage axes_reset`, or the admin's "Access attempts").
The address is the connection's own; with WPSMONITOR_HTTPS it is the one the proxy in front adds
last to X-Forwarded-For. Every sign-in, failure and lockout is kept (admin, read only).

Two-factor sign-in (django-otp): every account that can read anything not public (a role on a
plan, a board seat, staff, the administrator: accounts/access.py, requires_two_factor) enters a
code from an authenticator app, or a single-use recovery code, after its password; without an
authenticator yet, it sets one up before it can reach any other page. Passwords: at least 12
characters, not common, not all digits, not like the user's name (AUTH_PASSWORD_VALIDATORS).

Files: the data home is made readable by its owner only (0700), and so are the database (with its
-wal and -shm files), the secret key, uploads and mail (0600 files, 0700 folders).
"""

from __future__ import annotations

import base64
import os
import secrets
import sys
from datetime import timedelta
from pathlib import Path

import dj_database_url
import django_stubs_ext
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop
from whitenoise.compress import Compressor

# Generic Django classes (ModelAdmin[Plan], QuerySet[Plan]) subscriptable at run time, for the
# type checker's strict generics.
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name, "").strip().lower()
    if raw == "":
        return default
    if raw in {"1", "true", "yes", "on"}:
        return True
    if raw in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}")


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def data_home() -> Path:
    raw = os.environ.get("WPSMONITOR_HOME")
    if raw:
        return Path(raw).expanduser().resolve()
    xdg = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(xdg) / "wpsmonitor"


# Everything the platform keeps (the database, the secret key, evidence files, mail with sign-in
# links) is for the account that runs it only: folders 0700, files 0600.
PRIVATE_DIR_MODE = 0o700
PRIVATE_FILE_MODE = 0o600


def private_dir(path: Path) -> Path:
    """The folder, created if missing, readable by its owner only (tightened if we own it)."""
    path.mkdir(mode=PRIVATE_DIR_MODE, parents=True, exist_ok=True)
    _tighten(path, PRIVATE_DIR_MODE)
    return path


def private_file(path: Path) -> Path:
    """The file, created empty if missing, readable by its owner only, never open to others even
    for a moment (created with its mode, not changed afterwards)."""
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE_MODE))
    except FileExistsError:
        _tighten(path, PRIVATE_FILE_MODE)
    return path


def _tighten(path: Path, mode: int) -> None:
    # A folder or file made by an earlier version, or by hand: tightened if it is ours to change.
    info = path.stat()
    if info.st_uid == os.geteuid() and info.st_mode & 0o777 != mode:
        path.chmod(mode)


DATA_HOME = private_dir(data_home())


def secret_key() -> str:
    if os.environ.get("WPSMONITOR_SECRET_KEY"):
        return os.environ["WPSMONITOR_SECRET_KEY"]
    key_file = Path(os.environ.get("WPSMONITOR_SECRET_KEY_FILE") or DATA_HOME / "secret_key")
    if not key_file.exists() or key_file.stat().st_size == 0:
        private_file(key_file).write_text(secrets.token_urlsafe(50))
    else:
        _tighten(key_file, PRIVATE_FILE_MODE)
    return key_file.read_text().strip()


SECRET_KEY = secret_key()


def encryption_key_file() -> Path:
    return Path(os.environ.get("WPSMONITOR_ENCRYPTION_KEY_FILE") or DATA_HOME / "encryption_keys")


def encryption_keys() -> list[str]:
    """The keys of the encrypted fields (core/encryption.py), the current one first: from the
    environment (comma separated), else from the key file, one a line, made with one new key the
    first time. Never in the database: a dump of it alone reads nothing."""
    if os.environ.get("WPSMONITOR_ENCRYPTION_KEYS"):
        return [k.strip() for k in os.environ["WPSMONITOR_ENCRYPTION_KEYS"].split(",") if k.strip()]
    key_file = encryption_key_file()
    if not key_file.exists() or key_file.stat().st_size == 0:
        # A Fernet key: 32 random bytes, URL-safe base64.
        private_file(key_file).write_text(base64.urlsafe_b64encode(os.urandom(32)).decode() + "\n")
    else:
        _tighten(key_file, PRIVATE_FILE_MODE)
    return [line.strip() for line in key_file.read_text().splitlines() if line.strip()]


ENCRYPTION_KEYS = encryption_keys()
DEBUG = env_bool("WPSMONITOR_DEBUG")
ALLOWED_HOSTS = env_list("WPSMONITOR_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver")
CSRF_TRUSTED_ORIGINS = env_list("WPSMONITOR_CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    # Content in several languages (docs/languages.md): a column a language for the texts
    # registered in each app's translation.py; before the admin, as the library asks.
    "modeltranslation",
    # The admin, asking for the second factor too (accounts/admin_site.py).
    "wpsmonitor.accounts.admin_app.TwoFactorAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_tasks",
    # Sign-in throttling, lockout and its audit (docs/security.md).
    "axes",
    # Two-factor sign-in: TOTP authenticator apps, single-use recovery codes (docs/security.md).
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_tasks_db",
    # The API documentation page's Swagger UI, from the package's own static files (not a CDN):
    # with "ninja" installed its docs view renders the template that links them.
    "ninja",
    # In layers, from the ground up (docs/architecture.md; .importlinter enforces them).
    "wpsmonitor.core",
    "wpsmonitor.shell",
    "wpsmonitor.directory",
    "wpsmonitor.accounts",
    "wpsmonitor.plans",
    "wpsmonitor.indicators",
    "wpsmonitor.exchange",
    "wpsmonitor.reporting",
    "wpsmonitor.shadow",
    "wpsmonitor.accountability",
    "wpsmonitor.boards",
    "wpsmonitor.stories",
    "wpsmonitor.earlywarning",
    "wpsmonitor.perceptions",
    "wpsmonitor.defenders",
    "wpsmonitor.security",
    "wpsmonitor.conduct",
    "wpsmonitor.fieldcollection",
    "wpsmonitor.peace",
    "wpsmonitor.missions",
    "wpsmonitor.revisions",
    "wpsmonitor.oversight",
    "wpsmonitor.finance",
    "wpsmonitor.iati",
    "wpsmonitor.quality",
    "wpsmonitor.scorecard",
    "wpsmonitor.localisation",
    "wpsmonitor.publishing",
    "wpsmonitor.reports",
    "wpsmonitor.portal",
    "wpsmonitor.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "wpsmonitor.shell.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # The second factor before anything else, and the idle timeout (accounts/two_factor.py).
    "wpsmonitor.accounts.two_factor.TwoFactorMiddleware",
    # Last, as axes asks: turns a refused sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

# Signing in: axes first refuses a locked-out account or address, then Django checks the password.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "wpsmonitor.urls"
# The site shell's frame (shell/context.py): the home page and a signed-in user's own links, by
# URL name. The labels are msgids of the catalogue, translated when the page is drawn.
WPSMONITOR_HOME_URL = "portal:home"
WPSMONITOR_MEMBER_LINKS = [
    ("portal:tasks", gettext_noop("What to do now")),
    ("reporting:todo", gettext_noop("My reporting")),
    ("accounts:account", gettext_noop("Your account")),
]
# What `wpsmonitor serve` starts beside its task worker: callables taking a threading.Event
# (set at shutdown) that enqueue periodic tasks.
WPSMONITOR_CLOCKS = [
    "wpsmonitor.reporting.tasks.start_reminder_clock",
    "wpsmonitor.earlywarning.tasks.start_response_indicators_clock",
]
WSGI_APPLICATION = "wpsmonitor.wsgi.application"

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
                "wpsmonitor.shell.context.navigation",
            ],
        },
    },
]

DATABASE_URL = os.environ.get("DATABASE_URL", "").strip()
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
else:
    # Created 0600 before SQLite opens it: SQLite gives its -wal and -shm files the database
    # file's own mode, so all three are the owner's only.
    _sqlite_file = private_file(DATA_HOME / "wpsmonitor.sqlite3")
    for _companion in ("-wal", "-shm", "-journal"):
        if (_companion_file := Path(f"{_sqlite_file}{_companion}")).exists():
            _tighten(_companion_file, PRIVATE_FILE_MODE)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(_sqlite_file),
            # WAL lets readers (web workers) run while an import or the task worker writes.
            "OPTIONS": {
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=10000;"
                ),
                "transaction_mode": "IMMEDIATE",
            },
        }
    }
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    DATABASES["default"].setdefault("TEST", {})["NAME"] = os.environ.get(
        "WPSMONITOR_TEST_DATABASE", "test_wpsmonitor"
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("fr", _("French")),
    ("es", _("Spanish")),
    ("ar", _("Arabic")),
]
# Content in several languages (docs/languages.md, "Content in several languages"): what
# `obj.title` reads when the reader's language has no text (the active language, then these).
# Pages show the text through core/translated.py instead, which falls back to the original
# language of the plan or organisation and says so.
MODELTRANSLATION_FALLBACK_LANGUAGES = tuple(code for code, _name in LANGUAGES)
# The type checker's django-stubs plugin loads these settings too, and cannot follow the managers
# modeltranslation swaps in at registration: under mypy the models stay as declared (the
# language columns are reached by name, core/translated.py).
MODELTRANSLATION_ENABLE_REGISTRATIONS = "mypy" not in sys.modules
LOCALE_PATHS = [BASE_DIR / "locale"]
# One date format per language on every page (shell/formats: "4 January 2027").
FORMAT_MODULE_PATH = ["wpsmonitor.shell.formats"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_HOME / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Collected by `wpsmonitor serve` (collectstatic): each file also under a name carrying a
    # hash of its content (shell.2e22b030cb92.css), which pages link and whitenoise sends with a
    # one-year, immutable cache; gzip and brotli copies for light pages on slow links.
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
# Source maps (24 MB of the API explorer's) are for developers' tools only: compressing them
# took two thirds of the time collectstatic takes at every start.
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = [*Compressor.SKIP_COMPRESS_EXTENSIONS, "map"]
MEDIA_ROOT = private_dir(DATA_HOME / "media")
# Django's default makes uploads world-readable (0644): evidence and testimony are not.
FILE_UPLOAD_PERMISSIONS = PRIVATE_FILE_MODE
FILE_UPLOAD_DIRECTORY_PERMISSIONS = PRIVATE_DIR_MODE

LOGIN_URL = "accounts:login"
# Throttling and lockout of failed sign-ins (docstring; docs/security.md). The API's bearer tokens
# are not passwords typed at a form and are not counted (a wrong token is a 401).
AXES_FAILURE_LIMIT = int(os.environ.get("WPSMONITOR_LOGIN_FAILURES", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=float(os.environ.get("WPSMONITOR_LOCKOUT_MINUTES", "15")))
# Per account (whoever guesses its password, from wherever) and per address (one address trying
# many accounts): either one reaching the limit is locked.
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_LOCKOUT_CALLABLE = "wpsmonitor.accounts.signin.lockout_response"
AXES_HTTP_RESPONSE_CODE = 429
AXES_CLIENT_IP_CALLABLE = "wpsmonitor.accounts.signin.client_address"
# The audit: every sign-in (AccessLog), every failure, lockouts marked (AccessFailureLog).
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_ACCESS_FAILURE_LOG_PER_USER_LIMIT = 1000
LOGIN_REDIRECT_URL = "portal:tasks"
LOGOUT_REDIRECT_URL = "portal:home"
# Two-factor sign-in, passwords and sessions (docstring; docs/security.md). Who must use a second
# factor is decided in accounts/access.py (requires_two_factor); there is no switch to turn it off.
OTP_TOTP_ISSUER = "WPS Monitor"
# A session signed in with a second factor ends after this many minutes without a request.
WPSMONITOR_IDLE_MINUTES = float(os.environ.get("WPSMONITOR_IDLE_MINUTES", "30"))
if WPSMONITOR_IDLE_MINUTES <= 0:
    raise ImproperlyConfigured("WPSMONITOR_IDLE_MINUTES must be a positive number of minutes")
# An API token that reads sensitive items whole (issued from a session verified with a second
# factor) stops working this many days after its issue (docs/security.md, "API tokens").
WPSMONITOR_SENSITIVE_TOKEN_DAYS = int(os.environ.get("WPSMONITOR_SENSITIVE_TOKEN_DAYS", "30"))
if WPSMONITOR_SENSITIVE_TOKEN_DAYS <= 0:
    raise ImproperlyConfigured("WPSMONITOR_SENSITIVE_TOKEN_DAYS must be a positive number of days")
# A password-reset link sent by mail works once, for a day at most.
PASSWORD_RESET_TIMEOUT = 24 * 3600

# Mail: reminders and notices of the reporting cycle.
_email = os.environ.get("WPSMONITOR_EMAIL", "file").strip().lower()
if _email == "file":
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = str(private_dir(DATA_HOME / "mail"))
elif _email == "console":
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
elif _email == "smtp":
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = os.environ.get("WPSMONITOR_SMTP_HOST", "localhost")
    EMAIL_PORT = int(os.environ.get("WPSMONITOR_SMTP_PORT", "587"))
    EMAIL_HOST_USER = os.environ.get("WPSMONITOR_SMTP_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("WPSMONITOR_SMTP_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("WPSMONITOR_SMTP_TLS", True)
else:
    raise ImproperlyConfigured("WPSMONITOR_EMAIL must be file, console or smtp")
DEFAULT_FROM_EMAIL = os.environ.get("WPSMONITOR_FROM_EMAIL", "wpsmonitor@localhost")
WPSMONITOR_BASE_URL = os.environ.get("WPSMONITOR_BASE_URL", "http://127.0.0.1:8000")
# The licence of every open-data release (docs/publishing.md, "The release"): an SPDX id.
WPSMONITOR_OPEN_DATA_LICENCE = os.environ.get("WPSMONITOR_OPEN_DATA_LICENCE", "CC-BY-4.0").strip()
EVIDENCE_MAX_BYTES = int(os.environ.get("WPSMONITOR_EVIDENCE_MAX_MB", "10")) * 1024 * 1024
# The media of stories (stories/media.py), by kind.
STORY_IMAGE_MAX_BYTES = int(os.environ.get("WPSMONITOR_STORY_IMAGE_MAX_MB", "10")) * 1024 * 1024
STORY_AUDIO_MAX_BYTES = int(os.environ.get("WPSMONITOR_STORY_AUDIO_MAX_MB", "20")) * 1024 * 1024
STORY_VIDEO_MAX_BYTES = int(os.environ.get("WPSMONITOR_STORY_VIDEO_MAX_MB", "100")) * 1024 * 1024
STORY_AUDIO_MAX_SECONDS = int(os.environ.get("WPSMONITOR_STORY_AUDIO_MAX_MINUTES", "120")) * 60
STORY_VIDEO_MAX_SECONDS = int(os.environ.get("WPSMONITOR_STORY_VIDEO_MAX_MINUTES", "15")) * 60
STORY_DOCUMENT_MAX_BYTES = (
    int(os.environ.get("WPSMONITOR_STORY_DOCUMENT_MAX_MB", "10")) * 1024 * 1024
)
# Uploads: evidence files are capped above; the whole form may carry one file and its fields.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 20_000  # a big data-entry sheet has many cells

# Background work: aggregates, big imports, reports.
TASKS: dict[str, dict[str, object]]
_tasks = os.environ.get("WPSMONITOR_TASKS", "database").strip().lower()
if _tasks == "immediate":
    TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
elif _tasks == "database":
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
elif _tasks == "rq":
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    RQ_QUEUES = {
        "default": {"URL": os.environ.get("WPSMONITOR_REDIS_URL", "redis://127.0.0.1:6379/0")}
    }
    # Workers: `wpsmonitor manage rqworker default` (install with the "redis" extra).
    INSTALLED_APPS.append("django_rq")
else:
    raise ImproperlyConfigured("WPSMONITOR_TASKS must be database, immediate or rq")


# The cache: anonymous readers' public pages (shell/public_cache.py). One machine: files in the
# data home, which every gunicorn worker shares, with no server to run; several: Redis.
def cache_config(raw: str) -> dict[str, object]:
    raw = raw.strip()
    if raw in {"", "file"}:
        return {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(private_dir(DATA_HOME / "cache")),
            "OPTIONS": {"MAX_ENTRIES": 20_000},
        }
    if raw.startswith("file://"):
        return {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(private_dir(Path(raw.removeprefix("file://")))),
            "OPTIONS": {"MAX_ENTRIES": 20_000},
        }
    if raw.startswith(("redis://", "rediss://", "unix://")):
        return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": raw}
    if raw == "locmem":
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    if raw == "none":
        return {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
    raise ImproperlyConfigured(
        "WPSMONITOR_CACHE_URL must be file, file:///folder, redis://…, locmem or none"
    )


CACHES = {"default": cache_config(os.environ.get("WPSMONITOR_CACHE_URL", ""))}
WPSMONITOR_PUBLIC_CACHE_SECONDS = int(os.environ.get("WPSMONITOR_PUBLIC_CACHE_SECONDS", "300"))
WPSMONITOR_PROXY_CACHE_SECONDS = int(os.environ.get("WPSMONITOR_PROXY_CACHE_SECONDS", "0"))
# After a release is published, its most read public pages are drawn into the cache in the
# background for at most this many seconds (portal/warming.py); 0 turns the warming off.
WPSMONITOR_WARM_SECONDS = int(os.environ.get("WPSMONITOR_WARM_SECONDS", "120"))

# Import limits: refuse oversized files before parsing them.
IMPORT_MAX_FILE_BYTES = int(os.environ.get("WPSMONITOR_IMPORT_MAX_FILE_BYTES", str(2 * 1024**3)))
IMPORT_MAX_XLSX_UNCOMPRESSED_BYTES = int(
    os.environ.get("WPSMONITOR_IMPORT_MAX_XLSX_UNCOMPRESSED_BYTES", str(512 * 1024**2))
)
# Each worksheet part (streamed row by row), and each other part openpyxl holds whole in memory
# (shared strings, styles: ~9 s and 200 MB for 32 MiB of shared strings).
IMPORT_MAX_XLSX_SHEET_BYTES = int(
    os.environ.get("WPSMONITOR_IMPORT_MAX_XLSX_SHEET_BYTES", str(256 * 1024**2))
)
IMPORT_MAX_XLSX_PART_BYTES = int(
    os.environ.get("WPSMONITOR_IMPORT_MAX_XLSX_PART_BYTES", str(32 * 1024**2))
)
# Cells read from one workbook (a run of empty rows counts one per row), and seconds spent reading.
IMPORT_MAX_XLSX_CELLS = int(os.environ.get("WPSMONITOR_IMPORT_MAX_XLSX_CELLS", str(20_000_000)))
IMPORT_MAX_XLSX_SECONDS = int(os.environ.get("WPSMONITOR_IMPORT_MAX_XLSX_SECONDS", "120"))
IMPORT_MAX_ERRORS = 200
# Field collection (docs/field-collection.md): the servers, per installation, and the bounds of
# a batch of submissions.
FIELD_COLLECTION_ODK = {
    "url": os.environ.get("WPSMONITOR_ODK_URL", ""),
    "email": os.environ.get("WPSMONITOR_ODK_EMAIL", ""),
    "password": os.environ.get("WPSMONITOR_ODK_PASSWORD", ""),
    "project": os.environ.get("WPSMONITOR_ODK_PROJECT", "1"),
}
FIELD_COLLECTION_KOBO = {
    "url": os.environ.get("WPSMONITOR_KOBO_URL", ""),
    "token": os.environ.get("WPSMONITOR_KOBO_TOKEN", ""),
}
FIELD_COLLECTION_MAX_BYTES = int(os.environ.get("WPSMONITOR_FIELD_MAX_BYTES", str(20 * 1024**2)))
FIELD_COLLECTION_MAX_SUBMISSIONS = int(os.environ.get("WPSMONITOR_FIELD_MAX_SUBMISSIONS", "5000"))
FIELD_COLLECTION_TIMEOUT = 60

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Our own scripts, styles, images and fonts only: no inline script or style attribute anywhere
# (shell/middleware.py); data: images for the icons in Swagger UI's stylesheet (API docs page).
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)

# HTTPS, one switch (docstring): on for a site behind a TLS proxy, off (the default) for the
# quick start on http://127.0.0.1, where secure cookies would make signing in impossible.
HTTPS = env_bool("WPSMONITOR_HTTPS")
if HTTPS:
    SECURE_SSL_REDIRECT = True
    # Trusted only because WPSMONITOR_HTTPS says a proxy in front sets this header on every
    # request; without such a proxy a client could claim HTTPS.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(os.environ.get("WPSMONITOR_HSTS_SECONDS", str(365 * 24 * 3600)))
    # Subdomains of the platform's own host only (not its siblings): nothing there is plain HTTP.
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("WPSMONITOR_HSTS_PRELOAD")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    if not SECURE_HSTS_PRELOAD:
        # The preload list is the owner of the whole domain's decision (a ministry's domain
        # rarely belongs to the platform) and is hard to leave: off unless asked for, and the
        # deploy check's reminder of it silenced, as a decision taken.
        SILENCED_SYSTEM_CHECKS = ["security.W021"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # A 403 is logged as one line (method, path, user id), not with the refusal's traceback.
    "filters": {"forbidden_one_line": {"()": "wpsmonitor.core.logging.ForbiddenOneLine"}},
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("WPSMONITOR_LOG_LEVEL", "WARNING")},
    "loggers": {"django.request": {"filters": ["forbidden_one_line"]}},
}
