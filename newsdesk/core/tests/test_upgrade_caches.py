"""``manage.py upgrade`` outdates every page the page cache holds (the previous release's
markup), through the ``SITE_UPGRADED`` hook, and leaves the rest of the cache alone (on Redis
that is also RQ's queue)."""

import pytest
from django.core.cache import cache

from newsdesk.core import upgrade
from tests.support.factories import make_article

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _one_machine(settings):
    settings.PAGECACHE_CLOCK_MARGIN = 0


def test_upgrade_outdates_every_cached_page_and_nothing_else(client, section):
    article = make_article(section=section, title="The harbour reopens")
    urls = ["/", section.url, article.url]
    for url in urls:
        client.get(url)
        assert client.get(url)["X-Page-Cache"] == "hit", url
    cache.set("not-a-page", "kept", timeout=None)

    lines = upgrade.caches_outdate()

    assert lines == ["newsdesk.pagecache.wagtail_hooks.site_upgraded: done"]
    for url in urls:
        assert client.get(url)["X-Page-Cache"] != "hit", url
    assert cache.get("not-a-page") == "kept"
