"""Helpers for the moderation tests: candidates as the discussion app builds them."""

import pytest

from newsdesk.discussion.pipeline import CommentCandidate
from newsdesk.moderation.signals import prepare


def candidate(body: str, **fields) -> CommentCandidate:
    fields.setdefault("thread_key", "42")
    fields.setdefault("author_name", "A reader")
    return CommentCandidate(body=body, **fields)


@pytest.fixture
def score(db):
    """``score(signal_module, body, **candidate_fields)`` → that signal's SignalResult."""

    def run(signal, body: str, **fields):
        return signal.score_many([prepare(candidate(body, **fields))])[0]

    return run
