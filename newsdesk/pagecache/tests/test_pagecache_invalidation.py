"""Every write that changes what an article's page shows outdates that page (and the
listings showing its comment count), through the owning apps' real services; writes that
change nothing anonymous readers see leave it cached."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from wagtail import hooks

from newsdesk.core import hooks as newsdesk_hooks
from newsdesk.discussion.models import Thread
from newsdesk.discussion.pipeline import Assessment, Verdict
from newsdesk.discussion.services import comment_delete, comment_edit, comment_vote
from newsdesk.discussion.services.staff import comment_pin, thread_close, thread_lock
from newsdesk.discussion.tests.helpers import guest, post
from newsdesk.moderation.services.bans import ban_from_comment
from newsdesk.moderation.services.decisions import comment_moderate
from tests.support.factories import make_article

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _one_machine(settings):
    settings.PAGECACHE_CLOCK_MARGIN = 0


@pytest.fixture
def moderator(db):
    user = get_user_model().objects.create_user(username="mona", password="a long pass 42")
    user.groups.add(Group.objects.get_or_create(name="Moderators")[0])
    return user


@pytest.fixture
def two_articles(section):
    return (
        make_article(section=section, title="The harbour reopens"),
        make_article(section=section, title="The ferry timetable"),
    )


def warm(client, *urls) -> None:
    for url in urls:
        client.get(url)
        assert client.get(url)["X-Page-Cache"] == "hit"


def cached(client, url) -> bool:
    return client.get(url)["X-Page-Cache"] == "hit"


def hold_everything(candidate):
    return Assessment(verdict=Verdict.HOLD, reasons=["held for the test"])


def test_deleting_a_comment_outdates_its_article_only(client, two_articles, section):
    first, other = two_articles
    author = guest()
    comment = post(first, author, "Soon to be gone.")
    warm(client, first.url, other.url, section.url)
    comment_delete(comment_id=comment.pk, reader=author)
    page = client.get(first.url)
    assert page["X-Page-Cache"] == "miss" and "Soon to be gone." not in page.content.decode()
    assert cached(client, other.url)
    assert not cached(client, section.url)  # its comment count went down


def test_a_vote_outdates_the_page_that_shows_its_count(client, two_articles):
    first, other = two_articles
    comment = post(first, guest(), "Vote on me.")
    warm(client, first.url, other.url)
    comment_vote(comment_id=comment.pk, reader=guest(), value=1)
    assert not cached(client, first.url)
    assert cached(client, other.url)


def test_an_edit_outdates_the_page(client, two_articles, django_capture_on_commit_callbacks):
    first, _ = two_articles
    author = guest()
    comment = post(first, author, "Frist.")
    warm(client, first.url)
    with django_capture_on_commit_callbacks(execute=True):
        comment_edit(comment_id=comment.pk, reader=author, body="First, spelled right.")
    page = client.get(first.url)
    assert page["X-Page-Cache"] == "miss" and "First, spelled right." in page.content.decode()


def test_approving_a_held_comment_outdates_the_page(
    client, two_articles, moderator, django_capture_on_commit_callbacks
):
    first, other = two_articles
    with hooks.register_temporarily(newsdesk_hooks.COMMENT_ASSESS, hold_everything):
        comment = post(first, guest(), "Approved after a while.")
    warm(client, first.url, other.url)
    comment_moderate(comment_id=comment.pk, action="approve", actor=moderator)
    page = client.get(first.url)
    assert page["X-Page-Cache"] == "miss" and "Approved after a while." in page.content.decode()
    assert cached(client, other.url)


def test_rejecting_a_held_comment_changes_nothing_readers_see(client, two_articles, moderator):
    first, _ = two_articles
    with hooks.register_temporarily(newsdesk_hooks.COMMENT_ASSESS, hold_everything):
        comment = post(first, guest(), "Never shown.")
    warm(client, first.url)
    comment_moderate(comment_id=comment.pk, action="reject", actor=moderator)
    assert cached(client, first.url)


def test_a_shadow_ban_outdates_every_article_the_author_commented_on(
    client, two_articles, moderator
):
    first, other = two_articles
    author = guest()
    comment = post(first, author, "Trouble here.")
    post(other, author, "Trouble there too.")
    warm(client, first.url, other.url)
    ban_from_comment(comment_id=comment.pk, kind="ip", actor=moderator, shadow=True)
    assert "Trouble there too." not in client.get(other.url).content.decode()
    assert "Trouble here." not in client.get(first.url).content.decode()


def test_pinning_closing_and_locking_outdate_the_page(client, two_articles):
    first, other = two_articles
    comment = post(first, guest(), "Pin me.")
    thread = Thread.objects.get(article=first)
    for change in (
        lambda: comment_pin(comment=comment),
        lambda: thread_close(thread=thread),
        lambda: thread_lock(thread=thread),
    ):
        warm(client, first.url, other.url)
        change()
        assert not cached(client, first.url)
        assert cached(client, other.url)
    assert "This discussion is locked." in client.get(first.url).content.decode()
