"""Attacks on the shared page cache: one reader's view must never be stored for the others.

Whatever request input changes a page's rendering (a header, a cookie, the query string)
either makes the answer private and skips the cache both ways, or is part of the cache key.
First the attack as it was found, against the served site (gunicorn, the worker and the
page cache): a guest's held comment, rendered for the ``X-Guest-Token`` header, published to
every later reader. Then every personal credential on every public page, a rendering that
reads a personal input the cache does not know of, a page that varies on a header, and
query strings (keyed, ignored, or refused by the cache, never an unbounded number of keys).
"""

import json
import urllib.request
import uuid

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.messages import constants
from django.contrib.messages.storage.base import Message
from django.contrib.messages.storage.cookie import CookieStorage
from django.core import signing
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.utils.cache import patch_vary_headers
from wagtail import hooks

from newsdesk.core import hooks as newsdesk_hooks
from newsdesk.discussion import conf as discussion_conf
from newsdesk.discussion.pipeline import Assessment, Verdict
from newsdesk.discussion.readers import GUEST_COOKIE_SALT, Reader, guest_key_new
from newsdesk.discussion.tests.helpers import post
from newsdesk.pagecache import SITE_TAG, pages_invalidate
from tests.support.factories import make_article, make_author

SCRIPT_COOKIE = "newsdesk_js"


@pytest.fixture(autouse=True)
def _one_machine(settings):
    # One process renders and invalidates: no clock margin is needed between them.
    settings.PAGECACHE_CLOCK_MARGIN = 0


def status(response) -> str:
    return response.get("X-Page-Cache", "(none)")


def shared_by_proxies(response) -> bool:
    """Whether a proxy or CDN may keep this answer for other readers."""
    words = response.get("Cache-Control", "").lower()
    return "private" not in words and "no-store" not in words and "public" in words


def _hold_everything(candidate):
    return Assessment(verdict=Verdict.HOLD, reasons=["held for the test"])


# --- the attack, against the served site ----------------------------------------------------
def _site_held_comment(running_site, *, guest_key: str, text: str) -> str:
    """A guest's comment held for moderation on an article of the served demo; its URL."""
    output = running_site.shell(
        "import json\n"
        "from wagtail import hooks\n"
        "from newsdesk.articles.models import ArticlePage\n"
        "from newsdesk.core.hooks import COMMENT_ASSESS\n"
        "from newsdesk.discussion.pipeline import Assessment, Verdict\n"
        "from newsdesk.discussion.readers import Reader\n"
        "from newsdesk.discussion.services import CommentDraft, comment_create\n"
        "def hold(candidate):\n"
        "    return Assessment(verdict=Verdict.HOLD, reasons=['held for the test'])\n"
        "article = ArticlePage.objects.live().public().order_by('-pk').first()\n"
        "with hooks.register_temporarily(COMMENT_ASSESS, hold):\n"
        "    comment = comment_create(article=article,\n"
        f"        reader=Reader(guest_key={guest_key!r}, ip_address='192.0.2.91'),\n"
        f"        draft=CommentDraft(body={text!r}, guest_name='Held Guest'))\n"
        "print(json.dumps({'url': article.url, 'status': comment.status}))\n"
    )
    facts = json.loads(output.strip().splitlines()[-1])
    assert facts["status"] == "held"
    return facts["url"]


def _site_get(url: str, headers: dict | None = None) -> tuple[dict, str]:
    request = urllib.request.Request(url, headers=headers or {})
    with urllib.request.urlopen(request, timeout=60) as response:
        return dict(response.headers.items()), response.read().decode()


def test_a_guest_token_header_does_not_publish_the_guests_held_comment(running_site):
    guest_key = guest_key_new()
    held = f"Held pitch {uuid.uuid4().hex}: cheap watches at deals.example"
    path = _site_held_comment(running_site, guest_key=guest_key, text=held)
    # A variant of the page nobody asked for yet: the next request renders it, as the first
    # one after a change does.
    url = f"{running_site.url}{path}?sort=oldest&cpage=1"

    personal_headers, own = _site_get(url, {"X-Guest-Token": guest_key})
    assert held in own  # the guest sees their comment awaiting moderation

    for _ in range(2):  # the first reader after it, then one served from the cache
        _, page = _site_get(url)
        assert held not in page, "the guest's held comment was shown to another reader"
        assert "Held Guest" not in page
    _, plain = _site_get(running_site.url + path)
    assert held not in plain
    # Nor may a proxy or CDN keep the guest's page for others.
    cache_control = personal_headers.get("Cache-Control", "").lower()
    assert "public" not in cache_control
    assert "private" in cache_control or "no-store" in cache_control


