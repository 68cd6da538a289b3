"""Writes of the syndication app.

``sources`` adds sources and polls them (fetch, parse, record the outcome, back off after
failures); ``entries`` turns one feed item into an article or updates it; ``schedule``
keeps exactly one ``poll_due_sources`` task queued for the next due time.
"""

from newsdesk.syndication.services.entries import EntryOutcome, entry_process
from newsdesk.syndication.services.schedule import poll_next_due_at, poll_run_request
from newsdesk.syndication.services.sources import (
    PollReport,
    source_create,
    source_poll,
    sources_poll_due,
)

__all__ = [
    "EntryOutcome",
    "PollReport",
    "entry_process",
    "poll_next_due_at",
    "poll_run_request",
    "source_create",
    "source_poll",
    "sources_poll_due",
]
