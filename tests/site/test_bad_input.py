"""Bad bodies: whatever a client sends, a 4xx with a clear message and nothing written.

Oversized bodies, invalid UTF-8, deeply nested JSON, wrong content types, huge multipart
uploads and very deep reply chains. The API answers ``{"detail": ...}``; pages answer with
a page that says what was wrong. Rows are counted before and after every refusal.
"""

import json
import re
import socket
from io import StringIO
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client

from newsdesk.discussion import conf as discussion_conf
from newsdesk.discussion.models import Comment, Thread
from newsdesk.discussion.readers import Reader, guest_key_new
from newsdesk.discussion.services import CommentDraft, comment_create
from newsdesk.funding.models import Donation
from newsdesk.moderation.models import Report

pytestmark = pytest.mark.django_db
JSON_ACCEPT = {"HTTP_ACCEPT": "application/json"}
LIMIT = settings.DATA_UPLOAD_MAX_MEMORY_SIZE


def _rows() -> tuple[int, int, int, int]:
    return (
        Comment.objects.count(),
        Thread.objects.count(),
        Report.objects.count(),
        Donation.objects.count(),
    )


def _api_post(client: Client, url: str, body: bytes, content_type="application/json", **extra):
    return client.generic("POST", url, body, content_type=content_type, **extra)


def _assert_json_refusal(response, *statuses: int) -> str:
    assert response.status_code in (statuses or (400,)), (response.status_code, response.content)
    assert response["Content-Type"].startswith("application/json")
    detail = response.json()["detail"]
    assert detail, response.content
    return detail if isinstance(detail, str) else json.dumps(detail)


def _guest_comment(article, body="A first comment.", *, parent=None) -> Comment:
    reader = Reader(guest_key=guest_key_new(), ip_address="192.0.2.30")
    draft = CommentDraft(body=body, guest_name="Guest", parent_id=parent.pk if parent else None)
    return comment_create(article=article, reader=reader, draft=draft)


# --- oversized bodies -------------------------------------------------------------------------
def test_api_body_over_the_upload_limit_is_a_json_400(client, article):
    before = _rows()
    body = json.dumps({"body": "x" * (LIMIT + 10), "name": "Big"}).encode()
    response = _api_post(client, f"/api/threads/{article.pk}/comments", body)
    detail = _assert_json_refusal(response, 400)
    assert "too large" in detail.lower()
    assert _rows() == before


def test_api_body_over_the_comment_length_is_a_json_400(client, article):
    before = _rows()
    body = {"body": "y" * (discussion_conf.DISCUSSION_BODY_MAX_CHARS + 1), "name": "Long"}
    response = _api_post(client, f"/api/threads/{article.pk}/comments", json.dumps(body).encode())
    detail = _assert_json_refusal(response, 400)
    assert "at most" in detail
    assert _rows() == before


def test_form_body_over_the_upload_limit_is_a_400_page(client, article):
    before = _rows()
    response = client.post(
        f"/discussion/articles/{article.pk}/comments/",
        {"body": "z" * (LIMIT + 10), "name": "Big"},
    )
    assert response.status_code == 400
    assert b"too large" in response.content.lower()
    assert _rows() == before


def test_form_body_over_the_comment_length_is_a_form_error(client, article):
    before = _rows()
    response = client.post(
        f"/discussion/articles/{article.pk}/comments/",
        {"body": "w" * (discussion_conf.DISCUSSION_BODY_MAX_CHARS + 1), "name": "Long"},
    )
    assert response.status_code == 400
    assert b"at most" in response.content
    assert _rows() == before


# --- invalid UTF-8 ----------------------------------------------------------------------------
def test_invalid_utf8_in_a_json_body_is_a_json_400(client, article):
    before = _rows()
    body = b'{"body": "caf\xe9 \xff\xfe", "name": "Bytes"}'
    response = _api_post(client, f"/api/threads/{article.pk}/comments", body)
    _assert_json_refusal(response, 400)
    assert _rows() == before


