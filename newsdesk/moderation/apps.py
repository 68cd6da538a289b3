"""Scoring every comment, the moderators' queue, reports, bans and the audit log."""

from django.apps import AppConfig


class ModerationConfig(AppConfig):
    name = "newsdesk.moderation"
    label = "moderation"
    verbose_name = "Moderation"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from newsdesk.moderation import checks  # noqa: F401 (registers the term lists' check)
        from newsdesk.moderation.models import Ban, LearnedModel, ModerationSettings
        from newsdesk.moderation.selectors import moderation_data_changed

        # Every process keeps copies of these for the comment gate (selectors.py).
        for model in (Ban, LearnedModel, ModerationSettings):
            uid = f"newsdesk.moderation.changed.{model._meta.model_name}"
            post_save.connect(moderation_data_changed, sender=model, dispatch_uid=uid)
            post_delete.connect(moderation_data_changed, sender=model, dispatch_uid=uid + ".del")
        # A web process warms its scorer from gunicorn's post_worker_init hook
        # (newsdesk/gunicorn_conf.py), the worker from its start-up hook: not here, where
        # tests and every command would pay for it.
