"""What the site's look tells the page cache: how a late slot is drawn on every serve, and the
layout of its own pages (the confirmation of a tokenless post)."""

from wagtail import hooks

from newsdesk.core import hooks as newsdesk_hooks
from newsdesk.web.slots import late_slot_render


@hooks.register(newsdesk_hooks.PAGECACHE_RULES)
def page_cache_rules() -> newsdesk_hooks.PageCacheRules:
    """The page cache draws the late slots (the campaign bar) with the slots' own renderer
    and shows its pages in the site's layout, so it names nothing of web."""
    return newsdesk_hooks.PageCacheRules(
        late_slot_renderers=(late_slot_render,), page_layout="web/base.html"
    )
