"""Receipts as PDF and the yearly statement (``funding/receipts_pdf.py``), read back with
pypdf, and served only to the reader whose verified address gave the gift."""

import io
from datetime import datetime
from decimal import Decimal

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.utils import timezone
from pypdf import PdfReader

from newsdesk.funding.models import Donation
from newsdesk.funding.receipts_pdf import receipt_pdf, statement_pdf
from newsdesk.funding.selectors_receipts import receipt_years, statement_for
from newsdesk.funding.services.ledger import donation_record
from newsdesk.funding.tests.helpers import make_campaign

pytestmark = pytest.mark.django_db
CORE_FONT = ()  # ``fonts=()``: the PDF core font, as on a machine without DejaVu


def text_of(content: bytes) -> str:
    assert content.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)


@pytest.fixture
def campaign(db):
    return make_campaign(name="Keep the dam reporting")


def gift(
    campaign,
    *,
    reference: str,
    amount: str = "25.00",
    fee: str = "0",
    email: str = "zoe@example.org",
    name: str = "Zoë Œuvre",
    provider: str = "stripe",
    when: datetime | None = None,
    currency: str = "USD",
) -> Donation:
    donation = donation_record(
        provider=provider,
        provider_reference=reference,
        kind="payment",
        amount=Decimal(amount),
        fee_covered=Decimal(fee),
        currency=currency,
        campaign=campaign,
        payment_intent_id=reference,
        donor_email=email,
        donor_name=name,
        received_at=when,
    )
    assert donation is not None
    return donation


def refund(payment: Donation, amount: str, *, reference: str, related: Donation | None = None):
    return donation_record(
        provider=payment.provider,
        provider_reference=reference,
        kind="refund",
        amount=-Decimal(amount),
        currency=payment.currency,
        related_payment=related or payment,
    )


@pytest.mark.parametrize("fonts", [None, CORE_FONT], ids=["dejavu", "core-font"])
def test_a_receipt_names_the_gift_the_fee_the_total_and_refunds(campaign, settings, fonts):
    settings.FUNDING_RECEIPT_ISSUER = "The Valley Ledger | 1 Mill Road, Riverton | Charity no. 1234"
    payment = gift(campaign, reference="pi_receipt_1", fee="1.06")
    fee_row = payment.reversals.get(kind="fee_cover")
    refund(payment, "5.00", reference="re_1")
    refund(payment, "20.00", reference="re_2")
    refund(payment, "1.06", reference="re_3", related=fee_row)
    text = text_of(receipt_pdf(donation=payment, fonts=fonts))
    for expected in [
        "The Valley Ledger",
        "Charity no. 1234",
        "Receipt number: pi_receipt_1",
        "Keep the dam reporting",
        "Gift $25.00",
        "Card fees you covered $1.06",
        "Total charged $26.06",
        "-$5.00",
        "-$20.00",
        "(of the fees) -$1.06",
        "Kept after refunds $0.00",
    ]:
        assert expected in text, expected
    if fonts is None:
        assert "Zoë Œuvre" in text
    else:  # the core font spells what Latin-1 lacks
        assert "Zoë OEuvre" in text
    assert "no money moved" not in text


@pytest.mark.parametrize("fonts", [None, CORE_FONT], ids=["dejavu", "core-font"])
@pytest.mark.parametrize(
    "name", ["Łukasz Żółć", "张伟", "Ελένη", "O'Brien <b>&amp;", "\u202e\u200b"]
)
def test_names_outside_latin1_never_break_a_receipt(campaign, fonts, name):
    payment = gift(campaign, reference=f"pi_name_{abs(hash(name))}", name=name)
    text = text_of(receipt_pdf(donation=payment, fonts=fonts))
    assert "Receipt number" in text
    if fonts == CORE_FONT and name.startswith("Ł"):
        assert "Lukasz Zólc" in text  # ó is Latin-1; Ł, Ż, ł are spelled


def test_a_demo_receipt_says_no_money_moved(campaign, settings):
    settings.FUNDING_RECEIPT_ISSUER = ""
    payment = gift(campaign, reference="pi_demo_receipt", provider="demo")
    text = text_of(receipt_pdf(donation=payment))
    assert "no money moved" in text
    assert "Newsdesk" in text or text.split()[0]  # the site's name heads it without a setting


def test_amounts_follow_the_sites_language(campaign, settings):
    settings.LANGUAGE_CODE = "fr"
    payment = gift(campaign, reference="pi_french", amount="1792.50")
    text = text_of(receipt_pdf(donation=payment))
    assert "1 792,50 $US" in text.replace("\u202f", " ").replace("\xa0", " ")


