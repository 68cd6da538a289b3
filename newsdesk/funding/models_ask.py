"""The support ask's words and rules by reader, as editors set them (Settings → Support ask).

The page stays one shared copy: every variant's words go into it, and the reader's browser
picks one (``funding/static/funding/js/ask.js``) from what it knows alone: how many articles
it has read (counted in ``localStorage``, never sent), when it last showed the ask, and the
donor status a signed-in page's personal region or the thank-you page told it.
"""

from django.db import models
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting


@register_setting(icon="pick")
class SupportAskSettings(BaseGenericSetting):
    """Who sees which ask under articles and in the campaign bar, and how often."""

    articles_before_ask = models.PositiveSmallIntegerField(
        default=3, help_text="Show the ask from this article read on (1: at once)."
    )
    days_between_asks = models.PositiveSmallIntegerField(
        default=7, help_text="After the ask is shown, wait this many days before the next."
    )
    lapsed_after_days = models.PositiveSmallIntegerField(
        default=400,
        help_text="A donor with no monthly gift and no gift for this many days has lapsed.",
    )
    new_heading = models.CharField(max_length=120, default="Found this worth your time?")
    new_text = models.TextField(
        max_length=500,
        default=(
            "No owner or advertiser pays for this reporting: readers do. "
            "If you can, chip in to keep it free for everyone."
        ),
    )
    new_button = models.CharField(max_length=40, default="Support our reporting")
    lapsed_heading = models.CharField(max_length=120, default="Welcome back")
    lapsed_text = models.TextField(
        max_length=500,
        default="Your past gift paid for reporting like this. Will you renew your support?",
    )
    lapsed_button = models.CharField(max_length=40, default="Renew my support")
    current_show = models.BooleanField(
        default=True, help_text="Thank current donors under articles (off: show them nothing)."
    )
    current_heading = models.CharField(max_length=120, default="Thank you for your support")
    current_text = models.TextField(
        max_length=500, default="Readers like you keep this newsroom independent."
    )

    panels = [
        MultiFieldPanel(
            [
                FieldPanel("articles_before_ask"),
                FieldPanel("days_between_asks"),
                FieldPanel("lapsed_after_days"),
            ],
            heading="When",
        ),
        MultiFieldPanel(
            [FieldPanel("new_heading"), FieldPanel("new_text"), FieldPanel("new_button")],
            heading="Readers who have not given",
        ),
        MultiFieldPanel(
            [FieldPanel("lapsed_heading"), FieldPanel("lapsed_text"), FieldPanel("lapsed_button")],
            heading="Donors whose giving lapsed",
        ),
        MultiFieldPanel(
            [FieldPanel("current_show"), FieldPanel("current_heading"), FieldPanel("current_text")],
            heading="Current donors",
        ),
    ]

    class Meta:
        verbose_name = "support ask"
