"""Health checks, metrics and logs (newsdesk/core/health.py, newsdesk/core/metrics/,
newsdesk/core/logconfig.py): ``/healthz``, ``/readyz``, ``/metrics`` and the one logging
configuration of every process (web, worker, gunicorn's own lines)."""

from newsdesk.core.logconfig import LOG_FORMATS, logging_config

from .env import EnvironmentVariableError, env_float, env_list, env_str
from .paths import DATA_DIR

# How long /readyz (and ``manage.py doctor``) waits for each of the database, the cache and
# the task queue before calling it down.
HEALTH_CHECK_TIMEOUT_SECONDS = env_float("HEALTH_CHECK_TIMEOUT_SECONDS", 2.0)

# Who may read /metrics: these networks (the scraper's; loopback by default) or whoever
# sends ``Authorization: Bearer <METRICS_TOKEN>`` when a token is set. Others get a 404.
METRICS_ALLOWED_NETWORKS = env_list("METRICS_ALLOWED_NETWORKS", "127.0.0.0/8,::1/128")
METRICS_TOKEN = env_str("METRICS_TOKEN")
# The figures read from the database (comments, gifts, e-mails, the queue) are computed at
# most once in this many seconds, whoever scrapes: a scraper cannot load the database.
METRICS_CACHE_SECONDS = env_float("METRICS_CACHE_SECONDS", 15.0)
# gunicorn's workers count requests in files here (prometheus_client's multiprocess mode), a
# folder per master (per address it binds), emptied when that master starts.
METRICS_MULTIPROC_DIR = env_str("METRICS_MULTIPROC_DIR", str(DATA_DIR / "metrics"))
# The tasks that send e-mail, and the kind of e-mail each sends: their runs are counted as
# e-mails sent (the task's return value: True or a number) or failed (the task failed).
METRICS_EMAIL_TASKS = {
    "newsdesk.funding.tasks.donation_receipt_send": "receipt",
    "newsdesk.discussion.tasks.comment_notifications_send": "notification",
    "newsdesk.discussion.tasks.email_confirmation_send": "confirmation",
    "newsdesk.discussion.tasks.digest_send": "digest",
}


def log_format_checked(value: str) -> str:
    """``value`` if it is one of ``LOG_FORMATS`` (any case), else an error naming
    ``LOG_FORMAT``: a typo must not silently keep the other format."""
    lowered = value.strip().lower()
    if lowered not in LOG_FORMATS:
        raise EnvironmentVariableError(f"LOG_FORMAT must be text or json, not {value!r}.")
    return lowered


# text: ``2026-01-31T12:00:00.123Z INFO newsdesk.worker [pid] message``; json: one object per
# line with the same keys and the request's (id, method, path, status, duration).
LOG_FORMAT = log_format_checked(env_str("LOG_FORMAT", "text"))
# LOG_LEVEL sets both; unset, Newsdesk logs INFO and the libraries WARNING.
LOG_LEVEL = env_str("LOG_LEVEL")
LOGGING = logging_config(log_format=LOG_FORMAT, level=LOG_LEVEL)
# The readers of the business figures /metrics serves (comments, moderation, gifts): the
# project's (newsdesk/observability.py), as core reads no app's tables.
METRICS_FIGURES = [
    "newsdesk.observability.comment_figures",
    "newsdesk.observability.moderation_figures",
    "newsdesk.observability.gift_figures",
]
