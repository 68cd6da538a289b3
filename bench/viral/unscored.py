"""gunicorn settings for a Newsdesk whose comment scoring is skipped (``bench.viral.posting``).

Every moderation signal answers 0 for every comment, so each post is published; the rest of
the pipeline (rate limits, the gate's bans and policy, Markdown, the rows, the audit log, the
page tags) runs as usual. Measured beside the real pipeline and Isso, it shows what posting
costs apart from the scoring. For benchmarks only: a site must never run this.

Newsdesk's own gunicorn configuration (``newsdesk/gunicorn_conf.py``: each worker warmed, then
its heap frozen) applies as it does to ``manage.py serve``'s processes, so the two servers
differ only by the scoring.
"""

from newsdesk.gunicorn_conf import *  # noqa: F403 - every server hook of the real configuration
from newsdesk.gunicorn_conf import post_worker_init as newsdesk_post_worker_init


def post_worker_init(worker):
    from newsdesk.moderation import scoring
    from newsdesk.moderation.signals import SIGNALS
    from newsdesk.moderation.signals.base import SignalResult

    def signals_run_unscored(prepared):
        return [[SignalResult(module.NAME, 0.0, "") for module in SIGNALS] for _ in prepared]

    scoring.signals_run = signals_run_unscored
    return newsdesk_post_worker_init(worker)
