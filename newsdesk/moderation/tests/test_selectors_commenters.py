"""What is known of a commenter from real comments: approved ones (trust) and repeated text;
what moderators' decisions teach the learned model; when the worker retrains it."""

from datetime import timedelta

import pytest
from django.utils import timezone

from newsdesk.discussion.models import CommentStatus
from newsdesk.discussion.pipeline import CommentCandidate
from newsdesk.moderation.models import LearnedModel, ModerationSettings
from newsdesk.moderation.selectors import (
    commenter_approved_count,
    identical_recent_comments_count,
    training_examples_list,
    training_examples_shipped,
)
from newsdesk.moderation.services import (
    comment_moderate,
    decision_undo,
    learned_model_retrain_if_due,
    learned_model_starter_ensure,
)

from .conftest import guest_reader, member_reader, post

pytestmark = pytest.mark.django_db


def test_approved_comments_make_a_member_trusted(article, django_assert_num_queries):
    reader = member_reader("regular")
    for n in range(3):
        post(article, reader, f"Comment number {n} on the river and its gauges, with figures.")
    candidate = CommentCandidate(
        body="x", thread_key="1", author_name="regular", author_user_id=reader.user.pk
    )
    with django_assert_num_queries(1):
        assert commenter_approved_count(candidate=candidate) == 3
    guest = CommentCandidate(body="x", thread_key="1", author_name="Guest")
    assert commenter_approved_count(candidate=guest) == 0
    settings = ModerationSettings.load()
    settings.premoderation = True
    settings.save()
    assert post(article, reader, "A fourth view from a regular reader.").status == "published"
    assert post(article, guest_reader(), "A first view from a new guest here.").status == "held"


def test_repeated_text_is_counted_and_held(article, django_assert_num_queries):
    body = "Visit my channel for the real story they will not tell you about."
    post(article, guest_reader("192.0.2.1"), body)
    candidate = CommentCandidate(body=body, thread_key="1", author_name="x")
    with django_assert_num_queries(1):
        assert identical_recent_comments_count(candidate=candidate) == 1
    again = post(article, guest_reader("192.0.2.2"), body)
    assert again.status == CommentStatus.HELD
    assert "posted 1 time(s) recently" in again.status_reason or "Spam" in again.status_reason
    short = CommentCandidate(body="Thank you!", thread_key="1", author_name="x")
    post(article, guest_reader("192.0.2.3"), "Thank you!")
    assert identical_recent_comments_count(candidate=short) == 0


def test_repeated_text_counts_only_other_comments_within_the_window(article, settings):
    from newsdesk.discussion.models import Comment
    from newsdesk.moderation import conf

    body = "The same long sentence about the river gauges, posted by two readers."
    first = post(article, guest_reader("192.0.2.1"), body)
    second = post(article, guest_reader("192.0.2.2"), body)
    fresh = CommentCandidate(body=f"  {body}\n", thread_key="1", author_name="x")
    assert identical_recent_comments_count(candidate=fresh) == 2
    # Re-assessing an edit of one of them counts the other only.
    edit = CommentCandidate(body=body, thread_key="1", author_name="x", comment_id=second.pk)
    assert identical_recent_comments_count(candidate=edit) == 1
    # Older than the window: no longer counted.
    old = timezone.now() - timedelta(seconds=conf.REPEATED_TEXT_WINDOW + 60)
    Comment.objects.filter(pk=first.pk).update(created_at=old)
    assert identical_recent_comments_count(candidate=fresh) == 1
    other = CommentCandidate(body=body + " Not quite.", thread_key="1", author_name="x")
    assert identical_recent_comments_count(candidate=other) == 0


def test_moderators_decisions_become_training_examples(article, moderator, settings):
    shipped = len(training_examples_shipped())
    ok = post(
        article,
        guest_reader("192.0.2.1"),
        "Cheap flights to the capital, order now at https://a.example.xyz",
    )
    rude = post(article, guest_reader("192.0.2.2"), "Only a fool would believe this ministry.")
    unlabelled = post(article, guest_reader("192.0.2.3"), "Off topic but my cat likes the river.")
    comment_moderate(comment_id=ok.pk, action="approve", actor=moderator)
    comment_moderate(comment_id=rude.pk, action="reject", actor=moderator, label="abuse")
    undone = comment_moderate(comment_id=unlabelled.pk, action="spam", actor=moderator)
    decision_undo(decision_id=undone.pk, actor=moderator)
    added = training_examples_list()[shipped:]
    assert {(e.text, e.label) for e in added} == {
        (ok.body_source, "ok"),
        (rude.body_source, "abuse"),
    }
    # A decision on this site's own comments counts more than a shipped example.
    assert {e.weight for e in added} == {settings.MODERATION_DECISION_WEIGHT} == {4.0}
    assert {e.weight for e in training_examples_list()[:shipped]} == {1.0}


def test_the_worker_stores_the_starter_model_once_and_retrains_daily(article, moderator):
    starter = learned_model_starter_ensure()
    assert starter is not None and starter.example_count == len(training_examples_shipped())
    assert learned_model_starter_ensure() is None
    assert learned_model_retrain_if_due() is None  # a fresh model, no decisions
    comment = post(article, guest_reader(), "Cheap pills, order now at https://p.example.xyz")
    comment_moderate(comment_id=comment.pk, action="spam", actor=moderator)
    assert learned_model_retrain_if_due() is None  # the model is younger than a day
    later = timezone.now() + timedelta(days=1, minutes=1)
    retrained = learned_model_retrain_if_due(now=later)
    assert retrained is not None and retrained.example_count == starter.example_count + 1
    assert LearnedModel.objects.count() == 2


@pytest.mark.parametrize("weight", [0.0, -2.0])
def test_a_decision_weight_not_above_zero_stops_the_start(settings, weight):
    from django.core.management import call_command
    from django.core.management.base import SystemCheckError

    from newsdesk.moderation.checks import decision_weight_check

    assert decision_weight_check() == []
    settings.MODERATION_DECISION_WEIGHT = weight
    assert [error.id for error in decision_weight_check()] == ["moderation.E007"]
    with pytest.raises(SystemCheckError, match="MODERATION_DECISION_WEIGHT must be above 0"):
        call_command("check")
