"""Where the site offers several languages (SITE_LANGUAGES), the page cache keeps one copy
per language: a Spanish reader never gets the English copy, nor the reverse, and each
language's copy is shared by every reader of it."""

import pytest
from django.conf import settings as django_settings

pytestmark = pytest.mark.django_db

LOCALE = "django.middleware.locale.LocaleMiddleware"


@pytest.fixture
def two_languages(settings):
    settings.PAGECACHE_CLOCK_MARGIN = 0
    settings.LANGUAGES = [("en", "English"), ("es", "Español")]
    settings.SITE_LANGUAGE_CHOICE = True
    middleware = list(django_settings.MIDDLEWARE)
    assert LOCALE not in middleware
    middleware.insert(
        middleware.index("django.contrib.sessions.middleware.SessionMiddleware") + 1, LOCALE
    )
    settings.MIDDLEWARE = middleware


def test_each_language_has_its_own_cached_copy(client, article, two_languages):
    spanish = client.get(article.url, HTTP_ACCEPT_LANGUAGE="es")
    assert spanish["X-Page-Cache"] == "miss"
    assert '<html lang="es">' in spanish.content.decode()

    english = client.get(article.url, HTTP_ACCEPT_LANGUAGE="en")
    assert english["X-Page-Cache"] == "miss"  # not the Spanish copy
    assert '<html lang="en">' in english.content.decode()

    again = client.get(article.url, HTTP_ACCEPT_LANGUAGE="es")
    assert again["X-Page-Cache"] == "hit"
    assert '<html lang="es">' in again.content.decode()
    assert "Accept-Language" in again["Vary"]


def test_the_readers_choice_in_the_footer_picks_the_copy(client, article, two_languages):
    page = client.get(article.url).content.decode()
    assert 'action="/i18n/setlang/"' in page and 'lang="es">Español</option>' in page
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "es"
    chosen = client.get(article.url, HTTP_ACCEPT_LANGUAGE="en")
    assert '<html lang="es">' in chosen.content.decode()


def test_one_language_sites_show_no_choice(client, article, settings):
    settings.PAGECACHE_CLOCK_MARGIN = 0
    page = client.get(article.url, HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert 'action="/i18n/setlang/"' not in page
    assert f'<html lang="{django_settings.LANGUAGE_CODE}">' in page
