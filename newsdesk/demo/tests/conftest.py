"""The demo loaded once for this package's tests, into the test database, rolled back after.

Loading draws fifteen pictures and creates a few dozen pages: doing it once for the package
rather than once per test keeps the suite fast. Package scope also means the transaction
is closed before any other app's tests run. Each test still runs in its own savepoint (the
``db`` fixture), so nothing one test writes is seen by the next.
"""

import io
from dataclasses import dataclass

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import Client, override_settings

from newsdesk.articles.models import ArticlePage, NewsRendition


@dataclass(frozen=True)
class DemoLoad:
    output: str  # what load_demo printed
    renditions: int  # image renditions that existed right after loading


def _renditions_make() -> None:
    """Render the pages once, so their image renditions exist for every test.

    A rendition made inside a test would be rolled back with it and encoded again by the
    next test: most of the time a page takes to render.
    """
    client = Client()
    for url in ["/", *(a.url for a in ArticlePage.objects.live())]:
        client.get(url)


@pytest.fixture(scope="package")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """Runs ``manage.py load_demo`` (pictures go to a temporary folder)."""
    media = tmp_path_factory.mktemp("demo-media")
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=str(media)),
        transaction.atomic(),
    ):
        output = io.StringIO()
        call_command("load_demo", stdout=output)
        loaded = DemoLoad(output=output.getvalue(), renditions=NewsRendition.objects.count())
        _renditions_make()
        yield loaded
        transaction.set_rollback(True)


@pytest.fixture
def demo_db(demo, db):
    """The loaded demo, inside this test's own savepoint."""
    return demo
