"""Template context every page shares."""

from django.utils.functional import SimpleLazyObject
from wagtail.models import Site


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

    return {
        "site_name": SimpleLazyObject(site_name),
        "site_menu_pages": SimpleLazyObject(menu_pages),
        "site_root_page": SimpleLazyObject(root_page),
    }
