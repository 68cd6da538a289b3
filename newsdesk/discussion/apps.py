"""Threaded reader comments under every article."""

from django.apps import AppConfig


class DiscussionConfig(AppConfig):
    name = "newsdesk.discussion"
    label = "discussion"
    verbose_name = "Discussion"
