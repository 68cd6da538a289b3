"""The demo's duties in the worker: a live comment on the lead story now and then while
``make demo`` runs (``live.py``; off unless ``DEMO_LIVE_COMMENT_MINUTES`` is set)."""

from wagtail import hooks

from newsdesk.core import hooks as newsdesk_hooks


@hooks.register(newsdesk_hooks.WORKER_PERIODIC)
def demo_live_comment() -> None:
    from newsdesk.demo.live import live_comment_post

    live_comment_post()
