"""Every ``newsdesk_*`` Wagtail hook of the project: its name and signature, in one place.

Apps talk to each other through these hooks where the dependency would otherwise point the
wrong way (``articles`` and ``web`` know nothing of discussion or funding; discussion knows
nothing of moderation or the page cache). Register and call them by these constants, never by
a string literal (``tests/site/test_boundaries.py`` scans the source for one)::

    from wagtail import hooks
    from newsdesk.core import hooks as newsdesk_hooks

    @hooks.register(newsdesk_hooks.WORKER_PERIODIC)
    def my_duty() -> None: ...

Each constant's docstring states what the registered function receives and returns, and
who calls it. The types named (``CommentCandidate``, ``Assessment``...) live in the app that
calls the hook; ``PageCacheRules`` lives here because every app returns it.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

# --- the worker (``core/management/commands/worker.py``) -------------------------------------
WORKER_STARTUP = "newsdesk_worker_startup"
"""``() -> None``: run once when a worker starts, before it takes tasks (e.g. publish pages
that fell due while no worker ran). A duty that raises is logged; the others still run."""

SITE_STARTING = "newsdesk_site_starting"
"""``() -> None``: run by ``manage.py serve`` once, before it starts the web processes and the
worker: slow preparation every process would otherwise do for itself at its first request
(moderation trains its starter models once, so no web process waits past its timeout). A
step that raises is logged; the site still starts."""

WORKER_PERIODIC = "newsdesk_worker_periodic"
"""``() -> None``: run by every worker every ``--period`` seconds (60) in a background
thread: time-based work that must happen even if a queued task was lost."""

SITE_UPGRADED = "newsdesk_site_upgraded"
"""``() -> None``: run by ``manage.py upgrade`` once the new release's migrations are applied:
each app outdates what it cached from the previous release (the page cache, its pages). A
step that raises is reported; the others still run."""

# --- the page slots (``web/slots.py``) --------------------------------------------------------
SLOT_PREFIX = "newsdesk_slot_"
SLOTS = (
    "head",
    "head_feeds",
    "page_top",
    "masthead",
    "article_after_body",
    "article_discussion",
    "article_card_meta",
    "front_page",
    "page_footer",
    "footer_box",
    "gift_thanks",
    "page_bottom",
    "not_found",
    "robots_txt",
)


def slot_hook(name: str) -> str:
    """The hook name of the slot ``name`` (one of ``SLOTS``): renderers registered under it
    get ``(context) -> str`` (HTML built safely; a plain string is escaped) and are called in
    registration order. ``ValueError`` for a slot the templates do not have."""
    if name not in SLOTS:
        raise ValueError(f"No slot {name!r}: the slots are {', '.join(SLOTS)}.")
    return SLOT_PREFIX + name


SLOT_HEAD = slot_hook("head")
"""Extra tags in ``<head>`` (an app's stylesheet or script)."""
SLOT_HEAD_FEEDS = slot_hook("head_feeds")
"""The site's feeds advertised in ``<head>`` (``<link rel="alternate">``; articles' RSS and
Atom), before a page's own (``{% block extra_feeds %}``)."""
SLOT_PAGE_TOP = slot_hook("page_top")
"""The very top of every page, above the masthead (the campaign bar, a late slot)."""
SLOT_MASTHEAD = slot_hook("masthead")
"""In the masthead, after the tagline and before the account menu (articles' search form;
``context["query"]`` is the search page's query, when there is one)."""
SLOT_ARTICLE_AFTER_BODY = slot_hook("article_after_body")
"""After an article's body (funding's call to action)."""
SLOT_ARTICLE_DISCUSSION = slot_hook("article_discussion")
"""Below that: the reader discussion (and moderation's report control)."""
SLOT_ARTICLE_CARD_META = slot_hook("article_card_meta")
"""Under each article in listings (a comment count); ``context["article"]`` is the article."""
SLOT_FRONT_PAGE = slot_hook("front_page")
"""On the front page, after the lead and latest stories (discussion's "Most discussed");
``context["page"]`` is the home page. Cached with the page, and outdated with it."""
SLOT_PAGE_FOOTER = slot_hook("page_footer")
"""In the footer's line, after the site's name (articles' feed links, each after " · ")."""
SLOT_FOOTER_BOX = slot_hook("footer_box")
"""In the footer, before its links: a box every page offers (newsletters' sign-up form)."""
SLOT_GIFT_THANKS = slot_hook("gift_thanks")
"""On the thank-you page after a gift, below the thanks (newsletters' sign-up form)."""
SLOT_PAGE_BOTTOM = slot_hook("page_bottom")
"""Before ``</body>``."""
SLOT_NOT_FOUND = slot_hook("not_found")
"""On the 404 page, in the sentence after "Go to the front page": further places to look
(articles' " or search the articles"), ended by the page's full stop."""
SLOT_ROBOTS_TXT = slot_hook("robots_txt")
"""Lines of ``/robots.txt`` after the site's own (articles: skip search, name the sitemaps):
plain text, one directive a line, returned marked safe (it is served as ``text/plain``)."""

ANNOTATE_ARTICLES = "newsdesk_annotate_articles"
"""``(articles: list[ArticlePage]) -> None``: called once per listing with the articles it
shows, so an app attaches per-article data in one query (comment counts) and the page cache
names each article on the page."""

# --- the comment gate (``discussion/pipeline.py``) -------------------------------------------
COMMENT_ASSESS = "newsdesk_comment_assess"
"""``(candidate: discussion.pipeline.CommentCandidate) -> discussion.pipeline.Assessment``:
judge a new or edited comment before it is stored; the strictest verdict wins. Moderation
registers it; with none, every comment is published."""

COMMENT_ASSESSED = "newsdesk_comment_assessed"
"""``(comment: discussion.models.Comment, assessment: Assessment) -> None``: what was decided
for a stored comment, called inside the transaction that stored it (moderation's audit log
commits with the comment)."""

READER_REFUSAL = "newsdesk_reader_refusal"
"""``(*, reader: discussion.readers.Reader) -> str``: why this reader may not vote or report
("" when they may), asked by discussion's votes and moderation's reports through
``discussion.pipeline.reader_refusal``. Moderation registers it (bans)."""

READER_SUPPORTER = "newsdesk_reader_supporter"
"""``(*, email: Expression) -> Expression``: a boolean SQL expression, true when the address
``email`` names (an expression of the outer query: a reader's verified address, lower-cased)
gave a gift that stands in the ledger. Funding registers it; moderation asks it inside the one
query of a commenter's standing (trusted supporters), and discussion inside the thread's
replies query (the Supporter badge), so no app reads funding's rows."""

COMMENT_ACTIONS = "newsdesk_comment_actions"
"""``(node: discussion.selectors.CommentNode) -> str``: a link or small form under each
comment of a thread (moderation's "Report"); HTML built safely, plain strings are escaped."""

COMMENT_STAFF_ACTED = "newsdesk_comment_staff_acted"
"""``(*, comment: discussion.models.Comment, actor: User, action: str, note: str) -> None``:
an editor or moderator acted on a comment through discussion (``"picked"``, ``"unpicked"``,
``"answer_marked"``, ``"answer_unmarked"``), called inside the change's transaction.
Moderation writes it to its audit log."""

DISCUSSION_CHANGED = "newsdesk_discussion_changed"
"""``(*, article_ids: list[int], listings: bool) -> None``: what readers see of these articles'
discussions changed (a comment published, edited, deleted, voted on, hidden; a thread
closed...); ``listings``: listing pages show the change too (an editors' pick). Fired by
``discussion.changes.article_discussion_changed`` only, inside the change's transaction when
there is one; the page cache outdates those articles' pages."""

# --- the page cache (``pagecache/``) ----------------------------------------------------------
PAGECACHE_PURGE = "newsdesk_pagecache_purge"
"""``(tags: list[str]) -> None``: cached pages naming one of ``tags`` were outdated, after the
commit (purge a CDN's copies). Without one registered, purges are logged."""

PAGECACHE_RULES = "newsdesk_pagecache_rules"
"""``() -> PageCacheRules``: what an app tells the page cache about its requests and pages.
Read once, at the first request (``pagecache/registry.py``)."""

# A page number in a cache key: 1 to 9999. A larger one (or 007) is answered, rendered for its
# sender, but never stored, so one page cannot be made to hold unbounded copies.
PAGE_NUMBER = r"[1-9][0-9]{0,3}"


@dataclass(frozen=True)
class PageCacheRules:
    """One app's part of the page cache's rules (the return value of ``PAGECACHE_RULES``).

    - ``personal_cookies``, ``personal_headers``: a request carrying one names a reader, so
      it is never answered with the shared copy nor stored (a guest's cookie, a token header);
    - ``public_routes``: the views whose answers anonymous readers share, by ``(namespace,
      url_name)`` (Wagtail's pages are ``("", "wagtail_serve")``), each with the query
      parameters the app reads on it and the pattern of the values kept apart in the cache
      (a full match; several apps may add parameters to one route);
    - ``private_prefixes``: URL prefixes of the app never served from nor stored in the cache;
    - ``listed_page_models``: Wagtail page models shown in listings and listing nothing
      themselves (articles): a change to one outdates its own page and the listings; a change
      to any other page outdates the whole site;
    - ``late_slot_renderers``: functions ``(*, name: str, request) -> str`` that draw a late
      slot (``PAGECACHE_LATE_SLOTS``) for this request on every serve of a cached page; their
      parts are joined in registration order (web registers the slots' own renderer, so the
      page cache names no slot code);
    - ``page_layout``: the template the page cache's own pages (the confirmation of a
      tokenless post) extend for the site's look, with blocks ``title`` and ``content`` (the
      first app's that names one; web's base template).
    """

    personal_cookies: tuple[str, ...] = ()
    personal_headers: tuple[str, ...] = ()
    public_routes: Mapping[tuple[str, str], Mapping[str, str]] = field(default_factory=dict)
    private_prefixes: tuple[str, ...] = ()
    listed_page_models: tuple[type, ...] = ()
    late_slot_renderers: tuple[Callable[..., str], ...] = ()
    page_layout: str = ""


HOOK_NAMES = (
    WORKER_STARTUP,
    SITE_STARTING,
    WORKER_PERIODIC,
    SITE_UPGRADED,
    *(SLOT_PREFIX + name for name in SLOTS),
    ANNOTATE_ARTICLES,
    COMMENT_ASSESS,
    COMMENT_ASSESSED,
    COMMENT_ACTIONS,
    COMMENT_STAFF_ACTED,
    READER_REFUSAL,
    READER_SUPPORTER,
    DISCUSSION_CHANGED,
    PAGECACHE_PURGE,
    PAGECACHE_RULES,
)
"""Every ``newsdesk_*`` hook name (the boundary test checks no other is used)."""
