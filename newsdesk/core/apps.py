"""Platform code with no look of its own: the database and cache backends, process caches,
rate limits, client addresses, the task outbox and its recovery, backups, guarded fetching,
the service error tree and the ``serve``/``worker``/backup commands."""

from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "newsdesk.core"
    label = "core"
    verbose_name = "Platform"
