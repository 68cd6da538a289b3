"""Funding in Spanish and French: the donate page, its errors, the receipt e-mail, the bar's
plurals and the donor wall follow the active language (English stays as it was)."""

from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.core import mail
from django.template.loader import render_to_string
from django.utils import translation

from newsdesk.funding.fees import fee_formula_text
from newsdesk.funding.services.ledger import donation_record
from newsdesk.funding.tasks import donation_receipt_send
from newsdesk.funding.tests.helpers import donate_form_data, make_campaign

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign(db):
    return make_campaign(goal="4700")


def test_the_donate_page_speaks_spanish(client, demo_provider, campaign):
    with translation.override("es"):
        html = client.get("/donate/").content.decode()
    assert "Apoye el periodismo independiente" in html
    assert "Continuar al pago" in html
    assert "Correo electrónico para su recibo" in html
    assert "Support independent reporting" not in html
    assert "Continue to payment" not in html
    # The fee script's words come from the page, translated.
    assert 'data-total-words="Total cobrado: {amount}"' in html


def test_a_donate_error_is_said_in_spanish(client, demo_provider, campaign):
    data = donate_form_data(
        campaign, attempt="0f0e0d0c0b0a09080706050403020100", amount="", custom_amount="0"
    )
    with translation.override("es"):
        response = client.post("/donate/", data)
    html = response.content.decode()
    assert response.status_code == 400
    assert "El importe debe ser mayor que cero." in html
    assert "The amount must be more than zero." not in html


def test_the_receipt_e_mail_is_written_in_spanish(campaign):
    donation = donation_record(
        provider="manual",
        provider_reference="es-1",
        kind="payment",
        amount=Decimal("25"),
        currency="USD",
        campaign=campaign,
        donor_name="Ana",
        donor_email="ana@example.org",
        send_mail=False,
    )
    with translation.override("es"):
        assert donation_receipt_send.call(donation_id=donation.pk)
    message = mail.outbox[-1]
    assert message.subject.startswith("Su donación de")
    assert message.subject.endswith(": gracias")
    assert "Gracias, Ana." in message.body
    assert "Recibimos su donación de" in message.body
    assert "Thank you" not in message.body and "We received" not in message.body


def test_the_donor_wall_speaks_french(client, campaign):
    with translation.override("fr"):
        html = client.get("/donate/wall/").content.decode()
    assert "Nos donateurs" in html
    assert "Pas encore de dons nominatifs." in html
    assert "Our donors" not in html


def test_the_fee_formula_in_french(settings):
    settings.FUNDING_FEE_PERCENT = "2.9"
    settings.FUNDING_FEE_FIXED = "0.30"
    with translation.override("fr"):
        text = fee_formula_text(currency="EUR")
    assert text.startswith("Les frais de carte sont de 2,9 % plus 0,30")
    assert "arrondi au centime supérieur" in text
    with translation.override("en"):
        text = fee_formula_text(currency="EUR")
    assert text.startswith("The card fees are 2.9% plus €0.30 of what is charged")


def _bar(*, donors: int, days_left: int) -> str:
    bar = SimpleNamespace(
        campaign_id=1,
        name="Drive",
        period_label="",
        reached=False,
        aria_max="100",
        aria_now="10",
        text="",
        percent=10,
        marks=[],
        raised_text="$10",
        donors=donors,
        days_left=days_left,
    )
    ask = SimpleNamespace(lapsed_after_days=400, lapsed_button="", current_show=False)
    return render_to_string(
        "funding/campaign_bar.html", {"bar": bar, "ask": ask, "donate_url": "/donate/"}
    )


def test_the_bar_counts_in_each_language():
    with translation.override("es"):
        one, many = _bar(donors=1, days_left=1), _bar(donors=3, days_left=5)
    assert "1 donante ·" in one and "queda 1 día" in one
    assert "3 donantes ·" in many and "quedan 5 días" in many
    assert "</strong> recaudados" in many and "</strong> raised" not in many
    assert "Donar</a>" in many
    with translation.override("fr"):
        # French counts 0 and 1 alike.
        zero = _bar(donors=0, days_left=0)
    assert "0 donateur ·" in zero and "0 jour restant" in zero
    with translation.override("en"):
        english = _bar(donors=1, days_left=2)
    assert "1 donor ·" in english and "2 days left" in english
