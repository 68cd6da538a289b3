"""Whole-page caching for anonymous readers and exact invalidation (see ``__init__``)."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PageCacheConfig(AppConfig):
    name = "newsdesk.pagecache"
    label = "pagecache"
    verbose_name = _("Page cache")

    def ready(self) -> None:
        # The page cache hears of Wagtail's publishing in every process.
        from newsdesk.pagecache import signals

        signals.connect()
