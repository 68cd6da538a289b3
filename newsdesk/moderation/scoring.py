"""Scoring a comment before it is saved: every signal, the commenter's standing, then the
policy.

``comment_candidate_assess`` is what the ``COMMENT_ASSESS`` hook (``core/hooks.py``) calls
for each new or edited comment; ``comment_candidates_assess`` does the same for many at once
(the evaluation command and benchmarks), computing each model once per batch. Neither writes
to the database; the posting-rate signal counts in the cache. A guest's standing costs no
query, an account's one (``selectors.commenter_standing``).
"""

from dataclasses import replace

from newsdesk.discussion.pipeline import Assessment, CommentCandidate
from newsdesk.moderation.policy import CommenterStanding, Policy, assessment_decide
from newsdesk.moderation.selectors import commenter_standing, moderation_settings_get
from newsdesk.moderation.signals import PreparedComment, prepare, signals_run
from newsdesk.moderation.signals import spam as spam_signal


def comment_has_link(prepared: PreparedComment) -> bool:
    """Whether the comment links somewhere, as the spam signal finds links (a web address,
    with or without its scheme; an e-mail address is not a link)."""
    return bool(spam_signal.links_in(prepared))


def comment_candidates_assess(
    *,
    candidates: list[CommentCandidate],
    approved_counts: list[int] | None = None,
    standings: list[CommenterStanding] | None = None,
    bundle=None,
    trust_rules: bool = True,
) -> list[Assessment]:
    """Assess every candidate by the editors' policy.

    ``standings`` (one per candidate) default to what is known of each commenter; an
    ``approved_counts`` entry stands for an account known only by its published comments
    (the evaluation's and tests' way to say "a regular"). ``bundle`` (a
    ``stacking.ModelBundle``) replaces the site's current models (``signals_run``).
    ``trust_rules`` False judges the text alone, as the evaluation protocols do: no
    commenter is read, and no rule about the commenter (new, rejected often, links from the
    new, trusted) holds or publishes anything."""
    if not candidates:
        return []
    policy = Policy.from_settings(moderation_settings_get())
    if not trust_rules:
        policy = replace(
            policy,
            trusted_after=0,
            hold_first_comments=0,
            hold_rejected_share=1.0,
            hold_links_from_new=False,
            trusted_account_days=0,
            trust_supporters=False,
        )
        standings = [CommenterStanding(signed_in=True) for _ in candidates]
    if standings is None and approved_counts is not None:
        standings = [CommenterStanding.member_with(approved=n) for n in approved_counts]
    if standings is None:
        standings = [
            commenter_standing(candidate=c, supporters=policy.trust_supporters) for c in candidates
        ]
    prepared = [prepare(candidate) for candidate in candidates]
    results = signals_run(prepared, bundle=bundle)
    return [
        assessment_decide(
            results=row,
            policy=policy,
            standing=standing,
            has_link=policy.hold_links_from_new and comment_has_link(one),
        )
        for row, standing, one in zip(results, standings, prepared, strict=True)
    ]


def comment_candidate_assess(
    *,
    candidate: CommentCandidate,
    approved_count: int | None = None,
    standing: CommenterStanding | None = None,
) -> Assessment:
    """Assess one comment as it is posted or edited (``standing``, or ``approved_count``:
    as for ``comment_candidates_assess``)."""
    return comment_candidates_assess(
        candidates=[candidate],
        approved_counts=None if approved_count is None else [approved_count],
        standings=None if standing is None else [standing],
    )[0]
