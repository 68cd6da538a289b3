"""The discussion JSON API (threads, comments, votes)."""

from ninja import Router

router = Router(tags=["discussion"])
