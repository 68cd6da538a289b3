"""The reports', import's and export's place in Wagtail's admin: their URLs under
/admin/newsletters/ and a "Newsletter reports" menu item for staff who may see them.
Imported by ``wagtail_hooks.py`` (Wagtail reads only modules of that name)."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from newsdesk.newsletters import admin_urls
from newsdesk.newsletters.admin_views_reports import user_sees_reports


@hooks.register("register_admin_urls")
def newsletters_reports_admin_urls():
    return [path("newsletters/", include(admin_urls))]


class ReportsMenuItem(MenuItem):
    def is_shown(self, request):
        return user_sees_reports(request.user)


@hooks.register("register_admin_menu_item")
def newsletters_reports_menu_item():
    return ReportsMenuItem(
        _("Newsletter reports"), reverse("newsletters_reports"), icon_name="mail", order=320
    )
