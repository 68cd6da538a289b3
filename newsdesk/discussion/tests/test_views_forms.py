"""The forms readers use without JavaScript (pages and redirects, never JSON), and the
script's writes, which go to the JSON API with the form's own fields."""

import re

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from newsdesk.discussion import conf
from newsdesk.discussion.models import Comment, Subscription, Vote
from newsdesk.discussion.tests.helpers import guest, member, picture_bytes, post
from tests.support.factories import make_article

pytestmark = pytest.mark.django_db
JSON = {"HTTP_ACCEPT": "application/json"}


def _post_url(article):
    return f"/discussion/articles/{article.pk}/comments/"


def _api_post_url(article):
    """Where the page's script posts: the API, asking for the comment's HTML."""
    return f"/api/threads/{article.pk}/comments?html=1"


def test_the_api_renders_the_comments_html_only_for_the_script_that_asks(client, article):
    plain = client.post(
        f"/api/threads/{article.pk}/comments", {"body": "Data", "name": "Ann"}, **JSON
    )
    assert plain.status_code == 201 and plain.json()["html"] == ""
    assert plain.json()["comment"]["body_html"]
    asked = client.post(_api_post_url(article), {"body": "Markup", "name": "Ann"}, **JSON)
    assert f'id="c{asked.json()["comment"]["id"]}"' in asked.json()["html"]


def test_guest_posts_without_javascript_and_sees_the_comment(client, article):
    response = client.post(_post_url(article), {"body": "Hello *there*", "name": "Ann"})
    assert response.status_code == 303
    comment = Comment.objects.get()
    assert response["Location"].endswith(f"#c{comment.pk}")
    assert conf.GUEST_COOKIE in response.cookies
    page = client.get(article.url).content.decode()
    assert f'id="c{comment.pk}"' in page and "<em>there</em>" in page
    assert f'href="/discussion/comments/{comment.pk}/edit/"' in page  # the author may edit


def test_form_error_shows_the_form_again_and_writes_nothing(client, article):
    response = client.post(_post_url(article), {"body": "", "name": "Ann"})
    assert response.status_code == 400
    assert "Write something before posting." in response.content.decode()
    response = client.post(_post_url(article), {"body": "x" * 50_000, "name": "Ann"})
    assert response.status_code == 400 and "at most" in response.content.decode()
    assert not Comment.objects.exists()


def test_script_posts_the_form_to_the_api_and_gets_json_for_success_and_errors(client, article):
    """What discussion.js sends: the form's fields as multipart, ``parent_id`` for a reply."""
    ok = client.post(_api_post_url(article), {"body": "Via script", "name": "Ann"}, **JSON)
    assert ok.status_code == 201
    data = ok.json()
    comment = data["comment"]
    assert comment["status"] == "published" and f'id="c{comment["id"]}"' in data["html"]
    assert conf.GUEST_COOKIE in ok.cookies  # the guest's key, as the form gives it
    reply = client.post(
        _api_post_url(article),
        {
            "body": "Reply",
            "name": "Ann",
            "email": "ann@example.org",
            "parent_id": comment["id"],
            "notify_replies": "on",
        },
        **JSON,
    )
    assert reply.json()["comment"]["parent_id"] == comment["id"]
    assert Comment.objects.get(pk=reply.json()["comment"]["id"]).notify_replies
    bad = client.post(
        _api_post_url(article),
        {"body": "pic", "name": "Ann", "image": SimpleUploadedFile("x.jpg", b"not an image")},
        **JSON,
    )
    assert bad.status_code == 400 and "not a picture" in bad.json()["detail"]
    assert Comment.objects.count() == 2
    # The form view answers pages only, even to a client asking for JSON.
    plain = client.post(_post_url(article), {"body": "No script", "name": "Ann"}, **JSON)
    assert plain.status_code == 303 and Comment.objects.count() == 3


def test_script_posts_a_picture_through_the_api(client, article):
    upload = SimpleUploadedFile("p.png", picture_bytes("PNG"), "image/png")
    response = client.post(
        _api_post_url(article), {"body": "Pictured", "name": "Ann", "image": upload}, **JSON
    )
    assert response.status_code == 201
    comment = Comment.objects.get()
    assert comment.image and comment.image_thumbnail
    assert response.json()["comment"]["thumbnail_url"] == comment.image_thumbnail.url


def test_script_posts_a_picture_just_under_the_limit_through_the_api(client, article):
    """The API reads the whole body: a picture the form takes, the API takes too."""
    import io
    import random

    from PIL import Image

    side = 1270  # noise does not compress: a PNG a little under 5 MB
    noise = random.Random(7).randbytes(side * side * 3)
    buffer = io.BytesIO()
    Image.frombytes("RGB", (side, side), noise).save(buffer, "PNG")
    data = buffer.getvalue()
    assert 4.5 * 1024 * 1024 < len(data) <= conf.DISCUSSION_IMAGE_MAX_BYTES
    upload = SimpleUploadedFile("big.png", data, "image/png")
    response = client.post(
        _api_post_url(article), {"body": "Pictured", "name": "Ann", "image": upload}, **JSON
    )
    assert response.status_code == 201, response.content[:300]
    assert Comment.objects.get().image


