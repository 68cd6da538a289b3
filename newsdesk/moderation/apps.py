"""Scoring every comment, the moderators' queue, reports, bans and the audit log."""

from django.apps import AppConfig


class ModerationConfig(AppConfig):
    name = "newsdesk.moderation"
    label = "moderation"
    verbose_name = "Moderation"
