"""The personal parts of cached pages, through real HTTP and real services: forms posted
from the public copy without a token (no script), the ``/csrf/`` token, signed-in readers
served the shared copy with their own menu and token, and their comment state from
``/api/threads/<id>/mine``."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from wagtail import hooks

from newsdesk.core import hooks as newsdesk_hooks
from newsdesk.discussion.models import Comment
from newsdesk.discussion.pipeline import Assessment, Verdict
from newsdesk.discussion.readers import Reader
from newsdesk.discussion.services import comment_vote
from newsdesk.discussion.tests.helpers import guest, post

pytestmark = pytest.mark.django_db
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([A-Za-z0-9]+)"')
SCRIPT_COOKIE = "newsdesk_js"


@pytest.fixture(autouse=True)
def _one_machine(settings):
    settings.PAGECACHE_CLOCK_MARGIN = 0


def status(response) -> str:
    return response["X-Page-Cache"]


def comments_url(article) -> str:
    return f"/discussion/articles/{article.pk}/comments/"


@pytest.fixture
def dana():
    return get_user_model().objects.create_user(
        username="dana", email="dana@example.org", password="a long pass 42"
    )


def signed_in(user, *, script: bool = True) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    if script:
        client.cookies[SCRIPT_COOKIE] = "1"
    return client


# --- a form posted from the public copy without script --------------------------------------
def test_tokenless_post_writes_nothing_and_answers_a_confirmation_page_that_posts(article):
    visitor = Client(enforce_csrf_checks=True)
    page = visitor.get(article.url).content.decode()
    assert 'name="csrfmiddlewaretoken" value=""' in page
    started = re.search(r'name="started" value="([^"]*)"', page).group(1)
    answer = visitor.post(
        comments_url(article),
        {
            "csrfmiddlewaretoken": "",
            "body": "The ferry <b>still</b> runs.",
            "name": "Flo",
            "started": started,
            "parent": "",
        },
    )
    assert answer.status_code == 403
    assert not Comment.objects.exists()
    html = answer.content.decode()
    assert "Confirm your post" in html and "no-store" in answer["Cache-Control"]
    assert "The ferry &lt;b&gt;still&lt;/b&gt; runs.</textarea>" in html
    assert 'type="hidden" name="name" value="Flo"' in html
    assert f'action="{comments_url(article)}"' in html
    token = TOKEN.search(html).group(1)
    assert "csrftoken" in answer.cookies
    sent = visitor.post(
        comments_url(article),
        {
            "csrfmiddlewaretoken": token,
            "body": "The ferry still runs.",
            "name": "Flo",
            "started": started,
            "parent": "",
        },
    )
    assert sent.status_code == 303, sent.content[:300]
    assert "The ferry still runs." in Comment.objects.get().body_html


def test_tokenless_post_from_another_site_is_refused_without_the_form(article):
    answer = Client(enforce_csrf_checks=True).post(
        comments_url(article),
        {"csrfmiddlewaretoken": "", "body": "Forged words.", "name": "Mallory"},
        HTTP_ORIGIN="https://evil.example",
    )
    assert answer.status_code == 403
    html = answer.content.decode()
    assert "Not sent" in html and "Forged words." not in html and "<textarea" not in html
    assert not TOKEN.search(html)
    assert not Comment.objects.exists()


def test_tokenless_post_from_a_script_gets_a_json_refusal(article):
    answer = Client(enforce_csrf_checks=True).post(
        comments_url(article),
        {"csrfmiddlewaretoken": "", "body": "Too quick.", "name": "Gus"},
        HTTP_ACCEPT="application/json",
    )
    assert answer.status_code == 403 and "detail" in answer.json()
    assert not Comment.objects.exists()


def test_a_wrong_token_is_still_refused_by_the_csrf_check(article):
    visitor = Client(enforce_csrf_checks=True)
    visitor.get("/csrf/")
    answer = visitor.post(
        comments_url(article),
        {"csrfmiddlewaretoken": "x" * 64, "body": "Wrong token.", "name": "Hal"},
    )
    assert answer.status_code == 403 and "Confirm your post" not in answer.content.decode()
    assert not Comment.objects.exists()


def test_the_csrf_endpoint_only_answers_get(client):
    assert client.post("/csrf/").status_code in (403, 405)
    assert client.get("/csrf/").json()["token"]


# --- signed-in readers ---------------------------------------------------------------------
def test_signed_in_reader_with_the_script_gets_the_cached_copy_with_their_part(article, dana):
    anonymous = Client().get(article.url)
    assert status(anonymous) == "miss"
    reader = signed_in(dana)
    page = reader.get(article.url)
    html = page.content.decode()
    assert status(page) == "hit-personal"
    assert "Signed in as <strong>dana</strong>" in html
    assert "Commenting as <strong>dana</strong>" in html
    assert 'name="email"' not in html and "dana@example.org" not in html
    assert "private" in page["Cache-Control"] and "no-cache" in page["Cache-Control"]
    assert "newsdesk-personal" not in html and "newsdesk-csrf" not in html
    # Their token is a real one: the form posts.
    sent = reader.post(
        comments_url(article),
        {"csrfmiddlewaretoken": TOKEN.search(html).group(1), "body": "From the cache."},
    )
    assert sent.status_code == 303, sent.content[:300]
    assert Comment.objects.get().user == dana
    # The public copy (rendered again: it shows her comment now) has none of her part.
    again = Client().get(article.url).content.decode()
    assert "From the cache." in again
    assert "Signed in as" not in again and "Commenting as" not in again
    assert "Sign in" in again and "newsdesk-personal" not in again
    assert not TOKEN.search(again)


def test_the_personal_fill_costs_only_the_reader_lookup(
    article, dana, django_assert_max_num_queries
):
    Client().get(article.url)
    reader = signed_in(dana)
    with django_assert_max_num_queries(2):  # the session and the user
        page = reader.get(article.url)
    assert status(page) == "hit-personal"


def test_personal_etag_is_the_readers_own(article, dana):
    Client().get(article.url)
    reader = signed_in(dana)
    etag = reader.get(article.url)["ETag"]
    assert reader.get(article.url, HTTP_IF_NONE_MATCH=etag).status_code == 304
    public = Client().get(article.url)
    assert public["ETag"] != etag
    assert Client().get(article.url, HTTP_IF_NONE_MATCH=etag).status_code == 200


def test_signed_in_reader_without_the_script_gets_the_full_rendering(article, dana):
    Client().get(article.url)
    page = signed_in(dana, script=False).get(article.url)
    assert status(page) == "bypass"
    assert "Commenting as <strong>dana</strong>" in page.content.decode()


def test_staff_get_the_full_rendering(article):
    editor = get_user_model().objects.create_user(
        username="ed", password="a long pass 42", is_staff=True
    )
    Client().get(article.url)
    assert status(signed_in(editor).get(article.url)) == "bypass"


def test_signed_in_reader_on_a_miss_gets_their_page_and_nothing_is_shared(article, dana):
    page = signed_in(dana).get(article.url)
    assert (
        status(page) == "bypass" and "Signed in as <strong>dana</strong>" in page.content.decode()
    )
    assert status(Client().get(article.url)) == "miss"


# --- their comment state -----------------------------------------------------------------------
def test_mine_names_the_readers_votes_own_comments_and_held_comments(
    article, dana, django_capture_on_commit_callbacks
):
    me = Reader(user=dana, ip_address="192.0.2.30")
    other = post(article, guest(), "Someone else's view.")
    with django_capture_on_commit_callbacks(execute=True):
        mine = post(article, me, "My published view.")
        comment_vote(comment_id=other.pk, reader=me, value=1)

    def hold_everything(candidate):
        return Assessment(verdict=Verdict.HOLD, reasons=["held for the test"])

    with hooks.register_temporarily(newsdesk_hooks.COMMENT_ASSESS, hold_everything):
        held = post(article, me, "My view awaiting a moderator.")
    assert held.status == "held"
    answer = signed_in(dana).get(f"/api/threads/{article.pk}/mine")
    assert answer.status_code == 200
    assert "no-store" in answer["Cache-Control"] and "private" in answer["Cache-Control"]
    body = answer.json()
    assert body["votes"] == [{"id": other.pk, "value": 1}]
    own = {item["id"]: item for item in body["own"]}
    assert set(own) == {mine.pk, held.pk}
    assert own[mine.pk]["can_edit"] and own[mine.pk]["edit_url"].endswith(f"/{mine.pk}/edit/")
    assert [item["id"] for item in body["held"]] == [held.pk]
    assert "My view awaiting a moderator." in body["held"][0]["html"]
    assert "dana@example.org" not in answer.content.decode()
    # Nobody else learns anything from it.
    assert Client().get(f"/api/threads/{article.pk}/mine").json() == {
        "article_id": article.pk,
        "votes": [],
        "own": [],
        "held": [],
    }


def test_mine_of_a_missing_article_is_a_404(client):
    answer = client.get("/api/threads/999999/mine")
    assert answer.status_code == 404 and answer.json()["detail"]


def test_after_signing_in_the_message_is_shown_once_then_the_cache_serves_them(article, dana):
    from allauth.account.models import EmailAddress

    EmailAddress.objects.create(user=dana, email=dana.email, verified=True, primary=True)
    Client().get(article.url)
    reader = Client()
    reader.get("/accounts/login/")
    signed = reader.post(
        "/accounts/login/", {"login": "dana@example.org", "password": "a long pass 42"}
    )
    assert signed.status_code == 302 and reader.cookies["messages"].value
    reader.cookies[SCRIPT_COOKIE] = "1"
    first = reader.get(article.url)
    assert status(first) == "bypass"  # a message is waiting: the page is theirs alone
    assert 'class="messages"' in first.content.decode()
    second = reader.get(article.url)
    assert status(second) == "hit-personal"
    assert 'class="messages"' not in second.content.decode()
