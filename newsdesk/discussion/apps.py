"""Threaded reader comments under every article."""

from django.apps import AppConfig


class DiscussionConfig(AppConfig):
    name = "newsdesk.discussion"
    label = "discussion"
    verbose_name = "Discussion"

    def ready(self) -> None:
        # Posting keeps each article's thread in a per-process copy (selectors_posting): a
        # thread or a subscription saved or deleted anywhere (a service, the admin, a
        # shell) makes every process read it afresh.
        from django.db.models.signals import post_delete, post_save

        from newsdesk.discussion.models import Subscription, Thread
        from newsdesk.discussion.selectors_posting import threads_changed

        for model in (Thread, Subscription):
            post_save.connect(threads_changed, sender=model, dispatch_uid=f"threads:{model}")
            post_delete.connect(threads_changed, sender=model, dispatch_uid=f"threads-:{model}")
        # The quiet hours likewise (``selectors_schedule``).
        from newsdesk.discussion.models_schedule import QuietHours
        from newsdesk.discussion.selectors_schedule import quiet_hours_changed

        post_save.connect(quiet_hours_changed, sender=QuietHours, dispatch_uid="quiet-hours")
        post_delete.connect(quiet_hours_changed, sender=QuietHours, dispatch_uid="quiet-hours-")
