"""Finding 3 of issue 17, as the attack: a comment the public may not read (held, rejected,
spam, shadowed, deleted by its author, on an unpublished or members-only article, or in
another article's thread) is named by its id to every endpoint that takes one, by an
anonymous reader and by another guest. Its text and its author's name never come back, no
answer is a 500, and nothing is written.
"""

from itertools import count

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from wagtail.models import PageViewRestriction

from newsdesk.discussion.models import Comment, CommentStatus, Vote
from newsdesk.discussion.readers import guest_key_new
from newsdesk.discussion.services import comment_delete
from newsdesk.discussion.tests.helpers import guest, member, post
from newsdesk.moderation.models import Report
from tests.support.factories import make_article

pytestmark = pytest.mark.django_db
JSON = {"HTTP_ACCEPT": "application/json"}
_addresses = count(1)

# kind -> how the comment is made unreadable after it was posted (published) on ``where``.
HIDDEN_KINDS = [
    "held",
    "rejected",
    "spam",
    "shadowed",
    "deleted",
    "unpublished_article",
    "private_article",
]


def _secret(kind: str) -> tuple[str, str]:
    """The comment's text and its author's name, both unlike anything else on the site."""
    return f"Qwzx secret words of the {kind} comment", f"Authorof{kind.replace('_', '')}"


@pytest.fixture
def world(article):
    section = article.get_parent().specific
    other = make_article(section=section, title="Another story entirely")
    hidden = {}
    for kind in HIDDEN_KINDS:
        where = article
        if kind in ("unpublished_article", "private_article"):
            where = make_article(section=section, title=f"Story for {kind}")
        text, name = _secret(kind)
        author = guest()
        comment = post(where, author, text, name=name)
        if kind in ("held", "rejected", "spam"):
            Comment.objects.filter(pk=comment.pk).update(status=kind)
        elif kind == "shadowed":
            Comment.objects.filter(pk=comment.pk).update(is_shadowed=True)
        elif kind == "deleted":
            # A visible reply keeps the deleted comment's place in the thread.
            post(article, guest(), "A reply that stays visible.", parent=comment)
            comment_delete(comment_id=comment.pk, reader=author)
        elif kind == "unpublished_article":
            where.unpublish()
        elif kind == "private_article":
            PageViewRestriction.objects.create(
                page=where, restriction_type=PageViewRestriction.LOGIN
            )
        hidden[kind] = comment.pk
    # A public comment of another article: public there, never shown under this one.
    text, name = _secret("other_article")
    foreign = post(other, guest(), text, name=name)
    return {"article": article, "hidden": hidden, "foreign": foreign.pk}


def _readers():
    """An anonymous reader (no cookie) and another guest (their own token)."""
    yield "anonymous", {}
    yield "another guest", {"HTTP_X_GUEST_TOKEN": guest_key_new()}


def _requests(article_id: int, comment_id):
    """Every request that names a comment by id, as (label, method, url, data, extra)."""
    post_url = f"/discussion/articles/{article_id}/comments/"
    c = f"/discussion/comments/{comment_id}"
    report = f"/moderation/comments/{comment_id}/report/"
    reply_invalid = {"body": "", "name": "Ann", "parent": comment_id}
    reply_valid = {"body": "I agree with this.", "name": "Ann", "parent": comment_id}
    return [
        ("reply form, invalid body", "post", post_url, reply_invalid, {}),
        ("reply form, invalid body, JSON", "post", post_url, reply_invalid, JSON),
        ("reply form, refused reply", "post", post_url, reply_valid, {}),
        ("reply form, refused reply, JSON", "post", post_url, reply_valid, JSON),
        ("reply page", "get", f"{c}/reply/", None, {}),
        ("permalink", "get", f"{c}/", None, {}),
        ("edit page", "get", f"{c}/edit/", None, {}),
        ("edit", "post", f"{c}/edit/", {"body": "Overwritten."}, {}),
        ("edit, JSON", "post", f"{c}/edit/", {"body": "Overwritten."}, JSON),
        ("delete", "post", f"{c}/delete/", None, {}),
        ("delete, JSON", "post", f"{c}/delete/", None, JSON),
        ("vote", "post", f"{c}/vote/", {"value": "up"}, {}),
        ("vote, JSON", "post", f"{c}/vote/", {"value": "up"}, JSON),
        ("report page", "get", report, None, {}),
        ("report", "post", report, {"reason": "spam"}, {}),
        ("report, JSON", "post", report, {"reason": "spam"}, JSON),
        (
            "API reply",
            "api-post",
            f"/api/threads/{article_id}/comments",
            {"body": "I agree.", "name": "Ann", "parent_id": comment_id},
            {},
        ),
        (
            "API reply, as the page's script sends the form",
            "post",
            f"/api/threads/{article_id}/comments",
            {"body": "I agree.", "name": "Ann", "parent_id": comment_id},
            JSON,
        ),
        ("API edit", "api-patch", f"/api/comments/{comment_id}", {"body": "Overwritten."}, {}),
        ("API delete", "delete", f"/api/comments/{comment_id}", None, {}),
        ("API vote", "api-post", f"/api/comments/{comment_id}/votes", {"value": 1}, {}),
    ]


