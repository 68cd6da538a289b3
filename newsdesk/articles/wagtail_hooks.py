"""Wagtail admin integration: snippets for authors and outlets, and scheduled publishing;
the public pages the page cache may share."""

from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from newsdesk.articles.models import ArticlePage, Author, Outlet
from newsdesk.articles.services import scheduled_publishing_enqueue
from newsdesk.core import hooks as newsdesk_hooks


class AuthorViewSet(SnippetViewSet):
    model = Author
    icon = "user"
    menu_label = "Authors"
    list_display = ["name", "role", "slug"]
    search_fields = ["name"]
    add_to_admin_menu = True
    menu_order = 210


class OutletViewSet(SnippetViewSet):
    model = Outlet
    icon = "globe"
    menu_label = "Partner outlets"
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
