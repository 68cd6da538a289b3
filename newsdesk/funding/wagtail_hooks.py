"""How funding shows up: the campaign bar (``page_top``), the call to action after each
article (``article_after_body``), its stylesheet (``head``), and the treasurers' admin; its
pages and webhooks are never shared by the page cache."""

from django.template.loader import render_to_string
from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.permissions import register_permission_policy

from newsdesk.core import hooks as newsdesk_hooks
from newsdesk.funding import admin_views
from newsdesk.funding import hooks_lifecycle as hooks_lifecycle  # its hooks register on import
from newsdesk.funding import hooks_revenue as hooks_revenue  # its hooks register on import
from newsdesk.funding.bar import campaign_bar_html
from newsdesk.funding.models import (
    Campaign,
    Donation,
    FundingSettings,
    ProviderEvent,
    RecurringGift,
)
from newsdesk.funding.selectors import supporter_exists

register_permission_policy(Campaign, admin_views.KeepCampaignsPolicy(Campaign))
register_permission_policy(Donation, admin_views.ReadOnlyLedgerPolicy(Donation))
register_permission_policy(ProviderEvent, admin_views.ProviderRecordsPolicy(ProviderEvent))
register_permission_policy(RecurringGift, admin_views.ProviderRecordsPolicy(RecurringGift))


@hooks.register(newsdesk_hooks.PAGECACHE_RULES)
def page_cache_rules() -> newsdesk_hooks.PageCacheRules:
    """The donate pages (forms, a donor's thanks) and the providers' webhooks."""
    return newsdesk_hooks.PageCacheRules(private_prefixes=("/donate/", "/webhooks/"))


@hooks.register(newsdesk_hooks.READER_SUPPORTER)
def reader_supporter(*, email):
    """A reader is a supporter when one of their verified addresses gave (for moderation's
    trusted commenters)."""
    return supporter_exists(email=email)


@hooks.register(newsdesk_hooks.SLOT_HEAD)
def funding_stylesheet(context) -> str:
    return render_to_string("funding/head.html")


@hooks.register(newsdesk_hooks.SLOT_PAGE_TOP)
def campaign_bar(context) -> str:
    return campaign_bar_html()


@hooks.register(newsdesk_hooks.SLOT_ARTICLE_AFTER_BODY)
def call_to_action(context) -> str:
    request = context.get("request")
    settings = FundingSettings.load(request_or_site=request) if request else FundingSettings.load()
    return render_to_string(
        "funding/call_to_action.html",
        {"settings": settings, "donate_url": reverse("funding:donate")},
    )


@hooks.register("register_admin_viewset")
def register_funding_admin():
    return admin_views.FundingViewSetGroup()


@hooks.register("register_admin_urls")
def funding_admin_urls():
    return [
        path("funding/record/", admin_views.manual_record, name="funding_manual_record"),
        path(
            "funding/donations/<int:donation_id>/refund/",
            admin_views.donation_refund_view,
            name="funding_refund",
        ),
        path("funding/report/", admin_views.campaign_report_view, name="funding_report"),
        path(
            "funding/report/<int:campaign_id>/",
            admin_views.campaign_report_view,
            name="funding_report_campaign",
        ),
    ]


class TreasurerMenuItem(MenuItem):
    def is_shown(self, request):
        return admin_views.user_is_treasurer(request.user)


@hooks.register("register_admin_menu_item")
def funding_report_menu_item():
    return TreasurerMenuItem(
        "Campaign report", reverse("funding_report"), icon_name="doc-full", order=251
    )
