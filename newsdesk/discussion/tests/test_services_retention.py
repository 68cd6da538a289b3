"""IP retention: exact commenter addresses are cut to their network after
PRIVACY_IP_RETENTION_DAYS by the worker's periodic duty, in batches, once; bans still work."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone
from wagtail import hooks

from newsdesk.core import hooks as newsdesk_hooks
from newsdesk.discussion import conf
from newsdesk.discussion.models import Comment
from newsdesk.discussion.services.retention import comment_ips_truncate, ip_truncate
from newsdesk.discussion.tests.helpers import guest, post
from newsdesk.moderation.models import BanKind
from newsdesk.moderation.selectors import ban_active_for
from newsdesk.moderation.services.bans import ban_from_comment

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("address", "kept"),
    [
        ("203.0.113.77", "203.0.113.0"),
        ("2001:db8:abcd:12:1:2:3:4", "2001:db8:abcd::"),
        ("::ffff:198.51.100.9", "198.51.100.0"),
        ("not an address", ""),
        ("", ""),
    ],
)
def test_an_address_keeps_only_its_network(address, kept):
    assert ip_truncate(address) == kept


def _comment_from(article, ip: str, *, days_ago: float, body: str = "A comment."):
    comment = post(article, guest(), body)
    Comment.objects.filter(pk=comment.pk).update(
        ip_address=ip,
        user_agent="Firefox/140",
        created_at=timezone.now() - timedelta(days=days_ago),
    )
    return comment


def test_old_addresses_are_truncated_and_fresh_ones_kept(article):
    days = conf.PRIVACY_IP_RETENTION_DAYS
    old_v4 = _comment_from(article, "203.0.113.77", days_ago=days + 1)
    old_v6 = _comment_from(article, "2001:db8:abcd:12::99", days_ago=days + 400)
    fresh = _comment_from(article, "198.51.100.9", days_ago=days - 1)

    assert comment_ips_truncate() == 2

    rows = {c.pk: c for c in Comment.objects.all()}
    assert (rows[old_v4.pk].ip_address, rows[old_v4.pk].user_agent) == ("203.0.113.0", "")
    assert rows[old_v6.pk].ip_address == "2001:db8:abcd::"
    assert rows[old_v4.pk].ip_truncated and rows[old_v6.pk].ip_truncated
    assert (rows[fresh.pk].ip_address, rows[fresh.pk].user_agent) == ("198.51.100.9", "Firefox/140")
    assert not rows[fresh.pk].ip_truncated


def test_the_duty_is_idempotent_and_works_in_batches(article, django_assert_max_num_queries):
    old = conf.PRIVACY_IP_RETENTION_DAYS + 2
    for number in range(7):
        _comment_from(article, f"203.0.113.{number + 1}", days_ago=old)
    _comment_from(article, "192.0.2.5", days_ago=old)

    # 8 comments, 3 a batch: 3 batches, each one SELECT and one UPDATE per network.
    with django_assert_max_num_queries(3 * 2 + 3 * 2 + 2):
        assert comment_ips_truncate(batch_size=3) == 8
    assert set(Comment.objects.values_list("ip_address", flat=True)) == {
        "203.0.113.0",
        "192.0.2.0",
    }
    with django_assert_max_num_queries(3):
        assert comment_ips_truncate(batch_size=3) == 0


def test_a_run_stops_after_its_batches_and_the_next_goes_on(article):
    for number in range(5):
        _comment_from(article, f"203.0.113.{number + 1}", days_ago=99)

    assert comment_ips_truncate(batch_size=2, max_batches=1) == 2
    assert comment_ips_truncate(batch_size=2, max_batches=1) == 2
    assert comment_ips_truncate(batch_size=2, max_batches=1) == 1
    assert not Comment.objects.filter(ip_truncated=False).exists()


def test_the_duty_runs_with_the_workers_periodic_hooks(article):
    _comment_from(article, "203.0.113.77", days_ago=365)

    for duty in hooks.get_hooks(newsdesk_hooks.WORKER_PERIODIC):
        if duty.__module__ == "newsdesk.discussion.wagtail_hooks":
            duty()

    assert Comment.objects.get().ip_address == "203.0.113.0"


@pytest.fixture
def moderator():
    user = get_user_model().objects.create_user(username="mona", password="a long pass 42")
    user.groups.add(Group.objects.get_or_create(name="Moderators")[0])
    return user


def test_an_ip_ban_still_stops_the_address_once_its_comments_are_truncated(article, moderator):
    comment = _comment_from(article, "203.0.113.77", days_ago=1)
    ban_from_comment(comment_id=comment.pk, kind=BanKind.IP, actor=moderator)
    Comment.objects.filter(pk=comment.pk).update(created_at=timezone.now() - timedelta(days=99))

    comment_ips_truncate()

    assert Comment.objects.get(pk=comment.pk).ip_address == "203.0.113.0"
    assert ban_active_for(ip_address="203.0.113.77") is not None  # a fresh comment's address
    assert ban_active_for(ip_address="203.0.113.78") is None


def test_banning_the_address_of_a_truncated_comment_bans_its_network(article, moderator):
    comment = _comment_from(article, "2001:db8:abcd:12::99", days_ago=99)
    comment_ips_truncate()

    decision = ban_from_comment(comment_id=comment.pk, kind=BanKind.IP, actor=moderator)

    assert (decision.ban.kind, decision.ban.network) == (BanKind.NETWORK, "2001:db8:abcd::/48")
    assert ban_active_for(ip_address="2001:db8:abcd:ffff::1") is not None
    assert ban_active_for(ip_address="2001:db8:abce::1") is None
