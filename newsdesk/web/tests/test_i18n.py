"""The frame's own pages in Spanish and French: the 404 page (with articles' search link in
its sentence), the account menu, the outage and bad-request pages, the numbers of the admin's
charts. Each check would fail on English text."""

import pytest
from django.conf import settings as django_settings
from django.test import Client, RequestFactory
from django.utils import translation

from newsdesk.core.middleware import outage_response
from newsdesk.web.charts import Series, bar_chart

pytestmark = pytest.mark.django_db


def test_the_404_page_in_spanish(home):
    with translation.override("es"):
        response = Client().get("/no/such/page/")
    html = response.content.decode()
    assert response.status_code == 404
    assert "<h1>Página no encontrada</h1>" in html
    assert '>Ir a la portada</a> o <a href="/search/">busque en los artículos</a>.' in html
    assert ">Iniciar sesión</a>" in html
    assert "Page not found" not in html and "Sign in" not in html


def test_a_bad_request_in_french_groups_its_number_the_french_way(home, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000
    fields = "&".join(f"f{n}=x" for n in range(1001))
    with translation.override("fr"):
        response = Client().post(
            "/search/", fields, content_type="application/x-www-form-urlencoded"
        )
    html = response.content.decode()
    assert response.status_code == 400
    assert '<html lang="fr">' in html
    assert "<h1>Requête incorrecte</h1>" in html
    assert "trop de champs (au plus 1\xa0000)" in html
    assert "Bad request" not in html


def test_the_outage_page_takes_the_readers_language_where_the_site_offers_several(settings):
    settings.SITE_LANGUAGE_CHOICE = True
    settings.LANGUAGES = [("en", "English"), ("es", "Español")]
    request = RequestFactory().get("/", HTTP_ACCEPT_LANGUAGE="es")
    request.COOKIES[django_settings.LANGUAGE_COOKIE_NAME] = "es"
    html = outage_response(request).content.decode()
    assert '<html lang="es">' in html
    assert "<h1>Volvemos enseguida</h1>" in html
    assert "El sitio no está disponible por un momento" in html
    assert "briefly unavailable" not in html


def test_chart_ticks_are_written_in_the_active_language():
    chart = bar_chart(
        chart_id="c",
        title="t",
        description="d",
        categories=["a"],
        series=[Series(label="s", colour="#000", values=[2.5])],
        stacked=False,
    )
    with translation.override("fr"):
        french = bar_chart(
            chart_id="c",
            title="t",
            description="d",
            categories=["a"],
            series=[Series(label="s", colour="#000", values=[2.5])],
            stacked=False,
        )
    assert ": s 2.5</title>" in chart
    assert ": s 2,5</title>" in french
