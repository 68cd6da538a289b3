"""The live endpoints: thin, answered the same for every reader.

``thread_live`` answers from the cached document (``state.live_document_get``): a poll whose
``If-None-Match`` names the current ``ETag`` gets a 304, without a database query once the
web process knows the article. ``thread_live_comments`` draws the published comments the page
asks for with the thread's own renderer, as for a reader with no comment of their own (the
page's script adds the reader's parts, as on a page from the shared cache).
"""

from django.conf import settings
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseNotModified,
    JsonResponse,
)
from django.utils.cache import patch_cache_control
from django.utils.http import parse_etags
from django.utils.translation import gettext as _
from django.utils.translation import override
from django.views.decorators.http import require_GET

from newsdesk.articles.models import ArticlePage
from newsdesk.discussion.comment_html import comment_html
from newsdesk.discussion.live.selectors import FRAGMENTS_MAX, live_nodes_get
from newsdesk.discussion.live.state import live_document_get, poll_seconds
from newsdesk.discussion.selectors import article_open_get
from newsdesk.discussion.services.comments import thread_is_open

# Browsers and shared caches (nginx, a CDN) may answer from their copy this long, then
# revalidate: short beside the page's poll, so a new comment is seen within a poll or two.
MAX_AGE_SECONDS = 5


def _article_or_404(article_id: int) -> ArticlePage:
    article = article_open_get(article_id=article_id)
    if article is None or not poll_seconds():
        raise Http404("No live thread here.")
    return article


def _shared(response: HttpResponse) -> HttpResponse:
    patch_cache_control(response, public=True, max_age=MAX_AGE_SECONDS)
    return response


@require_GET
def thread_live(request: HttpRequest, article_id: int) -> HttpResponse:
    """``GET /discussion/articles/<id>/live``: the thread's live document (JSON)."""
    _article_or_404(article_id)
    document = live_document_get(article_id=article_id)
    if document.etag in parse_etags(request.headers.get("If-None-Match", "")):
        response: HttpResponse = HttpResponseNotModified()
    else:
        response = HttpResponse(document.body, content_type="application/json")
    response["ETag"] = document.etag
    return _shared(response)


def _ids(value: str) -> list[int] | None:
    """``ids=3,5,8``: at most ``FRAGMENTS_MAX`` positive numbers; None for anything else."""
    parts = [part for part in value.split(",") if part]
    if not parts or len(parts) > FRAGMENTS_MAX:
        return None
    if not all(part.isascii() and part.isdigit() and len(part) <= 18 for part in parts):
        return None
    ids = [int(part) for part in parts]
    return ids if all(ids) else None


@require_GET
def thread_live_comments(request: HttpRequest, article_id: int) -> HttpResponse:
    """``GET /discussion/articles/<id>/live/comments?ids=3,5,8&lang=es``: those of the
    comments that are published in this thread, as the thread draws them (JSON: id, parent,
    html), in the page's language (``lang``, one of the site's; the script sends no cookie,
    and the address names the language, so shared caches keep each apart). An id of a held,
    rejected, deleted or other thread's comment is left out, never told apart."""
    language = request.GET.get("lang", "")
    if language in {code for code, _name in settings.LANGUAGES}:
        with override(language):
            return _live_comments(request, article_id)
    return _live_comments(request, article_id)


def _live_comments(request: HttpRequest, article_id: int) -> HttpResponse:
    article = _article_or_404(article_id)
    ids = _ids(request.GET.get("ids", ""))
    if ids is None:
        return JsonResponse(
            {
                "detail": _("ids must list 1 to %(max)s comment numbers, comma-separated.")
                % {"max": FRAGMENTS_MAX}
            },
            status=400,
        )
    nodes = live_nodes_get(article_id=article.pk, comment_ids=ids)
    thread_open = thread_is_open(nodes[0].comment.thread, article=article) if nodes else False
    comments = [
        {
            "id": node.comment.pk,
            "parent": node.comment.parent_id,
            # No token in the forms: the page's script fills the reader's in (personal.js).
            "html": str(comment_html(node=node, thread_open=thread_open, csrf_token=None)),
        }
        for node in nodes
    ]
    return _shared(JsonResponse({"comments": comments}))
