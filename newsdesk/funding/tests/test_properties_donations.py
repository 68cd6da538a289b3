"""Properties of the donate form, whatever a reader types (hypothesis).

Any amount (Decimal edge cases, huge, negative, NaN, exponents, other scripts' digits),
currency and name: either the form answers 400 with an error and no Donation, provider event
or total is written, or it starts a valid checkout whose completion records exactly one gift
of a positive amount, with at most the currency's decimals, under the maximum, in the
campaign's currency, with the donor's name as plain text.
"""

import re
from decimal import Decimal, InvalidOperation

import pytest
from django.core.cache import cache
from django.test import Client
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from newsdesk.funding import conf
from newsdesk.funding.models import CampaignTotal, Donation, ProviderEvent
from newsdesk.funding.money import CURRENCIES
from newsdesk.funding.tests.helpers import make_campaign

pytestmark = pytest.mark.django_db
PROPERTY_SETTINGS = settings(
    max_examples=80,
    deadline=None,
    # The campaign and client fixtures are shared by the examples; each counts its own rows.
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

EDGE_AMOUNTS = [
    "NaN", "nan", "sNaN", "-NaN", "Infinity", "-Infinity", "inf", "1e3", "1E-2", "0", "-0",
    "0.00", "-5", "+5", "0.001", "0.01", "12.345", "1,000.00", "1 000", "1.000,00", "1..2",
    ".5", "5.", "\u0661\u0662", "\u0661\u0662\u066b\u0665", "\u0967\u0968", "\u00b2",
    "\u00bd", "\u216b", "\uff11\uff12", "\U0001d7d9\U0001d7da", "99999999999999999999999",
    "100000", "100000.01", "1" * 400, "0x10", "25 $", "$25", "€5", "  7  ", "",
]  # fmt: skip
decimal_text = st.decimals(allow_nan=True, allow_infinity=True).map(str)
plausible_amount = st.decimals(min_value="0.01", max_value="150000", places=2)
amount_text = st.one_of(
    st.sampled_from(EDGE_AMOUNTS),
    plausible_amount.map(str),
    plausible_amount.map(lambda amount: f"{amount:,}"),
    decimal_text,
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.text(max_size=30),
)


def _counts() -> tuple[int, int, int]:
    return Donation.objects.count(), ProviderEvent.objects.count(), CampaignTotal.objects.count()


@pytest.fixture
def campaign(db, settings):
    settings.STRIPE_SECRET_KEY = ""  # the demo provider: no money moves
    return make_campaign(goal="4700")


def _plain_decimal(text: str) -> Decimal | None:
    """The amount an ASCII ``25``/``1,000.50`` means, to compare with what was recorded."""
    cleaned = text.strip().replace(",", "")
    if not cleaned or not all(ch in "0123456789." for ch in cleaned):
        return None
    try:
        return Decimal(cleaned)
    except InvalidOperation:
        return None


@PROPERTY_SETTINGS
@given(
    amount=amount_text,
    currency=st.one_of(st.sampled_from([*CURRENCIES, "usd", "XYZ", ""]), st.text(max_size=9)),
    same_currency=st.sampled_from([True, True, True, False]),
    donor_name=st.one_of(st.just(""), st.text(max_size=120), st.just("<b onclick=x>Zoë</b>")),
    frequency=st.sampled_from(["once", "once", "monthly", "yearly", ""]),
)
def test_any_gift_is_refused_cleanly_or_recorded_exactly(
    campaign, django_capture_on_commit_callbacks, amount, currency, same_currency, donor_name,
    frequency,
):  # fmt: skip
    cache.clear()  # the donation rate limit is not what this test is about
    client = Client()
    data = {
        "campaign": str(campaign.pk),
        "currency": campaign.currency if same_currency else currency,
        "amount": "",
        "custom_amount": amount,
        "frequency": frequency,
        "email": "giver@example.org",
        "donor_name": donor_name,
        "message": "",
    }
    before = _counts()
    response = client.post("/donate/", data)
    event(f"donate answered {response.status_code}")
    if response.status_code == 400:
        assert b'class="errorlist' in response.content or b"error" in response.content
        assert _counts() == before
        return
    assert response.status_code == 302, response.status_code
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(response["Location"])
    assert done.status_code == 302
    assert Donation.objects.count() == before[0] + 1
    gift = Donation.objects.latest("pk")
    assert gift.currency == campaign.currency
    assert Decimal(0) < gift.amount <= conf.max_gift()
    assert gift.amount == gift.amount.quantize(Decimal("0.01"))
    # Plain text: markup removed (a lone "<" is text, and the templates escape it).
    assert not re.search(r"<[a-zA-Z/!?]", gift.donor_name), gift.donor_name
    expected = _plain_decimal(amount)
    if expected is not None:
        assert gift.amount == expected
