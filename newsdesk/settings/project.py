"""The project's wiring: its address, URLs, templates, language and time."""

from .env import env_str

# The public address of the site, for links built outside a request (e-mails, tasks); read
# through newsdesk/core/siteurl.py. Unset, `manage.py serve` uses the address it binds (and
# hands it to its processes as SITE_URL); without serve, DEFAULT_SITE_URL.
SITE_URL = env_str("SITE_URL").rstrip("/")
DEFAULT_SITE_URL = "http://127.0.0.1:8000"

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
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "newsdesk.web.context_processors.site_navigation",
            ],
        },
    },
]

TIME_ZONE = env_str("TIME_ZONE", "UTC")
USE_TZ = True
# Logging: observability.py (LOG_FORMAT, LOG_LEVEL).
