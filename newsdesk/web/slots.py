"""Named places in the page templates that other apps fill.

``articles`` and ``web`` know nothing of discussion, moderation or funding (DESIGN.md): their
templates name a slot, and those apps register renderers for it with Wagtail's hook registry,
in their ``wagtail_hooks.py``, under the hook names of ``core/hooks.py``::

    @hooks.register(newsdesk_hooks.SLOT_PAGE_TOP)
    def campaign_bar(context) -> str: ...

A slot nobody fills renders nothing (nor does a name that is no slot: ``core.hooks.SLOTS``).

A *late* slot (``PAGECACHE_LATE_SLOTS``, the campaign bar's ``page_top``) is left as a marker
when a page is rendered for the page cache and drawn on every serve of the cached copy
(``pagecache/fill.py``, with ``late_slot_render`` that web registers with the page cache in
``web/wagtail_hooks.py``); its renderers then get a context holding only ``request``.

The slots, in the order a reader meets them:

``head``                extra tags in <head> (styles, scripts of an app)
``head_feeds``          the site's feeds in <head> (articles' RSS and Atom links)
``page_top``            the very top of every page, above the masthead (the campaign bar)
``masthead``            in the masthead, after the tagline (articles' search form)
``article_after_body``  after an article's body (the call to action)
``article_discussion``  below that (the reader discussion)
``article_card_meta``   under each article in listings (e.g. a comment count)
``front_page``          on the front page, after the lead and latest stories (most discussed)
``page_footer``         the footer's line, after the site's name (articles' feed links)
``footer_box``          in the footer, before its links (newsletters' sign-up box)
``gift_thanks``         the thank-you page after a gift (newsletters' sign-up box)
``page_bottom``         before </body>
``not_found``           the 404 page's further places to look (articles' search)
``robots_txt``          lines of /robots.txt (plain text: articles' search and sitemaps)

``annotate_articles`` is not a slot but a batch hook: listings call it once with the articles
they show, so an app can attach what its ``article_card_meta`` renderer needs in one query
instead of one per article.
"""

from collections.abc import Iterable

from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from wagtail import hooks

from newsdesk.core import hooks as newsdesk_hooks


def slot_render(*, name: str, context, late: bool = False) -> SafeString:
    """Concatenate what every renderer registered for the slot returns, in hook order.

    Renderers return HTML they built safely (templates or format_html); a plain string is
    escaped, so a renderer cannot smuggle unescaped text in by mistake. While the page cache
    renders a page, a late slot gives its marker instead (``late=True`` draws it for real).
    """
    if not late:
        markers = getattr(context.get("request"), "pagecache_late_slots", None)
        if markers and name in markers:
            return mark_safe(markers[name])
    if name not in newsdesk_hooks.SLOTS:
        return mark_safe("")
    parts = []
    for renderer in hooks.get_hooks(newsdesk_hooks.slot_hook(name)):
        html = renderer(context)
        if html:
            parts.append(conditional_escape(html))
    return mark_safe("".join(parts))


def late_slot_render(*, name: str, request) -> SafeString:
    """The late slot ``name`` drawn for ``request`` on a serve of a cached page: what the page
    cache calls through ``PageCacheRules.late_slot_renderers`` (``web/wagtail_hooks.py``)."""
    return slot_render(name=name, context={"request": request}, late=True)


def articles_annotate(*, articles: Iterable) -> None:
    """Let every app attach its per-article data to a listing's articles in one batch."""
    articles = list(articles)
    if not articles:
        return
    for annotate in hooks.get_hooks(newsdesk_hooks.ANNOTATE_ARTICLES):
        annotate(articles)
