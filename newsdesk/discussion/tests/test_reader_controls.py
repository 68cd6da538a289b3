"""Readers' own controls (issue 22, item 4): ignore a commenter, follow a thread, the
discussion settings page, the per-reader endpoint, and the reader's data export and erasure.
Digests are in ``test_digests.py``."""

import json
import re

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Permission
from django.core import mail
from django.test import Client

from newsdesk.accounts.services import account_erase
from newsdesk.discussion.commenters import commenter_key
from newsdesk.discussion.errors import InvalidComment, NotAllowed, NotFound
from newsdesk.discussion.models import (
    CommentStatus,
    IgnoredCommenter,
    NotificationFrequency,
    ReaderSettings,
    Subscription,
)
from newsdesk.discussion.readers import Reader
from newsdesk.discussion.services.reader_controls import (
    commenter_ignore,
    commenter_unignore,
    notification_frequency_set,
    thread_follow,
)
from newsdesk.discussion.tests.helpers import guest, member, post
from tests.support.factories import make_article

pytestmark = pytest.mark.django_db

SETTINGS_URL = "/accounts/discussion/"


def verified(username: str) -> Reader:
    reader = member(username)
    EmailAddress.objects.create(
        user=reader.user, email=reader.user.email, verified=True, primary=True
    )
    return reader


def signed_in_client(reader: Reader, *, csrf: bool = False) -> Client:
    client = Client(enforce_csrf_checks=csrf)
    client.force_login(reader.user)
    return client


# --- ignoring: the rules ---------------------------------------------------------------------
def test_a_reader_ignores_another_account_once(article):
    ann, bo = member("ann"), member("bo")
    comment = post(article, bo, "Rivers are overrated.")

    first = commenter_ignore(reader=ann, comment_id=comment.pk)
    again = commenter_ignore(reader=ann, comment_id=comment.pk)

    assert first.pk == again.pk and first.ignored_user == bo.user and first.name == "bo"
    assert IgnoredCommenter.objects.filter(reader=ann.user).count() == 1


def test_no_one_ignores_themselves(article):
    ann = member("ann")
    mine = post(article, ann, "My own view.")
    with pytest.raises(InvalidComment, match="yourself"):
        commenter_ignore(reader=ann, comment_id=mine.pk)
    assert not IgnoredCommenter.objects.exists()


@pytest.mark.parametrize("kind", ["staff", "superuser", "moderator"])
def test_staff_and_moderators_cannot_be_ignored(article, kind):
    ann, mod = member("ann"), member("mod")
    if kind == "moderator":
        mod.user.user_permissions.add(
            Permission.objects.get(codename="change_comment", content_type__app_label="discussion")
        )
    else:
        setattr(mod.user, "is_staff" if kind == "staff" else "is_superuser", True)
        mod.user.save()
    comment = post(article, mod, "Please keep it civil.")
    with pytest.raises(NotAllowed, match="Staff and moderators"):
        commenter_ignore(reader=Reader(user=type(ann.user).objects.get(pk=ann.user.pk)),
                         comment_id=comment.pk)  # fmt: skip
    assert not IgnoredCommenter.objects.exists()


def test_guests_neither_ignore_nor_are_ignored(article):
    ann, bo = member("ann"), guest()
    guest_comment = post(article, bo, "A guest's view.", name="Bo")
    account_comment = post(article, member("cy"), "An account's view.")
    with pytest.raises(InvalidComment, match="account"):
        commenter_ignore(reader=ann, comment_id=guest_comment.pk)
    with pytest.raises(NotAllowed):
        commenter_ignore(reader=bo, comment_id=account_comment.pk)
    assert not IgnoredCommenter.objects.exists()


def test_a_comment_the_reader_cannot_see_names_no_one_to_ignore(article):
    ann, bo = member("ann"), member("bo")
    held = post(article, bo, "Held for now.")
    held.status = CommentStatus.HELD
    held.save()
    for comment_id in (held.pk, 10**12, -1):
        with pytest.raises(NotFound):
            commenter_ignore(reader=ann, comment_id=comment_id)
    assert not IgnoredCommenter.objects.exists()


def test_unignoring_takes_only_the_readers_own_entry(article):
    ann, bo, cy = member("ann"), member("bo"), member("cy")
    entry = commenter_ignore(reader=ann, comment_id=post(article, bo, "Hm.").pk)
    with pytest.raises(NotFound):
        commenter_unignore(reader=cy, ignored_id=entry.pk)
    assert IgnoredCommenter.objects.filter(pk=entry.pk).exists()
    commenter_unignore(reader=ann, ignored_id=entry.pk)
    assert not IgnoredCommenter.objects.exists()


# --- the markup and the per-reader endpoint ------------------------------------------------------
def test_the_thread_marks_accounts_but_not_guests_or_staff(article, client):
    bo, boss = member("bo"), member("boss")
    boss.user.is_staff = True
    boss.user.save()
    post(article, bo, "An account's view.")
    post(article, guest(), "A guest's view.", name="Gus")
    post(article, boss, "The editor's view.")

    html = client.get(article.url).content.decode()

    marks = re.findall(r'data-commenter="([0-9a-f]+)"', html)
    assert marks == [commenter_key(user_id=bo.user.pk)]


