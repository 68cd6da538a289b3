"""Slow mode: one comment or reply per reader per N seconds in a thread that has it; readers
known by account, or as guests by key and by address; staff exempt and the only ones who set
it; the refusal (429 with Retry-After in the API, a message in the form) writes nothing; two
posts at once cannot both pass."""

import json
import threading
import time

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client

from newsdesk.discussion.errors import NotAllowed, NotFound
from newsdesk.discussion.models import Comment, Thread
from newsdesk.discussion.readers import Reader, guest_key_new
from newsdesk.discussion.services.comments import thread_get_or_create
from newsdesk.discussion.services.slow_mode import (
    SlowModeWait,
    slow_mode_claim,
    slow_mode_words,
    thread_slow_mode_set,
)
from newsdesk.discussion.tests.helpers import guest, member, post
from newsdesk.discussion.tests.test_picks import moderator

pytestmark = pytest.mark.django_db


def _slow(article, seconds: int = 30) -> Thread:
    return thread_slow_mode_set(
        thread=thread_get_or_create(article=article),
        seconds=seconds,
        actor=moderator(f"setter{seconds}"),
    )


def test_a_reader_posts_once_per_period_and_an_early_post_is_refused_and_not_written(article):
    _slow(article, 30)
    reader = member("quick")
    first = post(article, reader, "My first thought.")
    with pytest.raises(SlowModeWait) as refused:
        post(article, reader, "And another!", parent=first)
    assert refused.value.status_code == 429
    assert 1 <= refused.value.retry_after <= 30
    assert "one comment every 30 seconds" in refused.value.message
    assert f"again in {refused.value.retry_after} second" in refused.value.message
    assert list(Comment.objects.values_list("body_source", flat=True)) == ["My first thought."]
    # Another reader is not held back by this one.
    assert post(article, member("other"), "Mine.").pk


def test_the_seconds_left_count_down_from_the_first_post():
    thread = Thread(pk=424242, slow_mode_seconds=30)
    reader = Reader(guest_key=guest_key_new(), ip_address="10.1.2.3")
    start = time.time()
    slow_mode_claim(thread=thread, reader=reader, now=start)
    with pytest.raises(SlowModeWait) as refused:
        slow_mode_claim(thread=thread, reader=reader, now=start + 20)
    assert refused.value.retry_after == 10


def test_a_guest_is_known_by_key_and_by_address_so_clearing_cookies_does_not_escape(article):
    _slow(article, 60)
    first = Reader(guest_key=guest_key_new(), ip_address="10.20.30.40")
    post(article, first, "From the café.")
    new_cookie_same_address = Reader(guest_key=guest_key_new(), ip_address="10.20.30.40")
    same_cookie_new_address = Reader(guest_key=first.guest_key, ip_address="10.99.99.99")
    for reader in (new_cookie_same_address, same_cookie_new_address):
        with pytest.raises(SlowModeWait):
            post(article, reader, "Me again.")
    # The refused tries took no slot of their own: the new address is free for someone else.
    assert post(article, Reader(guest_key=guest_key_new(), ip_address="10.99.99.99"), "Hi.")
    assert Comment.objects.count() == 2


def test_staff_are_exempt(article):
    _slow(article, 60)
    desk = Reader(user=moderator("desk-exempt"), ip_address="10.5.5.5")
    post(article, desk, "Welcome to the discussion.")
    assert post(article, desk, "A second note from the desk.").pk


def test_a_post_refused_for_another_reason_does_not_use_up_the_turn(article):
    _slow(article, 60)
    reader = member("careful")
    with pytest.raises(NotFound):  # a reply to a comment that does not exist
        post(article, reader, "To nowhere.", parent=Comment(pk=987654))
    assert post(article, reader, "My actual comment.").pk


def test_a_post_that_fails_while_being_written_gives_the_turn_back(article, monkeypatch):
    from newsdesk.discussion.services import comments

    _slow(article, 60)
    reader = member("unlucky")

    def broken(**kwargs):
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(comments, "comment_assessed_notify", broken)
    with pytest.raises(RuntimeError):
        post(article, reader, "Lost on the way.")
    monkeypatch.undo()
    assert not Comment.objects.exists()
    assert post(article, reader, "Sent again.").pk


def test_a_thread_without_slow_mode_takes_posts_as_usual(article):
    reader = guest()
    post(article, reader, "One.")
    assert post(article, reader, "Two.").pk


