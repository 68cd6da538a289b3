"""Base templates, static files, site settings, error pages and the page slots other apps fill."""

from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "newsdesk.web"
    label = "web"
    verbose_name = "Web"

    def ready(self) -> None:
        # The page cache hears of Wagtail's publishing in every process.
        from newsdesk.web.pagecache import signals

        signals.connect()
