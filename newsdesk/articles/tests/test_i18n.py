"""The article pages in Spanish and French: the interface around an article (byline, share
box, listings, search) follows the reader's language, the article's own words keep theirs
(``lang`` on the headline, standfirst and body when the two differ). Each check would fail
on English text."""

import pytest
from django.test import Client
from django.utils import translation

from newsdesk.articles.templatetags.news_meta import byline_links
from tests.support import factories

pytestmark = pytest.mark.django_db


def test_an_article_in_spanish_keeps_its_content_in_english(section):
    authors = [factories.make_author(name) for name in ("Ana Ruiz", "Bo Lind", "Cy Park")]
    article = factories.make_article(section=section, title="Ferries return", authors=authors)

    with translation.override("es"):
        html = Client().get(article.url).content.decode()

    assert '<html lang="es">' in html
    assert ">Compartir este artículo</h2>" in html
    assert ">Copiar enlace</button>" in html
    assert 'data-copied-text="Enlace copiado."' in html  # the script's words, translated
    assert 'class="article__byline">Por <a rel="author"' in html
    assert ">Bo Lind</a> y <a" in html
    assert "Share this article" not in html
    assert ">Copy link</button>" not in html
    assert " and <a" not in html
    # The article's words are English (the site identity's language): screen readers are told.
    assert 'data-part="headline" lang="en">Ferries return</h1>' in html
    assert 'data-part="body" lang="en">' in html


def test_an_english_reader_gets_no_lang_on_the_body_and_the_same_byline(section):
    authors = [factories.make_author(name) for name in ("Ana Ruiz", "Bo Lind", "Cy Park")]
    article = factories.make_article(section=section, authors=authors)

    html = Client().get(article.url).content.decode()

    assert 'data-part="body">' in html and 'lang="en">' not in html.split("<body", 1)[1]
    assert "By <a" in html and ">Ana Ruiz</a>, <a" in html and ">Bo Lind</a> and <a" in html
    assert ">Share this article</h2>" in html


def test_byline_of_two_in_french():
    class Person:
        def __init__(self, name):
            self.name = name

        def get_absolute_url(self):
            return f"/authors/{self.name.lower()}/"

    with translation.override("fr"):
        text = str(byline_links([Person("Ana"), Person("Bo")]))
    assert text == (
        '<a rel="author" href="/authors/ana/">Ana</a> et <a rel="author" href="/authors/bo/">Bo</a>'
    )


def test_search_in_french_with_its_plural(section):
    factories.make_article(section=section, title="Herons one", body_text="Herons came back.")
    factories.make_article(section=section, title="Herons two", body_text="More herons.")

    with translation.override("fr"):
        two = Client().get("/search/", {"q": "herons"}).content.decode()
        one = Client().get("/search/", {"q": "came"}).content.decode()

    assert "<h1>Recherche</h1>" in two
    assert '<button type="submit">Rechercher</button>' in two
    assert "2 résultats pour « herons »" in two
    assert "1 résultat pour « came »" in one
    assert "results for" not in two and "<h1>Search</h1>" not in two


def test_listing_and_pagination_in_spanish(section, settings):
    with translation.override("es"):
        html = Client().get(section.url).content.decode()
    assert "Todavía no hay artículos." in html
    assert "No articles yet." not in html
