"""The site's look: base templates, static files, site identity, error pages and the page
slots other apps fill."""

from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "newsdesk.web"
    label = "web"
    verbose_name = "Web"
