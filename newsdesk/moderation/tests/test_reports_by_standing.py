"""Finding 4 of issue 17 (reports), as the attack: every cookie-less request or new guest
token is a new reader, so three requests hid any published comment (``reports_to_hide`` 3),
again after every review. A report now weighs what its reporter's standing is worth:
nothing for a guest or a new or unverified account (the comment is queued for moderators,
never hidden), a full report for an established reader (verified address, an account some
days old, published comments or upheld reports); one network's reports count once.
"""

from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.test import Client
from django.utils import timezone

from newsdesk.discussion.models import CommentStatus
from newsdesk.discussion.readers import Reader, guest_key_new
from newsdesk.moderation.models import Decision, DecisionAction, ModerationSettings, Report
from newsdesk.moderation.queue import QueueFilters, queue_comments, queue_counts
from newsdesk.moderation.services import comment_moderate, report_create

from .conftest import guest_reader, post, user_in

pytestmark = pytest.mark.django_db
JSON = {"HTTP_ACCEPT": "application/json"}
ATTEMPTS = 10


@pytest.fixture
def comment(article):
    settings = ModerationSettings.load()
    settings.reports_to_hide = 3
    settings.save()
    return post(article, guest_reader(), "The council's figures do not add up, as I read them.")


def _queued(comment) -> bool:
    filters = QueueFilters(status=CommentStatus.PUBLISHED)
    return comment.pk in {c.pk for c in queue_comments(filters=filters)}


def _reader(username: str, *, ip: str, verified=True, days=30, comments=1, article=None):
    user = user_in(None, username)
    user.date_joined = timezone.now() - timedelta(days=days)
    user.save(update_fields=["date_joined"])
    if verified:
        EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    reader = Reader(user=user, ip_address=ip)
    for n in range(comments):
        post(article, reader, f"{username} adds a thought on the budget, number {n}.")
    return reader


def test_cookie_less_reports_queue_the_comment_but_never_hide_it(comment):
    url = f"/moderation/comments/{comment.pk}/report/"
    for _ in range(ATTEMPTS):
        response = Client().post(url, {"reason": "abuse"}, REMOTE_ADDR="198.51.100.7", **JSON)
        assert response.status_code == 201
    comment.refresh_from_db()
    assert comment.status == CommentStatus.PUBLISHED
    assert Report.objects.filter(comment=comment).count() == ATTEMPTS
    assert _queued(comment) and queue_counts()["reported"] == 1
    assert not Decision.objects.filter(action=DecisionAction.REPORT_HID).exists()


def test_fresh_guest_tokens_from_many_addresses_never_hide_it(comment):
    url = f"/moderation/comments/{comment.pk}/report/"
    for n in range(ATTEMPTS):
        response = Client().post(
            url,
            {"reason": "spam"},
            HTTP_X_GUEST_TOKEN=guest_key_new(),
            REMOTE_ADDR=f"203.0.{n}.{n + 1}",
            **JSON,
        )
        assert response.status_code == 201
    comment.refresh_from_db()
    assert comment.status == CommentStatus.PUBLISHED and _queued(comment)


def test_new_or_unverified_accounts_do_not_hide_it(comment, article):
    readers = [
        _reader("fresh", ip="192.0.2.1", days=0, comments=0, article=article),
        _reader("unverified", ip="192.0.2.2", verified=False, article=article),
        _reader("newcomer", ip="192.0.2.3", days=0, comments=0, article=article),
    ]
    for reader in readers:
        report_create(comment_id=comment.pk, reader=reader, reason="abuse")
    comment.refresh_from_db()
    assert comment.status == CommentStatus.PUBLISHED and _queued(comment)


def test_established_readers_still_hide_it_as_the_setting_says(comment, article, moderator):
    readers = [
        _reader(name, ip=f"198.51.{n}.10", article=article)
        for n, name in enumerate(("ada", "bea", "cyd"))
    ]
    report_create(comment_id=comment.pk, reader=readers[0], reason="abuse")
    report_create(comment_id=comment.pk, reader=readers[1], reason="hate")
    comment.refresh_from_db()
    assert comment.status == CommentStatus.PUBLISHED
    report_create(comment_id=comment.pk, reader=readers[2], reason="abuse")
    comment.refresh_from_db()
    assert comment.status == CommentStatus.HELD
    hid = Decision.objects.get(action=DecisionAction.REPORT_HID)
    assert "3 reports (abuse, hate)" in hid.reasons[0]

    # Reviewed and approved: guests' reports afterwards cannot hide it again.
    comment_moderate(comment_id=comment.pk, action="approve", actor=moderator)
    for _ in range(ATTEMPTS):
        report_create(comment_id=comment.pk, reader=guest_reader(), reason="abuse")
    comment.refresh_from_db()
    assert comment.status == CommentStatus.PUBLISHED


def test_established_readers_on_one_network_count_once(comment, article):
    for name in ("dan", "eve", "fay", "gus"):
        reader = _reader(name, ip="192.0.2.50", article=article)
        report_create(comment_id=comment.pk, reader=reader, reason="abuse")
    comment.refresh_from_db()
    assert comment.status == CommentStatus.PUBLISHED and _queued(comment)


def test_standing_is_weighed_from_history(comment, article):
    from newsdesk.moderation.selectors import reporter_weight

    assert reporter_weight(reader=guest_reader()) == 0
    assert reporter_weight(reader=Reader()) == 0
    established = _reader("hal", ip="192.0.2.60", article=article)
    assert reporter_weight(reader=established) == 1
    old_quiet = _reader("ivy", ip="192.0.2.61", comments=0, article=article)
    new_commenter = _reader("jon", ip="192.0.2.62", days=0, article=article)
    assert reporter_weight(reader=old_quiet) == reporter_weight(reader=new_commenter) == 0.5
    fresh = _reader("kim", ip="192.0.2.63", days=0, comments=0, article=article)
    assert reporter_weight(reader=fresh) == 0
    inactive = _reader("lea", ip="192.0.2.64", article=article)
    inactive.user.is_active = False
    inactive.user.save(update_fields=["is_active"])
    assert reporter_weight(reader=inactive) == 0


def test_a_reader_whose_reports_moderators_keep_dismissing_loses_their_weight(
    comment, article, moderator
):
    from newsdesk.moderation.selectors import reporter_weight

    serial = _reader("max", ip="192.0.2.70", article=article)
    for n in range(3):
        target = post(article, guest_reader(), f"An ordinary view on the budget, take {n}.")
        report_create(comment_id=target.pk, reader=serial, reason="abuse")
        comment_moderate(comment_id=target.pk, action="approve", actor=moderator)
    assert reporter_weight(reader=serial) == 0
