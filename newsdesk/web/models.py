"""Site-wide settings that editors change in Wagtail's admin (Settings → Site identity)."""

from django.db import models
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting
from wagtail.images import get_image_model_string


@register_setting(icon="site")
class SiteIdentity(BaseGenericSetting):
    """Who publishes the site: used in the masthead, feeds, news sitemaps and JSON-LD."""

    tagline = models.CharField(
        max_length=200, blank=True, default="Independent, reader-funded news"
    )
    publisher_name = models.CharField(
        max_length=120,
        blank=True,
        help_text="The organisation named as publisher in news metadata (default: the site name).",
    )
    publisher_logo = models.ForeignKey(
        # Wagtail's image model (WAGTAILIMAGES_IMAGE_MODEL), whichever app provides it.
        get_image_model_string(),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Shown to search engines as the publisher's logo.",
    )
    language = models.CharField(
        max_length=10, default="en", help_text="Language of the articles, as an ISO 639 code."
    )
    twitter_site = models.CharField(
        max_length=60, blank=True, help_text="The site's account for Twitter cards, e.g. @newsdesk."
    )

    panels = [
        FieldPanel("tagline"),
        MultiFieldPanel(
            [FieldPanel("publisher_name"), FieldPanel("publisher_logo"), FieldPanel("language")],
            heading="Publisher",
        ),
        FieldPanel("twitter_site"),
    ]

    class Meta:
        verbose_name = "site identity"
