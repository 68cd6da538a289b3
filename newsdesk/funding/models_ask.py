"""The support ask's words and rules by reader, as editors set them (Settings → Support ask).

The page stays one shared copy: every variant's words go into it, and the reader's browser
picks one (``funding/static/funding/js/ask.js``) from what it knows alone: how many articles
it has read (counted in ``localStorage``, never sent), when it last showed the ask, and the
donor status a signed-in page's personal region or the thank-you page told it.
"""

from types import SimpleNamespace

from django.db import models
from django.utils.translation import gettext_lazy, gettext_noop
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting

from newsdesk.funding.shipped_words import shipped_or_own

# The shipped words of the ask, by field: marked for the catalogues and stored in English (the
# fields' defaults, as the migrations know them); ``SupportAskSettings.words()`` shows them in
# the reader's language until an editor rewrites them.
SHIPPED_WORDS = {
    "new_heading": gettext_noop("Found this worth your time?"),
    "new_text": gettext_noop(
        "No owner or advertiser pays for this reporting: readers do. "
        "If you can, chip in to keep it free for everyone."
    ),
    "new_button": gettext_noop("Support our reporting"),
    "lapsed_heading": gettext_noop("Welcome back"),
    "lapsed_text": gettext_noop(
        "Your past gift paid for reporting like this. Will you renew your support?"
    ),
    "lapsed_button": gettext_noop("Renew my support"),
    "current_heading": gettext_noop("Thank you for your support"),
    "current_text": gettext_noop("Readers like you keep this newsroom independent."),
}


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
        default=SHIPPED_WORDS["new_heading"],
        verbose_name=gettext_lazy("new heading"),
    )
    new_text = models.TextField(
        max_length=500,
        default=SHIPPED_WORDS["new_text"],
        verbose_name=gettext_lazy("new text"),
    )
    new_button = models.CharField(
        max_length=40, default=SHIPPED_WORDS["new_button"], verbose_name=gettext_lazy("new button")
    )
    lapsed_heading = models.CharField(
        max_length=120,
        default=SHIPPED_WORDS["lapsed_heading"],
        verbose_name=gettext_lazy("lapsed heading"),
    )
    lapsed_text = models.TextField(
        max_length=500,
        default=SHIPPED_WORDS["lapsed_text"],
        verbose_name=gettext_lazy("lapsed text"),
    )
    lapsed_button = models.CharField(
        max_length=40,
        default=SHIPPED_WORDS["lapsed_button"],
        verbose_name=gettext_lazy("lapsed button"),
    )
    current_show = models.BooleanField(
        default=True,
        help_text=gettext_lazy("Thank current donors under articles (off: show them nothing)."),
        verbose_name=gettext_lazy("current show"),
    )
    current_heading = models.CharField(
        max_length=120,
        default=SHIPPED_WORDS["current_heading"],
        verbose_name=gettext_lazy("current heading"),
    )
    current_text = models.TextField(
        max_length=500,
        default=SHIPPED_WORDS["current_text"],
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

    def words(self) -> SimpleNamespace:
        """The ask's words to show, one attribute per text field (``new_heading``...
        ``current_text``): each shipped default in the active language, an editor's own
        words as written (``shipped_words.shipped_or_own``)."""
        return SimpleNamespace(
            **{
                field: shipped_or_own(getattr(self, field), shipped=shipped)
                for field, shipped in SHIPPED_WORDS.items()
            }
        )
