"""The installed applications, in one list; the RQ tier adds its dashboard by a flag."""

from .tasks import TASKS_BACKEND

INSTALLED_APPS = [
    # Newsdesk's own apps, one per domain (see DESIGN.md and docs/architecture.md).
    "newsdesk.core",
    "newsdesk.pagecache",
    "newsdesk.web",
    "newsdesk.accounts",
    "newsdesk.articles",
    "newsdesk.syndication",
    "newsdesk.discussion",
    "newsdesk.moderation",
    "newsdesk.funding",
    "newsdesk.newsletters",
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
    # Accounts (django-allauth): sign-up, sign-in, e-mail verification, password reset.
    "allauth",
    "allauth.account",
    # RQ's dashboard in Django's admin, on the tier that queues tasks in Redis.
    *(["django_rq"] if TASKS_BACKEND == "rq" else []),
    # Content Security Policy (security.py).
    "csp",
]