# --- every personal credential on every public page ------------------------------------------
@pytest.fixture
def world(db, home, section):
    """An article with a tag and an author, a guest's and a member's held comments on it."""
    author = make_author("Ines Marsh")
    article = make_article(
        section=section, title="Salt marsh restored", tags=["marshes"], authors=[author]
    )
    dana = get_user_model().objects.create_user(
        username="dana", email="dana@example.org", password="a long pass 42"
    )
    guest_key = guest_key_new()
    with hooks.register_temporarily(newsdesk_hooks.COMMENT_ASSESS, _hold_everything):
        post(
            article,
            Reader(guest_key=guest_key, ip_address="192.0.2.40"),
            "Guest's words awaiting a moderator.",
            name="Gale",
        )
        post(article, Reader(user=dana, ip_address="192.0.2.41"), "Dana's words on hold.")
    return {
        "article": article,
        "section": section,
        "author": author,
        "dana": dana,
        "guest_key": guest_key,
    }


# What each credential's reader sees and nobody else may.
GUEST_PART = "Guest's words awaiting a moderator."
MEMBER_PARTS = ("Dana's words on hold.", "Signed in as <strong>dana</strong>")
MESSAGE_PART = "A message for this reader alone."


def _messages_cookie() -> str:
    storage = CookieStorage(RequestFactory().get("/"))
    return storage._encode([Message(constants.INFO, MESSAGE_PART)])


def _with_guest_header(client, world):
    return {"HTTP_X_GUEST_TOKEN": world["guest_key"]}, (GUEST_PART,)


def _with_guest_cookie(client, world):
    client.cookies[discussion_conf.GUEST_COOKIE] = signing.get_cookie_signer(
        salt=discussion_conf.GUEST_COOKIE + GUEST_COOKIE_SALT
    ).sign(world["guest_key"])
    return {}, (GUEST_PART,)


def _with_session(client, world):
    client.force_login(world["dana"])
    return {}, MEMBER_PARTS


def _with_session_and_script(client, world):
    client.force_login(world["dana"])
    client.cookies[SCRIPT_COOKIE] = "1"
    return {}, MEMBER_PARTS


def _with_messages_cookie(client, world):
    client.cookies[getattr(settings, "MESSAGE_COOKIE_NAME", "messages")] = _messages_cookie()
    return {}, (MESSAGE_PART,)


def _with_authorization(client, world):
    return {"HTTP_AUTHORIZATION": "Bearer a-readers-own-token"}, ()


CREDENTIALS = {
    "guest header": _with_guest_header,
    "guest cookie": _with_guest_cookie,
    "session cookie": _with_session,
    "session and script cookies": _with_session_and_script,
    "messages cookie": _with_messages_cookie,
    "authorization header": _with_authorization,
}
PAGES = {
    "home": lambda w: "/",
    "section": lambda w: w["section"].url,
    "article": lambda w: w["article"].url,
    "article, newest first": lambda w: w["article"].url + "?sort=newest",
    "article, first comment page": lambda w: w["article"].url + "?cpage=1&sort=oldest",
    "article, from a newsletter": lambda w: w["article"].url + "?utm_source=newsletter",
    "article, junk query": lambda w: w["article"].url + "?anything=at-all",
    "tag": lambda w: "/tags/marshes/",
    "author": lambda w: f"/authors/{w['author'].slug}/",
    "search": lambda w: "/search/?q=marsh",
    "rss": lambda w: "/feeds/rss/",
    "atom": lambda w: "/feeds/atom/",
    "section rss": lambda w: f"/feeds/{w['section'].slug}/rss/",
    "section atom": lambda w: f"/feeds/{w['section'].slug}/atom/",
    "sitemap": lambda w: "/sitemap.xml",
    "news sitemap": lambda w: "/news-sitemap.xml",
}


@pytest.mark.parametrize("credential", list(CREDENTIALS))
@pytest.mark.parametrize("page", list(PAGES))
def test_a_personal_credential_never_leaves_its_view_for_the_next_reader(world, page, credential):
    url = PAGES[page](world)
    first = Client().get(url)
    assert first.status_code == 200, url
    # A change: the stored copy is outdated, so the next request renders the page.
    pages_invalidate(tags=[SITE_TAG])

    personal = Client()
    extra, parts = CREDENTIALS[credential](personal, world)
    # Their browser (or a script) even offers the public copy's ETag.
    etag = first.get("ETag")
    if etag:
        extra["HTTP_IF_NONE_MATCH"] = etag
    theirs = personal.get(url, **extra)
    assert theirs.status_code == 200, (url, theirs.status_code)
    assert not shared_by_proxies(theirs), theirs.get("Cache-Control")
    if page.startswith("article") and page != "article, junk query":
        for part in parts:
            assert part in theirs.content.decode(), part  # their view really is personal

    answers = [Client().get(url) for _ in range(2)]  # the next reader, then one more
    for anonymous in answers:
        html = anonymous.content.decode()
        for part in (GUEST_PART, *MEMBER_PARTS, MESSAGE_PART, "Gale"):
            assert part not in html, f"{part!r} shown to a stranger on {url}"
    # Nothing the personal request rendered was stored: the next reader renders the page
    # (or, for a page the cache never keeps, is not served from it at all).
    assert status(answers[0]) in ("miss", "bypass", "(none)"), status(answers[0])


