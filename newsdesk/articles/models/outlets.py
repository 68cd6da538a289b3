"""Partner outlets whose stories the site republishes under an agreement."""

from django.core.validators import URLValidator
from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.search import index

http_url_validator = URLValidator(schemes=["http", "https"])


class SearchEnginePolicy(models.TextChoices):
    """What the partner agreement says search engines should do with a republished copy."""

    CANONICAL = "canonical", "Point search engines to the original (rel=canonical)"
    NOINDEX = "noindex", "Keep the copy out of search engines (noindex)"
    INDEX = "index", "Index the copy as our own page"


class Outlet(index.Indexed, models.Model):
    """A partner publication. A republished article names it and links to the original."""

    name = models.CharField(max_length=120, unique=True)
    site_url = models.URLField(
        max_length=300, validators=[http_url_validator], help_text="The outlet's home page."
    )
    search_engine_policy = models.CharField(
        max_length=10, choices=SearchEnginePolicy.choices, default=SearchEnginePolicy.CANONICAL
    )
    agreement_notes = models.TextField(
        blank=True, help_text="What the agreement allows; shown to editors only."
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

    def __str__(self) -> str:
        return self.name
