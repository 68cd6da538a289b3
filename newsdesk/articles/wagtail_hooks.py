"""Wagtail admin integration: snippets for authors and outlets, and scheduled publishing."""

from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from newsdesk.articles.models import Author, Outlet
from newsdesk.articles.services import scheduled_publishing_enqueue


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


# Scheduling happens when an editor publishes with a future go-live time or an expiry;
# Wagtail runs this hook after its publish action, whether it published now or scheduled.
@hooks.register("after_publish_page")
def queue_scheduled_publishing(request, page):
    scheduled_publishing_enqueue(page=page)


@hooks.register("newsdesk_worker_startup")
@hooks.register("newsdesk_worker_periodic")
def publish_pages_that_fell_due():
    from newsdesk.articles.services import scheduled_pages_publish

    scheduled_pages_publish()
