"""Forms posted from a shared (cached) page without a CSRF token, and ``GET /csrf/``.

A page shared by every anonymous reader cannot carry anyone's CSRF token, so its forms have an
empty ``csrfmiddlewaretoken``. With the site's script (``web/static/pagecache/personal.js``) the
token comes from ``GET /csrf/`` before the form is sent. Without the script the browser posts
the empty token; the page cache middleware then answers, before any view runs, a
confirmation page that writes nothing: the posted text filled in again, a real token for this
reader, and a button to send it for real (a 403, as the post itself was refused).

Why this is safe from cross-site request forgery: a forged post (another site making the
reader's browser submit a form to us) gets only this page, shown to the reader in their own
window; nothing is written. The other site cannot read the page (same-origin policy), so it
never learns the token, and cannot press the button for the reader (pages are not framed:
``X-Frame-Options: DENY``). Posts whose ``Origin`` names another site get a plain refusal
without the form, so a forged post cannot even put words in front of the reader. The real
write still goes through Django's CSRF check with the token of this page.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from newsdesk.core.middleware import JSON_PATH_PREFIXES
from newsdesk.pagecache import registry

TOKEN_FIELD = "csrfmiddlewaretoken"  # noqa: S105 (a field name)
# Fields shown for editing on the confirmation page; every other one is carried hidden.
EDITABLE_FIELDS = ("body",)
# The API and webhooks are left out below too (``JSON_PATH_PREFIXES``).
ADMIN_PREFIXES = ("/admin/", "/django-admin/", "/api/")


def _form_post(request: HttpRequest) -> bool:
    content_type = request.content_type or ""
    return content_type in ("application/x-www-form-urlencoded", "multipart/form-data")


def is_tokenless_post(request: HttpRequest) -> bool:
    """A form from a shared page posted as it was served: its token field present but empty.

    Only our cached forms post an empty token field; anything else (no field, a wrong token,
    a token in the header) is left to Django's CSRF check as usual.
    """
    if request.method != "POST" or not _form_post(request):
        return False
    if request.path_info.startswith(ADMIN_PREFIXES):
        # The admins' pages are never shared (and their uploads set their own handlers).
        return False
    if request.path_info.startswith(JSON_PATH_PREFIXES):
        # The API and webhooks read their raw body, which request.POST would consume.
        return False
    if request.META.get(settings.CSRF_HEADER_NAME):
        return False
    return request.POST.get(TOKEN_FIELD, None) == ""


def _same_site(request: HttpRequest) -> bool:
    origin = request.headers.get("Origin")
    if not origin or origin == "null":
        # No Origin: an old browser; "null": a privacy-preserving one. Both are first-party
        # navigations in practice; the page still writes nothing.
        return origin is None
    ours = f"{request.scheme}://{request.get_host()}"
    trusted = set(getattr(settings, "CSRF_TRUSTED_ORIGINS", ()))
    return origin == ours or origin in trusted or urlsplit(origin).netloc == request.get_host()


def _own_referer(request: HttpRequest) -> str:
    referer = request.headers.get("Referer", "")
    parts = urlsplit(referer)
    if parts.scheme in ("http", "https") and parts.netloc == request.get_host():
        return referer
    return ""


def tokenless_post_answer(request: HttpRequest) -> HttpResponse:
    """The answer to a tokenless form post: a confirmation page, or a JSON refusal."""
    if "application/json" in request.headers.get("Accept", ""):
        return JsonResponse(
            {"detail": _("The form had no security token yet; reload the page and try again.")},
            status=403,
        )
    if not _same_site(request):
        return HttpResponse(
            render_to_string(
                "pagecache/refused_post.html",
                {"layout": registry.page_layout()},
                request=request,
            ),
            status=403,
        )
    fields = [
        (name, value)
        for name in request.POST
        if name != TOKEN_FIELD
        for value in request.POST.getlist(name)
    ]
    context = {
        "action": request.get_full_path(),
        "hidden": [(n, v) for n, v in fields if n not in EDITABLE_FIELDS],
        "editable": [(n, v) for n, v in fields if n in EDITABLE_FIELDS],
        "files": sorted(request.FILES),
        "back": _own_referer(request),
        "layout": registry.page_layout(),  # the site's look, as the apps registered it
    }
    response = HttpResponse(
        render_to_string("pagecache/confirm_post.html", context, request=request),
        status=403,
    )
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
@never_cache
def csrf_token_view(request: HttpRequest) -> JsonResponse:
    """``GET /csrf/``: this reader's CSRF token (the cookie is set with it), never cached."""
    response = JsonResponse({"token": get_token(request)})
    response["Cache-Control"] = "private, no-store"
    return response
