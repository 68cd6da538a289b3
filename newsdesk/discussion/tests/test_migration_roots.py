"""Migration 0008: top-level comments stored before it named themselves as their root; after
it their root is empty, and the reverse gives the old form back."""

import importlib

import pytest
from django.apps import apps
from django.utils import timezone

from newsdesk.discussion.models import Comment, Thread
from tests.support.factories import make_article

pytestmark = pytest.mark.django_db

migration = importlib.import_module(
    "newsdesk.discussion.migrations.0008_comment_root_empty_for_top_level"
)


def test_top_level_comments_that_named_themselves_lose_their_root_and_replies_keep_theirs():
    thread = Thread.objects.create(article=make_article(title="Roots of the old form"))
    now = timezone.now()
    top = Comment.objects.create(thread=thread, body_source="t", body_html="t", created_at=now)
    Comment.objects.filter(pk=top.pk).update(root=top.pk)  # the form before 0008
    reply = Comment.objects.create(
        thread=thread, parent=top, root=top, depth=2, body_source="r", body_html="r",
        created_at=now,
    )  # fmt: skip

    migration.roots_emptied(apps, None)
    assert list(Comment.objects.order_by("pk").values_list("root_id", flat=True)) == [
        None,
        top.pk,
    ]
    migration.roots_named_again(apps, None)
    assert dict(Comment.objects.values_list("pk", "root_id")) == {top.pk: top.pk, reply.pk: top.pk}
