"""``row_insert``: the same row, instance state and signals as ``save()`` of a new instance."""

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.db.models import F, signals
from django.db.models.functions import Now
from django.forms.models import model_to_dict
from django.utils import timezone

from newsdesk.core.rows import row_insert
from newsdesk.discussion.models import Comment, Thread
from newsdesk.moderation.models import Decision

pytestmark = pytest.mark.django_db


@pytest.fixture
def thread(article):
    return Thread.objects.create(article=article)


WRITTEN_AT = timezone.now() - timedelta(minutes=3)


def _comment(thread, **changes) -> Comment:
    fields = {
        "thread": thread,
        "guest_name": "Ines",
        "guest_email": "ines@example.org",
        "guest_key_hash": "k" * 64,
        "body_source": "The *second* bridge report says otherwise.",
        "body_html": "<p>The <em>second</em> bridge report says otherwise.</p>",
        "body_digest": "d" * 32,
        "status": "held",
        "status_reason": "a link",
        "created_at": WRITTEN_AT,
        "ip_address": "2001:db8::7",
        "user_agent": "Firefox",
        "notify_replies": True,
    }
    return Comment(**(fields | changes))


def _stored(instance) -> dict:
    """Every column of the instance's row as read back from the database."""
    row = type(instance).objects.get(pk=instance.pk)
    fields = [f for f in row._meta.concrete_fields if not f.primary_key]
    return {f.attname: getattr(row, f.attname) for f in fields}


def test_a_comment_row_is_the_row_save_writes(thread):
    by_save, by_insert = _comment(thread), _comment(thread)
    by_save.save()
    row_insert(by_insert)

    assert by_insert.pk is not None and by_insert.pk != by_save.pk
    assert _stored(by_insert) == _stored(by_save)
    # Defaults the caller did not set are written too.
    assert _stored(by_insert)["upvotes"] == 0 and _stored(by_insert)["image"] == ""


def test_auto_now_add_and_json_fields_are_written_as_save_writes_them(thread):
    comment = _comment(thread)
    row_insert(comment)
    by_save = Decision(comment=comment, action="held", reasons=["a link"], scores={"spam": 0.4})
    by_save.save()
    decision = Decision(comment=comment, action="held", reasons=["a link"], scores={"spam": 0.4})
    row_insert(decision)

    stored = Decision.objects.get(pk=decision.pk)
    assert stored.reasons == ["a link"] and stored.scores == {"spam": 0.4}
    assert decision.created_at is not None
    assert abs(stored.created_at - by_save.created_at) < timedelta(seconds=5)
    assert model_to_dict(stored, exclude=["id"]) == model_to_dict(
        Decision.objects.get(pk=by_save.pk), exclude=["id"]
    )


def test_the_instance_is_saved_afterwards(thread):
    comment = _comment(thread)
    row_insert(comment)

    assert not comment._state.adding and comment._state.db == "default"
    comment.status = "published"
    comment.save()  # an UPDATE of the same row, not a second row
    assert Comment.objects.filter(thread=thread).count() == 1
    assert Comment.objects.get(pk=comment.pk).status == "published"


def test_sends_the_signals_save_sends(thread):
    heard = []

    def before(sender, instance, raw, **kwargs):
        heard.append(("pre", instance.pk, raw))

    def after(sender, instance, created, raw, **kwargs):
        heard.append(("post", instance.pk, created, raw))

    signals.pre_save.connect(before, sender=Comment)
    signals.post_save.connect(after, sender=Comment)
    try:
        comment = _comment(thread)
        row_insert(comment)
    finally:
        signals.pre_save.disconnect(before, sender=Comment)
        signals.post_save.disconnect(after, sender=Comment)
    assert heard == [("pre", None, False), ("post", comment.pk, True, False)]


def test_refuses_an_instance_that_has_a_key(thread):
    comment = _comment(thread)
    comment.save()
    with pytest.raises(TypeError, match="new rows only"):
        row_insert(comment)
    assert Comment.objects.count() == 1


@pytest.mark.parametrize("expression", [F("depth"), Now()], ids=["F", "Now"])
def test_refuses_an_expression_and_writes_nothing(thread, expression):
    comment = _comment(thread, created_at=expression)
    with pytest.raises(TypeError, match="expression"):
        row_insert(comment)
    assert not Comment.objects.exists()


def test_refuses_a_model_with_a_parent_model(article):
    from newsdesk.articles.models import ArticlePage

    copy = ArticlePage(title="A copy", slug="a-copy")
    with pytest.raises(TypeError, match="no parents"):
        row_insert(copy)


def test_a_failed_insert_spoils_the_transaction_as_save_does(thread):
    comment = _comment(thread, body_source=None)  # NOT NULL
    with transaction.atomic():
        with pytest.raises(IntegrityError):
            row_insert(comment)
        assert transaction.get_rollback()
    assert not Comment.objects.exists()
