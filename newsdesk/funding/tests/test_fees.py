"""The fee a donor adds so the newsroom nets the whole gift (``funding/fees.py``)."""

from decimal import Decimal

import pytest
from django.core.exceptions import ImproperlyConfigured

from newsdesk.funding.errors import MoneyError
from newsdesk.funding.fees import fee_for, fee_formula_text, fee_split


def _net(gift: Decimal, fee: Decimal, *, percent: Decimal, fixed: Decimal) -> Decimal:
    """What the provider leaves the newsroom of a charge of gift + fee."""
    charge = gift + fee
    return charge - charge * percent / 100 - fixed


@pytest.mark.parametrize(
    ("amount", "currency", "expected"),
    [
        # (25 + 0.30) / 0.971 = 26.0556... -> 26.06
        ("25", "USD", "1.06"),
        ("10", "EUR", "0.61"),  # 10.30 / 0.971 = 10.6076 -> 10.61
        ("100000", "USD", "2986.93"),  # the largest gift the form takes: 102986.93 charged
        ("1000", "JPY", "31"),  # 1000.30 / 0.971 = 1030.17 -> 1031 (whole yen)
        ("1", "JPY", "1"),  # 1.30 / 0.971 = 1.339 -> 2 charged
        ("100000", "JPY", "2987"),  # 100000.3 / 0.971 = 102986.92 -> 102987
    ],
)
def test_fee_grosses_up_and_rounds_up_to_the_currency_unit(amount, currency, expected, settings):
    settings.FUNDING_FEE_PERCENT = "2.9"
    settings.FUNDING_FEE_FIXED = "0.30"
    gift = Decimal(amount)
    fee = fee_for(amount=gift, currency=currency)
    charge = ((gift + Decimal("0.30")) / Decimal("0.971")).quantize(
        Decimal(1) if currency == "JPY" else Decimal("0.01"), rounding="ROUND_CEILING"
    )
    assert fee == charge - gift == Decimal(expected)
    # The newsroom nets at least the gift, and less than one unit more.
    net = _net(gift, fee, percent=Decimal("2.9"), fixed=Decimal("0.30"))
    unit = Decimal(1) if currency == "JPY" else Decimal("0.01")
    assert gift <= net < gift + unit
    assert fee.as_tuple().exponent == -2  # two places, as the ledger stores amounts
    if currency == "JPY":
        assert fee == fee.to_integral_value()


def test_the_tiniest_gift_pays_the_fixed_fee(settings):
    settings.FUNDING_FEE_PERCENT = "2.9"
    settings.FUNDING_FEE_FIXED = "0.30"
    # 0.31 / 0.971 = 0.31926 -> 0.32 charged; the newsroom nets 0.32 - 0.00928 - 0.30 >= 0.01
    assert fee_for(amount=Decimal("0.01"), currency="USD") == Decimal("0.31")


def test_the_formula_is_a_setting(settings):
    settings.FUNDING_FEE_PERCENT = "0"
    settings.FUNDING_FEE_FIXED = "0"
    assert fee_for(amount=Decimal("25"), currency="USD") == Decimal("0.00")
    settings.FUNDING_FEE_PERCENT = "1.5"
    settings.FUNDING_FEE_FIXED = "0.25"
    # 25.25 / 0.985 = 25.6345 -> 25.64
    assert fee_for(amount=Decimal("25"), currency="GBP") == Decimal("0.64")


@pytest.mark.parametrize(
    ("name", "value"),
    [("FUNDING_FEE_PERCENT", "100"), ("FUNDING_FEE_PERCENT", "-1"), ("FUNDING_FEE_FIXED", "x")],
)
def test_a_bad_formula_stops_with_the_setting_named(name, value, settings):
    setattr(settings, name, value)
    with pytest.raises(ImproperlyConfigured, match=name):
        fee_for(amount=Decimal("25"), currency="USD")


def test_bad_amounts_and_currencies_are_refused():
    with pytest.raises(ValueError):
        fee_for(amount=Decimal(0), currency="USD")
    with pytest.raises(MoneyError):
        fee_for(amount=Decimal(5), currency="XYZ")


def test_the_formula_in_words_for_readers_without_the_script(settings):
    settings.FUNDING_FEE_PERCENT = "2.9"
    settings.FUNDING_FEE_FIXED = "0.30"
    text = fee_formula_text(currency="USD")
    assert "2.9%" in text and "$0.30" in text


@pytest.mark.parametrize(
    ("metadata", "expected"),
    [
        ({"fee_covered": "106"}, ("25.00", "1.06")),
        ({}, ("26.06", "0")),
        ({"fee_covered": "-5"}, ("26.06", "0")),  # not a whole number of minor units
        ({"fee_covered": "2606"}, ("26.06", "0")),  # the whole charge cannot be the fee
        ({"fee_covered": "1.5"}, ("26.06", "0")),
    ],
)
def test_a_charge_is_split_into_gift_and_fee_from_its_metadata(metadata, expected):
    gift, fee = fee_split(total=Decimal("26.06"), currency="USD", metadata=metadata)
    assert (gift, fee) == (Decimal(expected[0]), Decimal(expected[1]))
