"""How the discussion appears in pages other apps own: the thread under each article, and
comment counts on listings (through the slots of ``web/slots.py``)."""

from django.template.loader import render_to_string
from wagtail import hooks

from newsdesk.articles.models import ArticlePage
from newsdesk.discussion import selectors
from newsdesk.discussion.forms import CommentForm
from newsdesk.discussion.readers import reader_from_request

SORT_LABELS = [("best", "best"), ("newest", "newest"), ("oldest", "oldest")]


def _page_number(value) -> int:
    try:
        return max(1, int(value))
    except (TypeError, ValueError):
        return 1


@hooks.register("newsdesk_slot_article_discussion")
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


@hooks.register("newsdesk_annotate_articles")
def attach_comment_counts(articles) -> None:
    counts = selectors.comment_counts_for_articles(article_ids=[a.pk for a in articles])
    for article in articles:
        article.comment_count = counts.get(article.pk, 0)


@hooks.register("newsdesk_slot_article_card_meta")
def comment_count(context) -> str:
    article = context.get("article")
    count = getattr(article, "comment_count", 0) if article is not None else 0
    if not count:
        return ""
    return render_to_string(
        "discussion/card_meta.html",
        {"count": count, "url": article.get_url(context.get("request"))},
    )


@hooks.register("newsdesk_worker_startup")
def close_old_threads() -> None:
    from newsdesk.discussion.services import threads_auto_close

    threads_auto_close()


@hooks.register("newsdesk_worker_periodic")
def truncate_old_ip_addresses() -> None:
    from newsdesk.discussion.services.retention import comment_ips_truncate

    comment_ips_truncate()
