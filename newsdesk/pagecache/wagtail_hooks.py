"""The page cache's hooks into other apps' events."""

from wagtail import hooks

from newsdesk.pagecache import SITE_TAG, article_pages_changed, page_tag, pages_invalidate
from newsdesk.pagecache.middleware import rendering_tags_add


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
