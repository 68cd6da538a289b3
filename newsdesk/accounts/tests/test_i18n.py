"""The reader's account pages, forms, refusals and e-mails in Spanish and French: the words
come from the app's catalogues, counts take the language's plural forms (French writes
"0 commentaire", Spanish "0 comentarios"), and no English is left behind."""

import pytest
from django.template.loader import render_to_string
from django.test import Client
from django.utils import translation

from newsdesk.accounts.adapter import MailSite
from newsdesk.accounts.forms import AccountEraseForm
from newsdesk.accounts.services_account import InvalidDisplayName, display_name_clean
from newsdesk.accounts.tests import helpers as h

pytestmark = pytest.mark.django_db


def _signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_privacy_page_is_in_spanish_with_spanish_plurals(settings):
    settings.LANGUAGE_CODE = "es"
    reader = h.make_reader("ana", email="ana@example.org")
    html = _signed_in(reader).get("/accounts/privacy/").content.decode()
    assert "<h1>Privacidad y sus datos</h1>" in html
    assert "<li>0 comentarios</li>" in html
    assert "Descargar mis datos" in html
    assert "Privacy and your data" not in html and "Download my data" not in html
    # The menu of the account pages too.
    assert 'aria-label="Su cuenta"' in html and "Cerrar sesión" in html


def test_the_erase_page_and_its_form_are_in_spanish(settings):
    settings.LANGUAGE_CODE = "es"
    reader = h.make_reader("ben", email="ben@example.org")
    html = _signed_in(reader).get("/accounts/privacy/erase/").content.decode()
    assert "<h1>Borrar mi cuenta</h1>" in html
    assert ">Su contraseña</label>" in html
    assert 'type="submit">Borrar mi cuenta</button>' in html
    assert "Erase my account" not in html and "Your password" not in html
    with translation.override("es"):
        assert AccountEraseForm().fields["password"].label == "Su contraseña"


def test_the_account_home_is_in_french_with_french_plurals(settings):
    settings.LANGUAGE_CODE = "fr"
    reader = h.make_reader("chloe", email="chloe@example.org")
    html = _signed_in(reader).get("/account/").content.decode()
    assert "<h1>Votre compte</h1>" in html
    assert "Enregistrer le nom</button>" in html
    # French counts zero in the singular.
    assert "0 commentaire" in html and "0 commentaires" not in html
    assert "Your account" not in html and "Save name" not in html


def test_a_refusal_speaks_the_readers_language():
    with translation.override("fr"), pytest.raises(InvalidDisplayName) as refusal:
        display_name_clean("x" * 61)
    assert refusal.value.message == "Un nom peut compter au plus 60 caractères."
    with translation.override("es"), pytest.raises(InvalidDisplayName) as refusal:
        display_name_clean("ana@example.org")
    assert "no puede contener" in refusal.value.message


def test_the_confirmation_email_is_in_spanish():
    context = {
        "current_site": MailSite(name="The Lantern", domain="https://lantern.example"),
        "code": "QX7-P2K",
        "activate_url": "https://lantern.example/confirm/abc/",
        "user": None,
    }
    with translation.override("es"):
        text = render_to_string("account/email/email_confirmation_message.txt", context)
    assert "Alguien, probablemente usted, añadió esta dirección" in text
    assert "Su código para confirmarla: QX7-P2K" in text
    assert "Someone, probably you" not in text and "If it was not you" not in text
    with translation.override("en"):
        english = render_to_string("account/email/email_confirmation_message.txt", context)
    assert "Your code to confirm it: QX7-P2K" in english
