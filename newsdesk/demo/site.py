"""The demo site's identity: its address, its name, tagline and publisher logo.

Pointing the Wagtail site at the site's address (``core.siteurl.site_url``: SITE_URL, else
the address ``serve`` binds) makes the absolute URLs Wagtail builds (canonical links, feeds,
sitemaps) name this server; ``serve`` points it again at each start, so another ``PORT``
moves it. Name, tagline and logo are set only where empty, so an editor's changes survive a
rerun.
"""

from urllib.parse import urlsplit

from django.utils.translation import gettext_lazy
from wagtail.models import Site

from newsdesk.core.siteurl import site_url
from newsdesk.demo.images import logo_get_or_create
from newsdesk.web.models import SiteIdentity

SITE_NAME = "The Lantern"
# Written in the site's language when the demo loads (an editor's words afterwards).
TAGLINE = gettext_lazy("Independent news, paid for by its readers")
# The name a fresh install gives its site (articles' migration 0002): the demo renames it.
INSTALL_SITE_NAME = "Newsdesk"


def load(*, stdout) -> None:
    address = site_url()
    parts = urlsplit(address)
    site = Site.objects.get(is_default_site=True)
    site.hostname = parts.hostname or "localhost"
    site.port = parts.port or (443 if parts.scheme == "https" else 80)
    if site.site_name in (None, "", INSTALL_SITE_NAME):
        site.site_name = SITE_NAME
    site.save()
    identity = SiteIdentity.load()
    changed = False
    if not identity.publisher_name:
        identity.publisher_name = SITE_NAME
        identity.tagline = str(TAGLINE)
        changed = True
    if identity.publisher_logo_id is None:
        identity.publisher_logo = logo_get_or_create()
        changed = True
    if changed:
        identity.save()
    stdout.write(f"Site: {SITE_NAME} at {address}")
