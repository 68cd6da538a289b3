"""The demo's reasons and appeals (issue 22, item 7): a held comment with its appeal waiting
in the Appeals queue, a removal reversed on appeal, figures on the transparency page; loading
again changes nothing."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.management import call_command

from newsdesk.discussion.models import Comment, CommentStatus
from newsdesk.moderation.models import Appeal, AppealState, Decision, DecisionAction

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_pending_appeal_a_reversed_one_and_figures(
    client, django_capture_on_commit_callbacks
):
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            call_command("load_demo", stdout=io.StringIO())
    demo = {c.source_id: c for c in Comment.objects.filter(source="demo-appeals")}
    assert demo["held-link"].status == CommentStatus.HELD
    assert demo["removed-aside"].status == CommentStatus.PUBLISHED
    pending, reversed_ = (
        Appeal.objects.get(comment=demo["held-link"]),
        Appeal.objects.get(comment=demo["removed-aside"]),
    )
    assert (pending.state, reversed_.state) == (AppealState.PENDING, AppealState.REVERSED)
    assert Appeal.objects.count() == 2
    reversal = Decision.objects.get(action=DecisionAction.APPEAL_REVERSED)
    removal = Decision.objects.get(comment=demo["removed-aside"], action=DecisionAction.REJECTED)
    assert reversal.actor != removal.actor  # another moderator looked again

    boss = get_user_model().objects.create_superuser("boss", "boss@example.org", "pw")
    client.force_login(boss)
    assert f'id="appeal-{pending.pk}"' in client.get("/admin/moderation/appeals/").content.decode()
    cache.clear()
    html = client.get("/transparency/").content.decode()
    assert (
        '<td data-figure="reversed">1</td>' in html and '<td data-figure="appeals">2</td>' in html
    )
