"""The page cache's own pages and words in the reader's language: the confirmation page of
a tokenless post, the refusal of a post from another site, the JSON refusal, and the labels
the script writes into a signed-in reader's comments (a JSON block every page carries)."""

import json
import re

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db
MESSAGES = re.compile(
    r'<script id="pagecache-messages" type="application/json">(.*?)</script>', re.S
)


@pytest.fixture(autouse=True)
def _one_machine(settings):
    settings.PAGECACHE_CLOCK_MARGIN = 0


def comments_url(article) -> str:
    return f"/discussion/articles/{article.pk}/comments/"


def test_the_confirmation_page_of_a_tokenless_post_is_in_spanish(article, settings):
    settings.LANGUAGE_CODE = "es"
    answer = Client(enforce_csrf_checks=True).post(
        comments_url(article), {"csrfmiddlewaretoken": "", "body": "Hola.", "name": "Flo"}
    )
    assert answer.status_code == 403
    html = answer.content.decode()
    assert "<h1>Confirme su envío</h1>" in html
    assert '<button type="submit">Enviar</button>' in html
    assert "Confirm your post" not in html and ">Send<" not in html
    assert "Hola.</textarea>" in html


def test_a_post_from_another_site_is_refused_in_french(article, settings):
    settings.LANGUAGE_CODE = "fr"
    answer = Client(enforce_csrf_checks=True).post(
        comments_url(article),
        {"csrfmiddlewaretoken": "", "body": "Forged.", "name": "Mallory"},
        HTTP_ORIGIN="https://evil.example",
    )
    html = answer.content.decode()
    assert answer.status_code == 403
    assert "<h1>Non envoyé</h1>" in html and "Not sent" not in html
    json_answer = Client(enforce_csrf_checks=True).post(
        comments_url(article),
        {"csrfmiddlewaretoken": "", "body": "Vite.", "name": "Gus"},
        HTTP_ACCEPT="application/json",
    )
    assert "jeton de sécurité" in json_answer.json()["detail"]


@pytest.mark.parametrize(
    ("language", "edit", "delete"),
    [("en", "Edit", "Delete"), ("es", "Editar", "Eliminar"), ("fr", "Modifier", "Supprimer")],
)
def test_the_scripts_labels_come_from_the_page_in_its_language(
    article, settings, language, edit, delete
):
    settings.LANGUAGE_CODE = language
    html = Client().get(article.url).content.decode()
    block = MESSAGES.search(html)
    assert block, "every page carries the script's words"
    assert json.loads(block.group(1)) == {"edit": edit, "delete": delete}
