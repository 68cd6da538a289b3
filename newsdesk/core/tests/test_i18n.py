"""The platform's words in Spanish and French: a request refused above the locale
middleware (not UTF-8) answers in the reader's language where the site offers several, and
the error tree's default messages follow the language of the moment they are shown."""

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.utils import translation

from newsdesk.core.errors import RateLimited, ServiceError

pytestmark = pytest.mark.django_db


def test_a_query_string_that_is_not_utf8_is_refused_in_the_readers_language(home, settings):
    settings.SITE_LANGUAGE_CHOICE = True
    settings.LANGUAGES = [("en", "English"), ("es", "Español")]
    client = Client()
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "es"

    response = client.get("/search/?q=%FF")

    html = response.content.decode()
    assert response.status_code == 400
    assert '<html lang="es">' in html
    assert "<h1>Solicitud incorrecta</h1>" in html
    assert "no es texto UTF-8 válido" in html
    assert "not valid UTF-8" not in html


def test_a_one_language_site_answers_in_its_own_language(home, settings):
    settings.LANGUAGE_CODE = "fr"
    response = Client().get("/search/?q=%FF", HTTP_ACCEPT="application/json")
    assert response.status_code == 400
    assert response.json()["detail"] == (
        "La chaîne de requête de l'adresse n'est pas un texte UTF-8 valide."
    )


def test_default_messages_take_the_language_they_are_shown_in():
    with translation.override("fr"):
        assert RateLimited().message.startswith("Vous faites cela trop souvent")
        assert ServiceError().message == "Cette demande ne peut pas être traitée."
    with translation.override("es"):
        assert ServiceError().message == "Esta solicitud no se puede realizar."
    assert ServiceError().message == "This request cannot be done."
