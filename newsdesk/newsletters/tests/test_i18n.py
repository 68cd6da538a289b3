"""The newsletters in Spanish and French: the sign-up page and its refusals, the
confirmation page, the confirmation e-mail (with its plural), the staff's import page, and
the labels of the lists' choices. Each check would fail on English text."""

import pytest
from django.template.loader import render_to_string
from django.test import Client
from django.utils import translation

from newsdesk.newsletters.models import Newsletter, SubscriptionStatus
from newsdesk.newsletters.models_sending import SendStatus
from newsdesk.newsletters.selectors import newsletters_offered_forget

pytestmark = pytest.mark.django_db


@pytest.fixture
def lists(db):
    daily = Newsletter.objects.create(name="The Daily", slug="daily", sort_order=1)
    newsletters_offered_forget()
    yield daily
    newsletters_offered_forget()


def test_the_signup_page_in_spanish(lists):
    with translation.override("es"):
        html = Client().get("/newsletter/subscribe/").content.decode()
    assert "<h1>Nuestros boletines</h1>" in html
    assert ">Suscribirme</button>" in html
    assert "Elija sus boletines" in html
    assert "Enviamos a esta dirección los boletines que marque" in html
    # The script's words come from the page, translated.
    assert 'data-failed="No se pudo enviar la suscripción' in html
    assert "Our newsletters" not in html
    assert ">Sign up</button>" not in html


def test_a_refused_signup_answers_in_spanish(lists):
    data = {"email": "not an address", "newsletters": ["daily"], "source": "article"}
    with translation.override("es"):
        answer = Client().post("/newsletter/subscribe/", data, HTTP_ACCEPT="application/json")
    assert answer.status_code == 400
    errors = answer.json()["errors"]
    assert errors["email"] == [
        "Escriba una dirección de correo electrónico completa, como nombre@example.org."
    ]


def test_the_confirmation_page_in_french(lists):
    with translation.override("fr"):
        html = Client().get("/newsletter/confirm/any-token/").content.decode()
    assert "<h1>Confirmez votre abonnement</h1>" in html
    assert "Oui, envoyez-moi les lettres d\u2019information" in html
    assert "Confirm your subscription" not in html
    assert "Yes, send me the newsletters" not in html


def test_the_confirmation_email_in_spanish_with_its_plural():
    context = {
        "site_name": "Newsdesk",
        "lists": ["The Daily"],
        "confirm_link": "https://example.org/newsletter/confirm/x/",
    }
    with translation.override("es"):
        one = render_to_string("newsletters/email/confirm.txt", {**context, "days": 1})
        seven = render_to_string("newsletters/email/confirm.txt", {**context, "days": 7})
        subject = render_to_string("newsletters/email/confirm_subject.txt", context)
        html = render_to_string("newsletters/email/confirm.html", {**context, "days": 7})
    assert "El enlace funciona durante 1 día." in one
    assert "El enlace funciona durante 7 días." in seven
    assert "Alguien, probablemente usted, pidió estos boletines de Newsdesk" in seven
    assert "The link works for" not in one + seven
    assert subject.strip() == "Confirme sus boletines de Newsdesk"
    assert '<html lang="es">' in html
    assert ">Confirmar mi suscripción</a>" in html


def test_the_confirmation_email_in_english_is_unchanged():
    context = {"site_name": "Newsdesk", "lists": ["The Daily"], "confirm_link": "https://x/"}
    with translation.override("en"):
        text = render_to_string("newsletters/email/confirm.txt", {**context, "days": 7})
        html = render_to_string("newsletters/email/confirm.html", {**context, "days": 7})
    assert "The link works for 7 days. If it was not you, ignore this e-mail" in text
    assert '<html lang="en">' in html


def test_the_import_page_in_french(admin_client):
    with translation.override("fr"):
        html = admin_client.get("/admin/newsletters/import/").content.decode()
    assert "Importez les abonnés d\u2019une liste depuis Mailchimp ou Substack" in html
    assert ">Importer</button>" in html
    assert "Dans la liste" in html
    assert "Bring a list's subscribers" not in html


def test_choice_labels_in_both_languages():
    with translation.override("es"):
        assert str(SubscriptionStatus.PENDING.label) == "Esperando confirmación"
        assert str(SendStatus.SENT.label) == "Enviado"
    with translation.override("fr"):
        assert str(SubscriptionStatus.PENDING.label) == "En attente de confirmation"
        assert str(SendStatus.CANCELLED.label) == "Annulé"
