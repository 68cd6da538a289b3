"""Template context every page shares."""

from django.conf import settings
from django.utils.functional import SimpleLazyObject
from wagtail.models import Page, Site

from newsdesk.core.processcache import generation_bump, process_cached

# The footer's links, kept per process (``core/processcache.py``) so that they cost no query
# on a page: web's ``apps.py`` bumps this generation when a page is published, unpublished,
# moved, deleted or restricted.
FOOTER_GENERATION = "footer"


def footer_changed(sender: object = None, **kwargs: object) -> None:
    generation_bump(generation=FOOTER_GENERATION)


def footer_pages_get(*, root_page_id: int) -> list:
    """The live, public information pages of the site under ``root_page_id`` that editors
    chose to show in the footer, in the page tree's order (this process's copy)."""

    def load() -> list:
        from newsdesk.web.models import InfoPage

        root = Page.objects.filter(pk=root_page_id).first()
        if root is None:
            return []
        pages = (
            InfoPage.objects.live()
            .public()
            .descendant_of(root, inclusive=False)
            .filter(show_in_footer=True)
            .order_by("path")
            .only("id", "title", "url_path", "path", "depth")
        )
        return list(pages)

    return process_cached(generation=FOOTER_GENERATION, key=("footer", root_page_id), load=load)


def site_navigation(request):
    """The site's root and its live menu pages (the sections), for the masthead.

    Computed lazily: a template that does not show navigation costs no query.
    """

    def menu_pages():
        site = Site.find_for_request(request)
        if site is None:
            return []
        pages = site.root_page.get_children().live().in_menu()
        return list(pages.only("id", "title", "url_path", "path", "depth"))

    def root_page():
        site = Site.find_for_request(request)
        return site.root_page if site else None

    def site_name():
        from newsdesk.web.models import SiteIdentity

        identity = SiteIdentity.load(request_or_site=request)
        site = Site.find_for_request(request)
        return identity.publisher_name or (site.site_name if site else "") or "Newsdesk"

    def footer_pages():
        site = Site.find_for_request(request)
        return footer_pages_get(root_page_id=site.root_page_id) if site else []

    return {
        # The footer's language form, where the site offers several (SITE_LANGUAGES).
        "site_language_choice": settings.SITE_LANGUAGE_CHOICE,
        "site_languages": settings.LANGUAGES,
        "site_name": SimpleLazyObject(site_name),
        "site_footer_pages": SimpleLazyObject(footer_pages),
        "site_menu_pages": SimpleLazyObject(menu_pages),
        "site_root_page": SimpleLazyObject(root_page),
    }
