"""The words editors may rewrite: while they are still the project's (the shipped defaults),
readers get them in the active language; once an editor rewrote them, as written. English
stays byte for byte as it was."""

import importlib
from decimal import Decimal

import pytest
from django.utils import timezone, translation

from newsdesk.funding.bar import campaign_bar_forget, campaign_bar_html
from newsdesk.funding.lifecycle_words import LIFECYCLE_WORDS
from newsdesk.funding.models import Donation, FundingSettings
from newsdesk.funding.models_ask import SHIPPED_WORDS, SupportAskSettings
from newsdesk.funding.models_lifecycle import LifecycleKind, LifecycleMail, LifecycleMessage
from newsdesk.funding.money import money_format
from newsdesk.funding.services import lifecycle
from newsdesk.funding.services.ledger import donation_record
from newsdesk.funding.shipped_words import shipped_or_own
from newsdesk.funding.tasks_lifecycle import mail_render, message_build, sample_values
from newsdesk.funding.tests.helpers import make_campaign
from newsdesk.funding.wagtail_hooks import call_to_action

pytestmark = pytest.mark.django_db

THANKS_ES = "Gracias. Su donación mantiene independiente a esta redacción."
THANKS_EN = "Thank you. Your gift keeps this newsroom independent."


@pytest.fixture
def campaign(db):
    return make_campaign(name="Shipped words drive")


# --- the rule -----------------------------------------------------------------------------------
def test_shipped_words_are_translated_and_own_words_are_not():
    with translation.override("es"):
        assert shipped_or_own(THANKS_EN, shipped=THANKS_EN) == THANKS_ES
        # Blanks around the words, and a form's CR LF line ends, still make the default.
        assert shipped_or_own(f"  {THANKS_EN}\n", shipped=THANKS_EN) == THANKS_ES
        body = LIFECYCLE_WORDS["welcome"][1]
        assert shipped_or_own(body.replace("\n", "\r\n"), shipped=body).startswith("Hola, {name}:")
        # One word changed: the editor's, as written.
        own = THANKS_EN.replace("newsroom", "paper")
        assert shipped_or_own(own, shipped=THANKS_EN) == own
        # No default: nothing to translate (gettext("") would be the catalogue's header).
        assert shipped_or_own("", shipped="") == ""
    with translation.override("en"):
        assert shipped_or_own(THANKS_EN, shipped=THANKS_EN) == THANKS_EN


def test_the_shipped_defaults_are_the_fields_defaults():
    assert FundingSettings._meta.get_field("thanks_text").default == FundingSettings.THANKS_TEXT
    for field, shipped in SHIPPED_WORDS.items():
        assert SupportAskSettings._meta.get_field(field).default == shipped


def test_the_runtime_donor_e_mail_words_are_the_migrations():
    migration = importlib.import_module(
        "newsdesk.funding.migrations.0006_lifecycle_default_messages"
    )
    assert LIFECYCLE_WORDS == migration.MESSAGES
    assert set(LIFECYCLE_WORDS) == set(LifecycleKind.values)


# --- the thank-you page -------------------------------------------------------------------------
def test_the_thank_you_page_shows_the_default_thanks_in_spanish(client, campaign):
    with translation.override("es"):
        html = client.get("/donate/thanks/").content.decode()
    assert f"<p>{THANKS_ES}</p>" in html
    assert THANKS_EN not in html
    with translation.override("en"):
        english = client.get("/donate/thanks/").content.decode()
    assert f"<p>{THANKS_EN}</p>" in english


def test_an_editors_own_thanks_are_shown_as_written(client, campaign):
    settings_ = FundingSettings.load()
    settings_.thanks_text = "Thank you, neighbour: the river desk lives on your gifts."
    settings_.save()
    with translation.override("es"):
        html = client.get("/donate/thanks/").content.decode()
    assert "<p>Thank you, neighbour: the river desk lives on your gifts.</p>" in html
    assert THANKS_ES not in html


# --- the ask: under articles and in the bar -----------------------------------------------------
def _cta(article) -> str:
    return call_to_action({"page": article, "request": None})


def test_the_ask_under_articles_speaks_spanish_until_editors_rewrite_it(article):
    with translation.override("es"):
        html = _cta(article)
    for words in (
        "¿Le ha valido la pena leer esto?",
        "Ningún propietario ni anunciante paga este periodismo",
        "Apoye nuestro periodismo</a>",
        "Nos alegra verle de nuevo</h2>",
        "¿Renovará su apoyo?",
        "Renovar mi apoyo</a>",
        "Gracias por su apoyo</h2>",
        "Lectores como usted mantienen independiente a esta redacción.",
    ):
        assert words in html
    for english in SHIPPED_WORDS.values():
        assert english not in html
    ask = SupportAskSettings.load()
    ask.new_heading = "Read all the way down?"
    ask.save()
    with translation.override("es"):
        edited = _cta(article)
    assert '<h2 id="support-cta-heading">Read all the way down?</h2>' in edited
    assert "Apoye nuestro periodismo</a>" in edited  # the words nobody rewrote


