"""The page cache through real HTTP (Django's test client), the real cache and real services:
hits cost no query, each change outdates exactly the pages that show it, every anonymous
visitor gets the same bytes (no CSRF token: ``/csrf/`` gives one) with the moving campaign bar
drawn in."""

import re
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from wagtail import hooks

from newsdesk.core import hooks as newsdesk_hooks
from newsdesk.discussion import conf as discussion_conf
from newsdesk.discussion.pipeline import Assessment, Verdict
from newsdesk.discussion.tests.helpers import guest, post
from newsdesk.funding.services.ledger import donation_record
from newsdesk.funding.tests.helpers import make_campaign
from tests.support.factories import make_article

pytestmark = pytest.mark.django_db
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([A-Za-z0-9]+)"')


@pytest.fixture(autouse=True)
def _one_machine(settings):
    # One process renders and invalidates: no clock margin is needed between them.
    settings.PAGECACHE_CLOCK_MARGIN = 0


def status(response) -> str:
    return response["X-Page-Cache"]


def test_second_anonymous_view_is_served_from_the_cache_without_queries(
    client, article, django_assert_num_queries
):
    first = client.get(article.url)
    assert first.status_code == 200 and status(first) == "miss"
    with django_assert_num_queries(0):
        second = client.get(article.url)
    assert status(second) == "hit"
    assert TOKEN.sub("", second.content.decode()) == TOKEN.sub("", first.content.decode())
    assert article.title in second.content.decode()


def test_query_variants_are_cached_apart(client, article):
    client.get(article.url)
    assert status(client.get(article.url + "?sort=newest")) == "miss"
    assert status(client.get(article.url + "?sort=newest")) == "hit"


def test_published_comment_outdates_only_its_article_and_the_listings_showing_it(
    client, section, django_capture_on_commit_callbacks
):
    first = make_article(section=section, title="The dam opens")
    other = make_article(section=section, title="The bridge closes")
    for url in (first.url, other.url, section.url):
        client.get(url)
        assert status(client.get(url)) == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        comment = post(first, guest(), "The water came back to our farm.")
    assert comment.status == "published"
    page = client.get(first.url)
    assert status(page) == "miss" and "The water came back to our farm." in page.content.decode()
    assert status(client.get(other.url)) == "hit"
    listing = client.get(section.url)
    assert status(listing) == "miss"  # it shows the comment count
    assert status(client.get(first.url)) == "hit"


def test_held_comment_changes_nothing_readers_see(
    client, article, django_capture_on_commit_callbacks
):
    client.get(article.url)

    def hold_everything(candidate):
        return Assessment(verdict=Verdict.HOLD, reasons=["held for the test"])

    with (
        hooks.register_temporarily(newsdesk_hooks.COMMENT_ASSESS, hold_everything),
        django_capture_on_commit_callbacks(execute=True),
    ):
        comment = post(article, guest(), "Waiting for a moderator.")
    assert comment.status == "held"
    page = client.get(article.url)
    assert status(page) == "hit" and "Waiting for a moderator." not in page.content.decode()


def test_campaign_bar_moves_after_a_gift_while_the_page_stays_cached(
    client, article, django_capture_on_commit_callbacks, django_assert_num_queries
):
    campaign = make_campaign(goal="1000")
    before = client.get(article.url).content.decode()
    assert f'data-campaign="{campaign.pk}"' in before
    assert "data-raised>$0<" in before
    with django_capture_on_commit_callbacks(execute=True):
        donation_record(
            provider="demo",
            provider_reference="gift-1",
            kind="payment",
            amount=Decimal("250.00"),
            currency="USD",
            campaign=campaign,
        )
    after = client.get(article.url)
    assert status(after) == "hit"  # the page itself was not rendered again
    assert "data-raised>$250<" in after.content.decode()
    with django_assert_num_queries(0):  # the redrawn bar is cached in turn
        again = client.get(article.url)
    assert status(again) == "hit" and "data-raised>$250<" in again.content.decode()


def test_anonymous_copies_are_the_same_bytes_for_everyone_and_carry_no_token(article):
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    page_one = first.get(article.url)
    page_two = second.get(article.url)
    assert status(page_one) == "miss" and status(page_two) == "hit"
    assert page_one.content == page_two.content
    assert 'name="csrfmiddlewaretoken" value=""' in page_two.content.decode()
    assert not TOKEN.search(page_two.content.decode())
    # No cookie either: nginx keeps no response that sets one.
    assert not page_one.cookies and not page_two.cookies


def test_each_visitor_gets_a_token_from_the_csrf_endpoint_and_can_post(article):
    for name in ("Ann", "Bo"):
        Client().get(article.url)  # stored again after Ann's comment outdated it
        visitor = Client(enforce_csrf_checks=True)
        assert status(visitor.get(article.url)) == "hit"
        answer = visitor.get("/csrf/")
        assert answer.status_code == 200 and "no-store" in answer["Cache-Control"]
        assert "private" in answer["Cache-Control"] and "csrftoken" in answer.cookies
        # With the CSRF cookie they still get the public copy.
        again = visitor.get(article.url)
        assert status(again) == "hit" and not TOKEN.search(again.content.decode())
        response = visitor.post(
            f"/discussion/articles/{article.pk}/comments/",
            {
                "body": f"Posted by {name}.",
                "name": name,
                "csrfmiddlewaretoken": answer.json()["token"],
            },
        )
        assert response.status_code == 303, response.content[:300]


