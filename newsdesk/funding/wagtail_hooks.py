"""How funding shows up: the campaign bar (``page_top``), the call to action after each
article (``article_after_body``), the mark a gift's thank-you page leaves for the support ask
(``gift_thanks``), its stylesheet (``head``), and the treasurers' admin; its pages and
webhooks are never shared by the page cache."""

from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import post_delete, post_save
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.permissions import register_permission_policy

from newsdesk.core import hooks as newsdesk_hooks
from newsdesk.funding import admin_views
from newsdesk.funding import hooks_lifecycle as hooks_lifecycle  # its hooks register on import
from newsdesk.funding import hooks_revenue as hooks_revenue  # its hooks register on import
from newsdesk.funding.bar import campaign_bar_forget, campaign_bar_html
from newsdesk.funding.models import (
    Campaign,
    Donation,
    ProviderEvent,
    RecurringGift,
)
from newsdesk.funding.models_ask import SupportAskSettings
from newsdesk.funding.selectors import supporter_exists
from newsdesk.funding.selectors_ask import reader_donor_status_cached, support_ask_settings

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
    """The support ask after an article: ONE copy for every reader, holding the words for
    readers who have not given (shown without script, as always), lapsed and current donors;
    ``funding/js/ask.js`` picks one in the reader's browser, or none (before the
    ``articles_before_ask``-th article read, within ``days_between_asks`` of the last ask).
    A signed-in reader's donor status is the page's personal region (``ask_status.html``),
    filled in at serve time; a guest's is what the thank-you page left in their browser."""
    request = context.get("request")
    ask = support_ask_settings()
    page = context.get("page")
    page_id = getattr(page, "pk", None)
    donate_url = reverse("funding:donate")
    if page_id:
        # The gift records the article it came from (``Donation.source_page``).
        donate_url += f"?from={page_id}"
    return render_to_string(
        "funding/call_to_action.html",
        {
            "ask": ask,
            "words": ask.words(),
            "donate_url": donate_url,
            "page_id": page_id,
            "request": request,
            "user": getattr(request, "user", None),
        },
    )


@hooks.register(newsdesk_hooks.SLOT_GIFT_THANKS)
def gift_thanks_ask_mark(context) -> str:
    """Tells the support ask in this browser that it gave today (a guest has no other way to
    be known as a donor): ``gift_monthly`` in the thank-you page's context says whether the
    gift is monthly (a one-off when absent). Stays in the browser (``ask.js``)."""
    return render_to_string("funding/ask_gave.html", {"monthly": bool(context.get("gift_monthly"))})


def _support_ask_saved(sender, created: bool = False, **kwargs) -> None:
    # The cached campaign bar holds the ask's words (the page cache outdates the pages). A
    # row created holding its defaults, the first time a page reads it, changes no word.
    if not created:
        campaign_bar_forget()


def _signed_in(sender, request=None, user=None, **kwargs) -> None:
    # The support ask's status is computed at sign-in (a POST), so the page cache's fill of
    # the reader's next pages finds it kept.
    if user is not None and user.pk is not None:
        reader_donor_status_cached(user_id=user.pk, fresh=True)


user_logged_in.connect(_signed_in, dispatch_uid="funding.ask.signed_in")
post_save.connect(_support_ask_saved, sender=SupportAskSettings, dispatch_uid="funding.ask.bar")
post_delete.connect(
    _support_ask_saved, sender=SupportAskSettings, dispatch_uid="funding.ask.bar.delete"
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
        _("Campaign report"), reverse("funding_report"), icon_name="doc-full", order=251
    )
