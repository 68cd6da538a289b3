"""The page cache's hooks into other apps' events: what they change outdates the pages that
show it. Every app announces its changes through a hook of ``core/hooks.py``; the page cache
names no app here."""

from wagtail import hooks

from newsdesk.core import hooks as newsdesk_hooks
from newsdesk.pagecache.middleware import rendering_tags_add
from newsdesk.pagecache.tags import LISTINGS_TAG, SITE_TAG, page_tag, pages_invalidate


@hooks.register(newsdesk_hooks.ANNOTATE_ARTICLES)
def tag_listed_articles(listed) -> None:
    """A listing shows each article's title and comment count: name them on the page."""
    rendering_tags_add(*(page_tag(article.pk) for article in listed))


@hooks.register(newsdesk_hooks.DISCUSSION_CHANGED)
def discussion_changed(*, article_ids: list[int], listings: bool = False) -> None:
    """What an article's page shows below its body changed (its discussion): outdate the
    article's page (every query variant and comment page) and the listings naming it."""
    tags = [page_tag(article_id) for article_id in article_ids]
    # A change listing pages show as well (a list of discussion, such as recent picks).
    pages_invalidate(tags=[*tags, LISTINGS_TAG] if listings else tags)


@hooks.register(newsdesk_hooks.SITE_UPGRADED)
def site_upgraded() -> None:
    """A new release may render every page differently: outdate them all."""
    pages_invalidate(tags=[SITE_TAG])


@hooks.register("after_create_snippet")
@hooks.register("after_edit_snippet")
@hooks.register("after_delete_snippet")
def snippet_changed(request, instance) -> None:
    """Snippets (authors, outlets...) show on many pages: outdate them all."""
    pages_invalidate(tags=[SITE_TAG])
