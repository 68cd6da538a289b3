"""The site's own address and name, for what is built outside a request.

A link made while answering a request comes from that request (its host, or the Wagtail
``Site`` it found). A link made without one (an e-mail the worker sends, a receipt, a
Stripe return address) comes from ``site_url()``, whose value is, in this order:

1. ``SITE_URL`` when set (a newsroom names its public address; ``manage.py serve`` also hands
   its choice to the web processes and the worker it starts this way, so all agree);
2. the address ``manage.py serve`` binds, in serve's own process (``site_url_bind``), so
   ``PORT=8400 make demo`` links to port 8400 without further setting;
3. ``DEFAULT_SITE_URL`` (``http://127.0.0.1:8000``), what ``serve`` binds by default.

``serve`` also points a default Wagtail ``Site`` that is still on a local address at
``site_url()`` (``default_site_follow``), so the links Wagtail builds during requests
(canonical, sitemap, feeds) name the port the site runs on; a ``Site`` an editor gave a real
host name is left alone.
"""

from urllib.parse import urlsplit

from django.http import HttpRequest
from wagtail.models import Site

from newsdesk.core.conf import setting

# Host names a laptop site answers on: a default Site on one of them follows serve's address.
LOCAL_HOSTNAMES = frozenset({"", "localhost", "127.0.0.1", "::1", "0.0.0.0", "::"})  # noqa: S104

# The address serve binds in this process ("" outside serve); set once, before anything runs.
_bound = ""


def serve_address(*, host: str, port: int) -> str:
    """The address a browser on this machine uses to reach ``host:port``: a wildcard bind
    (``0.0.0.0``, ``::``) is reached at the loopback address, an IPv6 host in brackets."""
    if host in ("", "0.0.0.0"):  # noqa: S104 - naming the wildcard, not binding it
        host = "127.0.0.1"
    elif host == "::":
        host = "::1"
    if ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{port}"


def site_url_bind(*, url: str) -> str:
    """Record the address ``manage.py serve`` binds (``url``, as ``serve_address`` gives it)
    for this process; return ``site_url()``, which is it unless ``SITE_URL`` is set."""
    global _bound
    _bound = url.rstrip("/")
    return site_url()


def site_url() -> str:
    """The site's public address, scheme and host (and port), without a trailing slash:
    ``SITE_URL``, else the address serve binds in this process, else ``DEFAULT_SITE_URL``."""
    explicit = (setting("SITE_URL") or "").rstrip("/")
    return explicit or _bound or setting("DEFAULT_SITE_URL").rstrip("/")


def absolute_url(*, path: str) -> str:
    """``path`` (``/donate/cancel/...``) on the site's address, for links made outside a
    request."""
    return site_url() + path


def site_name(*, request: HttpRequest | None = None) -> str:
    """The site's name as e-mails sign it: the Wagtail ``Site`` of ``request`` (the default
    site without one), else ``WAGTAIL_SITE_NAME``."""
    site = Site.find_for_request(request) if request is not None else None
    if site is None:
        site = Site.objects.filter(is_default_site=True).only("site_name").first()
    return (site.site_name if site else "") or setting("WAGTAIL_SITE_NAME")


def default_site_follow(*, url: str) -> bool:
    """Point the default Wagtail ``Site`` at ``url`` if it is on a local address (a laptop's
    site: a fresh install's ``localhost``, the demo's ``127.0.0.1``) and not there already;
    return whether it changed. A site with a real host name is an editor's choice: kept."""
    parts = urlsplit(url)
    hostname = parts.hostname or "localhost"
    port = parts.port or (443 if parts.scheme == "https" else 80)
    site = Site.objects.filter(is_default_site=True).first()
    if site is None or site.hostname not in LOCAL_HOSTNAMES:
        return False
    if (site.hostname, site.port) == (hostname, port):
        return False
    site.hostname, site.port = hostname, port
    # Saving the Site refreshes Wagtail's cached site root paths in every process.
    site.save(update_fields=["hostname", "port"])
    return True
