"""How the discussion appears in pages other apps own: the thread under each article, and
comment counts on listings (through the slots of ``web/slots.py``); what the page cache must
know of it (the guest's cookie and header, the thread's query parameters on an article's
page, discussion's own URLs); the worker's duties."""

import re

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from newsdesk.articles.models import ArticlePage, HomePage
from newsdesk.core import hooks as newsdesk_hooks
from newsdesk.discussion import conf, selectors
from newsdesk.discussion.forms import CommentForm
from newsdesk.discussion.models_schedule import QuietHours
from newsdesk.discussion.readers import GUEST_HEADER, reader_from_request
from newsdesk.discussion.script_messages import script_messages
from newsdesk.discussion.selectors_counts import most_discussed as most_discussed_get
from newsdesk.discussion.selectors_schedule import quiet_spell_get
from newsdesk.discussion.services.slow_mode import slow_mode_words

SORT_LABELS = [
    ("best", pgettext_lazy("comments sorted", "best")),
    ("newest", pgettext_lazy("comments sorted", "newest")),
    ("oldest", pgettext_lazy("comments sorted", "oldest")),
    ("picks", gettext_lazy("Editors’ picks")),  # noqa: RUF001
]
# A Q&A thread's: its questions answered first (the default), or those still unanswered.
QA_SORT_LABELS = [
    ("answered", gettext_lazy("Answered first")),
    ("unanswered", gettext_lazy("Unanswered")),
    ("newest", pgettext_lazy("comments sorted", "newest")),
    ("oldest", pgettext_lazy("comments sorted", "oldest")),
    ("picks", gettext_lazy("Editors’ picks")),  # noqa: RUF001
]
# Wagtail's page view, where the thread renders below an article.
WAGTAIL_PAGES = ("", "wagtail_serve")
# ``readers.GUEST_HEADER`` (as ``request.META`` names it) as the header's own name.
GUEST_HEADER_NAME = "-".join(
    word.capitalize() for word in GUEST_HEADER.removeprefix("HTTP_").split("_")
)


# Discussion's URLs never shared: all but the page of picks (``/discussion/picks/``).
PRIVATE_PREFIXES = (
    "/discussion/articles/",
    "/discussion/comments/",
    "/discussion/unsubscribe/",
    "/discussion/confirm-email/",
    "/discussion/export",
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
            },
            # The site's page of editors' picks is public and shared (``views_picks``).
            ("discussion", "picks"): {"page": newsdesk_hooks.PAGE_NUMBER},
        },
        private_prefixes=PRIVATE_PREFIXES,
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
    # Quiet hours replace the form with their notice (the worker outdates the page at each
    # opening and closing: ``services/quiet_hours.py``); slow mode is named above the form.
    quiet = quiet_spell_get(article=page) if thread_page.is_open else None
    slow_mode = thread_page.thread.slow_mode_seconds if thread_page.thread else 0
    return render_to_string(
        "discussion/thread.html",
        {
            "tp": thread_page,
            "article": page,
            "form": CommentForm(),
            "sorts": QA_SORT_LABELS if thread_page.qa_mode else SORT_LABELS,
            "quiet": quiet,
            "open_now": thread_page.is_open and quiet is None,
            "slow_mode": slow_mode_words(slow_mode) if slow_mode else "",
            "script_messages": script_messages(),
        },
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


@hooks.register(newsdesk_hooks.SLOT_FRONT_PAGE)
def most_discussed(context) -> str:
    """The front page's "Most discussed" (``selectors_counts.most_discussed``), cached with
    the page and not purged on every comment: a new comment shows in it when the front page
    is next outdated (a comment on any article its cards list, which name their articles,
    or a publication), and at the latest after ``PAGECACHE_SECONDS`` (an hour by default).
    The list names no page-cache tag of its own: discussion announces changes only through
    ``changes.py``, and the articles it lists are mostly on the front page's cards anyway."""
    page = context.get("page")
    if not isinstance(page, HomePage):
        return ""
    discussed = most_discussed_get(under_path=page.path)
    if not discussed:
        return ""
    return render_to_string(
        "discussion/most_discussed.html",
        {"discussed": discussed},
        request=context.get("request"),
    )


@hooks.register(newsdesk_hooks.WORKER_STARTUP)
def close_old_threads() -> None:
    from newsdesk.discussion.services import threads_auto_close

    threads_auto_close()


@hooks.register(newsdesk_hooks.WORKER_PERIODIC)
def announce_quiet_hours() -> None:
    """Quiet hours that began or ended since the last minute: their pages are outdated."""
    from newsdesk.discussion.services.quiet_hours import quiet_hours_transitions_announce

    quiet_hours_transitions_announce()


@hooks.register(newsdesk_hooks.WORKER_PERIODIC)
def truncate_old_ip_addresses() -> None:
    from newsdesk.discussion.services.retention import comment_ips_truncate

    comment_ips_truncate()


@hooks.register(newsdesk_hooks.SLOT_PAGE_FOOTER)
def footer_picks(context) -> str:
    """The site's page of editors' picks, linked from every page's footer."""
    return format_html(
        ' · <a href="{}">{}</a>',
        reverse("discussion:picks"),
        _("Editors’ picks"),  # noqa: RUF001
    )


@hooks.register(newsdesk_hooks.WORKER_PERIODIC)
def gather_digests() -> None:
    """Hourly and daily readers' digests that are due: made and queued (``digests``)."""
    from newsdesk.discussion.digests import digests_gather

    digests_gather()


# --- Wagtail's admin: an article's discussion (Q&A mode, picks) -------------------------------
@hooks.register("register_admin_urls")
def discussion_admin_urls():
    from django.urls import path

    from newsdesk.discussion.admin_views import article_discussion_view

    return [
        path(
            "discussion/articles/<int:article_id>/",
            article_discussion_view,
            name="discussion_admin_article",
        )
    ]


def _discussion_button(page, user, priority: int):
    from wagtail.admin.widgets import Button

    from newsdesk.discussion.services.picks import is_discussion_staff

    if isinstance(page.specific_deferred, ArticlePage) and is_discussion_staff(user):
        yield Button(
            _("Discussion: Q&A mode and picks"),
            url=reverse("discussion_admin_article", args=[page.pk]),
            icon_name="comment",
            priority=priority,
        )


@hooks.register("register_page_header_buttons")
def article_discussion_header_button(page, user, view_name, next_url=None):
    yield from _discussion_button(page, user, priority=80)


@hooks.register("register_page_listing_more_buttons")
def article_discussion_listing_button(page, user, next_url=None):
    yield from _discussion_button(page, user, priority=80)


# --- Wagtail's admin: quiet hours (Snippets, and the admin's menu) ---------------------------
class QuietHoursViewSet(SnippetViewSet):
    """Schedules of quiet hours, for editors and moderators (the model's permissions, given
    to their groups by the migration that made it)."""

    model = QuietHours
    icon = "time"
    menu_label = gettext_lazy("Quiet hours")
    add_to_admin_menu = True
    menu_order = 240
    list_display = ["name", "section", "starts_at", "ends_at", "enabled"]
    list_filter = ["enabled"]


register_snippet(QuietHoursViewSet)
