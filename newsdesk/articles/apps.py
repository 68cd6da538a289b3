"""Publishing: the front, section and article pages; outlets, authors, corrections;
feeds, sitemaps and news metadata."""

from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "newsdesk.articles"
    label = "articles"
    verbose_name = "Articles"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save
        from wagtail.models import Page, PageViewRestriction
        from wagtail.signals import page_published, page_unpublished, post_page_move

        from newsdesk.articles.selectors import pages_changed

        # Processes keep which articles are live and public (selectors.py): tell them.
        uid = "newsdesk.articles.pages_changed."
        page_published.connect(pages_changed, dispatch_uid=uid + "published")
        page_unpublished.connect(pages_changed, dispatch_uid=uid + "unpublished")
        post_page_move.connect(pages_changed, dispatch_uid=uid + "moved")
        post_delete.connect(pages_changed, sender=Page, dispatch_uid=uid + "deleted")
        post_save.connect(
            pages_changed, sender=PageViewRestriction, dispatch_uid=uid + "restricted"
        )
        post_delete.connect(
            pages_changed, sender=PageViewRestriction, dispatch_uid=uid + "unrestricted"
        )
