"""Partner feeds pulled in as articles, with attribution."""

from django.apps import AppConfig


class SyndicationConfig(AppConfig):
    name = "newsdesk.syndication"
    label = "syndication"
    verbose_name = "Syndication"
