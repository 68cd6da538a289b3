"""The Wagtail admin: the sources' listing with status, and "Poll now" with its checks."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission

from newsdesk.articles.models import ArticlePage
from newsdesk.syndication.models import PollResult
from newsdesk.syndication.tests.feeds import Story, rss

pytestmark = pytest.mark.django_db

LISTING = "/admin/snippets/syndication/source/"


def staff(client, *permissions):
    user = get_user_model().objects.create_user("editor", password="x", is_staff=True)
    codenames = ["access_admin", *permissions]
    user.user_permissions.set(Permission.objects.filter(codename__in=codenames))
    client.force_login(user)
    return client


def test_the_listing_shows_each_source_s_last_result_and_error(
    admin_client, make_source, feed_server
):
    from newsdesk.syndication.services import source_poll

    source = make_source(feed_server.url("/missing.xml"))
    source_poll(source_id=source.pk)

    html = admin_client.get(LISTING).content.decode()

    assert str(source) in html and source.feed_url in html
    assert "Failed" in html and "The server answered 404 Not Found" in html
    assert f"/admin/syndication/sources/{source.pk}/poll/" in html


def test_poll_now_needs_a_signed_in_editor_with_the_permission(client, make_source):
    source = make_source("https://p.example/feed")
    url = f"/admin/syndication/sources/{source.pk}/poll/"

    anonymous = client.post(url)
    assert anonymous.status_code == 302 and "/admin/login/" in anonymous["Location"]

    staff(client)
    assert client.get(url).status_code == 403
    assert client.post(url).status_code == 403
    source.refresh_from_db()
    assert source.last_result == PollResult.NEVER


def test_poll_now_asks_then_polls(
    client, make_source, feed_server, django_capture_on_commit_callbacks
):
    source = make_source(
        feed_server.add("/f.rss", body=rss([Story("s", "Pier repaired", "https://p.example/p")]))
    )
    staff(client, "change_source")
    url = f"/admin/syndication/sources/{source.pk}/poll/"

    confirm = client.get(url).content.decode()
    assert 'name="csrfmiddlewaretoken"' in confirm and source.feed_url in confirm
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"next": "https://evil.example/"}, follow=True)

    assert response.redirect_chain[0] == (LISTING, 302)  # a foreign "next" is ignored
    assert f"Polling {source} now" in response.content.decode()
    source.refresh_from_db()
    assert source.last_result == PollResult.OK
    assert ArticlePage.objects.get().title == "Pier repaired"


def test_poll_now_is_rate_limited(client, make_source, settings):
    settings.SYNDICATION_POLL_NOW_PER_USER = 2
    source = make_source("https://p.example/feed")
    staff(client, "change_source")
    url = f"/admin/syndication/sources/{source.pk}/poll/"

    statuses = [client.post(url).status_code for _ in range(3)]

    assert statuses == [302, 302, 429]


def test_poll_now_of_an_unknown_source_is_404(admin_client):
    assert admin_client.post("/admin/syndication/sources/999/poll/").status_code == 404


def test_adding_a_source_in_the_admin_validates_the_address(admin_client, section):
    from tests.support import factories

    outlet = factories.make_outlet()
    data = {
        "outlet": outlet.pk,
        "name": "",
        "feed_url": "file:///etc/passwd",
        "poll_interval_minutes": 30,
        "section": section.pk,
        "tags": "",
        "mode": "draft",
        "content": "full",
        "enabled": "on",
    }
    refused = admin_client.post("/admin/snippets/syndication/source/add/", data)
    assert refused.status_code == 200 and "Enter a valid URL." in refused.content.decode()

    data["feed_url"] = "https://partner.example/feed.xml"
    added = admin_client.post("/admin/snippets/syndication/source/add/", data)
    assert added.status_code == 302
    from newsdesk.syndication.models import Source

    assert Source.objects.get().feed_url == "https://partner.example/feed.xml"