def test_the_ask_under_articles_in_english_is_unchanged(article):
    with translation.override("en"):
        html = _cta(article)
    assert '<h2 id="support-cta-heading">Found this worth your time?</h2>' in html
    assert (
        "<p>No owner or advertiser pays for this reporting: readers do. "
        "If you can, chip in to keep it free for everyone.</p>"
    ) in html
    assert '<h2 id="support-cta-heading-lapsed">Welcome back</h2>' in html
    assert "Renew my support</a>" in html
    assert "<p>Readers like you keep this newsroom independent.</p>" in html


def test_the_bar_gives_the_ask_in_spanish_and_an_edited_word_as_written(campaign, home, settings):
    # A site whose readers may choose Spanish: its bars are kept, and emptied, per language.
    settings.LANGUAGES = [("en", "English"), ("es", "Español")]
    campaign_bar_forget()
    with translation.override("es"):
        html = str(campaign_bar_html())
    assert 'data-ask-variant="lapsed" hidden>Renovar mi apoyo</a>' in html
    assert 'data-ask-variant="current" hidden>Gracias por su apoyo</span>' in html
    assert "Renew my support" not in html
    with translation.override("en"):
        english = str(campaign_bar_html())
    assert 'data-ask-variant="lapsed" hidden>Renew my support</a>' in english
    assert 'data-ask-variant="current" hidden>Thank you for your support</span>' in english
    ask = SupportAskSettings.load()
    ask.lapsed_button = "Come back to us"
    ask.save()  # empties the bars of every language
    with translation.override("es"):
        edited = str(campaign_bar_html())
    assert 'data-ask-variant="lapsed" hidden>Come back to us</a>' in edited


# --- the donor e-mails --------------------------------------------------------------------------
def _welcome_mail(campaign) -> LifecycleMail:
    donation = donation_record(
        provider=Donation.Provider.DEMO,
        provider_reference="shipped-words-1",
        kind=Donation.Kind.PAYMENT,
        amount=Decimal("25"),
        currency="USD",
        campaign=campaign,
        received_at=timezone.now(),
        donor_email="ana@example.org",
        donor_name="Ana",
        send_mail=False,
    )
    lifecycle.lifecycle_mail_queue(
        kind=LifecycleKind.WELCOME, occasion="sw:1", email="ana@example.org", donation=donation
    )
    return LifecycleMail.objects.select_related("donation").get(occasion="sw:1")


def test_a_welcome_built_in_spanish_has_spanish_words_with_placeholders_filled(campaign):
    mail = _welcome_mail(campaign)
    message = LifecycleMessage.objects.get(kind="welcome")
    with translation.override("es"):
        email = message_build(mail=mail, message=message)
        amount = money_format(Decimal("25"), "USD", always_decimals=True)
    assert email.subject.startswith("Le damos la bienvenida y las gracias, de parte de ")
    assert "{" not in email.subject and "{" not in email.body
    assert email.body.startswith(f"Hola, Ana:\n\nSu donación de {amount} del ")
    assert "Con gratitud," in email.body
    assert "Welcome" not in email.subject and "Hello" not in email.body


def test_an_edited_donor_e_mail_is_sent_as_edited(campaign):
    mail = _welcome_mail(campaign)
    LifecycleMessage.objects.filter(kind="welcome").update(
        subject="A warm hello from the desk", body="Dear {name}, thanks for {amount}."
    )
    message = LifecycleMessage.objects.get(kind="welcome")
    with translation.override("es"):
        email = message_build(mail=mail, message=message)
        amount = money_format(Decimal("25"), "USD", always_decimals=True)
    assert email.subject == "A warm hello from the desk"
    assert email.body == f"Dear Ana, thanks for {amount}.\n"


def test_a_donor_e_mail_in_english_is_the_migrations_words(campaign):
    mail = _welcome_mail(campaign)
    message = LifecycleMessage.objects.get(kind="welcome")
    with translation.override("en"):
        email = message_build(mail=mail, message=message)
    assert email.subject.startswith("Welcome, and thank you, from ")
    assert email.body.startswith("Hello Ana,\n\nYour gift of $25.00 on ")
    assert "With gratitude," in email.body


def test_the_admins_preview_follows_the_active_language():
    message = LifecycleMessage.objects.get(kind="lapsed")
    with translation.override("fr"):
        subject, body = mail_render(
            message=message, values=sample_values(), unsubscribe_url="https://x.test/u/"
        )
    assert subject.startswith("Merci, et une question de la part de ")
    assert body.startswith("Bonjour Alex Reader,\n\nCela fait un moment")
