"""Site-wide views: robots.txt, /favicon.ico and the error pages."""

from decimal import Decimal
from functools import cache
from pathlib import Path

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.cache import patch_cache_control
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from newsdesk.core.middleware import bad_request_response, reader_language
from newsdesk.web.slots import slot_render


def robots_txt(request):
    """Keep crawlers out of the admin and the API; the apps add their lines through the
    ``robots_txt`` slot (articles: search results out, the sitemaps named)."""
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /django-admin/",
        "Disallow: /api/",
    ]
    added = str(slot_render(name="robots_txt", context={"request": request})).strip("\n")
    if added:
        lines.append(added)
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


FAVICON = Path(__file__).parent / "static" / "web" / "favicon.ico"
# A day: browsers ask for /favicon.ico on their own whatever the page says, so its answer
# should be cheap and kept (the pages name the SVG and this file by <link rel="icon">).
FAVICON_MAX_AGE = 24 * 60 * 60


@cache
def _favicon_bytes() -> bytes:
    return FAVICON.read_bytes()


@require_safe
def favicon_ico(request):
    """The site's icon at the address browsers and crawlers try without being told."""
    response = HttpResponse(_favicon_bytes(), content_type="image/x-icon")
    patch_cache_control(response, public=True, max_age=FAVICON_MAX_AGE)
    return response


def bad_request_message(exception: BaseException | None) -> str:
    """What was wrong with a request Django refused before any view ran, in plain words."""
    if isinstance(exception, RequestDataTooBig):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE / (1024 * 1024)
        return _(
            "The request is too large: form data and JSON may be at most %(limit)s MB. "
            "Nothing was saved."
        ) % {"limit": number_format(Decimal(f"{limit:g}"))}
    if isinstance(exception, TooManyFieldsSent):
        return _("The request has too many fields (at most %(limit)s). Nothing was saved.") % {
            "limit": _count(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS)
        }
    if isinstance(exception, TooManyFilesSent):
        return _("The request has too many files (at most %(limit)s). Nothing was saved.") % {
            "limit": _count(settings.DATA_UPLOAD_MAX_NUMBER_FILES)
        }
    return _("The request could not be understood. Nothing was saved.")


def _count(number: int) -> str:
    """A count grouped by thousands as the active language groups them (1,000 in English)."""
    return number_format(number, force_grouping=True)


def bad_request(request, exception=None):
    """400 for a request refused before its view (too large, too many fields, malformed):
    JSON ``{"detail": ...}`` for the API and scripts, a page for browsers."""
    with reader_language(request):
        return bad_request_response(request, bad_request_message(exception))


def page_not_found(request, exception=None):
    return render(request, "web/404.html", status=404)


def too_many_requests(request, exception=None):
    """429 for allauth's sign-in, sign-up and password-reset limits (it looks up
    ``handler429`` in the root URL configuration): a page in the site's own layout."""
    return render(request, "web/429.html", status=429)


def server_error(request):
    # No template context processors: whatever failed may fail again while rendering.
    return HttpResponse(render_to_string("web/500.html"), status=500)
