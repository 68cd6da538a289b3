"""The page cache's hooks into other apps' events: what they change outdates the pages that
show it. Every app announces its changes through a hook of ``core/hooks.py``; the page cache
names no app here."""

from django.utils.html import json_script
from django.utils.safestring import SafeString
from django.utils.translation import pgettext
from wagtail import hooks

from newsdesk.core import hooks as newsdesk_hooks
from newsdesk.pagecache.middleware import rendering_tags_add
from newsdesk.pagecache.tags import LISTINGS_TAG, SITE_TAG, page_tag, pages_invalidate

# The words ``static/pagecache/personal.js`` writes into a page, in the page's language.
MESSAGES_ID = "pagecache-messages"


@hooks.register(newsdesk_hooks.SLOT_PAGE_BOTTOM)
def script_messages(context) -> SafeString:
    """The labels of the controls the script adds to a signed-in reader's own comments, as a
    JSON block the script reads (English stays its fallback)."""
    return json_script(
        {
            "edit": pgettext("comment action", "Edit"),
            "delete": pgettext("comment action", "Delete"),
        },
        MESSAGES_ID,
    )


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
    """Snippets (authors, outlets, quiet hours...) show on many pages: outdate them all,
    until every process has read them afresh."""
    pages_invalidate(tags=[SITE_TAG], settle=True)
