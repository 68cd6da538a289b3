"""What editors change of the site's frame in Wagtail's admin: the site's identity (Settings →
Site identity) and the site's own pages (About, Contact, Privacy...) that the footer links to."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting
from wagtail.fields import RichTextField
from wagtail.images import get_image_model_string
from wagtail.models import Page
from wagtail.search import index


@register_setting(icon="site")
class SiteIdentity(BaseGenericSetting):
    """Who publishes the site: used in the masthead, feeds, news sitemaps and JSON-LD."""

    tagline = models.CharField(
        max_length=200,
        blank=True,
        default="Independent, reader-funded news",
        verbose_name=_("tagline"),
    )
    publisher_name = models.CharField(
        max_length=120,
        blank=True,
        help_text=_(
            "The organisation named as publisher in news metadata (default: the site name)."
        ),
        verbose_name=_("publisher name"),
    )
    publisher_logo = models.ForeignKey(
        # Wagtail's image model (WAGTAILIMAGES_IMAGE_MODEL), whichever app provides it.
        get_image_model_string(),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Shown to search engines as the publisher's logo."),
        verbose_name=_("publisher logo"),
    )
    language = models.CharField(
        max_length=10,
        default="en",
        help_text=_("Language of the articles, as an ISO 639 code."),
        verbose_name=_("language"),
    )
    twitter_site = models.CharField(
        max_length=60,
        blank=True,
        help_text=_("The site's account for Twitter cards, e.g. @newsdesk."),
        verbose_name=_("twitter site"),
    )

    panels = [
        FieldPanel("tagline"),
        MultiFieldPanel(
            [FieldPanel("publisher_name"), FieldPanel("publisher_logo"), FieldPanel("language")],
            heading=_("Publisher"),
        ),
        FieldPanel("twitter_site"),
    ]

    class Meta:
        verbose_name = _("site identity")


class InfoPage(Page):
    """A page about the site itself (About, Contact, Privacy, Corrections, Moderation policy):
    a title and a body of rich text, added under the front page.

    Every live, public one with "Show in footer" ticked is linked from every page's footer,
    in the order of the page tree (reorder them in the admin to reorder the links). It is a
    page of the frame, so it lives here, in web, and knows nothing of articles.
    """

    body = RichTextField(blank=True, verbose_name=_("body"))
    show_in_footer = models.BooleanField(
        default=True,
        help_text=_("Link to this page from the footer of every page."),
        verbose_name=_("show in footer"),
    )

    content_panels = [*Page.content_panels, FieldPanel("body")]
    promote_panels = [*Page.promote_panels, FieldPanel("show_in_footer")]
    search_fields = [*Page.search_fields, index.SearchField("body")]
    subpage_types: list[str] = []
    template = "web/info_page.html"

    class Meta:
        verbose_name = _("information page")