def test_reply_to_another_articles_comment_through_the_form_is_refused(client, article):
    other = make_article(section=article.get_parent().specific)
    foreign = post(other, guest(), "Elsewhere")
    post(article, guest(), "Here")
    response = client.post(_post_url(article), {"body": "x", "name": "Ann", "parent": foreign.pk})
    assert response.status_code == 400
    assert "The comment you are replying to belongs to another article." in (
        response.content.decode()
    )
    assert Comment.objects.count() == 2


def test_csrf_is_required(article):
    client = Client(enforce_csrf_checks=True)
    response = client.post(_post_url(article), {"body": "No token", "name": "Ann"})
    assert response.status_code == 403
    assert not Comment.objects.exists()


def test_posting_is_rate_limited(client, article, settings):
    settings.DISCUSSION_POSTS_PER_IP = 2
    settings.DISCUSSION_POSTS_WINDOW_SECONDS = 60
    for _ in range(2):
        assert client.post(_post_url(article), {"body": "x", "name": "A"}).status_code == 303
    response = client.post(_post_url(article), {"body": "x", "name": "A"})
    assert response.status_code == 429 and "too often" in response.content.decode()
    # The script's way in (the API) counts against the same limit.
    api = client.post(_api_post_url(article), {"body": "x", "name": "A"}, **JSON)
    assert api.status_code == 429 and "too often" in api.json()["detail"]
    assert Comment.objects.count() == 2


def test_signed_in_reader_posts_under_their_name_and_email_stays_private(client, article):
    reader = member("marta", email="marta@example.org")
    client.force_login(reader.user)
    client.post(_post_url(article), {"body": "Signed in.", "notify_replies": "on"})
    comment = Comment.objects.get()
    assert comment.user == reader.user and comment.notify_replies
    page = client.get(article.url).content.decode()
    assert "marta" in page and "marta@example.org" not in page


def test_edit_page_and_save_without_javascript(client, article):
    client.post(_post_url(article), {"body": "Frist", "name": "Ann"})
    comment = Comment.objects.get()
    form = client.get(f"/discussion/comments/{comment.pk}/edit/")
    assert form.status_code == 200 and "Frist" in form.content.decode()
    saved = client.post(f"/discussion/comments/{comment.pk}/edit/", {"body": "First"})
    assert saved.status_code == 303
    page = client.get(article.url).content.decode()
    assert "First" in page and "edited" in page


def test_edit_of_someone_elses_comment_is_forbidden(client, article):
    comment = post(article, guest(), "Not yours.")
    response = client.post(f"/discussion/comments/{comment.pk}/edit/", {"body": "Mine now"})
    assert response.status_code == 403 and "your own" in response.content.decode()
    assert Comment.objects.get().body_source == "Not yours."


def test_vote_once_then_conflict(client, article):
    comment = post(article, guest(), "Vote.")
    url = f"/discussion/comments/{comment.pk}/vote/"
    first = client.post(url, {"value": "up"})
    assert first.status_code == 303 and first["Location"].endswith(f"#c{comment.pk}")
    assert conf.GUEST_COOKIE in first.cookies
    comment.refresh_from_db()
    assert comment.upvotes == 1
    again = client.post(url, {"value": "down"})
    assert again.status_code == 409
    assert "You have already voted on this comment." in again.content.decode()
    # The script votes through the API: the same reader (the guest cookie), the same refusal.
    script = client.post(
        f"/api/comments/{comment.pk}/votes", {"value": 1}, content_type="application/json"
    )
    assert script.status_code == 409
    assert script.json()["detail"] == "You have already voted on this comment."
    assert Vote.objects.count() == 1


def test_delete_keeps_the_place_of_replies(client, article):
    client.post(_post_url(article), {"body": "Parent", "name": "Ann"})
    parent = Comment.objects.get()
    post(article, guest(), "Child", parent=parent)
    assert client.post(f"/discussion/comments/{parent.pk}/delete/").status_code == 303
    page = client.get(article.url).content.decode()
    assert "This comment was deleted." in page and "Child" in page and ">Parent<" not in page
    assert client.post(f"/discussion/comments/{parent.pk}/delete/").status_code == 409


def test_reply_page_for_browsers_without_javascript(client, article):
    parent = post(article, guest(), "Parent text")
    page = client.get(f"/discussion/comments/{parent.pk}/reply/").content.decode()
    assert "Reply to Guest" in page and f'value="{parent.pk}"' in page


