"""The reader-revenue dashboard's place in Wagtail's admin: its address and its item in the
"Reader funding" menu, shown to treasurers and superusers (imported by
``funding/wagtail_hooks.py``)."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from newsdesk.funding import admin_views_revenue
from newsdesk.funding.admin_views import user_is_treasurer

# The "Reader funding" group's own menu (``FundingViewSetGroup.submenu_hook``).
FUNDING_MENU_HOOK = "register_funding_menu_item"


@hooks.register("register_admin_urls")
def revenue_admin_urls():
    return [path("funding/revenue/", admin_views_revenue.revenue_view, name="funding_revenue")]


class RevenueMenuItem(MenuItem):
    def is_shown(self, request):
        return user_is_treasurer(request.user)


@hooks.register(FUNDING_MENU_HOOK)
def revenue_menu_item():
    return RevenueMenuItem(
        _("Reader revenue"),
        reverse("funding_revenue"),
        name="reader-revenue",
        icon_name="pick",
        order=50,
    )