def test_two_posts_at_once_cannot_both_pass():
    thread = Thread(pk=434343, slow_mode_seconds=30)
    reader = Reader(guest_key=guest_key_new(), ip_address="10.7.7.7")
    barrier = threading.Barrier(8)
    outcomes: list[str] = []

    def attempt():
        barrier.wait()
        try:
            slow_mode_claim(thread=thread, reader=reader)
            outcomes.append("posted")
        except SlowModeWait:
            outcomes.append("refused")

    workers = [threading.Thread(target=attempt) for _ in range(8)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert sorted(outcomes) == ["posted"] + ["refused"] * 7


def test_the_api_answers_429_with_retry_after_and_writes_nothing(article):
    _slow(article, 45)
    client = Client()
    url = f"/api/threads/{article.pk}/comments"
    body = {"body": "First!", "name": "Speedy"}
    first = client.post(url, data=json.dumps(body), content_type="application/json")
    assert first.status_code == 201
    body["body"] = "Second!"
    second = client.post(url, data=json.dumps(body), content_type="application/json")
    assert second.status_code == 429
    assert 1 <= int(second["Retry-After"]) <= 45
    assert "Slow mode is on in this discussion" in second.json()["detail"]
    assert Comment.objects.count() == 1
    assert client.get(f"/api/threads/{article.pk}").json()["slow_mode_seconds"] == 45


def test_the_no_script_form_says_how_long_to_wait(article):
    _slow(article, 30)
    client = Client()
    url = f"/discussion/articles/{article.pk}/comments/"
    assert client.post(url, {"body": "Hello there.", "name": "Plain"}).status_code == 303
    again = client.post(url, {"body": "Hello again.", "name": "Plain"})
    assert again.status_code == 429
    assert "you can post again in" in again.content.decode()
    assert Comment.objects.count() == 1


def test_the_form_names_slow_mode_and_setting_it_outdates_the_shared_page(client, article):
    assert "Slow mode:" not in client.get(article.url).content.decode()
    _slow(article, 30)
    html = client.get(article.url).content.decode()
    assert "Slow mode: one comment every 30 seconds." in html


def test_only_staff_set_slow_mode_within_a_day_and_a_refusal_changes_nothing(article):
    thread = thread_get_or_create(article=article)
    for actor in (member("plain").user, AnonymousUser()):
        with pytest.raises(NotAllowed):
            thread_slow_mode_set(thread=thread, seconds=30, actor=actor)
    desk = moderator("desk-setter")
    for bad in (-1, 86_401, True):
        with pytest.raises(Exception) as refused:
            thread_slow_mode_set(thread=thread, seconds=bad, actor=desk)
        assert refused.value.status_code == 400
    thread.refresh_from_db()
    assert thread.slow_mode_seconds == 0


def test_staff_set_it_through_the_api_and_readers_are_refused(article):
    desk = moderator("desk-api")
    desk.set_password("a long pass 42")
    desk.save()
    staff_client = Client()
    staff_client.force_login(desk)
    url = f"/api/threads/{article.pk}/slow-mode"
    answer = staff_client.put(
        url, data=json.dumps({"seconds": 120}), content_type="application/json"
    )
    assert answer.status_code == 200 and answer.json()["slow_mode_seconds"] == 120
    controls = staff_client.get(f"/api/threads/{article.pk}/staff").json()
    assert controls["slow_mode_seconds"] == 120
    bad = staff_client.put(url, data=json.dumps({"seconds": -5}), content_type="application/json")
    assert bad.status_code == 400 and bad.json()["field"] == "seconds"
    reader_client = Client()
    reader_client.force_login(member("nosy").user)
    refused = reader_client.put(
        url, data=json.dumps({"seconds": 0}), content_type="application/json"
    )
    assert refused.status_code == 403
    # A program with a guest's token (no session, no CSRF token needed) is no one's staff.
    token = Client().put(
        url,
        data=json.dumps({"seconds": 0}),
        content_type="application/json",
        HTTP_X_GUEST_TOKEN=guest_key_new(),
    )
    assert token.status_code == 403
    assert Thread.objects.get(article=article).slow_mode_seconds == 120


@pytest.mark.parametrize(
    ("seconds", "words"),
    [
        (1, "one comment every second"),
        (30, "one comment every 30 seconds"),
        (60, "one comment every minute"),
        (300, "one comment every 5 minutes"),
        (3600, "one comment every hour"),
        (7200, "one comment every 2 hours"),
    ],
)
def test_slow_mode_in_words(seconds, words):
    assert slow_mode_words(seconds) == words
