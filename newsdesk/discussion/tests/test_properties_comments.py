"""Properties of posting, whatever a reader sends (hypothesis).

Any body, name, e-mail and parent id, through the JSON API and the form without script: the
answer is a 201/303 with one stored comment whose HTML is inert (only the allowed tags, no
event handler, no script URL), or a 4xx that says why with nothing written. Thread reads
with any path and query values answer 200, 404 or 422, never a server error.
"""

import json
from html.parser import HTMLParser
from urllib.parse import urlencode

import pytest
from django.core.cache import cache
from django.test import Client
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from newsdesk.discussion.models import Comment, Thread
from newsdesk.discussion.rendering import COMMENT_ATTRIBUTES, COMMENT_TAGS

pytestmark = pytest.mark.django_db
# pytest-django's database and client are set up once per test and shared by its examples;
# each example counts rows before and after itself, so sharing them is sound.
PROPERTY_SETTINGS = settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
GUEST_TOKEN = "hypothesis-guest-token"

# What attackers and accidents put in comments, mixed into arbitrary text.
HOSTILE = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '<a href="javascript:alert(1)">x</a>',
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click]( javascript:alert(1))",
    "[x](data:text/html;base64,PHNjcmlwdD4=)",
    "[x](vbscript:msgbox(1))",
    "<svg onload=alert(1)>",
    "<iframe src=//evil.example>",
    '"><b onmouseover=alert(1)>',
    "`<script>`",
    "```\n<script>alert(1)</script>\n```",
    "> <style>*{}</style>",
    "&lt;script&gt;",
    "&#106;avascript:alert(1)",
    "<a href='&#x6A;avascript:alert(1)'>x</a>",
    "**bold** _em_ ~~del~~",
    "<p onclick=alert(1)>x</p>",
    "\u202e\u200b\ufeff",
]
any_text = st.text(st.characters(codec="utf-8"), max_size=300)
# JSON can also carry NULs and lone surrogates (as \u escapes), which forms cannot.
json_text = st.text(st.characters(exclude_categories=()), max_size=80)
comment_text = st.lists(st.sampled_from(HOSTILE) | any_text | json_text, max_size=5).map("".join)
form_comment_text = st.lists(st.sampled_from(HOSTILE) | any_text, max_size=5).map("".join)
huge_or_small_int = st.integers(min_value=-(2**70), max_value=2**70)


