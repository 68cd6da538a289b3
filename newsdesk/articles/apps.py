"""Publishing: the front, section and article pages; outlets, authors, corrections;
feeds, sitemaps and news metadata."""

from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "newsdesk.articles"
    label = "articles"
    verbose_name = "Articles"
