"""Keeping an install healthy: where backups go, how ``manage.py upgrade`` reloads the
services, and what ``manage.py doctor`` tolerates (newsdesk/core/doctor/, core/upgrade.py)."""

from .env import env_int, env_str
from .paths import DATA_DIR

# Where ``manage.py upgrade`` writes its pre-upgrade backup and where ``doctor`` looks for the
# newest backup (the deploy kit's nightly timer writes into /srv/newsdesk/backups).
BACKUP_DIR = env_str("BACKUP_DIR", str(DATA_DIR / "backups"))
# A shell command ``manage.py upgrade`` runs once the new code is migrated, to restart the
# web processes and workers; empty: it prints what to run instead.
UPGRADE_RELOAD_COMMAND = env_str("UPGRADE_RELOAD_COMMAND")
# ``doctor`` fails the queue when its oldest waiting task is older than this.
DOCTOR_QUEUE_MAX_AGE_MINUTES = env_int("DOCTOR_QUEUE_MAX_AGE_MINUTES", 10)
