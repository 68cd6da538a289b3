"""The one gate every new or edited comment passes: publish, hold or reject.

Discussion does not know how comments are judged. It builds a ``CommentCandidate`` and asks
``comment_assess``; the moderation app answers by registering a Wagtail hook::

    @hooks.register(newsdesk_hooks.COMMENT_ASSESS)
    def assess(candidate: CommentCandidate) -> Assessment: ...

With no assessor registered, every comment is published. When several are registered, the
strictest verdict wins and their reasons and scores are merged.

After the comment is saved, inside the same transaction, every ``COMMENT_ASSESSED`` hook is
called with ``(comment, assessment)``, so moderation's audit log commits with the comment or
not at all (a listener that must wait for the commit uses ``on_commit`` itself); then, if
readers can see the result (a published comment, or any edit), discussion announces that the
article's discussion changed (``changes.article_discussion_changed``).
"""

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from wagtail import hooks

from newsdesk.core import hooks as newsdesk_hooks
from newsdesk.discussion.changes import article_discussion_changed


class Verdict(StrEnum):
    PUBLISH = "publish"
    HOLD = "hold"
    REJECT = "reject"


# The order of strictness, for merging several assessors' verdicts.
_STRICTNESS = {Verdict.PUBLISH: 0, Verdict.HOLD: 1, Verdict.REJECT: 2}


@dataclass(frozen=True)
class CommentCandidate:
    """What is known of a comment before it is saved (or of its edit before it is stored).

    ``thread_key`` identifies the thread (the article's id); ``author_user_id`` is None for a
    guest. ``submitted_after`` is the seconds between the form being served and sent (None
    when unknown: no ``started`` sent, through the form or the API); ``honeypot`` is what
    the hidden field (the API's ``website``) held.
    ``is_edit`` is True for an edit of ``comment_id``. ``author_guest_key_hash`` is a
    guest's key as comments store it (its SHA-256; "" for an account), for guest bans.
    """

    body: str
    thread_key: str
    author_name: str
    author_email: str = ""
    author_user_id: int | None = None
    ip_address: str = ""
    user_agent: str = ""
    parent_body: str = ""
    submitted_after: float | None = None
    honeypot: str = ""
    is_edit: bool = False
    comment_id: int | None = None
    created_at: datetime | None = None
    has_image: bool = False
    author_guest_key_hash: str = ""


@dataclass
class Assessment:
    """A verdict with its reasons (readable by moderators) and scores (0..1 by signal).

    ``shadow`` publishes the comment to its author alone (a shadow ban). ``pending_signals``
    names slow signals the worker still has to run while the comment waits, held.
    """

    verdict: Verdict = Verdict.PUBLISH
    reasons: list[str] = field(default_factory=list)
    scores: dict[str, float] = field(default_factory=dict)
    shadow: bool = False
    pending_signals: list[str] = field(default_factory=list)

    def merge(self, other: "Assessment") -> "Assessment":
        stricter = max(self.verdict, other.verdict, key=_STRICTNESS.__getitem__)
        return Assessment(
            verdict=stricter,
            reasons=[*self.reasons, *other.reasons],
            scores={**self.scores, **other.scores},
            shadow=self.shadow or other.shadow,
            pending_signals=[*self.pending_signals, *other.pending_signals],
        )


def comment_assess(*, candidate: CommentCandidate) -> Assessment:
    """Ask every registered assessor; publish when there is none."""
    assessment = Assessment()
    for assessor in hooks.get_hooks(newsdesk_hooks.COMMENT_ASSESS):
        assessment = assessment.merge(assessor(candidate))
    return assessment


def comment_assessed_notify(*, comment, assessment: Assessment) -> None:
    """Tell every listener what was decided for a saved comment (call it inside the
    transaction that saved it), and announce the article's discussion changed when readers
    can see the result: a new comment readers can see, or any edit. A held, rejected or
    shadowed new comment changes nothing anonymous readers see."""
    for listener in hooks.get_hooks(newsdesk_hooks.COMMENT_ASSESSED):
        listener(comment, assessment)
    if comment.is_public or comment.edited_at is not None:
        article_discussion_changed(article_ids=[comment.thread.article_id])


def reader_refusal(*, reader) -> str:
    """Why ``reader`` (a ``readers.Reader``) may not vote or report now, or "" when they may:
    the first refusal of a ``READER_REFUSAL`` hook (moderation's bans). A comment's author is
    judged by ``comment_assess`` instead."""
    for check in hooks.get_hooks(newsdesk_hooks.READER_REFUSAL):
        refusal = check(reader=reader)
        if refusal:
            return refusal
    return ""
