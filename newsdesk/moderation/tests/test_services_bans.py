"""Bans by account, e-mail, IP and network, with expiry; shadow bans; the gate checks them
first, in one query."""

from datetime import timedelta

import pytest
from django.utils import timezone

from newsdesk.discussion.models import CommentStatus
from newsdesk.discussion.readers import Reader
from newsdesk.discussion.selectors import thread_page_get
from newsdesk.moderation.errors import InvalidInput
from newsdesk.moderation.models import Ban, Decision, DecisionAction
from newsdesk.moderation.selectors import ban_active_for
from newsdesk.moderation.services import ban_create, ban_from_comment, ban_lift, decision_undo

from .conftest import guest_reader, member_reader, post

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("kind", "target", "reader_of"),
    [
        ("email", "Troll@Example.org", lambda: guest_reader()),
        ("ip", "198.51.100.7", lambda: guest_reader("198.51.100.7")),
        ("network", "198.51.100.0/24", lambda: guest_reader("198.51.100.99")),
        ("network", "2001:db8::/32", lambda: guest_reader("2001:db8::5")),
    ],
)
def test_a_banned_author_is_rejected(article, moderator, kind, target, reader_of):
    ban_create(kind=kind, target=target, actor=moderator, reason="flooding")
    comment = post(article, reader_of(), email="troll@example.org")
    assert comment.status == CommentStatus.REJECTED
    assert "banned" in comment.status_reason
    other = post(
        article,
        guest_reader("203.0.113.5"),
        "A different reader, on the gauge.",
        email="o@example.org",
    )
    assert other.status == CommentStatus.PUBLISHED


def test_account_ban_and_its_expiry_and_lifting(article, moderator):
    reader = member_reader("troll")
    ban = ban_create(kind="account", target="troll", actor=moderator)
    assert post(article, reader).status == CommentStatus.REJECTED
    ban_lift(ban_id=ban.pk, actor=moderator)
    assert post(article, reader, "Second thoughts on the water figures.").status == "published"
    Ban.objects.create(
        kind="account", user=reader.user, expires_at=timezone.now() - timedelta(minutes=1)
    )
    assert ban_active_for(user_id=reader.user.pk) is None
    assert Decision.objects.filter(action=DecisionAction.UNBANNED).count() == 1


def test_the_ban_check_is_one_query(moderator, django_assert_num_queries):
    ban_create(kind="network", target="10.0.0.0/8", actor=moderator)
    with django_assert_num_queries(1):
        ban = ban_active_for(user_id=moderator.pk, email="a@example.org", ip_address="10.1.2.3")
    assert ban is not None and ban.network == "10.0.0.0/8"


@pytest.mark.parametrize(
    ("kind", "target"),
    [
        ("network", "10.0.0.0/33"),
        ("network", "10.0.0.1/8"),
        ("network", "not-a-network"),
        ("ip", "300.1.1.1"),
        ("email", "nobody"),
        ("account", "no-such-user"),
        ("planet", "mars"),
    ],
)
def test_bad_targets_are_refused_and_nothing_is_written(moderator, kind, target):
    with pytest.raises(InvalidInput) as error:
        ban_create(kind=kind, target=target, actor=moderator)
    assert error.value.message
    assert not Ban.objects.exists()


def test_a_shadow_ban_shows_the_author_their_comments_and_nobody_else(article, moderator):
    author = member_reader("shade")
    earlier = post(article, author, "An earlier comment about the dam and the canal system.")
    other = post(article, guest_reader(), "A comment from someone else entirely, on the treaty.")
    decision = ban_from_comment(comment_id=earlier.pk, kind="account", actor=moderator, shadow=True)
    later = post(article, author, "And a later one, posted under the shadow ban.")
    earlier.refresh_from_db()
    assert earlier.is_shadowed and later.is_shadowed and later.status == "published"
    seen_by_author = {n.comment.pk for n in thread_page_get(article=article, reader=author).nodes}
    seen_by_others = {n.comment.pk for n in thread_page_get(article=article, reader=Reader()).nodes}
    assert {earlier.pk, later.pk, other.pk} <= seen_by_author
    assert seen_by_others == {other.pk}
    assert decision.action == DecisionAction.BANNED and decision.ban.shadow


def test_banning_from_a_comment_rejects_it_and_undo_lifts_the_ban(article, moderator):
    comment = post(article, guest_reader("192.0.2.77"), email="loud@example.org")
    decision = ban_from_comment(comment_id=comment.pk, kind="email", actor=moderator)
    comment.refresh_from_db()
    assert comment.status == CommentStatus.REJECTED
    assert decision.ban.email == "loud@example.org"
    decision_undo(decision_id=decision.pk, actor=moderator)
    comment.refresh_from_db()
    decision.ban.refresh_from_db()
    assert comment.status == CommentStatus.PUBLISHED and decision.ban.lifted_at is not None


def test_a_guest_has_no_account_to_ban(article, moderator):
    comment = post(article, guest_reader())
    with pytest.raises(InvalidInput):
        ban_from_comment(comment_id=comment.pk, kind="account", actor=moderator)
    assert not Ban.objects.exists()
