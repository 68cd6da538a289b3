"""Posting keeps each article's thread in a per-process copy (``selectors_posting``): a change
made any way (a service, the admin's save, a subscription) must reach the next post."""

import pytest

from newsdesk.discussion.errors import NotAllowed
from newsdesk.discussion.models import Subscription, Thread
from newsdesk.discussion.selectors_posting import posting_place_get
from newsdesk.discussion.services import thread_close, thread_lock
from newsdesk.discussion.tests.helpers import guest, post

pytestmark = pytest.mark.django_db


def _staff(django_user_model):
    return django_user_model.objects.create_superuser("editor", "editor@example.org", "pw")


def test_the_thread_is_read_once_per_article_then_from_the_copy(article, django_assert_num_queries):
    post(article, guest(), "The first comment opens the thread.")
    posting_place_get(article_id=article.pk)  # the copy, made by the first read
    with django_assert_num_queries(0):
        place = posting_place_get(article_id=article.pk)
    assert place.thread is not None and place.thread.article_id == article.pk
    assert place.thread.pk == Thread.objects.get(article=article).pk


@pytest.mark.parametrize("change", ["close", "lock"])
def test_a_thread_closed_or_locked_by_staff_refuses_the_next_post(
    article, django_user_model, change
):
    post(article, guest(), "Before.")
    thread = Thread.objects.get(article=article)
    staff = _staff(django_user_model)
    if change == "close":
        thread_close(thread=thread, actor=staff)
    else:
        thread_lock(thread=thread, actor=staff)
    with pytest.raises(NotAllowed):
        post(article, guest(), "After.")


def test_a_thread_closed_in_the_admin_refuses_the_next_post(article):
    post(article, guest(), "Before.")
    thread = Thread.objects.get(article=article)
    thread.is_closed = True
    thread.save()  # as the admin's form does
    with pytest.raises(NotAllowed):
        post(article, guest(), "After.")


def test_a_subscription_made_or_removed_is_heard_by_the_next_post(article):
    post(article, guest(), "Before anyone subscribed.")
    assert posting_place_get(article_id=article.pk).has_subscribers is False
    thread = Thread.objects.get(article=article)
    subscription = Subscription.objects.create(thread=thread, email="follower@example.org")
    assert posting_place_get(article_id=article.pk).has_subscribers is True
    subscription.delete()
    assert posting_place_get(article_id=article.pk).has_subscribers is False
