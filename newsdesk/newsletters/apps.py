"""Newsletters: the newsroom's e-mail to its readers, from the same install."""

from django.apps import AppConfig


class NewslettersConfig(AppConfig):
    name = "newsdesk.newsletters"
    label = "newsletters"
    verbose_name = "Newsletters"
