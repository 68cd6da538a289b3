"""Wagtail admin integration: snippets for authors and outlets, and scheduled publishing;
the public pages the page cache may share; what articles put in the site's slots (the feeds,
the search form, robots.txt), so web's templates name nothing of articles."""

from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from newsdesk.articles.models import ArticlePage, Author, Outlet
from newsdesk.articles.services import scheduled_publishing_enqueue
from newsdesk.core import hooks as newsdesk_hooks


class AuthorViewSet(SnippetViewSet):
    model = Author
    icon = "user"
    menu_label = gettext_lazy("Authors")
    list_display = ["name", "role", "slug"]
    search_fields = ["name"]
    add_to_admin_menu = True
    menu_order = 210


class OutletViewSet(SnippetViewSet):
    model = Outlet
    icon = "globe"
    menu_label = gettext_lazy("Partner outlets")
    list_display = ["name", "site_url", "search_engine_policy"]
    search_fields = ["name"]
    add_to_admin_menu = True
    menu_order = 220


register_snippet(AuthorViewSet)
register_snippet(OutletViewSet)


@hooks.register(newsdesk_hooks.PAGECACHE_RULES)
def page_cache_rules() -> newsdesk_hooks.PageCacheRules:
    """Wagtail's pages, tag and author pages, feeds and sitemaps are the same for every
    anonymous reader (with the listing page they read); search answers each query and is
    never shared; an article is listed by the other pages and lists nothing itself."""
    page = {"page": newsdesk_hooks.PAGE_NUMBER}
    return newsdesk_hooks.PageCacheRules(
        public_routes={
            ("", "wagtail_serve"): page,  # a section's listing page
            ("articles", "tag"): page,
            ("articles", "author"): page,
            ("articles", "feed_rss"): {},
            ("articles", "feed_atom"): {},
            ("articles", "section_feed_rss"): {},
            ("articles", "section_feed_atom"): {},
            # Django's sitemap view pages with ?p=
            ("articles", "sitemap"): {"p": newsdesk_hooks.PAGE_NUMBER},
            ("articles", "news_sitemap"): {},
        },
        private_prefixes=("/search/",),
        listed_page_models=(ArticlePage,),
    )


# Scheduling happens when an editor publishes with a future go-live time or an expiry;
# Wagtail runs this hook after its publish action, whether it published now or scheduled.
@hooks.register("after_publish_page")
def queue_scheduled_publishing(request, page):
    scheduled_publishing_enqueue(page=page)


@hooks.register(newsdesk_hooks.WORKER_STARTUP)
@hooks.register(newsdesk_hooks.WORKER_PERIODIC)
def publish_pages_that_fell_due():
    from newsdesk.articles.services import scheduled_pages_publish

    scheduled_pages_publish()


# --- the site's slots (web/slots.py): the same HTML web's base template had written out -------
@hooks.register(newsdesk_hooks.SLOT_HEAD_FEEDS)
def site_feeds_advertised(context) -> SafeString:
    return format_html(
        '<link rel="alternate" type="application/rss+xml" title="{}" href="{}">'
        '\n  <link rel="alternate" type="application/atom+xml" title="{}" href="{}">',
        _("All articles (RSS)"),
        reverse("articles:feed_rss"),
        _("All articles (Atom)"),
        reverse("articles:feed_atom"),
    )


@hooks.register(newsdesk_hooks.SLOT_MASTHEAD)
def masthead_search(context) -> SafeString:
    """The search form; on the search page it shows the reader's query."""
    return format_html(
        '<form class="masthead__search" action="{}" method="get" role="search">\n'
        '        <label class="visually-hidden" for="masthead-q">{}</label>\n'
        '        <input id="masthead-q" type="search" name="q" placeholder="{}" value="{}">\n'
        "      </form>",
        reverse("articles:search"),
        pgettext("verb", "Search"),
        pgettext("verb", "Search"),
        context.get("query") or "",
    )


@hooks.register(newsdesk_hooks.SLOT_PAGE_FOOTER)
def footer_feeds(context) -> SafeString:
    return format_html(
        ' · <a href="{}">RSS</a> · <a href="{}">Atom</a>',
        reverse("articles:feed_rss"),
        reverse("articles:feed_atom"),
    )


@hooks.register(newsdesk_hooks.SLOT_NOT_FOUND)
def not_found_search(context) -> SafeString:
    # Follows "Go to the front page" on the 404 page.
    return format_html(
        _(' or <a href="{url}">search the articles</a>'), url=reverse("articles:search")
    )


@hooks.register(newsdesk_hooks.SLOT_ROBOTS_TXT)
def robots_txt_lines(context) -> SafeString:
    """Search results are not for crawlers; the sitemaps are. Plain text (robots.txt is served
    as text/plain), so it is marked safe as it is rather than escaped as HTML."""
    request = context["request"]
    return mark_safe(
        f"Disallow: {reverse('articles:search')}\n\n"
        f"Sitemap: {request.build_absolute_uri(reverse('articles:sitemap'))}\n"
        f"Sitemap: {request.build_absolute_uri(reverse('articles:news_sitemap'))}"
    )
