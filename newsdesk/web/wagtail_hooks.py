"""The page cache's hooks into other apps' events (see ``web/pagecache``), and the worker's
recovery of tasks a dead worker left behind (see ``web/taskrecovery``) or a dead web process
left in the outbox (see ``web/taskqueue``)."""

from wagtail import hooks

from newsdesk.web.pagecache import SITE_TAG, article_pages_changed, page_tag, pages_invalidate
from newsdesk.web.pagecache.middleware import rendering_tags_add
from newsdesk.web.taskqueue import outbox_flush
from newsdesk.web.taskrecovery import tasks_abandoned_requeue


@hooks.register("newsdesk_annotate_articles")
def tag_listed_articles(articles) -> None:
    """A listing shows each article's title and comment count: name them on the page."""
    rendering_tags_add(*(page_tag(article.pk) for article in articles))


@hooks.register("newsdesk_comment_assessed")
def comment_assessed(comment, assessment) -> None:
    """A new comment readers can see, or any edit, changes its article's page; a held,
    rejected or shadowed new comment changes nothing anonymous readers see."""
    if comment.is_public or comment.edited_at is not None:
        article_pages_changed(article_id=comment.thread.article_id)


@hooks.register("after_create_snippet")
@hooks.register("after_edit_snippet")
@hooks.register("after_delete_snippet")
def snippet_changed(request, instance) -> None:
    """Snippets (authors, outlets...) show on many pages: outdate them all."""
    pages_invalidate(tags=[SITE_TAG])


@hooks.register("newsdesk_worker_startup")
@hooks.register("newsdesk_worker_periodic")
def requeue_abandoned_tasks() -> None:
    """Tasks a killed worker had claimed run again instead of staying RUNNING for ever."""
    tasks_abandoned_requeue()


@hooks.register("newsdesk_worker_startup")
@hooks.register("newsdesk_worker_periodic")
def hand_over_outbox_tasks() -> None:
    """Tasks a web process wrote with its transaction but died before queueing (RQ tier)."""
    outbox_flush()