def test_signed_in_readers_bypass_the_cache(client, article):
    client.get(article.url)
    user = get_user_model().objects.create_user(username="dana", password="x" * 12)
    client.force_login(user)
    page = client.get(article.url)
    assert status(page) == "bypass"
    assert "Commenting as <strong>dana</strong>" in page.content.decode()
    assert "private" in page["Cache-Control"] and "no-cache" in page["Cache-Control"]


def test_guests_with_the_guest_cookie_bypass_the_cache_and_see_their_held_comment(
    client, article, django_capture_on_commit_callbacks
):
    client.get(article.url)

    def hold_everything(candidate):
        return Assessment(verdict=Verdict.HOLD)

    with hooks.register_temporarily(newsdesk_hooks.COMMENT_ASSESS, hold_everything):
        response = client.post(
            f"/discussion/articles/{article.pk}/comments/",
            {"body": "Mine, held.", "name": "Eve"},
        )
    assert discussion_conf.GUEST_COOKIE in response.cookies
    own = client.get(article.url)
    assert status(own) == "bypass" and "Mine, held." in own.content.decode()
    anonymous = Client().get(article.url)
    assert status(anonymous) == "hit" and "Mine, held." not in anonymous.content.decode()


def test_etag_and_304_on_conditional_get(client, section, article):
    listing = client.get(section.url)
    etag = listing["ETag"]
    assert etag
    not_modified = Client().get(section.url, HTTP_IF_NONE_MATCH=etag)
    assert not_modified.status_code == 304 and not_modified["ETag"] == etag
    # A page with forms is the same bytes for every anonymous reader too.
    page = client.get(article.url)
    assert Client().get(article.url, HTTP_IF_NONE_MATCH=page["ETag"]).status_code == 304
    assert Client().get(article.url, HTTP_IF_NONE_MATCH='"other"').status_code == 200


def test_etag_changes_when_the_bar_moves(client, section, django_capture_on_commit_callbacks):
    campaign = make_campaign(goal="1000")
    before = client.get(section.url)["ETag"]
    with django_capture_on_commit_callbacks(execute=True):
        donation_record(
            provider="demo",
            provider_reference="gift-2",
            kind="payment",
            amount=Decimal("10.00"),
            currency="USD",
            campaign=campaign,
        )
    after = client.get(section.url)
    assert status(after) == "hit" and after["ETag"] != before


def test_cache_control_and_surrogate_keys(client, section, article):
    listing = client.get(section.url)
    assert "public" in listing["Cache-Control"] and "max-age=" in listing["Cache-Control"]
    assert "stale-while-revalidate=" in listing["Cache-Control"]
    assert f"page:{section.pk}" in listing["Surrogate-Key"].split()
    assert f"page:{article.pk}" in listing["Surrogate-Key"].split()  # listed there
    assert "listings" in listing["Cache-Tag"].split(",")
    page = client.get(article.url)
    # The article page carries no personal byte: proxies and CDNs may keep it.
    assert "public" in page["Cache-Control"] and "max-age=" in page["Cache-Control"]
    assert "stale-while-revalidate=" in page["Cache-Control"]
    assert page["Surrogate-Key"].split() == [f"page:{article.pk}", "site"]


def test_publishing_an_article_outdates_its_section_and_front_page_but_not_other_articles(
    client, home, section, article
):
    for url in (home.url, section.url, article.url, "/feeds/rss/"):
        client.get(url)
        assert status(client.get(url)) == "hit"
    new = make_article(section=section, title="Fresh news from the coast")
    assert status(client.get(section.url)) == "miss"
    assert "Fresh news from the coast" in client.get(home.url).content.decode()
    assert "Fresh news from the coast" in client.get("/feeds/rss/").content.decode()
    assert status(client.get(article.url)) == "hit"
    new.unpublish()
    assert "Fresh news from the coast" not in client.get(section.url).content.decode()


@pytest.mark.parametrize("path", ["/api/openapi.json", "/search/?q=rivers", "/donate/"])
def test_excluded_paths_are_never_cached(client, article, path):
    client.get(path)
    assert "X-Page-Cache" not in client.get(path)


def test_posts_and_not_found_pages_are_not_cached(client, article):
    client.get("/no-such-page/")
    missing = client.get("/no-such-page/")
    assert missing.status_code == 404 and status(missing) == "miss"
    # The late slot's marker was drawn on this uncached page too.
    assert "newsdesk-late-slot" not in missing.content.decode()
    response = client.post(article.url, {})
    assert "X-Page-Cache" not in response