def test_lone_surrogates_escaped_in_json_are_refused(client, article):
    before = _rows()
    for payload in (
        b'{"body": "half a pair \\ud800 here", "name": "Esc"}',
        b'{"body": "fine", "name": "Half \\udfff"}',
        b'{"body": "fine", "name": "Mail", "email": "a\\ud800@example.org"}',
    ):
        response = _api_post(client, f"/api/threads/{article.pk}/comments", payload)
        _assert_json_refusal(response, 400)
    assert _rows() == before


def test_nul_characters_are_refused_through_the_api(client, article):
    before = _rows()
    payload = json.dumps({"body": "before\x00after", "name": "Nul"}).encode()
    response = _api_post(client, f"/api/threads/{article.pk}/comments", payload)
    _assert_json_refusal(response, 400)
    assert _rows() == before


def test_invalid_utf8_in_form_fields_is_a_form_error(client, article):
    before = _rows()
    body = b"body=caf%E9+%FF%FE&name=Bytes%FF"
    response = client.generic(
        "POST",
        f"/discussion/articles/{article.pk}/comments/",
        body,
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 400
    assert b"UTF-8" in response.content
    assert _rows() == before


def test_invalid_utf8_in_a_report_form_is_refused(client, article):
    comment = _guest_comment(article)
    before = _rows()
    response = client.generic(
        "POST",
        f"/moderation/comments/{comment.pk}/report/",
        b"reason=other&text=%FF%FE%FD",
        content_type="application/x-www-form-urlencoded",
        **JSON_ACCEPT,
    )
    _assert_json_refusal(response, 400)
    assert _rows() == before


@pytest.mark.parametrize("query", ["sort=%FF%FE", "page=%FF", "page=1%C0%AF", "%FF=%FF"])
def test_invalid_utf8_in_api_query_strings_is_a_4xx(client, article, query):
    response = client.get(f"/api/threads/{article.pk}", QUERY_STRING=query)
    assert response.status_code in (200, 400, 422), response.content
    assert response["Content-Type"].startswith("application/json")
    if response.status_code != 200:
        assert response.json()["detail"]


@pytest.mark.parametrize("query", ["cpage=%FF", "sort=%FF%FE", "q=%C0%AF"])
def test_invalid_utf8_in_page_query_strings_is_not_a_500(client, article, query):
    response = client.get(article.url, QUERY_STRING=query)
    assert response.status_code in (200, 400), response.status_code


# --- deeply nested JSON, wrong content types --------------------------------------------------
def test_deeply_nested_json_is_a_json_400(client, article):
    before = _rows()
    for body in (b"[" * 100_000, b"[" * 100_000 + b"]" * 100_000, b'{"a":' * 50_000):
        response = _api_post(client, f"/api/threads/{article.pk}/comments", body)
        _assert_json_refusal(response, 400)
    nested_body = '{"body": ' + "[" * 10_000 + "]" * 10_000 + ', "name": "Deep"}'
    response = _api_post(client, f"/api/threads/{article.pk}/comments", nested_body.encode())
    _assert_json_refusal(response, 400, 422)
    assert _rows() == before


@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        ("application/x-www-form-urlencoded", b"body=Hello&name=Form"),
        ("text/plain", b"Hello there"),
        ("multipart/form-data; boundary=xyz", b"--xyz\r\nnot really\r\n--xyz--\r\n"),
        ("application/json", b""),
        ("application/json", b"null"),
        ("application/json", b'"just a string"'),
        ("application/json", b"[1, 2, 3]"),
        ("application/json", b'{"body": 12, "name": ["a"]}'),
    ],
)
def test_wrong_content_types_and_shapes_on_the_api_are_4xx(client, article, content_type, body):
    before = _rows()
    response = _api_post(client, f"/api/threads/{article.pk}/comments", body, content_type)
    _assert_json_refusal(response, 400, 422)
    assert _rows() == before


