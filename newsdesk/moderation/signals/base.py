"""What every signal shares: the prepared comment it reads and the result it returns."""

from dataclasses import dataclass, field
from functools import cached_property

from newsdesk.discussion import conf as discussion_conf
from newsdesk.discussion.pipeline import CommentCandidate
from newsdesk.moderation import terms
from newsdesk.moderation.text import deleet, fold, plain_text


def scored_max_chars() -> int:
    """How much of a comment's text the signals read: the longest body a reader may post.

    Posting refuses longer bodies already; the cap holds for any other caller, and for text
    that folding lengthens (one compatibility character can unfold into eighteen), so the
    work per comment stays bounded.
    """
    return discussion_conf.DISCUSSION_BODY_MAX_CHARS


@dataclass(frozen=True)
class SignalResult:
    """One signal's judgement of one comment: a score 0..1 and why, readable by moderators.

    ``severe`` marks a finding that no trust may override (a filled honeypot, a threat).
    ``content_score``, where a signal also weighs how the comment was sent (how fast, how
    often), is the score without that: what the comment alone earns (None: the same as
    ``score``). The policy reads it for a signed-in reader in good standing, whom speed and
    rate alone never hold, and the stacker reads it because it learned from texts alone.
    """

    signal: str
    score: float
    reason: str
    severe: bool = False
    content_score: float | None = None

    @property
    def text_score(self) -> float:
        """The score the comment's content alone earns."""
        return self.score if self.content_score is None else self.content_score


@dataclass
class PreparedComment:
    """A candidate with the text views the signals read, computed once per comment.

    ``memo`` holds what one signal computes and another reuses (the profanity probability,
    the learned models' class probabilities, every signal's score for the combined one), so a
    batch computes each once. ``behaviour`` False reads the text alone: no posting-rate
    count, no look for identical comments (how the stacker's training texts are scored).
    """

    candidate: CommentCandidate
    memo: dict = field(default_factory=dict)
    behaviour: bool = True

    @cached_property
    def text(self) -> str:
        return plain_text(self.candidate.body[: 4 * scored_max_chars()])[: scored_max_chars()]

    @cached_property
    def folded(self) -> str:
        return fold(self.text)[: scored_max_chars()]

    @cached_property
    def model_text(self) -> str:
        """Folded text with the names of peoples and groups masked: what the learned models
        read (``masking.py``)."""
        from newsdesk.moderation.masking import group_masked

        return group_masked(self.folded)

    @cached_property
    def matchable(self) -> str:
        """Folded, de-obfuscated text with innocent phrases that contain listed terms removed."""
        text = deleet(self.folded)
        return terms.alternation("allowlist_phrases.txt").sub(" ", text)

    @cached_property
    def folded_for_terms(self) -> str:
        """Folded text (leetspeak kept, for the slur patterns) minus innocent phrases."""
        return terms.alternation("allowlist_phrases.txt").sub(" ", self.folded)


def prepare(candidate: CommentCandidate) -> PreparedComment:
    return PreparedComment(candidate=candidate)


def clamp(score: float) -> float:
    return min(1.0, max(0.0, float(score)))


def noisy_or(scores) -> float:
    """Combine independent pieces of evidence: 1 - Π(1 - s)."""
    remaining = 1.0
    for score in scores:
        remaining *= 1.0 - min(1.0, max(0.0, score))
    return 1.0 - remaining
