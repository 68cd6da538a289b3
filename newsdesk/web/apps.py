"""The site's look: base templates, static files, site identity, error pages and the page
slots other apps fill."""

from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "newsdesk.web"
    label = "web"
    verbose_name = "Web"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save
        from wagtail.models import Page, PageViewRestriction
        from wagtail.signals import page_published, page_unpublished, post_page_move

        from newsdesk.web.context_processors import footer_changed

        # Processes keep the footer's links (context_processors.py): any page published,
        # unpublished, moved, deleted or restricted may change them.
        uid = "newsdesk.web.footer_changed."
        page_published.connect(footer_changed, dispatch_uid=uid + "published")
        page_unpublished.connect(footer_changed, dispatch_uid=uid + "unpublished")
        post_page_move.connect(footer_changed, dispatch_uid=uid + "moved")
        post_delete.connect(footer_changed, sender=Page, dispatch_uid=uid + "deleted")
        post_save.connect(
            footer_changed, sender=PageViewRestriction, dispatch_uid=uid + "restricted"
        )
        post_delete.connect(
            footer_changed, sender=PageViewRestriction, dispatch_uid=uid + "unrestricted"
        )