def _assert_page_refusal(response, *statuses: int) -> str:
    """A form view's refusal: a page (never JSON; the script writes through the API) that
    says what is wrong."""
    assert response.status_code in (statuses or (400,)), (response.status_code, response.content)
    assert response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    message = re.search(r'class="(?:comment-form|discussion)__error[^"]*"[^>]*>([^<]+)<', page)
    assert message and message.group(1).strip(), page[:500]
    return message.group(1)


def test_json_sent_to_the_comment_form_is_a_form_error(client, article):
    before = _rows()
    response = _api_post(
        client,
        f"/discussion/articles/{article.pk}/comments/",
        json.dumps({"body": "Hi", "name": "J"}).encode(),
        **JSON_ACCEPT,
    )
    _assert_page_refusal(response, 400)
    assert _rows() == before


# --- multipart uploads ------------------------------------------------------------------------
def _multipart(parts: list[tuple[str, str | None, bytes]], boundary="newsdeskboundary") -> bytes:
    out = []
    for name, filename, content in parts:
        disposition = f'form-data; name="{name}"'
        headers = f"Content-Disposition: {disposition}"
        if filename:
            headers = (
                f'Content-Disposition: {disposition}; filename="{filename}"\r\n'
                "Content-Type: image/jpeg"
            )
        out.append(f"--{boundary}\r\n{headers}\r\n\r\n".encode() + content + b"\r\n")
    out.append(f"--{boundary}--\r\n".encode())
    return b"".join(out)


def _post_multipart(client, url, parts, **extra):
    return client.generic(
        "POST",
        url,
        _multipart(parts),
        content_type="multipart/form-data; boundary=newsdeskboundary",
        **extra,
    )


def test_an_image_far_over_the_limit_is_a_form_error(client, article):
    before = _rows()
    huge = b"\xff\xd8\xff\xe0" + b"\0" * (discussion_conf.DISCUSSION_IMAGE_MAX_BYTES * 3)
    parts = [("body", None, b"With a big picture"), ("name", None, b"Big")]
    parts.append(("image", "b.jpg", huge))
    response = _post_multipart(
        client, f"/discussion/articles/{article.pk}/comments/", parts, **JSON_ACCEPT
    )
    detail = _assert_page_refusal(response, 400)
    assert "picture" in detail.lower() or "image" in detail.lower()
    # The page's script sends the same form to the API: refused too, before it is read.
    script = _post_multipart(client, f"/api/threads/{article.pk}/comments", parts, **JSON_ACCEPT)
    _assert_json_refusal(script, 400)
    assert _rows() == before


def test_many_files_are_refused(client, article):
    before = _rows()
    parts = [("body", None, b"Files"), ("name", None, b"Many")]
    parts += [("image", f"f{i}.jpg", b"\xff\xd8\xff") for i in range(150)]
    response = _post_multipart(
        client, f"/discussion/articles/{article.pk}/comments/", parts, **JSON_ACCEPT
    )
    detail = _assert_json_refusal(response, 400)
    assert "files" in detail.lower()
    assert _rows() == before


def test_many_fields_are_refused(client, article):
    before = _rows()
    parts = [("body", None, b"Fields"), ("name", None, b"Many")]
    parts += [(f"f{i}", None, b"x") for i in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 50)]
    multipart = _post_multipart(client, f"/discussion/articles/{article.pk}/comments/", parts)
    assert multipart.status_code == 400 and b"fields" in multipart.content.lower()
    encoded = "&".join(f"f{i}=x" for i in range(5000)) + "&body=Hi&name=Many"
    form = client.generic(
        "POST",
        f"/discussion/articles/{article.pk}/comments/",
        encoded.encode(),
        content_type="application/x-www-form-urlencoded",
        **JSON_ACCEPT,
    )
    assert "fields" in _assert_json_refusal(form, 400).lower()
    assert _rows() == before


