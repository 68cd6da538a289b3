"""Item 7 of issue 22, appeals: the author of a held, rejected or removed comment appeals once
with a message; the appeal waits in the moderators' own queue (with its count); a moderator
upholds or reverses it; each outcome is in the audit log and told to the author, by one
e-mail and on their "Your comments" page."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client

from newsdesk.discussion.models import CommentStatus
from newsdesk.discussion.readers import Reader
from newsdesk.moderation.errors import AlreadyDone, InvalidInput, NotAllowed, NotFound
from newsdesk.moderation.models import Appeal, AppealState, Decision, DecisionAction
from newsdesk.moderation.selectors_appeals import appeals_pending_count
from newsdesk.moderation.services import comment_moderate
from newsdesk.moderation.services.appeals import (
    appeal_create,
    appeal_decide,
    appeal_outcome_deliver,
)

from .conftest import SPAM, post, user_in

pytestmark = pytest.mark.django_db
WHY = "I linked to the council's own budget page; it is not an advertisement."


@pytest.fixture
def author(db):
    return user_in(None, "ana", email="ana@example.org")


@pytest.fixture
def held(article, author):
    comment = post(article, Reader(user=author, ip_address="192.0.2.30"), SPAM)
    assert comment.status == CommentStatus.HELD
    return comment


def test_an_author_appeals_once_and_a_second_appeal_is_refused_without_a_row(author, held):
    appeal = appeal_create(user=author, comment_id=held.pk, message=WHY)
    assert (appeal.state, appeal.message, appeal.user) == (AppealState.PENDING, WHY, author)
    assert appeal.decision.action == DecisionAction.HELD
    with pytest.raises(AlreadyDone, match="appealed once"):
        appeal_create(user=author, comment_id=held.pk, message="Please look again at it.")
    assert Appeal.objects.count() == 1


@pytest.mark.parametrize(
    ("message", "words"),
    [("", "at least"), ("too short", "at least"), ("<b></b>   ", "at least"), ("x" * 1001, "1000")],
)
def test_a_message_too_short_or_too_long_is_refused_and_nothing_written(
    author, held, message, words
):
    with pytest.raises(InvalidInput, match=words) as refused:
        appeal_create(user=author, comment_id=held.pk, message=message)
    assert refused.value.field == "message"
    assert not Appeal.objects.exists()


def test_only_the_author_of_a_comment_out_of_view_may_appeal(article, author, held):
    other = user_in(None, "bo")
    with pytest.raises(NotFound):
        appeal_create(user=other, comment_id=held.pk, message=WHY)
    with pytest.raises(NotAllowed):
        appeal_create(user=AnonymousUser(), comment_id=held.pk, message=WHY)
    with pytest.raises(NotFound):
        appeal_create(user=author, comment_id="nope", message=WHY)
    published = post(
        article, Reader(user=author, ip_address="192.0.2.30"), "The bridge reopens on Monday."
    )
    assert published.status == CommentStatus.PUBLISHED
    with pytest.raises(InvalidInput, match="held, rejected or removed"):
        appeal_create(user=author, comment_id=published.pk, message=WHY)
    assert not Appeal.objects.exists()


def test_appeals_wait_in_their_own_queue_with_its_count(client, author, held, moderator):
    assert appeals_pending_count() == 0
    appeal_create(user=author, comment_id=held.pk, message=WHY)
    assert appeals_pending_count() == 1
    client.force_login(moderator)
    page = client.get("/admin/moderation/appeals/")
    assert page.status_code == 200
    html = page.content.decode()
    assert WHY.replace("'", "&#x27;") in html and 'data-role="pending-count">(1)' in html
    assert "Appeals (1)" in client.get("/admin/").content.decode()
    # Not the one who decided (the comment gate did): no warning.
    assert 'data-role="own-decision-warning"' not in html
    reader = Client()
    reader.force_login(user_in(None, "nosy"))
    assert reader.get("/admin/moderation/appeals/").status_code in (302, 403)


def test_a_moderator_who_made_the_decision_is_warned_not_stopped(client, author, held, moderator):
    comment_moderate(comment_id=held.pk, action="reject", actor=moderator, label="spam")
    appeal = appeal_create(user=author, comment_id=held.pk, message=WHY)
    client.force_login(moderator)
    assert (
        'data-role="own-decision-warning"'
        in client.get("/admin/moderation/appeals/").content.decode()
    )
    response = client.post(
        f"/admin/moderation/appeals/{appeal.pk}/decide/", {"outcome": "uphold", "note": "Spam."}
    )
    assert response.status_code == 302
    appeal.refresh_from_db()
    assert appeal.state == AppealState.UPHELD


def test_reversing_publishes_the_comment_logs_it_and_mails_the_author_once(
    client, author, held, moderator, mailoutbox, django_capture_on_commit_callbacks
):
    appeal = appeal_create(user=author, comment_id=held.pk, message=WHY)
    client.force_login(moderator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/admin/moderation/appeals/{appeal.pk}/decide/",
            {"outcome": "reverse", "note": "Fair: a source, not an advert."},
        )
    assert response.status_code == 302
    held.refresh_from_db()
    appeal.refresh_from_db()
    assert held.status == CommentStatus.PUBLISHED
    assert (appeal.state, appeal.decided_by, appeal.note) == (
        AppealState.REVERSED,
        moderator,
        "Fair: a source, not an advert.",
    )
    logged = Decision.objects.get(comment=held, action=DecisionAction.APPEAL_REVERSED)
    assert logged.actor == moderator and logged == appeal.outcome
    assert (logged.previous_status, logged.new_status) == ("held", "published")
    assert [m.to for m in mailoutbox] == [["ana@example.org"]]
    assert "reversed" in mailoutbox[0].subject and "Fair: a source" in mailoutbox[0].body
    assert appeal.notified_at is not None
    # The task run again (a retry, a re-queued task) sends nothing more.
    assert appeal_outcome_deliver(appeal_id=appeal.pk) is False
    assert len(mailoutbox) == 1
    with pytest.raises(AlreadyDone):
        appeal_decide(appeal_id=appeal.pk, actor=moderator, outcome="uphold")


def test_upholding_keeps_the_comment_logs_it_and_mails_the_author_once(
    author, held, moderator, mailoutbox, django_capture_on_commit_callbacks
):
    comment_moderate(comment_id=held.pk, action="reject", actor=moderator, label="spam")
    appeal = appeal_create(user=author, comment_id=held.pk, message=WHY)
    with django_capture_on_commit_callbacks(execute=True):
        appeal_decide(appeal_id=appeal.pk, actor=moderator, outcome="uphold", note="An advert.")
    held.refresh_from_db()
    assert held.status == CommentStatus.REJECTED
    logged = Decision.objects.get(comment=held, action=DecisionAction.APPEAL_UPHELD)
    assert logged.actor == moderator and "An advert." in logged.reasons[0]
    assert len(mailoutbox) == 1 and "upheld" in mailoutbox[0].subject


def test_deciding_needs_a_moderator_and_a_known_outcome(author, held, moderator):
    appeal = appeal_create(user=author, comment_id=held.pk, message=WHY)
    with pytest.raises(NotAllowed):
        appeal_decide(appeal_id=appeal.pk, actor=author, outcome="reverse")
    with pytest.raises(InvalidInput):
        appeal_decide(appeal_id=appeal.pk, actor=moderator, outcome="maybe")
    with pytest.raises(InvalidInput):
        appeal_decide(appeal_id=appeal.pk, actor=moderator, outcome="uphold", note="x" * 301)
    with pytest.raises(NotFound):
        appeal_decide(appeal_id=appeal.pk + 99, actor=moderator, outcome="uphold")
    appeal.refresh_from_db()
    assert appeal.state == AppealState.PENDING
