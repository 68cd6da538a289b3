"""Fixtures of the syndication tests: a real feed server on 127.0.0.1, partners, sources."""

import pytest

from newsdesk.syndication.services import source_create
from newsdesk.syndication.tests.feedserver import FeedServer
from tests.support import factories


@pytest.fixture
def feed_server():
    server = FeedServer().start()
    yield server
    server.stop()


@pytest.fixture(autouse=True)
def tight_limits(settings):
    """Short timeouts and a small size limit, so the odd servers cost the suite little."""
    settings.SYNDICATION_CONNECT_TIMEOUT = 2
    settings.SYNDICATION_TOTAL_TIMEOUT = 1.5
    settings.SYNDICATION_FEED_MAX_BYTES = 2 * 1024 * 1024
    settings.SYNDICATION_IMAGE_MAX_BYTES = 256 * 1024
    # Creating a Wagtail page costs ~0.25 s here; five items a poll prove the same things.
    settings.SYNDICATION_ENTRIES_PER_POLL = 5
    return settings


@pytest.fixture
def make_source(section):
    """A source for a feed URL: ``make_source(url, mode="publish", policy="canonical")``."""

    def make(url, *, outlet=None, policy="canonical", **kwargs):
        outlet = outlet or factories.make_outlet(policy=policy)
        kwargs.setdefault("section", section)
        return source_create(outlet=outlet, feed_url=url, **kwargs)

    return make