def test_the_controls_endpoint_is_private_and_empty_for_a_guest(article, client):
    response = client.get(f"/api/discussion/controls?article_id={article.pk}")
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    assert response.json() == {
        "signed_in": False, "me": "", "frequency": "immediate", "following": False, "ignored": []
    }  # fmt: skip


def test_ignore_and_follow_through_the_api(article):
    ann, bo = verified("ann"), member("bo")
    comment = post(article, bo, "Loud opinions.")
    client = signed_in_client(ann, csrf=True)
    client.get(SETTINGS_URL)  # the CSRF cookie, as a page gives it
    token = client.cookies["csrftoken"].value

    refused = client.post(f"/api/comments/{comment.pk}/ignore")
    assert refused.status_code == 403 and not IgnoredCommenter.objects.exists()

    ignored = client.post(f"/api/comments/{comment.pk}/ignore", HTTP_X_CSRFTOKEN=token)
    assert ignored.status_code == 201, ignored.content
    assert ignored.json()["commenter"] == commenter_key(user_id=bo.user.pk)
    followed = client.post(f"/api/threads/{article.pk}/follow", HTTP_X_CSRFTOKEN=token)
    assert followed.json() == {"article_id": article.pk, "following": True}

    controls = client.get(f"/api/discussion/controls?article_id={article.pk}").json()
    assert controls["ignored"] == [commenter_key(user_id=bo.user.pk)]
    assert controls["me"] == commenter_key(user_id=ann.user.pk)
    assert controls["following"] is True

    client.delete(f"/api/threads/{article.pk}/follow", HTTP_X_CSRFTOKEN=token)
    entry = IgnoredCommenter.objects.get()
    gone = client.delete(f"/api/discussion/ignored/{entry.pk}", HTTP_X_CSRFTOKEN=token)
    assert gone.status_code == 204
    controls = client.get(f"/api/discussion/controls?article_id={article.pk}").json()
    assert controls["ignored"] == [] and controls["following"] is False


def test_own_and_staff_comments_are_refused_through_the_api_with_a_message(article):
    ann = member("ann")
    mine = post(article, ann, "Mine.")
    response = signed_in_client(ann).post(f"/api/comments/{mine.pk}/ignore")
    assert response.status_code == 400
    assert response.json()["detail"] == "You cannot ignore yourself."


def test_the_controls_endpoint_costs_the_same_whatever_the_lists(
    article, django_assert_max_num_queries
):
    ann = member("ann")
    client = signed_in_client(ann)
    url = f"/api/discussion/controls?article_id={article.pk}"
    for size in (1, 25):
        while IgnoredCommenter.objects.filter(reader=ann.user).count() < size:
            other = member(f"other{IgnoredCommenter.objects.count()}")
            commenter_ignore(reader=ann, comment_id=post(article, other, "Hi.").pk)
        client.get(url)
        with django_assert_max_num_queries(6, info=f"{size} ignored"):
            assert len(client.get(url).json()["ignored"]) == size


