"""Base templates, static files, site settings, error pages and the page slots other apps fill."""

from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "newsdesk.web"
    label = "web"
    verbose_name = "Web"