def _send(client: Client, method: str, url: str, data, extra: dict):
    # A fresh address each time: rate limits are not what these tests are about.
    n = next(_addresses)
    extra = {**extra, "REMOTE_ADDR": f"10.{n // 65536 % 256}.{n // 256 % 256}.{n % 256}"}
    if method.startswith("api-"):
        return getattr(client, method[4:])(url, data=data, content_type="application/json", **extra)
    if method == "get" or data is None:
        return getattr(client, method)(url, **extra)
    return client.post(url, data, **extra)


def _shows(response, text: str) -> bool:
    body = response.content.decode(errors="replace")
    return text in body or text in response.get("Location", "")


def _snapshot():
    return (
        list(Comment.objects.order_by("pk").values_list("pk", "status", "body_source")),
        Vote.objects.count(),
        Report.objects.count(),
    )


@pytest.mark.parametrize("kind", HIDDEN_KINDS)
def test_no_endpoint_shows_a_hidden_comment_by_id(world, kind):
    comment_id = world["hidden"][kind]
    text, name = _secret(kind)
    before = _snapshot()
    wrong = []
    for reader, headers in _readers():
        for label, method, url, data, extra in _requests(world["article"].pk, comment_id):
            response = _send(Client(), method, url, data, {**extra, **headers})
            where = f"{reader}: {label} ({response.status_code})"
            if response.status_code >= 500:
                wrong.append(f"{where}: server error")
            if not 400 <= response.status_code < 500:
                wrong.append(f"{where}: should be refused")
            if _shows(response, text) or _shows(response, name):
                wrong.append(f"{where}: shows the comment")
    assert not wrong, "\n".join(wrong)
    assert _snapshot() == before  # nothing voted, reported, edited, deleted or posted


def test_a_reply_under_this_article_never_shows_another_articles_comment(world):
    text, name = _secret("other_article")
    wrong = []
    for reader, headers in _readers():
        for label, method, url, data, extra in _requests(world["article"].pk, world["foreign"]):
            if not label.startswith(("reply form", "API reply")):
                continue  # the comment is public under its own article
            response = _send(Client(), method, url, data, {**extra, **headers})
            if not 400 <= response.status_code < 500:
                wrong.append(f"{reader}: {label}: answered {response.status_code}")
            if _shows(response, text) or _shows(response, name):
                wrong.append(f"{reader}: {label}: shows the other article's comment")
    assert not wrong, "\n".join(wrong)
    assert Comment.objects.filter(parent_id=world["foreign"]).count() == 0


def test_threads_never_show_a_deleted_comments_text_or_author(world, settings):
    """The deleted comment keeps its place (its reply is visible), as a placeholder only;
    flattened replies say "in reply to" nobody's name. Every way of reading the thread."""
    settings.DISCUSSION_NEST_DEPTH = 1  # every reply is flattened
    article = world["article"]
    text, name = _secret("deleted")
    for _, headers in _readers():
        for url in (
            article.url,
            f"/api/threads/{article.pk}",
            f"/api/threads/{article.pk}/mine",
            f"/discussion/articles/{article.pk}/more/",
        ):
            response = Client().get(url, **headers)
            assert response.status_code == 200, url
            assert not _shows(response, text) and not _shows(response, name), url
    api = Client().get(f"/api/threads/{article.pk}").json()
    deleted = [c for c in api["comments"] if c["id"] == world["hidden"]["deleted"]]
    assert deleted and deleted[0]["shown"] is False and deleted[0]["body_html"] == ""
    assert all(reply["in_reply_to"] != name for reply in deleted[0]["replies"])


@pytest.mark.parametrize(
    "bad_id", ["0", "-1", str(2**63), str(2**64), str(10**30), "abc", "1e3", "%00"]
)
def test_ids_no_database_holds_are_refused_never_a_server_error(world, bad_id):
    wrong = []
    for label, method, url, data, extra in _requests(world["article"].pk, bad_id):
        response = _send(Client(), method, url, data, extra)
        if not 400 <= response.status_code < 500:
            wrong.append(f"{label}: {url} answered {response.status_code}")
    assert not wrong, "\n".join(wrong)


def test_authors_and_moderators_still_reach_what_they_may(world, article):
    """The rule's other side: a guest reaches their own held comment, a moderator any."""
    author = guest()
    mine = post(article, author, "Pending words of my own.", name="Ownauthor")
    Comment.objects.filter(pk=mine.pk).update(status=CommentStatus.HELD)
    own = Client().get(
        f"/discussion/comments/{mine.pk}/reply/", HTTP_X_GUEST_TOKEN=author.guest_key
    )
    assert own.status_code == 200 and "Pending words of my own." in own.content.decode()

    moderator = member("mona")
    moderator.user.groups.add(Group.objects.get(name="Moderators"))
    client = Client()
    client.force_login(moderator.user)
    held = world["hidden"]["held"]
    assert client.get(f"/discussion/comments/{held}/reply/").status_code == 200
    deleted = client.post(f"/discussion/comments/{held}/delete/", **JSON)  # a page, not JSON
    assert deleted.status_code == 303
    assert Comment.objects.get(pk=held).status == CommentStatus.DELETED
