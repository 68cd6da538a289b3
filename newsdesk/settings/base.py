"""Settings shared by every tier.

Everything that differs between a laptop and a newsroom comes from environment variables;
with none set, the laptop tier runs: SQLite in ``var/``, a cache on disk (diskcache), tasks
queued in the database and run by ``manage.py db_worker``. See the README for every variable.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.management.utils import get_random_secret_key

BASE_DIR = Path(__file__).resolve().parent.parent.parent
PROJECT_DIR = BASE_DIR / "newsdesk"


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# Runtime state of the laptop tier (database, media, cache, secret key) lives here.
DATA_DIR = Path(os.environ.get("NEWSDESK_DATA_DIR", BASE_DIR / "var")).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)


def _laptop_secret_key() -> str:
    """A random key kept in the data directory, so a laptop needs no set-up.

    Production settings refuse to start without SECRET_KEY in the environment.
    """
    path = DATA_DIR / "secret_key"
    if not path.exists():
        path.write_text(get_random_secret_key())
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = os.environ.get("SECRET_KEY") or _laptop_secret_key()
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1],testserver")
# Proxies whose X-Forwarded-For is believed (addresses or CIDR networks; none by default):
# behind the sample nginx, 127.0.0.1. See newsdesk/core/clientaddr.py.
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# The public address of the site, used in e-mails, feeds and sitemaps built outside a request.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    # Newsdesk's own apps, one per domain (see DESIGN.md).
    "newsdesk.core",
    "newsdesk.pagecache",
    "newsdesk.web",
    "newsdesk.accounts",
    "newsdesk.articles",
    "newsdesk.syndication",
    "newsdesk.discussion",
    "newsdesk.moderation",
    "newsdesk.funding",
    "newsdesk.demo",
    # Wagtail.
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.routable_page",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    # Background tasks: one API, a database queue by default, RQ on the newsroom tier.
    "django_tasks",
    "django_tasks_db",
    # Django.
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    # --- Accounts (django-allauth): sign-up, sign-in, e-mail verification, password reset.
    "allauth",
    "allauth.account",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # --- Accounts (django-allauth).
    "allauth.account.middleware.AccountMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "newsdesk.urls"
WSGI_APPLICATION = "newsdesk.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "newsdesk.web.context_processors.site_navigation",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{DATA_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
# How long a request waits for SQLite's lock before it gives up (and is answered 503).
SQLITE_BUSY_TIMEOUT_MS = int(os.environ.get("SQLITE_BUSY_TIMEOUT_MS", "20000"))
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Django's backend, with write transactions that wait for the lock in short steps
    # instead of SQLite's sleeps of 1, 2, 5 ms ... (newsdesk/web/sqlite/base.py).
    DATABASES["default"]["ENGINE"] = "newsdesk.core.sqlite"
    DATABASES["default"]["OPTIONS"] = {
        # Writers queue for the lock instead of failing with "database is locked": a write
        # transaction takes the lock when it begins, and a busy writer is waited for.
        "transaction_mode": "IMMEDIATE",
        "timeout": SQLITE_BUSY_TIMEOUT_MS / 1000,
        "init_command": (
            "PRAGMA journal_mode=WAL;"
            "PRAGMA synchronous=NORMAL;"
            "PRAGMA foreign_keys=ON;"
            f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS};"
        ),
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache ----------------------------------------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            # Django's Redis backend with a one-write counter (newsdesk/core/cachebackend.py).
            "BACKEND": "newsdesk.core.cachebackend.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "newsdesk",
        }
    }
else:
    # A cache on disk is shared by the web processes and the worker, so the worker can
    # invalidate what a web process cached. diskcache keeps it in SQLite files (sharded, so
    # writers rarely wait): an operation costs tens of microseconds where Django's file
    # cache, which writes a file and lists its folder for every set, cost about a millisecond.
    # Pages (the largest values) stay inside SQLite rather than in files of their own.
    CACHES = {
        "default": {
            "BACKEND": "newsdesk.core.cachebackend.DiskCache",
            "LOCATION": str(DATA_DIR / "cache"),
            "TIMEOUT": 300,
            "SHARDS": 8,
            # How long one operation waits for a shard held by another process before it
            # tries again (diskcache retries until it succeeds).
            "DATABASE_TIMEOUT": 0.25,
            "OPTIONS": {
                "size_limit": int(os.environ.get("CACHE_SIZE_LIMIT_MB", "512")) * 2**20,
                "disk_min_file_size": 2**22,
            },
        }
    }

# Each process's copies of moderation's settings, bans and model and of which articles are
# open (newsdesk/core/processcache.py): how often it checks they are still current.
PROCESS_CACHE_CHECK_SECONDS = float(os.environ.get("PROCESS_CACHE_CHECK_SECONDS", "1"))

# --- Background tasks -----------------------------------------------------------------------
TASKS_BACKEND = os.environ.get("TASKS_BACKEND", "rq" if REDIS_URL else "database")
# On RQ, tasks written to the outbox with a comment or a gift and not handed over this long
# after are queued by the worker (newsdesk/core/taskqueue.py).
TASK_OUTBOX_GRACE_SECONDS = float(os.environ.get("TASK_OUTBOX_GRACE_SECONDS", "10"))
if TASKS_BACKEND == "rq":
    INSTALLED_APPS.append("django_rq")
    # Its dashboard (Django's admin) answers a 404, not a 500, for a job that is gone.
    MIDDLEWARE.append("newsdesk.core.middleware.MissingQueuedJobMiddleware")
    RQ_QUEUES = {"default": {"URL": REDIS_URL or "redis://127.0.0.1:6379/0"}}
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
elif TASKS_BACKEND == "immediate":
    TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
else:
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# --- Auth -----------------------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "/accounts/login/"

# --- Accounts (django-allauth) ---------------------------------------------------------------
# Readers sign up with an e-mail address they must verify, sign in by e-mail, and choose a
# public name (the username); the e-mail address is never shown publicly.
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "username*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = os.environ.get("ACCOUNT_EMAIL_SUBJECT_PREFIX", "")
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if SITE_URL.startswith("https") else "http"
# Its rate limits and lock-out count the reader's address behind TRUSTED_PROXIES, not the proxy.
ACCOUNT_ADAPTER = "newsdesk.accounts.adapter.AccountAdapter"
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/300s/key",
    "signup": "10/m/ip",
    "confirm_email": "1/180s/key",
    "reset_password": "10/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "change_password": "5/m/user",
    "manage_email": "10/m/user",
}
LOGIN_REDIRECT_URL = "/"

# --- The reader's address behind TRUSTED_PROXIES (core/clientaddr.py), first of all --------
MIDDLEWARE.insert(0, "newsdesk.core.clientaddr.ClientAddressMiddleware")

# --- Security headers, Content Security Policy and outages (web) ----------------------------
# Every response carries these headers (production.py adds HTTPS-only cookies and HSTS).
# The public site runs no inline script: script-src is 'self' only (JSON-LD blocks are data,
# never executed). Wagtail's and Django's admins need inline scripts and frame Wagtail's
# preview, so they are left out of the policy and keep their own protections.
INSTALLED_APPS.append("csp")
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
    "csp.middleware.CSPMiddleware",
)
# Database or Redis unreachable: a 503 with Retry-After instead of a 500 (newsdesk/web).
MIDDLEWARE.insert(
    MIDDLEWARE.index("csp.middleware.CSPMiddleware") + 1,
    "newsdesk.core.middleware.OutageMiddleware",
)
# Query strings and forms that are not UTF-8: a 400 saying so, not silently altered text.
MIDDLEWARE.insert(
    MIDDLEWARE.index("newsdesk.core.middleware.OutageMiddleware") + 1,
    "newsdesk.core.middleware.Utf8RequestMiddleware",
)
OUTAGE_RETRY_AFTER_SECONDS = int(os.environ.get("OUTAGE_RETRY_AFTER_SECONDS", "10"))
CONTENT_SECURITY_POLICY = {
    "EXCLUDE_URL_PREFIXES": ["/admin/", "/django-admin/"],
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        # Wagtail's responsive embeds and rich text carry style attributes; styles cannot
        # run code, so inline styles are allowed where inline scripts are not.
        "style-src": ["'self'", "'unsafe-inline'"],
        # Partner stories reference images on the partners' own sites.
        "img-src": ["'self'", "data:", "https:"],
        "media-src": ["'self'", "https:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        # The video embeds the sanitizer lets through (core/sanitize.py).
        "frame-src": [
            "https://www.youtube.com",
            "https://youtube.com",
            "https://www.youtube-nocookie.com",
            "https://player.vimeo.com",
        ],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        # The donate form redirects to Stripe Checkout.
        "form-action": ["'self'", "https://checkout.stripe.com"],
    },
}
# Wagtail's preview frames the page from the same origin; it sets SAMEORIGIN on that view
# itself (and /admin/ has no CSP), so every other page may refuse to be framed at all.
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
# No script of ours reads the CSRF cookie (discussion.js posts the form's own token).
CSRF_COOKIE_HTTPONLY = True
if REDIS_URL:
    # A Redis that stops answering fails a request within seconds (a 503) instead of
    # holding every worker until it returns.
    CACHES["default"]["OPTIONS"] = {
        "socket_connect_timeout": float(os.environ.get("REDIS_TIMEOUT_SECONDS", "2")),
        "socket_timeout": float(os.environ.get("REDIS_TIMEOUT_SECONDS", "2")),
    }
# --- end of security headers, Content Security Policy and outages ----------------------------

# --- Page cache (pagecache): anonymous readers' pages served whole from CACHES -------------
# Right after CSRF: it reads the visitor's CSRF cookie before the page cache fills their token
# into a cached page, and sets the cookie afterwards. See docs/production.md.
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.middleware.csrf.CsrfViewMiddleware") + 1,
    "newsdesk.pagecache.middleware.PageCacheMiddleware",
)
PAGECACHE_ENABLED = env_bool("PAGECACHE_ENABLED", True)
# The longest a rendered page is kept; changes outdate it at once anyway.
PAGECACHE_SECONDS = int(os.environ.get("PAGECACHE_SECONDS", "3600"))
# Browsers and proxies may keep pages without forms this long (the bar can lag that much there).
PAGECACHE_BROWSER_MAX_AGE = int(os.environ.get("PAGECACHE_BROWSER_MAX_AGE", "30"))
PAGECACHE_STALE_WHILE_REVALIDATE = int(os.environ.get("PAGECACHE_STALE_WHILE_REVALIDATE", "300"))
# Clock difference tolerated between machines that render and invalidate pages.
PAGECACHE_CLOCK_MARGIN = float(os.environ.get("PAGECACHE_CLOCK_MARGIN", "0.5"))
# Slots drawn on every serve rather than cached (the campaign bar).
PAGECACHE_LATE_SLOTS = env_list("PAGECACHE_LATE_SLOTS", "page_top")
# --- end of page cache -------------------------------------------------------------------------

# --- Internationalization -------------------------------------------------------------------
LANGUAGE_CODE = os.environ.get("LANGUAGE_CODE", "en-us")
TIME_ZONE = os.environ.get("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

# --- Static and media -----------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", DATA_DIR / "static"))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", DATA_DIR / "media"))
# The laptop tier has no web server in front, so Django serves uploaded media itself.
SERVE_MEDIA = env_bool("SERVE_MEDIA", True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = env_bool("WHITENOISE_USE_FINDERS", True)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- E-mail ---------------------------------------------------------------------------------
if os.environ.get("EMAIL_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = os.environ["EMAIL_HOST"]
    EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
else:
    EMAIL_BACKEND = os.environ.get(
        "EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
    )
    # With the file backend (used by the browser tests), each message is a file here.
    EMAIL_FILE_PATH = os.environ.get("EMAIL_FILE_PATH", str(DATA_DIR / "mail"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "newsdesk@localhost")

# --- Wagtail --------------------------------------------------------------------------------
WAGTAIL_SITE_NAME = os.environ.get("SITE_NAME", "Newsdesk")
WAGTAILADMIN_BASE_URL = SITE_URL
WAGTAILIMAGES_IMAGE_MODEL = "articles.NewsImage"
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 20 * 1024 * 1024
WAGTAILIMAGES_IMAGE_FORM_BASE = "newsdesk.articles.forms.NewsImageForm"  # no metadata
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAILSEARCH_BACKENDS = {
    # The database backend picks SQLite's FTS5 or PostgreSQL's full-text search by itself.
    "default": {"BACKEND": "wagtail.search.backends.database"},
}
WAGTAILEMBEDS_RESPONSIVE_HTML = True
# Wagtail's oEmbed providers, asked through connections that reach only public addresses
# (an editor's embed URL must not make the server fetch inside our network).
WAGTAILEMBEDS_FINDERS = [{"class": "newsdesk.core.embeds"}]
WAGTAILDOCS_EXTENSIONS = ["csv", "pdf", "txt", "xlsx", "docx", "odt", "ods"]

# --- Logging --------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    "loggers": {
        "newsdesk": {
            "handlers": ["console"],
            "level": os.environ.get("LOG_LEVEL", "INFO"),
            "propagate": False,
        },
    },
}
