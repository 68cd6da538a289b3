"""Readers report a comment once each; enough reports hide it until a moderator decides."""

import pytest

from newsdesk.discussion.models import CommentStatus
from newsdesk.moderation.errors import AlreadyDone, InvalidInput, NotAllowed, NotFound
from newsdesk.moderation.models import Decision, DecisionAction, ModerationSettings, Report
from newsdesk.moderation.services import comment_moderate, report_create

from .conftest import guest_reader, member_reader, post

pytestmark = pytest.mark.django_db


@pytest.fixture
def comment(article):
    return post(article, guest_reader())


def test_a_reader_reports_once(comment):
    reader = member_reader("rita")
    report = report_create(
        comment_id=comment.pk, reader=reader, reason="abuse", text="<b>Rude</b> to Anna"
    )
    assert (report.reporter_key, report.text) == (f"user:{reader.user.pk}", "Rude to Anna")
    with pytest.raises(AlreadyDone):
        report_create(comment_id=comment.pk, reader=reader, reason="spam")
    assert Report.objects.count() == 1


@pytest.mark.parametrize(
    ("reason", "text", "error"),
    [("nasty", "", InvalidInput), ("", "", InvalidInput), ("other", "  ", InvalidInput)],
)
def test_reasons_outside_the_list_write_nothing(comment, reason, text, error):
    with pytest.raises(error):
        report_create(comment_id=comment.pk, reader=guest_reader(), reason=reason, text=text)
    assert not Report.objects.exists()


def test_missing_hidden_and_own_comments_cannot_be_reported(article, comment):
    with pytest.raises(NotFound):
        report_create(comment_id=999_999, reader=guest_reader(), reason="spam")
    author = guest_reader()
    own = post(article, author, "My own view on the treaty, for what it is worth.")
    with pytest.raises(NotAllowed):
        report_create(comment_id=own.pk, reader=author, reason="spam")
    held = post(article, guest_reader(), "Cheap pills, order now at https://pills.example.xyz")
    assert held.status == CommentStatus.HELD
    with pytest.raises(NotFound):
        report_create(comment_id=held.pk, reader=guest_reader(), reason="spam")
    assert not Report.objects.exists()


def _established(username: str, *, ip: str, article):
    """A reader whose reports weigh fully: a verified address, an account a month old and a
    published comment (``selectors.reporter_weight``; guests' reports only queue)."""
    from datetime import timedelta

    from allauth.account.models import EmailAddress
    from django.utils import timezone

    reader = member_reader(username, ip=ip)
    reader.user.date_joined = timezone.now() - timedelta(days=30)
    reader.user.save(update_fields=["date_joined"])
    EmailAddress.objects.create(user=reader.user, email=reader.user.email, verified=True)
    post(article, reader, f"{username} has read the budget and has a view on it.")
    return reader


def test_enough_reports_hide_the_comment_until_a_moderator_approves(article, comment, moderator):
    settings = ModerationSettings.load()
    settings.reports_to_hide = 2
    settings.save()
    first = _established("uma", ip="198.51.100.1", article=article)
    second = _established("val", ip="203.0.113.1", article=article)
    report_create(comment_id=comment.pk, reader=first, reason="abuse")
    comment.refresh_from_db()
    assert comment.status == CommentStatus.PUBLISHED
    report_create(comment_id=comment.pk, reader=second, reason="hate")
    comment.refresh_from_db()
    assert comment.status == CommentStatus.HELD
    hid = Decision.objects.get(action=DecisionAction.REPORT_HID)
    assert hid.actor is None and "2 reports (abuse, hate)" in hid.reasons[0]
    comment_moderate(comment_id=comment.pk, action="approve", actor=moderator)
    comment.refresh_from_db()
    assert comment.status == CommentStatus.PUBLISHED
    assert not Report.objects.filter(resolved_at__isnull=True).exists()
    # One new report after the review does not hide it again at once.
    report_create(comment_id=comment.pk, reader=guest_reader(), reason="abuse")
    comment.refresh_from_db()
    assert comment.status == CommentStatus.PUBLISHED
