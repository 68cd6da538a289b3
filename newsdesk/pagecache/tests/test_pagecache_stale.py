"""Stale-while-revalidate inside Django's cache: when a busy page is outdated, one request
renders it again while the others get the previous copy, tested with real threads, a real
database and the real cache (Redis in CI's second pass).

The test's own thread renders (it holds the test's transaction, so it alone sees the data);
while its rendering is under way, reader threads ask for the same page: they are answered from
the cache alone, which is the point."""

import threading
import time

import pytest
from django.db import connection
from django.test import Client
from wagtail import hooks

from newsdesk.core import hooks as newsdesk_hooks
from newsdesk.pagecache import page_tag, pages_invalidate

pytestmark = pytest.mark.django_db
READERS = 8


def status(response) -> str:
    return response["X-Page-Cache"]


@pytest.fixture(autouse=True)
def _one_machine(settings):
    settings.PAGECACHE_CLOCK_MARGIN = 0
    settings.PAGECACHE_STALE_SERVE_SECONDS = 30


def _read_together(url: str) -> list:
    """READERS threads asking for ``url`` at the same moment; their answers."""
    barrier = threading.Barrier(READERS)
    answers: list = [None] * READERS

    def read(index: int) -> None:
        try:
            barrier.wait()
            answers[index] = Client().get(url)
        finally:
            connection.close()

    threads = [threading.Thread(target=read, args=(i,)) for i in range(READERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return answers


def test_an_outdated_page_is_rendered_once_while_the_others_get_the_previous_copy(article):
    first = Client().get(article.url)
    assert status(first) == "miss"
    assert status(Client().get(article.url)) == "hit"  # the campaign bar is cached too
    pages_invalidate(tags=[page_tag(article.pk)])
    renders: list = []
    during: list = []

    def page_bottom(context) -> str:
        # Other readers arrive while this rendering is under way.
        renders.append(context["request"].path)
        during.extend(_read_together(article.url))
        return ""

    with hooks.register_temporarily(newsdesk_hooks.SLOT_PAGE_BOTTOM, page_bottom):
        renderer = Client().get(article.url)
    assert status(renderer) == "miss"
    assert len(renders) == 1  # the readers rendered nothing
    assert [status(answer) for answer in during] == ["stale"] * READERS
    for answer in during:
        assert answer.status_code == 200 and answer.content == first.content
        # Outdated already: a proxy must not keep it.
        assert "max-age=0" in answer["Cache-Control"]
    # The new copy is in place: the next readers get it fresh.
    assert [status(answer) for answer in _read_together(article.url)] == ["hit"] * READERS


def test_a_copy_outdated_longer_than_the_stale_window_is_not_served(client, article, settings):
    client.get(article.url)
    settings.PAGECACHE_STALE_SERVE_SECONDS = 0
    pages_invalidate(tags=[page_tag(article.pk)])
    time.sleep(0.01)
    assert status(client.get(article.url)) == "miss"


def test_signed_in_readers_never_render_for_the_cache_and_get_the_previous_copy_while_locked(
    client, article, django_user_model
):
    from django.core.cache import cache

    from newsdesk.pagecache.middleware import LOCK_KEY_PREFIX, entry_key

    client.get(article.url)
    pages_invalidate(tags=[page_tag(article.pk)])
    reader = Client()
    reader.force_login(django_user_model.objects.create_user(username="ivy", password="p" * 12))
    reader.cookies["newsdesk_js"] = "1"
    fresh = reader.get(article.url)
    assert status(fresh) != "stale-personal", "nobody renders: the reader sees the change"
    request = fresh.wsgi_request
    cache.add(LOCK_KEY_PREFIX + entry_key(request), 1, 30)  # an anonymous reader is rendering
    page = reader.get(article.url)
    assert status(page) == "stale-personal"
    assert "Signed in as <strong>ivy</strong>" in page.content.decode()
