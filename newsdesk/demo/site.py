"""Point the Wagtail site at SITE_URL, so absolute URLs (feeds, sitemaps) name this server."""

from urllib.parse import urlsplit

from django.conf import settings
from wagtail.models import Site

from newsdesk.web.models import SiteIdentity


def load(*, stdout) -> None:
    parts = urlsplit(settings.SITE_URL)
    site = Site.objects.get(is_default_site=True)
    site.hostname = parts.hostname or "localhost"
    site.port = parts.port or (443 if parts.scheme == "https" else 80)
    site.site_name = "The Lantern"
    site.save()
    identity = SiteIdentity.load()
    if not identity.publisher_name:
        identity.publisher_name = "The Lantern"
        identity.tagline = "Independent news, paid for by its readers"
        identity.save()
    stdout.write(f"Site: {settings.SITE_URL}")