def test_a_huge_api_upload_is_refused_before_it_is_read(client, article):
    before = _rows()
    response = _post_multipart(
        client,
        f"/api/threads/{article.pk}/comments",
        [("body", None, b"x" * (LIMIT + 1)), ("name", None, b"Big")],
    )
    _assert_json_refusal(response, 400)
    assert _rows() == before


# --- very deep reply chains -------------------------------------------------------------------
CHAIN = 10_000


def _disqus_chain(article_url: str, depth: int) -> str:
    posts = "".join(
        f'<post dsq:id="p{i}"><thread dsq:id="t1"/>'
        + (f'<parent dsq:id="p{i - 1}"/>' if i else "")
        + f"<message>&lt;p&gt;Reply {i}&lt;/p&gt;</message>"
        f"<createdAt>2024-01-01T00:00:00Z</createdAt>"
        f"<author><name>Writer {i % 7}</name></author></post>"
        for i in range(depth)
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?>'
        '<disqus xmlns:dsq="http://disqus.com/disqus-internals">'
        f'<thread dsq:id="t1"><link>{article_url}</link><title>Deep</title></thread>'
        f"{posts}</disqus>"
    )


def _wordpress_chain(article_url: str, depth: int) -> str:
    comments = "".join(
        "<wp:comment>"
        f"<wp:comment_id>{i + 1}</wp:comment_id>"
        f"<wp:comment_parent>{i}</wp:comment_parent>"
        f"<wp:comment_author>Writer {i % 5}</wp:comment_author>"
        "<wp:comment_date_gmt>2024-01-01 00:00:00</wp:comment_date_gmt>"
        f"<wp:comment_content>Reply {i}</wp:comment_content>"
        "<wp:comment_approved>1</wp:comment_approved>"
        "</wp:comment>"
        for i in range(depth)
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?>'
        '<rss version="2.0" xmlns:wp="http://wordpress.org/export/1.2/"><channel>'
        f"<item><title>Deep</title><link>{article_url}</link><wp:post_id>77</wp:post_id>"
        f"{comments}</item></channel></rss>"
    )


def _import_and_render(client, article, *, command: str, document: str, depth: int, tmp_path):
    """Import a one-branch chain ``depth`` levels deep, then render its thread as a page and
    as JSON: nesting stops at the configured depth, the rest is flattened, nothing recurses
    per level."""
    path = tmp_path / "deep.xml"
    path.write_text(document, encoding="utf-8")
    call_command(command, str(path), stdout=StringIO())
    comments = Comment.objects.filter(thread__article=article)
    assert comments.count() == depth
    assert comments.order_by("-depth").first().depth == depth

    page = client.get(article.url)
    assert page.status_code == 200
    html = page.content.decode()
    assert re.search(r"Reply 0\b", html) and re.search(rf"Reply {depth - 1}\b", html)
    api = client.get(f"/api/threads/{article.pk}")
    assert api.status_code == 200
    node, levels = api.json()["comments"][0], 1
    while node["replies"] and levels < discussion_conf.DISCUSSION_NEST_DEPTH:
        node, levels = node["replies"][0], levels + 1
    assert len(node["replies"]) == depth - discussion_conf.DISCUSSION_NEST_DEPTH
    assert node["replies"][-1]["in_reply_to"].startswith("Writer")


@pytest.mark.slow
def test_a_10000_level_disqus_chain_imports_and_renders_without_recursion(
    client, article, tmp_path
):
    _import_and_render(
        client,
        article,
        command="import_disqus",
        document=_disqus_chain(article.full_url, CHAIN),
        depth=CHAIN,
        tmp_path=tmp_path,
    )


def test_a_2000_level_wordpress_chain_imports_and_renders_without_recursion(
    client, article, tmp_path
):
    # Python's default recursion limit is 1,000: a renderer that recursed per level would fail.
    _import_and_render(
        client,
        article,
        command="import_wordpress",
        document=_wordpress_chain(article.full_url, 2_000),
        depth=2_000,
        tmp_path=tmp_path,
    )


