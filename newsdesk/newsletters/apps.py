"""Newsletters: the newsroom's e-mail to its readers, from the same install."""

from django.apps import AppConfig


class NewslettersConfig(AppConfig):
    name = "newsdesk.newsletters"
    label = "newsletters"
    verbose_name = "Newsletters"

    def ready(self) -> None:
        # The providers' tracking webhooks (anymail's signal) and the sending's tasks and
        # periodic duty (sending: services/sending.py).
        from newsdesk.newsletters import receivers, tasks  # noqa: F401

        receivers.connect()
