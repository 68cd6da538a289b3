"""Comment counts for other pages and sites: the count API (``/api/comment-counts``), the
front page's "Most discussed", the counts on the cards of the front, section and tag pages,
and the demo's threads showing up in "Most discussed"."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.cache import cache
from django.utils import timezone
from wagtail.models import PageViewRestriction

from newsdesk.core.processcache import process_caches_clear
from newsdesk.demo import discussion as demo_discussion
from newsdesk.discussion.models import Comment, CommentStatus
from newsdesk.discussion.selectors_counts import most_discussed
from newsdesk.discussion.tests.helpers import guest, post
from tests.support.factories import make_article

pytestmark = pytest.mark.django_db

URL = "/api/comment-counts"


def _comments(article, count: int, *, days_ago: float = 0) -> list[Comment]:
    comments = [post(article, guest(), f"Comment {i} on {article.title}.") for i in range(count)]
    if days_ago:
        when = timezone.now() - timedelta(days=days_ago)
        Comment.objects.filter(pk__in=[c.pk for c in comments]).update(created_at=when)
    return comments


@pytest.fixture
def articles(article):
    """Three live articles of one section: 3, 1 and 0 published comments, and a held one."""
    section = article.get_parent().specific
    quiet = make_article(section=section, title="A quiet story")
    empty = make_article(section=section, title="An empty story")
    _comments(article, 3)
    held = _comments(quiet, 2)[1]
    Comment.objects.filter(pk=held.pk).update(status=CommentStatus.HELD)
    return article, quiet, empty


# --- the API -----------------------------------------------------------------------------------
def test_the_api_counts_published_comments_of_each_live_article_in_one_query(
    client, articles, django_assert_num_queries
):
    busy, quiet, empty = articles
    ids = f"{busy.pk},{quiet.pk},{empty.pk},{busy.pk}"
    cache.clear()
    process_caches_clear()
    client.get(URL, {"articles": ids})  # one-off reads of the site's frame are not the API's
    with django_assert_num_queries(1):
        response = client.get(URL, {"articles": ids})
    assert response.status_code == 200
    assert response.json() == {"counts": {str(busy.pk): 3, str(quiet.pk): 1, str(empty.pk): 0}}
    assert response["Cache-Control"] == "public, max-age=60"


def test_unknown_unpublished_and_restricted_articles_are_absent(client, articles):
    busy, quiet, _ = articles
    draft = make_article(section=busy.get_parent().specific, title="Not out", publish=False)
    _comments(draft, 1)
    PageViewRestriction.objects.create(page=quiet, restriction_type=PageViewRestriction.LOGIN)
    response = client.get(URL, {"articles": f"{busy.pk}, {quiet.pk},{draft.pk},999999"})
    assert response.status_code == 200
    assert response.json() == {"counts": {str(busy.pk): 3}}


@pytest.mark.parametrize(
    "value",
    ["", "1,a", "1;2", "1,,2", "-1", "1.5", "\u0661", ",".join(str(n) for n in range(1, 102))],
)
def test_bad_article_lists_are_a_clear_400_and_change_nothing(client, articles, value):
    before = Comment.objects.count()
    response = client.get(URL, {"articles": value})
    assert response.status_code == 400
    body = response.json()
    assert body["field"] == "articles"
    assert "articles" in body["detail"].lower()
    assert Comment.objects.count() == before


def test_a_missing_list_is_a_400_and_a_hundred_ids_are_taken(client, articles):
    assert client.get(URL).status_code == 400
    busy = articles[0]
    hundred = [busy.pk, *range(10**6, 10**6 + 99)]
    response = client.get(URL, {"articles": ",".join(map(str, hundred))})
    assert response.status_code == 200
    assert response.json() == {"counts": {str(busy.pk): 3}}
    # An id past the database's integer range names no article.
    response = client.get(URL, {"articles": f"{busy.pk},{10**30}"})
    assert response.json() == {"counts": {str(busy.pk): 3}}


# --- most discussed ----------------------------------------------------------------------------
def test_most_discussed_orders_by_this_weeks_published_comments(
    articles, django_assert_num_queries
):
    busy, quiet, empty = articles
    # Many comments, all older than the week: they do not count.
    _comments(empty, 5, days_ago=8)
    _comments(quiet, 3, days_ago=6)  # inside the week: quiet has 4 published now
    with django_assert_num_queries(1):
        listed = most_discussed()
    assert [(item.article.pk, item.recent_comments) for item in listed] == [
        (quiet.pk, 4),
        (busy.pk, 3),
    ]
    assert [item.article.pk for item in most_discussed(size=1)] == [quiet.pk]
    assert most_discussed(days=10)[0].article.pk == empty.pk


def test_most_discussed_leaves_out_restricted_and_unpublished_articles(articles):
    busy, quiet, _ = articles
    PageViewRestriction.objects.create(page=busy, restriction_type=PageViewRestriction.LOGIN)
    quiet.unpublish()
    assert most_discussed() == []


def test_the_front_page_shows_most_discussed_and_is_outdated_by_a_comment_on_a_listed_article(
    client, articles, settings, django_capture_on_commit_callbacks
):
    settings.PAGECACHE_CLOCK_MARGIN = 0  # one process renders and changes
    busy, quiet, empty = articles
    page = client.get("/").content.decode()
    part = page.split('data-part="most-discussed"', 1)[1].split("</section>", 1)[0]
    assert "Most discussed" in part
    assert part.index(busy.title) < part.index(quiet.title)
    assert "3 comments this week" in part and "1 comment this week" in part
    assert empty.title not in part
    assert client.get("/")["X-Page-Cache"] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        _comments(quiet, 3)
    response = client.get("/")
    assert response["X-Page-Cache"] != "hit"
    part = response.content.decode().split('data-part="most-discussed"', 1)[1]
    assert part.index(quiet.title) < part.index(busy.title)


def test_the_front_page_has_no_most_discussed_without_recent_comments(client, article):
    _comments(article, 2, days_ago=9)
    assert 'data-part="most-discussed"' not in client.get("/").content.decode()


# --- the counts on listing cards ---------------------------------------------------------------
def test_cards_on_the_front_section_and_tag_pages_show_comment_counts(client, article):
    tagged = make_article(
        section=article.get_parent().specific, title="Tagged story", tags=["drought"]
    )
    _comments(tagged, 2)
    for address in ("/", tagged.get_parent().url, "/tags/drought/"):
        page = client.get(address).content.decode()
        card = page.split(f'data-article-id="{tagged.pk}"', 1)[1].split("</article>", 1)[0]
        assert ">2 comments</a>" in card, address


# --- the demo ----------------------------------------------------------------------------------
def test_the_demo_thread_shows_in_most_discussed_on_the_front_page(client, article):
    lead = make_article(section=article.get_parent().specific, title="The newest story")
    demo_discussion.load(stdout=StringIO())
    page = client.get("/").content.decode()
    part = page.split('data-part="most-discussed"', 1)[1].split("</section>", 1)[0]
    assert lead.title in part