def test_replies_past_the_nesting_depth_are_posted_and_shown_flat(client, article):
    parent = _guest_comment(article, "Level 1")
    levels = discussion_conf.DISCUSSION_NEST_DEPTH + 4
    for level in range(2, levels + 1):
        response = client.post(
            f"/discussion/articles/{article.pk}/comments/",
            {"body": f"Level {level}", "name": f"Replier {level}", "parent": parent.pk},
        )
        assert response.status_code == 303, response.content
        parent = Comment.objects.get(body_source=f"Level {level}")
        assert parent.depth == level
    page = client.get(article.url)
    assert page.status_code == 200
    for level in range(1, levels + 1):
        assert f"Level {level}" in page.content.decode()
    replies = client.get(f"/api/threads/{article.pk}").json()["comments"][0]
    for _ in range(discussion_conf.DISCUSSION_NEST_DEPTH - 1):
        replies = replies["replies"][0]
    assert [r["in_reply_to"] for r in replies["replies"]] == [
        f"Replier {level}" for level in range(discussion_conf.DISCUSSION_NEST_DEPTH, levels)
    ]


def test_a_reply_to_a_parent_at_the_depth_cap_keeps_the_cap(client, article):
    top = _guest_comment(article, "Top")
    Comment.objects.filter(pk=top.pk).update(depth=32_767)
    before = Comment.objects.count()
    response = client.post(
        f"/discussion/articles/{article.pk}/comments/",
        {"body": "Below the cap", "name": "Capped", "parent": top.pk},
    )
    assert response.status_code == 303
    assert Comment.objects.count() == before + 1
    assert Comment.objects.get(body_source="Below the cap").depth <= 32_767


def test_an_import_below_a_parent_at_the_depth_cap_keeps_the_cap(article, tmp_path):
    first = tmp_path / "first.xml"
    first.write_text(_disqus_chain(article.full_url, 1), encoding="utf-8")
    call_command("import_disqus", str(first), stdout=StringIO())
    Comment.objects.filter(source_id="p0").update(depth=32_767)
    second = tmp_path / "second.xml"
    second.write_text(_disqus_chain(article.full_url, 2), encoding="utf-8")
    call_command("import_disqus", str(second), stdout=StringIO())
    assert Comment.objects.get(source_id="p1").depth <= 32_767


# --- numbers no database holds ----------------------------------------------------------------
HUGE = "99999999999999999999"


@pytest.mark.parametrize(
    ("url", "statuses"),
    [
        ("/api/threads/{a}?page=" + HUGE, (200,)),
        ("/api/threads/{a}?page=9223372036854775807", (200,)),
        ("/api/threads/{a}?page=-" + HUGE, (200,)),
        ("/api/threads/" + HUGE, (404,)),
        ("/discussion/articles/{a}/more/?page=" + HUGE, (200,)),
        ("/discussion/articles/" + HUGE + "/more/", (404,)),
        ("/discussion/comments/" + HUGE + "/", (404,)),
        ("/discussion/comments/" + HUGE + "/reply/", (404,)),
        ("/moderation/comments/" + HUGE + "/report/", (404,)),
    ],
)
def test_ids_and_pages_no_database_holds_are_answered(client, article, url, statuses):
    _guest_comment(article)
    response = client.get(url.format(a=article.pk))
    assert response.status_code in statuses
    if url.startswith("/api/") and response.status_code == 200:
        data = response.json()
        # A page past the end is empty; a page below 1 is the first.
        assert data["comments"] == [] if "page=9" in url else len(data["comments"]) == 1


def test_posting_to_an_article_id_no_database_holds_is_a_404(client):
    before = _rows()
    api = _api_post(client, f"/api/threads/{HUGE}/comments", b'{"body": "Hi", "name": "N"}')
    assert "article" in _assert_json_refusal(api, 404)
    form = client.post(f"/discussion/articles/{HUGE}/comments/", {"body": "Hi", "name": "N"})
    assert form.status_code == 404
    assert _rows() == before