def test_permalink_opens_the_page_that_holds_the_comment(client, article, settings):
    settings.DISCUSSION_PAGE_SIZE = 2
    tops = [post(article, guest(), f"Top {i}") for i in range(5)]
    reply = post(article, guest(), "Deep in page three", parent=tops[0])
    # best order: oldest first among equals, so tops[0] is on page 1 ...
    response = client.get(f"/discussion/comments/{reply.pk}/")
    assert response.status_code == 302 and response["Location"].endswith(f"#c{reply.pk}")
    late = client.get(f"/discussion/comments/{tops[4].pk}/")
    assert "cpage=3" in late["Location"]
    page = client.get(late["Location"].split("#")[0]).content.decode()
    assert f'id="c{tops[4].pk}"' in page and f'id="c{tops[0].pk}"' not in page


def test_load_more_returns_the_next_page_as_html(client, article, settings):
    settings.DISCUSSION_PAGE_SIZE = 2
    tops = [post(article, guest(), f"Top {i}") for i in range(3)]
    page = client.get(article.url).content.decode()
    assert "Load more comments" in page
    more = client.get(f"/discussion/articles/{article.pk}/more/?page=2&sort=oldest").json()
    assert f'id="c{tops[2].pk}"' in more["html"] and more["has_more"] is False


def test_article_page_queries_do_not_grow_with_the_thread(client, article, settings):
    # Every request must render: a copy from the page cache (or a stale one served while
    # another renders) would count no thread queries at all.
    settings.PAGECACHE_ENABLED = False

    def queries_for_page():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            assert client.get(article.url).status_code == 200
        return len(ctx.captured_queries)

    first = post(article, guest(), "One")
    queries_for_page()  # the first request fills per-process caches (site, settings)
    small = queries_for_page()
    for i in range(30):
        first = post(article, guest(), f"Reply {i}", parent=first if i % 2 else None)
    assert queries_for_page() == small


def test_comment_counts_appear_on_listings(client, article):
    post(article, guest(), "One")
    post(article, guest(), "Two")
    section = client.get(article.get_parent().url).content.decode()
    assert re.search(r'href="[^"]*#discussion">2 comments</a>', section)


def _address_confirm(email: str) -> None:
    """Follow the link of the confirmation e-mail sent to ``email``, then forget the e-mail."""
    (message,) = [m for m in mail.outbox if m.to == [email] and "/confirm-email/" in m.body]
    link = re.search(r"https?://[^/\s]+(/discussion/confirm-email/\S+/)", message.body).group(1)
    assert Client().get(link).status_code == 200
    mail.outbox.clear()


def test_reply_notification_email_with_one_click_unsubscribe(
    client, article, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            _post_url(article),
            {"body": "Tell me", "name": "Ann", "email": "ann@example.org", "notify_replies": "on"},
        )
    parent = Comment.objects.get()
    _address_confirm("ann@example.org")  # double opt-in: test_email_confirmation.py
    other = Client()
    with django_capture_on_commit_callbacks(execute=True):
        other.post(_post_url(article), {"body": "Here you go", "name": "Bo", "parent": parent.pk})
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["ann@example.org"] and "Bo replied" in message.subject
    link = re.search(r"http://\S+/discussion/unsubscribe/\S+/", message.body).group(0)
    assert message.extra_headers["List-Unsubscribe"] == f"<{link}>"
    path = link.split("://", 1)[1].split("/", 1)[1]
    assert "no longer" in other.get("/" + path).content.decode()
    assert not Comment.objects.get(pk=parent.pk).notify_replies


def test_thread_subscribers_get_new_comments(client, article, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            _post_url(article),
            {"body": "Follow", "name": "Cy", "email": "cy@example.org", "subscribe": "on"},
        )
    _address_confirm("cy@example.org")  # double opt-in: test_email_confirmation.py
    assert mail.outbox == []  # nobody is told of their own comment
    subscription = Subscription.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        post(article, guest(), "New one")
    assert [m.to for m in mail.outbox] == [["cy@example.org"]]
    response = client.post(f"/discussion/unsubscribe/{subscription.token}/")
    assert response.status_code == 200 and not Subscription.objects.exists()


def test_export_is_for_staff_only(client, article):
    post(article, guest(), "Exported", guest_email="secret@example.org")
    assert client.get("/discussion/export.json").status_code == 302
    client.force_login(member("plain").user)
    assert client.get("/discussion/export.json").status_code == 403
    from django.contrib.auth import get_user_model

    admin = get_user_model().objects.create_superuser("boss", "boss@example.org", "pw-long-42")
    client.force_login(admin)
    data = client.get(f"/discussion/export.json?article={article.pk}").json()
    assert data["threads"][0]["comments"][0]["body_source"] == "Exported"
    assert "secret@example.org" not in str(data)


def test_picture_upload_through_the_form(client, article):
    upload = SimpleUploadedFile("p.png", picture_bytes("PNG"), "image/png")
    client.post(_post_url(article), {"body": "Pictured below", "name": "Ann", "image": upload})
    comment = Comment.objects.get()
    assert comment.image and comment.image_thumbnail
    assert comment.image_thumbnail.url in client.get(article.url).content.decode()
