"""Fixtures shared by every app's tests."""

import pytest
from django.core.cache import cache

from newsdesk.core.processcache import process_caches_clear
from tests.support import factories


def pytest_sessionstart(session):
    """The translation catalogues compiled as `make` compiles them (only outdated ones), so a
    test run straight from pytest reads the same .mo files as the served site."""
    from newsdesk.core.i18n.catalogues import compile_all

    compile_all()


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    process_caches_clear()
    yield
    cache.clear()
    process_caches_clear()


@pytest.fixture
def home(db):
    return factories.home_page()


@pytest.fixture
def section(db):
    return factories.make_section("World")


@pytest.fixture
def article(section):
    return factories.make_article(section=section, title="Rivers run dry across the plain")


@pytest.fixture(scope="session")
def running_site():
    """The demo site served by gunicorn with its worker (see ``tests/support/servers.py``)."""
    from tests.support.servers import RunningSite

    site = RunningSite().start()
    yield site
    site.stop()


@pytest.fixture(scope="session")
def browser():
    import os

    from tests.support.browser import CHROMIUM, CHROMIUM_ARGS

    if not os.path.exists(CHROMIUM):
        pytest.skip("Debian's chromium is not installed (make test installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    """A fresh browser context (no cookies) and page; fails the test on a page error."""
    context = browser.new_context()
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    context.close()
    assert not errors, f"JavaScript errors on the page: {errors}"
