"""Aggregate click counts (only where ``NEWSLETTER_CLICK_COUNTS`` is on): an issue's links
go through ``/newsletter/c/<send>/<signed url>/``, which adds one to that link's count and
redirects to it. The address is signed with the send's number, so the endpoint leads only
to a link that was in that issue (never an open redirect); who clicked is never recorded.
"""

import html as html_lib
import re

from django.core import signing
from django.db.models import F
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from newsdesk.core.siteurl import absolute_url
from newsdesk.newsletters.models_sending import LinkClick, Send

_HREF = re.compile(r'href="(https?://[^"]+)"')


def _salt(send_id: int) -> str:
    return f"newsdesk.newsletters.click.{send_id}"


def click_url(*, send_id: int, url: str) -> str:
    """The counted address of ``url`` in send ``send_id``."""
    token = signing.dumps(url, salt=_salt(send_id), compress=True)
    return absolute_url(
        path=reverse("newsletters:click", kwargs={"send_id": send_id, "token": token})
    )


def links_counted(*, html: str, send_id: int) -> str:
    """The issue's HTML with every web link (``href="http..."``) made a counted one; the
    per-recipient placeholders (unsubscribe, preferences) are not links yet and stay."""
    return _HREF.sub(
        lambda m: f'href="{click_url(send_id=send_id, url=html_lib.unescape(m.group(1)))}"', html
    )


@never_cache
@require_GET
def click_view(request: HttpRequest, send_id: int, token: str) -> HttpResponse:
    """Count one click and redirect to the link; an address the site did not sign for this
    send is a 404 (nothing counted)."""
    try:
        url = signing.loads(token, salt=_salt(send_id))
    except signing.BadSignature:
        raise Http404("Unknown link") from None
    if not isinstance(url, str) or not url.startswith(("http://", "https://")):
        raise Http404("Unknown link")
    if not Send.objects.filter(pk=send_id).exists():
        raise Http404("Unknown link")
    counted = LinkClick.objects.filter(send_id=send_id, url=url).update(count=F("count") + 1)
    if not counted:
        LinkClick.objects.get_or_create(send_id=send_id, url=url, defaults={"count": 0})
        LinkClick.objects.filter(send_id=send_id, url=url).update(count=F("count") + 1)
    return HttpResponseRedirect(url)