@pytest.mark.parametrize("credential", list(CREDENTIALS))
def test_a_personal_credential_on_a_page_nobody_cached_stores_nothing(world, credential):
    url = world["article"].url
    personal = Client()
    extra, _ = CREDENTIALS[credential](personal, world)
    theirs = personal.get(url, **extra)
    assert not shared_by_proxies(theirs)
    anonymous = Client().get(url)
    assert status(anonymous) == "miss"
    assert GUEST_PART not in anonymous.content.decode()


# --- fail closed: a rendering that reads a personal input -------------------------------------
PROBE_HEADER = "HTTP_X_NEWSDESK_PROBE"


def _probe_slot(context):
    """A slot that shows a request header only its sender should see (as a future feature
    might), declaring that it read a personal input."""
    from newsdesk.pagecache import personal_input_read

    request = context.get("request")
    value = request.META.get(PROBE_HEADER, "") if request is not None else ""
    if not value:
        return ""
    personal_input_read(request, name="X-Newsdesk-Probe")
    return f"<p>probe:{value}</p>"


def test_a_rendering_that_reads_a_personal_input_is_never_stored_or_public(world):
    url = world["article"].url
    with hooks.register_temporarily(newsdesk_hooks.SLOT_ARTICLE_AFTER_BODY, _probe_slot):
        theirs = Client().get(url, HTTP_X_NEWSDESK_PROBE="secret-7")
        assert "probe:secret-7" in theirs.content.decode()
        assert not shared_by_proxies(theirs) and status(theirs) == "bypass"
        anonymous = Client().get(url)
        assert status(anonymous) == "miss" and "secret-7" not in anonymous.content.decode()
        assert status(Client().get(url)) == "hit"


# --- Vary ----------------------------------------------------------------------------------
def _varies_on_language(page, request, serve_args, serve_kwargs):
    """A page in the reader's language (as a translated site might serve), saying so."""
    response = HttpResponse(f"<p>{page.title}</p><!-- {request.headers['Accept-Language']} -->")
    patch_vary_headers(response, ["Accept-Language"])
    return response


def test_a_page_that_varies_on_a_header_outside_the_key_is_not_stored(world):
    url = world["article"].url
    with hooks.register_temporarily("before_serve_page", _varies_on_language):
        first = Client().get(url, HTTP_ACCEPT_LANGUAGE="fr")
        assert "<!-- fr -->" in first.content.decode()
        second = Client().get(url, HTTP_ACCEPT_LANGUAGE="de")
        assert "<!-- de -->" in second.content.decode() and status(second) != "hit"
        assert not shared_by_proxies(second)


# --- query strings ---------------------------------------------------------------------------
def test_a_junk_query_is_rendered_for_its_sender_and_never_stored(world):
    url = world["article"].url
    for n in range(3):
        junk = Client().get(f"{url}?nonce={n}")
        assert junk.status_code == 200 and status(junk) == "bypass"
        assert not shared_by_proxies(junk)
    # Nothing was stored for the clean address either.
    assert status(Client().get(url)) == "miss"


def test_tracking_parameters_share_the_clean_copy_and_are_not_shown(world):
    url = world["article"].url
    first = Client().get(f"{url}?utm_source=newsletter&fbclid=click-4242")
    assert status(first) == "miss" and "click-4242" not in first.content.decode()
    clean = Client().get(url)
    assert status(clean) == "hit" and "utm_source" not in clean.content.decode()
    assert status(Client().get(f"{url}?fbclid=another-click")) == "hit"


def test_parameters_of_the_page_are_keyed_whatever_their_order(world):
    url = world["article"].url
    assert status(Client().get(f"{url}?sort=newest&cpage=1")) == "miss"
    assert status(Client().get(f"{url}?cpage=1&sort=newest")) == "hit"
    assert status(Client().get(f"{url}?sort=oldest")) == "miss"


@pytest.mark.parametrize(
    "query",
    [
        "sort=sideways",  # not one of the page's sorts
        "cpage=123456",  # past the pages the cache keeps apart
        "cpage=007",  # another spelling of page 7
        "sort=newest&sort=oldest",  # twice
        "page=2&sort=newest&x=1",  # a parameter the page does not read
    ],
)
def test_a_parameter_value_outside_its_pattern_is_not_a_key(world, query):
    url = f"{world['article'].url}?{query}"
    for _ in range(2):
        answer = Client().get(url)
        assert answer.status_code == 200 and status(answer) == "bypass"


def test_a_parameter_of_another_page_is_not_a_key(world):
    url = "/tags/marshes/?sort=newest"
    assert status(Client().get(url)) == "bypass"
    assert status(Client().get("/tags/marshes/?page=1")) == "miss"
    assert status(Client().get("/tags/marshes/?page=1")) == "hit"


# --- nginx in front ------------------------------------------------------------------------
def test_the_nginx_sample_skips_its_cache_for_every_personal_header():
    from pathlib import Path

    from newsdesk.pagecache import registry

    text = (Path(settings.BASE_DIR) / "deploy" / "nginx" / "newsdesk.conf").read_text()
    for header in registry.personal_headers():
        variable = "$http_" + header.lower().replace("-", "_")
        assert variable in text, f"nginx must skip its cache when {header} is sent"
