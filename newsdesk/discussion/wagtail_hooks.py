"""How the discussion appears in pages other apps own: the thread under each article, and
comment counts on listings (through the slots of ``web/slots.py``); what the page cache must
know of it (the guest's cookie and header, the thread's query parameters on an article's
page, discussion's own URLs); the worker's duties."""

import re

from django.template.loader import render_to_string
from wagtail import hooks

from newsdesk.articles.models import ArticlePage
from newsdesk.core import hooks as newsdesk_hooks
from newsdesk.discussion import conf, selectors
from newsdesk.discussion.forms import CommentForm
from newsdesk.discussion.readers import GUEST_HEADER, reader_from_request

SORT_LABELS = [("best", "best"), ("newest", "newest"), ("oldest", "oldest")]
# Wagtail's page view, where the thread renders below an article.
WAGTAIL_PAGES = ("", "wagtail_serve")
# ``readers.GUEST_HEADER`` (as ``request.META`` names it) as the header's own name.
GUEST_HEADER_NAME = "-".join(
    word.capitalize() for word in GUEST_HEADER.removeprefix("HTTP_").split("_")
)


@hooks.register(newsdesk_hooks.PAGECACHE_RULES)
def page_cache_rules() -> newsdesk_hooks.PageCacheRules:
    """A guest's cookie or token header shows that guest's comments awaiting moderation, so
    such a request is theirs alone; an article's page reads the thread's sort and comment
    page (``article_discussion``); discussion's own URLs (forms, permalinks) are never
    shared."""
    return newsdesk_hooks.PageCacheRules(
        personal_cookies=(conf.GUEST_COOKIE,),
        personal_headers=(GUEST_HEADER_NAME,),
        public_routes={
            WAGTAIL_PAGES: {
                "sort": "|".join(re.escape(sort) for sort in selectors.SORTS),
                "cpage": newsdesk_hooks.PAGE_NUMBER,
            }
        },
        private_prefixes=("/discussion/",),
    )


def _page_number(value) -> int:
    try:
        return max(1, int(value))
    except (TypeError, ValueError):
        return 1


@hooks.register(newsdesk_hooks.SLOT_ARTICLE_DISCUSSION)
def article_discussion(context) -> str:
    page = context.get("page")
    request = context.get("request")
    if not isinstance(page, ArticlePage) or request is None:
        return ""
    thread_page = selectors.thread_page_get(
        article=page,
        reader=reader_from_request(request),
        sort=request.GET.get("sort"),
        page=_page_number(request.GET.get("cpage")),
    )
    return render_to_string(
        "discussion/thread.html",
        {"tp": thread_page, "article": page, "form": CommentForm(), "sorts": SORT_LABELS},
        request=request,
    )


@hooks.register(newsdesk_hooks.ANNOTATE_ARTICLES)
def attach_comment_counts(articles) -> None:
    counts = selectors.comment_counts_for_articles(article_ids=[a.pk for a in articles])
    for article in articles:
        article.comment_count = counts.get(article.pk, 0)


@hooks.register(newsdesk_hooks.SLOT_ARTICLE_CARD_META)
def comment_count(context) -> str:
    article = context.get("article")
    count = getattr(article, "comment_count", 0) if article is not None else 0
    if not count:
        return ""
    return render_to_string(
        "discussion/card_meta.html",
        {"count": count, "url": article.get_url(context.get("request"))},
    )


@hooks.register(newsdesk_hooks.WORKER_STARTUP)
def close_old_threads() -> None:
    from newsdesk.discussion.services import threads_auto_close

    threads_auto_close()


@hooks.register(newsdesk_hooks.WORKER_PERIODIC)
def truncate_old_ip_addresses() -> None:
    from newsdesk.discussion.services.retention import comment_ips_truncate

    comment_ips_truncate()