# --- following ----------------------------------------------------------------------------------
def test_a_follower_gets_new_comments_and_unfollows_with_one_click(
    article, django_capture_on_commit_callbacks
):
    ann = verified("ann")
    thread_follow(reader=ann, article=article)
    with django_capture_on_commit_callbacks(execute=True):
        post(article, member("bo"), "News from upstream.")
    mails = [m for m in mail.outbox if m.to == [ann.user.email]]
    assert len(mails) == 1 and "New comment" in mails[0].subject
    link = mails[0].extra_headers["List-Unsubscribe"].strip("<>")
    assert mails[0].extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    # RFC 8058: the mail program POSTs to the link, with no session and no CSRF token.
    path = re.sub(r"^https?://[^/]+", "", link)
    response = Client(enforce_csrf_checks=True).post(path, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert not Subscription.objects.filter(user=ann.user).exists()
    with django_capture_on_commit_callbacks(execute=True):
        post(article, member("cy"), "More news.")
    assert len([m for m in mail.outbox if m.to == [ann.user.email]]) == 1


def test_following_needs_an_account_with_an_address(article):
    with pytest.raises(NotAllowed):
        thread_follow(reader=guest(), article=article)
    nobody = member("nobody")
    nobody.user.email = ""
    nobody.user.save()
    with pytest.raises(InvalidComment):
        thread_follow(reader=nobody, article=article)
    assert not Subscription.objects.exists()


def test_a_reader_is_not_emailed_about_replies_from_someone_they_ignore(
    article, django_capture_on_commit_callbacks
):
    ann, bo, cy = verified("ann"), member("bo"), member("cy")
    with django_capture_on_commit_callbacks(execute=True):
        mine = post(article, ann, "Tell me of replies.", notify_replies=True)
        commenter_ignore(reader=ann, comment_id=post(article, bo, "Hello.").pk)
        post(article, bo, "A reply from someone ignored.", parent=mine)
        post(article, cy, "A reply from someone else.", parent=mine)
    replies = [m.subject for m in mail.outbox if m.to == [ann.user.email]]
    assert replies == ["cy replied to your comment on “Rivers run dry across the plain”"]


# --- the settings page ---------------------------------------------------------------------------
def test_the_settings_page_needs_a_signed_in_reader(client):
    response = client.get(SETTINGS_URL)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    refused = client.post(SETTINGS_URL, {"action": "frequency", "frequency": "daily"})
    assert refused.status_code == 302
    assert not ReaderSettings.objects.exists()


def test_the_settings_page_lists_and_changes_everything(article):
    ann, bo = verified("ann"), member("bo")
    entry = commenter_ignore(reader=ann, comment_id=post(article, bo, "Hm.").pk)
    thread_follow(reader=ann, article=article)
    client = signed_in_client(ann)

    page = client.get(SETTINGS_URL).content.decode()
    assert "Discussion settings" in page and 'data-part="discussion-link"' in page
    assert "Stop ignoring bo" in page and f"Unfollow {article.title}" in page
    assert 'value="immediate" checked' in page

    done = client.post(SETTINGS_URL, {"action": "frequency", "frequency": "hourly"}, follow=True)
    assert "Once an hour" in done.content.decode()
    assert ReaderSettings.objects.get(user=ann.user).frequency == NotificationFrequency.HOURLY
    client.post(SETTINGS_URL, {"action": "unignore", "ignored": entry.pk})
    client.post(SETTINGS_URL, {"action": "unfollow", "thread": article.discussion_thread.pk})
    assert not IgnoredCommenter.objects.exists()
    assert not Subscription.objects.exists()


@pytest.mark.parametrize(
    "fields",
    [
        {"action": "frequency", "frequency": "weekly"},
        {"action": "frequency"},
        {"action": "unignore", "ignored": "not a number"},
        {"action": "unignore", "ignored": "99999999999999999999999"},
        {"action": "launch"},
    ],
)
def test_bad_input_on_the_settings_page_is_a_clear_refusal_that_changes_nothing(fields):
    ann = member("ann")
    notification_frequency_set(reader=ann, frequency="daily")
    response = signed_in_client(ann).post(SETTINGS_URL, fields)
    assert 400 <= response.status_code < 500
    assert 'role="alert"' in response.content.decode()
    assert ReaderSettings.objects.get(user=ann.user).frequency == "daily"


def test_the_settings_page_costs_the_same_whatever_the_lists(
    section, django_assert_max_num_queries
):
    ann = verified("ann")
    client = signed_in_client(ann)
    for size in (2, 20):
        while Subscription.objects.filter(user=ann.user).count() < size:
            story = make_article(section=section, title=f"Story {Subscription.objects.count()}")
            thread_follow(reader=ann, article=story)
            other = member(f"other{IgnoredCommenter.objects.count()}")
            commenter_ignore(reader=ann, comment_id=post(story, other, "Hi.").pk)
        client.get(SETTINGS_URL)
        with django_assert_max_num_queries(12, info=f"{size} of each"):
            page = client.get(SETTINGS_URL)
        assert page.content.decode().count('aria-label="Stop ignoring') == size


# --- the reader's data -------------------------------------------------------------------------
def test_export_and_erasure_include_the_controls(article):
    ann, bo = verified("ann"), member("bo")
    post(article, ann, "My view.")
    notification_frequency_set(reader=ann, frequency="daily")
    commenter_ignore(reader=ann, comment_id=post(article, bo, "Hm.").pk)
    commenter_ignore(reader=bo, comment_id=post(article, ann, "Mine again.").pk)
    thread_follow(reader=ann, article=article)

    document = json.loads(signed_in_client(ann).get("/accounts/privacy/export.json").content)
    assert document["discussion_settings"]["notification_frequency"] == "daily"
    assert [i["name"] for i in document["discussion_settings"]["ignored_commenters"]] == ["bo"]
    assert [s["article_title"] for s in document["subscriptions"]] == [article.title]

    account_erase(user=ann.user, password="a long pass 42")
    assert not ReaderSettings.objects.exists()
    # Gone from their list and from others' lists (which named them).
    assert not IgnoredCommenter.objects.exists()
    assert not Subscription.objects.exists()


def test_erasure_also_takes_the_entries_naming_the_reader_in_others_lists(article):
    from newsdesk.discussion.services.personal_data import reader_data_erase

    ann, bo = member("ann"), member("bo")
    commenter_ignore(reader=bo, comment_id=post(article, ann, "Mine.").pk)
    notification_frequency_set(reader=ann, frequency="hourly")

    erased = reader_data_erase(user=ann.user, emails=[], placeholder_name="Former reader")

    assert erased.controls_deleted == 2
    assert not IgnoredCommenter.objects.exists() and not ReaderSettings.objects.exists()
