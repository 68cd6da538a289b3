"""The support ask's words and rules by reader, as editors set them (Settings → Support ask).

The page stays one shared copy: every variant's words go into it, and the reader's browser
picks one (``funding/static/funding/js/ask.js``) from what it knows alone: how many articles
it has read (counted in ``localStorage``, never sent), when it last showed the ask, and the
donor status a signed-in page's personal region or the thank-you page told it.
"""

from django.db import models
from django.utils.translation import gettext_lazy
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting


@register_setting(icon="pick")
class SupportAskSettings(BaseGenericSetting):
    """Who sees which ask under articles and in the campaign bar, and how often."""

    articles_before_ask = models.PositiveSmallIntegerField(
        default=3,
        help_text=gettext_lazy("Show the ask from this article read on (1: at once)."),
        verbose_name=gettext_lazy("articles before ask"),
    )
    days_between_asks = models.PositiveSmallIntegerField(
        default=7,
        help_text=gettext_lazy("After the ask is shown, wait this many days before the next."),
        verbose_name=gettext_lazy("days between asks"),
    )
    lapsed_after_days = models.PositiveSmallIntegerField(
        default=400,
        help_text=gettext_lazy(
            "A donor with no monthly gift and no gift for this many days has lapsed."
        ),
        verbose_name=gettext_lazy("lapsed after days"),
    )
    new_heading = models.CharField(
        max_length=120,
        default="Found this worth your time?",
        verbose_name=gettext_lazy("new heading"),
    )
    new_text = models.TextField(
        max_length=500,
        default=(
            "No owner or advertiser pays for this reporting: readers do. "
            "If you can, chip in to keep it free for everyone."
        ),
        verbose_name=gettext_lazy("new text"),
    )
    new_button = models.CharField(
        max_length=40, default="Support our reporting", verbose_name=gettext_lazy("new button")
    )
    lapsed_heading = models.CharField(
        max_length=120, default="Welcome back", verbose_name=gettext_lazy("lapsed heading")
    )
    lapsed_text = models.TextField(
        max_length=500,
        default="Your past gift paid for reporting like this. Will you renew your support?",
        verbose_name=gettext_lazy("lapsed text"),
    )
    lapsed_button = models.CharField(
        max_length=40, default="Renew my support", verbose_name=gettext_lazy("lapsed button")
    )
    current_show = models.BooleanField(
        default=True,
        help_text=gettext_lazy("Thank current donors under articles (off: show them nothing)."),
        verbose_name=gettext_lazy("current show"),
    )
    current_heading = models.CharField(
        max_length=120,
        default="Thank you for your support",
        verbose_name=gettext_lazy("current heading"),
    )
    current_text = models.TextField(
        max_length=500,
        default="Readers like you keep this newsroom independent.",
        verbose_name=gettext_lazy("current text"),
    )

    panels = [
        MultiFieldPanel(
            [
                FieldPanel("articles_before_ask"),
                FieldPanel("days_between_asks"),
                FieldPanel("lapsed_after_days"),
            ],
            heading=gettext_lazy("When"),
        ),
        MultiFieldPanel(
            [FieldPanel("new_heading"), FieldPanel("new_text"), FieldPanel("new_button")],
            heading=gettext_lazy("Readers who have not given"),
        ),
        MultiFieldPanel(
            [FieldPanel("lapsed_heading"), FieldPanel("lapsed_text"), FieldPanel("lapsed_button")],
            heading=gettext_lazy("Donors whose giving lapsed"),
        ),
        MultiFieldPanel(
            [FieldPanel("current_show"), FieldPanel("current_heading"), FieldPanel("current_text")],
            heading=gettext_lazy("Current donors"),
        ),
    ]

    class Meta:
        verbose_name = gettext_lazy("support ask")
