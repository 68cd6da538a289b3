"""The site's look: base templates, static files, site identity, error pages and the page
slots other apps fill."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebConfig(AppConfig):
    name = "newsdesk.web"
    label = "web"
    verbose_name = _("Web")

    def ready(self) -> None:
        from newsdesk.core.pagesignals import pages_changed_connect
        from newsdesk.web.context_processors import footer_changed

        # Processes keep the footer's links (context_processors.py): any page published,
        # unpublished, moved, deleted or restricted may change them.
        pages_changed_connect(footer_changed, uid="newsdesk.web.footer_changed")
