"""Scoring every comment, the moderators' queue, reports, bans and the audit log."""

from django.apps import AppConfig


class ModerationConfig(AppConfig):
    name = "newsdesk.moderation"
    label = "moderation"
    verbose_name = "Moderation"

    def ready(self):
        from newsdesk.moderation.warmup import running_under_web_server, scorer_warm_in_background

        # Only in a web server's process: tests, commands and the worker warm (or not) on
        # their own terms.
        if running_under_web_server():
            scorer_warm_in_background()
