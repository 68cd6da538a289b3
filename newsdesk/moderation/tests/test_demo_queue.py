"""The demo thread through the real comment gate: its hate, abuse and spam comments wait in
the queue with their reasons; its long factual comments are published."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from newsdesk.discussion.models import Comment, CommentStatus
from newsdesk.moderation.models import Decision

pytestmark = pytest.mark.django_db


def test_the_demo_thread_is_moderated_as_it_should_be(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo", stdout=io.StringIO())
    demo = {c.source_id: c for c in Comment.objects.filter(source="demo")}
    for key in ("hate", "abuse", "spam"):
        assert demo[key].status == CommentStatus.HELD, key
        assert Decision.objects.filter(comment=demo[key], action="held", actor=None).exists()
    long_ones = [c for c in demo.values() if len(c.body_source) > 400]
    assert len(long_ones) >= 3
    assert all(c.status == CommentStatus.PUBLISHED for c in long_ones)

    boss = get_user_model().objects.create_superuser("boss", "boss@example.org", "pw")
    client.force_login(boss)
    html = client.get("/admin/moderation/").content.decode()
    assert "held (severe): identity-based hate" in html
    assert "held: abuse aimed at people" in html or "abuse aimed at people" in html
    assert "held: spam" in html
    for key in ("hate", "abuse", "spam"):
        assert f'id="q{demo[key].pk}"' in html