def test_a_statement_lists_the_years_payments_fees_and_refunds_with_totals(campaign):
    zone = timezone.get_current_timezone()
    in_year = datetime(2025, 3, 4, 12, tzinfo=zone)
    first = gift(campaign, reference="pi_s1", fee="1.06", when=in_year)
    gift(campaign, reference="pi_s2", amount="10.00", when=datetime(2025, 11, 1, tzinfo=zone))
    euros = make_campaign(currency="EUR", name="Euro drive")
    gift(euros, reference="pi_s3", amount="15.00", fee="0.77", currency="EUR", when=in_year)
    refund(first, "5.00", reference="re_s1")
    gift(campaign, reference="pi_other_year", when=datetime(2024, 12, 31, tzinfo=zone))
    gift(campaign, reference="pi_someone_else", email="ben@example.org", when=in_year)

    statement = statement_for(emails=["Zoe@Example.org"], year=2025)
    refs = [row.provider_reference for row in statement.rows]
    assert "pi_other_year" not in refs and "pi_someone_else" not in refs
    totals = {t.currency: (t.gifts, t.fees, t.net) for t in statement.totals}
    # A refund recorded today belongs to today's year, not 2025.
    assert totals["USD"] == (Decimal("35.00"), Decimal("1.06"), Decimal("36.06"))
    assert totals["EUR"] == (Decimal("15.00"), Decimal("0.77"), Decimal("15.77"))
    assert receipt_years(emails=["zoe@example.org"]) == [2025, 2024]

    text = text_of(statement_pdf(emails=["zoe@example.org"], year=2025))
    for expected in ["Your gifts in 2025", "pi_s1", "pi_s2", "pi_s3", "Total given in USD $36.06"]:
        assert expected in text, expected
    assert "€15.77" in text
    assert "pi_other_year" not in text and "pi_someone_else" not in text


def test_a_refund_shows_in_the_statement_of_its_own_year(campaign):
    payment = gift(campaign, reference="pi_refund_year", fee="1.06")
    refund(payment, "26.06", reference="re_whole_charge")
    text = text_of(statement_pdf(emails=["zoe@example.org"], year=timezone.now().year))
    assert "Refunded to you" in text and "-$26.06" in text


# --- the views: /account/receipts/ -----------------------------------------------------------
def reader(username: str, email: str, *, verified: bool = True):
    user = get_user_model().objects.create_user(username=username, email=email, password="x" * 20)
    EmailAddress.objects.create(user=user, email=email, verified=verified, primary=True)
    return user


def test_a_reader_downloads_the_receipt_of_their_own_gift(client, campaign):
    payment = gift(campaign, reference="pi_mine", fee="1.06", email="Zoe@Example.org")
    client.force_login(reader("zoe", "zoe@example.org"))
    response = client.get(f"/account/receipts/{payment.pk}.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "no-store" in response["Cache-Control"] or "private" in response["Cache-Control"]
    assert "Total charged $26.06" in text_of(response.content)
    year = timezone.localtime(payment.received_at).year
    statement = client.get(f"/account/receipts/{year}/statement.pdf")
    assert statement.status_code == 200 and "pi_mine" in text_of(statement.content)


def test_signed_out_readers_are_sent_to_sign_in(client, campaign):
    payment = gift(campaign, reference="pi_anon")
    response = client.get(f"/account/receipts/{payment.pk}.pdf")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_another_readers_gift_is_a_404_like_a_missing_one(client, campaign):
    theirs = gift(campaign, reference="pi_theirs", email="ben@example.org")
    client.force_login(reader("zoe", "zoe@example.org"))
    assert client.get(f"/account/receipts/{theirs.pk}.pdf").status_code == 404
    assert client.get("/account/receipts/999999.pdf").status_code == 404
    year = timezone.localtime(theirs.received_at).year
    assert client.get(f"/account/receipts/{year}/statement.pdf").status_code == 404


def test_an_unverified_address_added_to_an_account_opens_no_receipt(client, campaign):
    theirs = gift(campaign, reference="pi_typed", email="ben@example.org")
    attacker = reader("mallory", "mallory@example.org")
    EmailAddress.objects.create(user=attacker, email="ben@example.org", verified=False)
    client.force_login(attacker)
    assert client.get(f"/account/receipts/{theirs.pk}.pdf").status_code == 404
    year = timezone.localtime(theirs.received_at).year
    assert client.get(f"/account/receipts/{year}/statement.pdf").status_code == 404


def test_rows_that_are_not_payments_have_no_receipt_of_their_own(client, campaign):
    payment = gift(campaign, reference="pi_fee_row", fee="1.06")
    fee_row = payment.reversals.get(kind="fee_cover")
    client.force_login(reader("zoe", "zoe@example.org"))
    assert client.get(f"/account/receipts/{fee_row.pk}.pdf").status_code == 404


def test_only_get_is_answered(client, campaign):
    payment = gift(campaign, reference="pi_post")
    client.force_login(reader("zoe", "zoe@example.org"))
    assert client.post(f"/account/receipts/{payment.pk}.pdf").status_code == 405
