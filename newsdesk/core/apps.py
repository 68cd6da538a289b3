"""Platform code with no look of its own: the database and cache backends, process caches,
rate limits, client addresses, the task outbox and its recovery, backups, guarded fetching,
the service error tree and the ``serve``/``worker``/backup commands."""

from pathlib import Path

from django.apps import AppConfig
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "newsdesk.core"
    label = "core"
    verbose_name = _("Platform")

    def ready(self) -> None:
        # The laptop tier's folders are made when Django starts, not when the settings are
        # imported (newsdesk/settings/paths.py): SQLite cannot create the folder of its
        # database file, and WhiteNoise warns about a missing static root. Idempotent.
        Path(settings.DATA_DIR).mkdir(parents=True, exist_ok=True)
        Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)
        # E-mails sent and failed are counted as their tasks finish, in every process.
        from newsdesk.core.metrics import emails  # noqa: F401
        from newsdesk.core.searchindex import index_tasks_queue_after_commit

        # On RQ, Wagtail's index tasks would otherwise race the saving transaction.
        index_tasks_queue_after_commit()
