"""``row_insert`` writes the row ``save()`` writes, and gives the instance its key."""

from datetime import UTC, datetime

import pytest
from django.db.models.signals import post_save, pre_save
from django.utils import timezone
from wagtail.models import TranslatableMixin
from wagtail.models.i18n import set_locale_on_new_instance

from newsdesk.discussion.models import Comment, CommentStatus
from newsdesk.discussion.services.comments import thread_get_or_create
from newsdesk.moderation.models import Decision, DecisionAction
from newsdesk.web.fastinsert import row_insert

pytestmark = pytest.mark.django_db


def _comment(thread, **overrides) -> Comment:
    values = {
        "thread": thread,
        "depth": 1,
        "guest_name": "Ama",
        "guest_email": "ama@example.org",
        "guest_key_hash": "ab" * 32,
        "notify_replies": True,
        "body_source": "The *council* vote is on Thursday.",
        "body_digest": "d" * 64,
        "body_html": "<p>The <em>council</em> vote is on Thursday.</p>",
        "status": CommentStatus.HELD,
        "is_shadowed": False,
        "status_reason": "held: a reason",
        "created_at": datetime(2026, 3, 1, 12, 30, 5, 123456, tzinfo=UTC),
        "ip_address": "203.0.113.9",
        "user_agent": "Browser/1.0",
    }
    return Comment(**{**values, **overrides})


def _row(model, pk) -> dict:
    row = model.objects.filter(pk=pk).values().get()
    row.pop("id")
    return row


def test_a_comment_row_equals_the_one_save_writes(article):
    thread = thread_get_or_create(article=article)
    saved = _comment(thread)
    saved.save()
    inserted = row_insert(_comment(thread))
    assert inserted.pk is not None and inserted.pk != saved.pk
    assert not inserted._state.adding
    assert _row(Comment, inserted.pk) == _row(Comment, saved.pk)
    reply = row_insert(_comment(thread, parent=inserted, root_id=inserted.pk, depth=2))
    assert Comment.objects.get(pk=reply.pk).parent_id == inserted.pk


def test_a_decision_row_equals_the_one_save_writes_with_its_own_time(article):
    thread = thread_get_or_create(article=article)
    comment = row_insert(_comment(thread))
    values = {
        "comment": comment,
        "action": DecisionAction.HELD,
        "reasons": ["held: spam 0.91", "a link to a shop"],
        "scores": {"spam": 0.91, "hate": 0.0},
        "new_status": CommentStatus.HELD,
    }
    before = timezone.now()
    saved = Decision.objects.create(**values)
    inserted = row_insert(Decision(**values))
    saved_row, inserted_row = _row(Decision, saved.pk), _row(Decision, inserted.pk)
    # auto_now_add: each row gets the time of its own insert, as save() gives it.
    assert before <= saved_row.pop("created_at") <= inserted_row.pop("created_at")
    assert inserted_row == saved_row
    assert Decision.objects.get(pk=inserted.pk).scores == {"spam": 0.91, "hate": 0.0}


def _receivers(signal, model) -> set:
    sync, asynchronous = signal._live_receivers(model)
    return set(sync) | set(asynchronous)


def test_no_save_signal_receiver_would_act_on_the_models_it_inserts():
    """The one receiver of every model's pre_save (Wagtail's) acts only on translatable ones."""
    for model in (Comment, Decision):
        assert not issubclass(model, TranslatableMixin)
        assert _receivers(pre_save, model) <= {set_locale_on_new_instance}
        assert not _receivers(post_save, model)
