"""Scoring a comment before it is saved: every signal, then the policy.

``comment_candidate_assess`` is what the ``COMMENT_ASSESS`` hook (``core/hooks.py``) calls
for each new or edited comment; ``comment_candidates_assess`` does the same for many at once
(the evaluation command and benchmarks), computing each model once per batch. Neither writes
to the database; the posting-rate signal counts in the cache.
"""

from newsdesk.discussion.pipeline import Assessment, CommentCandidate
from newsdesk.moderation.policy import Policy, assessment_decide
from newsdesk.moderation.selectors import commenter_approved_count, moderation_settings_get
from newsdesk.moderation.signals import prepare, signals_run


def comment_candidates_assess(
    *, candidates: list[CommentCandidate], approved_counts: list[int] | None = None
) -> list[Assessment]:
    """Assess every candidate; ``approved_counts`` (one per candidate) default to what is
    known of each commenter."""
    if not candidates:
        return []
    policy = Policy.from_settings(moderation_settings_get())
    if approved_counts is None:
        approved_counts = [commenter_approved_count(candidate=c) for c in candidates]
    results = signals_run([prepare(candidate) for candidate in candidates])
    return [
        assessment_decide(results=row, policy=policy, approved_count=count)
        for row, count in zip(results, approved_counts, strict=True)
    ]


def comment_candidate_assess(
    *, candidate: CommentCandidate, approved_count: int | None = None
) -> Assessment:
    """Assess one comment as it is posted or edited."""
    counts = None if approved_count is None else [approved_count]
    return comment_candidates_assess(candidates=[candidate], approved_counts=counts)[0]