ACTIVE_TAGS = {"script", "iframe", "object", "embed", "svg", "math", "style", "base"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href"}


class _Inspector(HTMLParser):
    """Lists what could run in ``html``; with ``strict``, also whatever a comment's own
    HTML may not hold (a tag or attribute off the allow-list)."""

    def __init__(self, *, strict: bool):
        super().__init__(convert_charrefs=True)
        self.strict = strict
        self.problems: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in ACTIVE_TAGS or (self.strict and tag not in COMMENT_TAGS):
            self.problems.append(f"tag <{tag}>")
        allowed = COMMENT_ATTRIBUTES.get(tag, set()) | ({"rel"} if tag == "a" else set())
        for name, value in attrs:
            if name.startswith("on") or (self.strict and name not in allowed):
                self.problems.append(f"attribute {name} on <{tag}>")
            if name in URL_ATTRIBUTES:
                cleaned = "".join(ch for ch in (value or "") if ch > " ").lower()
                if cleaned.startswith(("javascript:", "vbscript:", "data:")):
                    self.problems.append(f"{name} {value!r}")


def assert_inert(html: str, *, strict: bool = True) -> None:
    inspector = _Inspector(strict=strict)
    inspector.feed(html)
    inspector.close()
    assert not inspector.problems, (inspector.problems, html)


def _counts() -> tuple[int, int]:
    return Comment.objects.count(), Thread.objects.count()


def _assert_refused(response, before) -> None:
    assert 400 <= response.status_code < 500, (response.status_code, response.content[:300])
    detail = response.json()["detail"]
    assert detail if isinstance(detail, list) else detail.strip()
    assert _counts() == before


@pytest.fixture
def top_comment(article):
    from newsdesk.discussion.tests.helpers import guest, post

    return post(article, guest(), "The first word.")


@PROPERTY_SETTINGS
@given(
    body=comment_text,
    name=st.one_of(st.just("A reader"), json_text, st.text(max_size=120)),
    email=st.one_of(st.just(""), st.emails(), json_text),
    parent=st.one_of(st.none(), st.just("top"), huge_or_small_int),
    notify=st.booleans(),
)
def test_any_comment_through_the_api_is_stored_inert_or_refused(
    article, top_comment, body, name, email, parent, notify
):
    cache.clear()  # the posting rate limit is not what this test is about
    client = Client()
    parent_id = top_comment.pk if parent == "top" else parent
    payload = {
        "body": body,
        "name": name,
        "email": email,
        "parent_id": parent_id,
        "notify_replies": notify,
    }
    before = _counts()
    response = client.post(
        f"/api/threads/{article.pk}/comments",
        json.dumps(payload),  # ensure_ascii: NULs and lone surrogates travel as \u escapes
        content_type="application/json",
        HTTP_X_GUEST_TOKEN=GUEST_TOKEN,
    )
    event(f"answered {response.status_code}")
    if response.status_code == 201:
        data = response.json()
        assert Comment.objects.count() == before[0] + 1
        stored = Comment.objects.latest("pk")
        assert data["comment"]["id"] == stored.pk
        assert stored.body_source == body.replace("\r\n", "\n").strip()
        assert_inert(stored.body_html)
        assert_inert(data["comment"]["body_html"])
        assert email.strip() not in response.content.decode() or not email.strip()
    else:
        _assert_refused(response, before)


@PROPERTY_SETTINGS
@given(
    body=form_comment_text,
    name=st.one_of(st.just("A reader"), st.text(max_size=220)),
    email=st.one_of(st.just(""), st.emails(), st.text(max_size=60)),
    parent=st.one_of(st.just(""), st.just("top"), huge_or_small_int.map(str), st.text(max_size=8)),
    wants_json=st.booleans(),
)
def test_any_comment_through_the_form_is_stored_inert_or_refused(
    article, top_comment, body, name, email, parent, wants_json
):
    """The form as a browser without the script sends it (to the form view), or as the page's
    script sends it (the same fields, multipart, to the JSON API; the parent as parent_id)."""
    cache.clear()
    client = Client()
    data = {
        "body": body,
        "name": name,
        "email": email,
        "parent": str(top_comment.pk) if parent == "top" else parent,
    }
    before = _counts()
    if wants_json:
        parent_id = data.pop("parent")
        if parent_id:
            data["parent_id"] = parent_id
        response = client.post(
            f"/api/threads/{article.pk}/comments?html=1", data, HTTP_ACCEPT="application/json"
        )
    else:
        response = client.post(f"/discussion/articles/{article.pk}/comments/", data)
    event(f"answered {response.status_code}")
    if response.status_code in (201, 303):
        assert Comment.objects.count() == before[0] + 1
        stored = Comment.objects.latest("pk")
        assert_inert(stored.body_html)
        if wants_json:
            # The comment as the page's script inserts it: the site's markup around the text.
            assert_inert(response.json()["html"], strict=False)
    elif wants_json:
        _assert_refused(response, before)
    else:
        assert 400 <= response.status_code < 500, response.status_code
        assert b'class="' in response.content  # a page that shows the error, not a bare code
        assert _counts() == before


@PROPERTY_SETTINGS
@given(
    article_id=st.one_of(st.just("real"), huge_or_small_int),
    sort=st.one_of(st.none(), st.sampled_from(["best", "newest", "oldest"]), st.text(max_size=20)),
    page=st.one_of(st.none(), huge_or_small_int, st.text(max_size=20)),
)
def test_any_thread_read_is_answered(client, article, top_comment, article_id, sort, page):
    query = {k: v for k, v in (("sort", sort), ("page", page)) if v is not None}
    try:
        encoded = urlencode(query)
    except UnicodeEncodeError:  # a lone surrogate cannot be put in a URL at all
        return
    target = article.pk if article_id == "real" else article_id
    for url in (f"/api/threads/{target}", f"/discussion/articles/{target}/more/"):
        if url.startswith("/discussion/") and isinstance(target, int) and target < 0:
            continue  # the URL pattern takes no sign: a plain 404 from the resolver
        response = client.get(url, QUERY_STRING=encoded)
        event(f"{url.split('/')[1]} answered {response.status_code}")
        assert response.status_code in (200, 400, 404, 422), (url, encoded, response.status_code)
        if response.status_code == 200:
            body = response.json()
            assert body["page"] >= 1
            if "comments" in body and body["page"] == 1 and target == article.pk:
                assert [c["id"] for c in body["comments"]] == [top_comment.pk]
