"""The audit log: the gate's automatic decisions, moderators' decisions and their undo."""

import pytest

from newsdesk.discussion.models import CommentStatus
from newsdesk.moderation.errors import InvalidInput, NotAllowed, NotFound
from newsdesk.moderation.models import Decision, DecisionAction, Report
from newsdesk.moderation.services import comment_moderate, comments_moderate, decision_undo

from .conftest import SPAM, guest_reader, post, user_in

pytestmark = pytest.mark.django_db


def test_every_saved_comment_gets_an_automatic_decision_with_reasons_and_scores(
    article, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        fine = post(article, guest_reader())
        spam = post(article, guest_reader("192.0.2.11"), SPAM)
    assert (fine.status, spam.status) == (CommentStatus.PUBLISHED, CommentStatus.HELD)
    published = Decision.objects.get(comment=fine)
    held = Decision.objects.get(comment=spam)
    assert published.action == DecisionAction.PUBLISHED and published.actor is None
    assert held.action == DecisionAction.HELD and held.new_status == CommentStatus.HELD
    assert held.reasons[0].startswith("held: spam")
    assert held.scores["spam"] >= 0.5 and set(held.scores) >= {"hate", "abuse", "learned"}


def test_a_moderator_approves_rejects_and_marks_spam_each_logged(article, moderator):
    comments = [post(article, guest_reader(f"192.0.2.{n}"), SPAM) for n in (1, 2, 3)]
    Report.objects.create(comment=comments[0], reporter_key="guest:x", reason="spam")
    approved = comment_moderate(comment_id=comments[0].pk, action="approve", actor=moderator)
    rejected = comment_moderate(
        comment_id=comments[1].pk, action="reject", actor=moderator, label="abuse", note="rude"
    )
    spam = comment_moderate(comment_id=comments[2].pk, action="spam", actor=moderator)
    for comment in comments:
        comment.refresh_from_db()
    assert [c.status for c in comments] == ["published", "rejected", "spam"]
    assert comments[0].status_changed_by == moderator
    assert (approved.action, approved.label, approved.previous_status) == ("approved", "ok", "held")
    assert (rejected.label, spam.label) == ("abuse", "spam")
    assert "rude" in rejected.reasons[0]
    assert Report.objects.get().resolved_at is not None


def test_undo_restores_the_previous_status_and_is_logged(article, moderator):
    comment = post(article, guest_reader(), SPAM)
    decision = comment_moderate(comment_id=comment.pk, action="approve", actor=moderator)
    undo = decision_undo(decision_id=decision.pk, actor=moderator)
    comment.refresh_from_db()
    decision.refresh_from_db()
    assert comment.status == CommentStatus.HELD
    assert (undo.action, undo.previous_status, undo.new_status) == ("undo", "published", "held")
    assert decision.undone_by == undo and not decision.can_undo
    with pytest.raises(InvalidInput):
        decision_undo(decision_id=decision.pk, actor=moderator)
    with pytest.raises(InvalidInput):
        decision_undo(decision_id=undo.pk, actor=moderator)


def test_automatic_decisions_cannot_be_undone(
    article, moderator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        comment = post(article, guest_reader(), SPAM)
    with pytest.raises(InvalidInput):
        decision_undo(decision_id=Decision.objects.get(comment=comment).pk, actor=moderator)


def test_bulk_decisions_are_all_or_none(article, moderator):
    comments = [post(article, guest_reader(f"192.0.2.{n}"), SPAM) for n in (1, 2)]
    with pytest.raises(NotFound):
        comments_moderate(comment_ids=[comments[0].pk, 999_999], action="approve", actor=moderator)
    assert not Decision.objects.filter(actor=moderator).exists()
    decisions = comments_moderate(
        comment_ids=[c.pk for c in comments], action="spam", actor=moderator
    )
    assert len(decisions) == 2
    assert set(c.status for c in comments[0].thread.comments.all()) == {"spam"}


@pytest.mark.parametrize("group", [None, "Editors", "Treasurers"])
def test_only_moderators_decide(article, group):
    comment = post(article, guest_reader(), SPAM)
    someone = user_in(group, f"someone-{group}")
    with pytest.raises(NotAllowed):
        comment_moderate(comment_id=comment.pk, action="approve", actor=someone)
    comment.refresh_from_db()
    assert comment.status == CommentStatus.HELD
    assert not Decision.objects.filter(actor__isnull=False).exists()


def test_unknown_actions_and_labels_are_refused(article, moderator):
    comment = post(article, guest_reader(), SPAM)
    with pytest.raises(InvalidInput):
        comment_moderate(comment_id=comment.pk, action="delete", actor=moderator)
    with pytest.raises(InvalidInput):
        comment_moderate(comment_id=comment.pk, action="reject", actor=moderator, label="rude")
    with pytest.raises(NotFound):
        comment_moderate(comment_id=999_999, action="approve", actor=moderator)
    assert not Decision.objects.filter(actor=moderator).exists()
