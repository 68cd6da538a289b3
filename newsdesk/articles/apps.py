"""Publishing: the front, section and article pages; outlets, authors, corrections;
feeds, sitemaps and news metadata."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArticlesConfig(AppConfig):
    name = "newsdesk.articles"
    label = "articles"
    verbose_name = _("Articles")

    def ready(self) -> None:
        from newsdesk.articles.selectors import pages_changed
        from newsdesk.core.pagesignals import pages_changed_connect

        # Processes keep which articles are live and public (selectors.py): tell them.
        pages_changed_connect(pages_changed, uid="newsdesk.articles.pages_changed")