# --- over a socket, against gunicorn: what the test client cannot send ---------------------------
# (The served site is the session's ``running_site``, shared with the end-to-end tests.)
def _raw(site_url: str, request: bytes, *, body_chunks=()) -> tuple[int, bytes]:
    """Send ``request`` (and chunks, if any) over a socket; the status and the body."""
    host, port = urlsplit(site_url).hostname, urlsplit(site_url).port
    with socket.create_connection((host, port), timeout=60) as sock:
        sock.sendall(request)
        try:
            for chunk in body_chunks:
                sock.sendall(chunk)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server may answer and close before reading everything
        data = b""
        while True:
            try:
                part = sock.recv(65536)
            except ConnectionResetError:
                break
            if not part:
                break
            data += part
    head, _, body = data.partition(b"\r\n\r\n")
    return int(head.split(b" ", 2)[1]), body


def _site_rows(running_site) -> str:
    return (
        running_site.shell(
            "from newsdesk.discussion.models import Comment; print(Comment.objects.count())"
        )
        .strip()
        .splitlines()[-1]
    )


def _site_article_id(running_site) -> int:
    out = running_site.shell(
        "from newsdesk.articles.models import ArticlePage; "
        "print(ArticlePage.objects.live().public().first().pk)"
    )
    return int(out.strip().splitlines()[-1])


def test_raw_requests_to_the_served_site_get_a_4xx(running_site):
    article_id = _site_article_id(running_site)
    before = _site_rows(running_site)
    host = urlsplit(running_site.url).netloc.encode()
    post = f"POST /api/threads/{article_id}/comments HTTP/1.1\r\n".encode()

    # A chunked body (no Content-Length) past the limit. Django's WSGI handler reads no
    # body without a Content-Length, so nothing of it reaches memory: the API finds no
    # payload (422) and writes nothing.
    chunk = b"x" * 65536
    chunks = [b'{"name": "Chunky", "body": "']
    chunks += [chunk] * (LIMIT // len(chunk) + 2) + [b'"}']
    encoded = [f"{len(c):x}\r\n".encode() + c + b"\r\n" for c in chunks] + [b"0\r\n\r\n"]
    status, body = _raw(
        running_site.url,
        post + b"Host: " + host + b"\r\nContent-Type: application/json\r\n"
        b"X-Guest-Token: raw-socket-guest\r\nTransfer-Encoding: chunked\r\n"
        b"Connection: close\r\n\r\n",
        body_chunks=encoded,
    )
    assert status in (400, 422), (status, body[:300])
    assert json.loads(body)["detail"]

    # A Content-Length of 10 GB: refused before anything is read.
    status, body = _raw(
        running_site.url,
        post + b"Host: " + host + b"\r\nContent-Type: application/json\r\n"
        b"Content-Length: 10000000000\r\nConnection: close\r\n\r\n{}",
    )
    assert status == 400 and b"too large" in body.lower(), (status, body[:300])

    # Raw bytes that are not UTF-8 in the query string and in a form body.
    status, body = _raw(
        running_site.url,
        f"GET /api/threads/{article_id}?sort=\xff\xfe HTTP/1.1\r\n".encode("latin-1")
        + b"Host: "
        + host
        + b"\r\nConnection: close\r\n\r\n",
    )
    assert status == 400 and b"UTF-8" in body, (status, body[:300])
    form = b"body=caf\xe9&name=Raw"
    status, body = _raw(
        running_site.url,
        f"POST /discussion/articles/{article_id}/comments/ HTTP/1.1\r\n".encode()
        + b"Host: "
        + host
        + b"\r\nContent-Type: application/x-www-form-urlencoded\r\n"
        + f"Content-Length: {len(form)}\r\n".encode()
        + b"Accept: application/json\r\nConnection: close\r\n\r\n"
        + form,
    )
    assert 400 <= status < 500, (status, body[:300])
    assert _site_rows(running_site) == before
