"""Imports of the shared real exports: counts, nesting, idempotence, strict parsing."""

import json

import pytest
from django.core.management import CommandError, call_command

from newsdesk.discussion.models import Comment, CommentStatus, Thread
from tests.support.factories import make_article, make_outlet
from tests.support.fixtures import shared_fixture

pytestmark = pytest.mark.django_db


def _import(command: str, path) -> str:
    from io import StringIO

    out = StringIO()
    call_command(command, str(path), stdout=out)
    return out.getvalue()


def _chain_depth(comment: Comment) -> int:
    depth = 1
    while comment.parent_id:
        comment = comment.parent
        depth += 1
    return depth


def test_isso_disqus_export_twice(article):
    path = shared_fixture("disqus/isso-disqus.xml")
    first = _import("import_disqus", path)
    assert "comments created: 5" in first and "orphan posts" in first
    # 3 threads in the file; 2 have comments (dsq:id 2 and 7), the orphan post 6 is left out.
    assert Thread.objects.count() == 2
    comments = {c.source_id: c for c in Comment.objects.filter(source="disqus")}
    assert set(comments) == {"4", "5", "8", "9", "11"}
    assert comments["5"].parent_id == comments["4"].pk and comments["5"].depth == 2
    assert comments["9"].status == CommentStatus.DELETED
    assert comments["11"].parent_id == comments["9"].pk
    assert comments["4"].author_name == "peter"
    assert comments["5"].created_at.isoformat() == "2013-10-11T06:51:33+00:00"
    assert comments["8"].thread.url == "http://localhost:4000/blog/2013/02/12/redacted/index.html"

    second = _import("import_disqus", path)
    assert "comments created: 0" in second and "comments already imported: 5" in second
    assert Comment.objects.count() == 5 and Thread.objects.count() == 2


def test_malformed_remark42_export_is_refused_whole():
    path = shared_fixture("disqus/remark42-disqus.xml")
    with pytest.raises(CommandError, match="not well-formed XML"):
        _import("import_disqus", path)
    assert not Comment.objects.exists() and not Thread.objects.exists()


def test_entity_declarations_are_refused(tmp_path):
    bomb = tmp_path / "bomb.xml"
    bomb.write_text(
        '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaa">'
        '<!ENTITY b "&a;&a;&a;&a;&a;&a;">]><disqus>&b;</disqus>'
    )
    with pytest.raises(CommandError, match="DTD or entities"):
        _import("import_disqus", bomb)


def test_wordpress_theme_unit_test_export_twice():
    path = shared_fixture("wordpress/themeunittestdata.wordpress.xml")
    report = _import("import_wordpress", path)
    # 33 comments: 2 pingbacks and 2 trackbacks are not reader comments.
    assert "comments created: 29" in report
    assert "pingbacks: 2" in report and "trackbacks: 2" in report
    comments = Comment.objects.filter(source="wordpress")
    assert comments.count() == 29
    assert comments.filter(status=CommentStatus.HELD).count() == 3  # the unapproved ones
    template = Thread.objects.get(title="Template: Comments")
    assert template.comments.count() == 20
    deepest = Comment.objects.get(source_id__endswith=":915")
    assert deepest.depth == 10 and _chain_depth(deepest) == 10
    assert [
        c.source_id.split(":")[1] for c in [deepest, deepest.parent, deepest.parent.parent]
    ] == ["915", "914", "913"]
    assert Comment.objects.get(source_id__endswith=":1015").status == CommentStatus.HELD
    assert Comment.objects.filter(guest_name__contains="Γιάννης").exists()
    page_with_comments = Thread.objects.get(title="Page with comments")
    assert page_with_comments.comments.count() == 4
    assert max(page_with_comments.comments.values_list("depth", flat=True)) == 2

    again = _import("import_wordpress", path)
    assert "comments created: 0" in again
    assert Comment.objects.count() == 29


def test_isso_wordpress_wxr_1_0_with_reused_ids_twice():
    path = shared_fixture("wordpress/isso-wordpress.xml")
    _import("import_wordpress", path)
    hello = Thread.objects.get(title="Hello, World…")
    by_id = {c.source_id.split(":")[1]: c for c in hello.comments.all()}
    assert set(by_id) == {"2", "6", "7", "8", "9", "10", "11"}
    assert by_id["7"].parent_id == by_id["6"].pk
    assert by_id["8"].parent_id == by_id["7"].pk and by_id["9"].depth == 3
    assert "\n" not in by_id["2"].guest_email and by_id["2"].guest_email
    assert Comment.objects.count() == 8  # comment id 11 reused by the ?p=4 post
    _import("import_wordpress", path)
    assert Comment.objects.count() == 8


def test_block_test_data_and_a_thread_matched_to_an_article(article):
    path = shared_fixture("wordpress/64-block-test-data.xml")
    _import("import_wordpress", path)
    thread = Thread.objects.get()
    assert thread.comments.count() == 2
    assert sorted(thread.comments.values_list("depth", flat=True)) == [1, 2]

    # A thread whose link is a republished article's original address lands on the article.
    story = make_article(
        section=article.get_parent().specific,
        title="Matched",
        outlet=make_outlet(),
        original_url="http://example.org/",
    )
    _import("import_disqus", shared_fixture("disqus/isso-disqus.xml"))
    matched = Thread.objects.get(source="disqus", source_id="2")
    assert matched.article_id == story.pk


def test_imported_html_is_sanitized_and_shown_on_the_article(client, article):
    story = make_article(
        section=article.get_parent().specific,
        outlet=make_outlet(),
        original_url="http://example.org/",
    )
    _import("import_disqus", shared_fixture("disqus/isso-disqus.xml"))
    page = client.get(story.url).content.decode()
    assert "Hello, World." in page and "This comment was deleted." in page


def test_export_command_writes_the_tree_as_json(tmp_path):
    _import("import_disqus", shared_fixture("disqus/isso-disqus.xml"))
    out = tmp_path / "comments.json"
    call_command("export_comments", "--output", str(out))
    data = json.loads(out.read_text())
    comments = [c for t in data["threads"] for c in t["comments"]]
    assert len(comments) == 5
    assert "foo@bar.com" not in out.read_text()
    by_source = {c["source_id"]: c for c in comments}
    assert by_source["5"]["parent_id"] == by_source["4"]["id"]


def test_an_import_outdates_the_cached_page_of_an_article_it_adds_comments_to(
    client, article, settings, django_capture_on_commit_callbacks
):
    settings.PAGECACHE_CLOCK_MARGIN = 0  # one process renders and imports
    story = make_article(
        section=article.get_parent().specific,
        outlet=make_outlet(),
        original_url="http://example.org/",
    )
    client.get(story.url)
    assert client.get(story.url)["X-Page-Cache"] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        _import("import_disqus", shared_fixture("disqus/isso-disqus.xml"))
    response = client.get(story.url)
    assert response["X-Page-Cache"] != "hit"
    assert "Hello, World." in response.content.decode()
