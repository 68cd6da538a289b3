"""The "Your comments" page (issue 22, item 7): a signed-in reader's every comment with its
article, status and date and, when it is not published, why (a moderator's reason from the
list and note, never a score) and where their appeal stands; an appeal sent from it once,
with clear errors and a rate limit; paginated at a fixed number of queries."""

import re

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from newsdesk.accounts.tests import helpers as h
from newsdesk.moderation.models import Appeal, AppealState
from newsdesk.moderation.reasons import reason_text
from newsdesk.moderation.services import comment_moderate
from newsdesk.moderation.services.appeals import appeal_decide

pytestmark = pytest.mark.django_db
URL = "/accounts/comments/"
WHY = "It was a quote from the report, not an insult to anyone here."


@pytest.fixture
def moderator(db):
    user = h.make_reader("mona_mod")
    user.groups.add(Group.objects.get_or_create(name="Moderators")[0])
    return user


@pytest.fixture
def ada(db):
    return h.make_reader("ada_reads", email="ada@example.org")


@pytest.fixture
def ada_client(ada):
    client = Client()
    client.force_login(ada)
    return client


@pytest.fixture
def removed(article, ada, moderator):
    comment = h.post(article, h.reader_of(ada), "Ada: the minister is a clown, frankly.")
    comment_moderate(
        comment_id=comment.pk,
        action="reject",
        actor=moderator,
        reason="mod_abuse",
        note="Name-calling.",
    )
    return comment


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(f"/accounts/login/?next={URL}")


def test_the_page_lists_every_comment_with_why_the_removed_one_is_not_published(
    article, ada, ada_client, removed
):
    h.post(article, h.reader_of(ada), "Ada: the river ran dry twice since.")
    response = ada_client.get(URL)
    html = response.content.decode()
    assert response.status_code == 200
    assert (
        response["Cache-Control"].startswith("max-age=0") or "no-cache" in response["Cache-Control"]
    )
    assert html.count('class="own-comment"') == 2
    assert "the river ran dry" in html and article.title in html
    assert "Rejected" in html and "Published" in html
    assert reason_text("mod_abuse") in html and "Name-calling." in html
    assert 'data-role="appeal-form"' in html
    assert not re.search(r"\b0\.\d\d\b", html)  # no score, ever
    # The account menu links to it.
    assert 'href="/accounts/comments/"' in ada_client.get("/accounts/privacy/").content.decode()


def test_another_reader_never_sees_my_comments_or_their_reasons(removed):
    other = Client()
    other.force_login(h.make_reader("bo_reads"))
    html = other.get(URL).content.decode()
    assert reason_text("mod_abuse") not in html and "clown" not in html
    assert 'data-role="no-comments"' in html


def test_an_appeal_sent_from_the_page_is_shown_then_its_outcome(
    ada_client, removed, moderator, mailoutbox, django_capture_on_commit_callbacks
):
    response = ada_client.post(URL, {"comment": removed.pk, "message": WHY})
    assert response.status_code == 302 and response["Location"].endswith(f"#comment-{removed.pk}")
    html = ada_client.get(URL).content.decode()
    assert 'data-state="pending"' in html and 'data-role="appeal-form"' not in html
    again = ada_client.post(URL, {"comment": removed.pk, "message": WHY})
    assert again.status_code == 409 and "appealed once" in again.content.decode()
    assert Appeal.objects.count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        appeal_decide(
            appeal_id=Appeal.objects.get().pk, actor=moderator, outcome="reverse", note="Fair."
        )
    html = ada_client.get(URL).content.decode()
    assert 'data-state="reversed"' in html and "Fair." in html and "Published" in html
    assert len(mailoutbox) == 1


@pytest.mark.parametrize(
    ("message", "status", "words"),
    [("short", 400, "at least 10"), ("y" * 1001, 400, "keep it to 1000")],
)
def test_a_bad_message_gets_a_clear_error_and_no_appeal(
    ada_client, removed, message, status, words
):
    response = ada_client.post(URL, {"comment": removed.pk, "message": message})
    assert response.status_code == status
    assert words in response.content.decode()
    assert not Appeal.objects.exists()


def test_someone_elses_comment_cannot_be_appealed(removed):
    other = Client()
    other.force_login(h.make_reader("bo_reads"))
    response = other.post(URL, {"comment": removed.pk, "message": WHY})
    assert response.status_code == 404
    assert not Appeal.objects.exists()


def test_appeals_are_rate_limited(article, ada, ada_client, moderator):
    comments = []
    for n in range(6):
        comment = h.post(article, h.reader_of(ada), f"Ada's remark number {n} on the dry river.")
        comment_moderate(comment_id=comment.pk, action="reject", actor=moderator)
        comments.append(comment)
    for comment in comments[:5]:
        assert ada_client.post(URL, {"comment": comment.pk, "message": WHY}).status_code == 302
    refused = ada_client.post(URL, {"comment": comments[5].pk, "message": WHY})
    assert refused.status_code == 429 and "Too many appeals" in refused.content.decode()
    assert Appeal.objects.count() == 5 and Appeal.objects.filter(state=AppealState.PENDING)


BUDGET = 18


def _grow(article, ada, moderator, count):
    for n in range(count):
        comment = h.post(article, h.reader_of(ada), f"Ada, remark {n}: the river is lower.")
        if n % 2:
            comment_moderate(comment_id=comment.pk, action="reject", actor=moderator)


def test_the_page_keeps_its_query_budget_whatever_the_number_of_comments(
    article, ada, ada_client, moderator, django_assert_max_num_queries
):
    # The site's layout (session, account, campaign bar, footer, permissions) and four of
    # the page's own: the count, a page of comments, their reasons and their appeals.
    _grow(article, ada, moderator, 3)
    with django_assert_max_num_queries(BUDGET):
        assert ada_client.get(URL).status_code == 200
    _grow(article, ada, moderator, 40)
    with django_assert_max_num_queries(BUDGET):
        html = ada_client.get(URL).content.decode()
    assert html.count('class="own-comment"') == 20 and 'rel="next"' in html
    assert ada_client.get(URL + "?page=3").content.decode().count('class="own-comment"') == 3
