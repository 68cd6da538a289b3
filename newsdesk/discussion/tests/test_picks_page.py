"""The site's page of recent editors' picks (``/discussion/picks/``): public, paginated, a
fixed number of queries whatever the number of picks, cached by the page cache and outdated
when a pick changes or a picked comment stops being published."""

import pytest
from django.core.cache import cache

from newsdesk.core.processcache import process_caches_clear
from newsdesk.discussion.models import CommentStatus
from newsdesk.discussion.selectors_picks import SITE_PICKS_PAGE_SIZE
from newsdesk.discussion.services import comment_status_set
from newsdesk.discussion.services.picks import comment_pick_set
from newsdesk.discussion.tests.helpers import guest, post
from newsdesk.discussion.tests.test_picks import moderator
from tests.support.factories import make_article

pytestmark = pytest.mark.django_db

URL = "/discussion/picks/"
# The whole page on a cache miss: the frame (site, menus, footer, campaign bar) and the
# picks: the view restrictions Wagtail's public() reads, the picks in one query, and the
# listing hook (comment counts of their articles, in one query); the footer's newsletter
# sign-up box reads the public lists once into the shared cache.
PICKS_PAGE_QUERIES = 13


def _picks(article, editor, count: int, start: int = 0) -> list:
    comments = [post(article, guest(), f"Pick number {start + i}.") for i in range(count)]
    for comment in comments:
        comment_pick_set(comment_id=comment.pk, actor=editor)
    return comments


def _queries(client, django_assert_max_num_queries):
    cache.clear()
    process_caches_clear()
    with django_assert_max_num_queries(PICKS_PAGE_QUERIES, info="picks page"):
        response = client.get(URL)
    assert response.status_code == 200
    return response


def test_the_page_lists_recent_picks_newest_first_with_their_articles(client, article):
    editor = moderator()
    other = make_article(section=article.get_parent().specific, title="Another story here")
    older = _picks(article, editor, 1)[0]
    newer = _picks(other, editor, 1, start=1)[0]
    post(article, guest(), "Not picked at all.")
    html = client.get(URL).content.decode()
    assert html.index("Pick number 1.") < html.index("Pick number 0.")
    assert "Not picked at all." not in html
    assert "Another story here" in html and article.title in html
    assert "Editors\u2019 pick · picked by Mira Desk" in html
    assert f'id="c{older.pk}"' in html and f'id="c{newer.pk}"' in html


def test_the_page_costs_the_same_queries_with_two_picks_or_forty(
    client, article, settings, django_assert_max_num_queries
):
    settings.PAGECACHE_ENABLED = False
    editor = moderator()
    _picks(article, editor, 2)
    _queries(client, django_assert_max_num_queries)
    _picks(article, editor, 40, start=2)
    response = _queries(client, django_assert_max_num_queries)
    assert response.content.decode().count('data-picked="1"') == SITE_PICKS_PAGE_SIZE
    second = client.get(URL + "?page=2").content.decode()
    assert second.count('data-picked="1"') == SITE_PICKS_PAGE_SIZE
    assert "Newer picks" in second and "Older picks" in second


def test_a_page_number_that_is_not_one_is_not_found_and_changes_nothing(client, article):
    _picks(article, moderator(), 1)
    for bad in ("abc", "0", "-1", "10000", "1e3", "99999999999999999999"):
        assert client.get(URL, {"page": bad}).status_code == 404, bad
    assert client.get(URL, {"page": "7"}).status_code == 200  # past the end: empty


def test_the_page_is_cached_and_outdated_by_a_pick_and_by_a_removal(
    client, article, settings, django_capture_on_commit_callbacks
):
    settings.PAGECACHE_CLOCK_MARGIN = 0  # one process renders and changes
    editor = moderator()
    first = _picks(article, editor, 1)[0]
    # An article the page does not show yet: only the pick itself can outdate the page.
    other = make_article(section=article.get_parent().specific, title="A quieter story")
    client.get(URL)
    assert client.get(URL)["X-Page-Cache"] == "hit"
    second = post(other, guest(), "A new pick arrives.")
    with django_capture_on_commit_callbacks(execute=True):
        comment_pick_set(comment_id=second.pk, actor=editor)
    response = client.get(URL)
    assert response["X-Page-Cache"] != "hit"
    assert "A new pick arrives." in response.content.decode()
    assert client.get(URL)["X-Page-Cache"] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        comment_status_set(comment=first, status=CommentStatus.REJECTED)
    response = client.get(URL)
    assert response["X-Page-Cache"] != "hit"
    assert "Pick number 0." not in response.content.decode()


def test_every_page_links_to_the_picks_from_its_footer(client, article):
    assert f'href="{URL}"' in client.get("/").content.decode()
