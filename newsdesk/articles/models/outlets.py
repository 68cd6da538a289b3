"""Partner outlets whose stories the site republishes under an agreement."""

from django.core.validators import URLValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.search import index

http_url_validator = URLValidator(schemes=["http", "https"])


class SearchEnginePolicy(models.TextChoices):
    """What the partner agreement says search engines should do with a republished copy."""

    CANONICAL = "canonical", _("Point search engines to the original (rel=canonical)")
    NOINDEX = "noindex", _("Keep the copy out of search engines (noindex)")
    INDEX = "index", _("Index the copy as our own page")


class Outlet(index.Indexed, models.Model):
    """A partner publication. A republished article names it and links to the original."""

    name = models.CharField(max_length=120, unique=True, verbose_name=_("name"))
    site_url = models.URLField(
        max_length=300,
        validators=[http_url_validator],
        help_text=_("The outlet's home page."),
        verbose_name=_("site url"),
    )
    search_engine_policy = models.CharField(
        max_length=10,
        choices=SearchEnginePolicy.choices,
        default=SearchEnginePolicy.CANONICAL,
        verbose_name=_("search engine policy"),
    )
    agreement_notes = models.TextField(
        blank=True,
        help_text=_("What the agreement allows; shown to editors only."),
        verbose_name=_("agreement notes"),
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("site_url"),
        FieldPanel("search_engine_policy"),
        FieldPanel("agreement_notes"),
    ]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        ordering = ["name"]
        verbose_name = _("outlet")
        verbose_name_plural = _("outlets")

    def __str__(self) -> str:
        return self.name
