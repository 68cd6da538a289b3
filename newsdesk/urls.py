"""The site's URLs: Wagtail's admin and pages, and each app's own views.

Wagtail's page URLs come last: they match every path no other app claimed.
"""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.i18n import set_language
from django.views.static import serve
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from newsdesk.api import api
from newsdesk.pagecache.tokenless import csrf_token_view
from newsdesk.web import views as web_views

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("django-admin/", admin.site.urls),
    path("documents/", include(wagtaildocs_urls)),
    path("api/", api.urls),
    path("robots.txt", web_views.robots_txt, name="robots_txt"),
    path("favicon.ico", web_views.favicon_ico, name="favicon_ico"),
    path("csrf/", csrf_token_view, name="csrf_token"),
    # The footer's language choice (shown where SITE_LANGUAGES names several).
    path("i18n/setlang/", set_language, name="set_language"),
    path("", include("newsdesk.accounts.urls")),
    path("", include("newsdesk.discussion.urls")),
    path("", include("newsdesk.moderation.urls")),
    path("", include("newsdesk.funding.urls")),
    path("", include("newsdesk.newsletters.urls")),
    path("", include("newsdesk.syndication.urls")),
    path("", include("newsdesk.articles.urls")),
]

if settings.SERVE_MEDIA:
    urlpatterns.append(
        re_path(r"^media/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT})
    )

urlpatterns.append(path("", include(wagtail_urls)))

handler400 = "newsdesk.web.views.bad_request"
handler404 = "newsdesk.web.views.page_not_found"
handler429 = "newsdesk.web.views.too_many_requests"
handler500 = "newsdesk.web.views.server_error"
