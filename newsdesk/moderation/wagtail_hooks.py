"""Moderation's place in the comment gate: every new or edited comment is scored here."""

from wagtail import hooks

from newsdesk.discussion.pipeline import ASSESS_HOOK, Assessment, CommentCandidate
from newsdesk.moderation.scoring import comment_candidate_assess


@hooks.register(ASSESS_HOOK)
def assess_comment(candidate: CommentCandidate) -> Assessment:
    return comment_candidate_assess(candidate=candidate)
