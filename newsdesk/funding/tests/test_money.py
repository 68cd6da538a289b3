"""Parsing and formatting money: exact decimals, clear refusals."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsdesk.funding.money import (
    MoneyError,
    amount_parse,
    from_minor_units,
    money_format,
    to_minor_units,
)

MAX = Decimal("100000")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("25", "25.00"),
        ("12.5", "12.50"),
        ("1,000.00", "1000.00"),
        (" 7 ", "7.00"),
        ("0.01", "0.01"),
    ],
)
def test_amounts_readers_type_are_read_exactly(text, expected):
    assert amount_parse(text, currency="USD", maximum=MAX) == Decimal(expected)


@pytest.mark.parametrize(
    "text", ["", "0", "0.00", "-1", "abc", "1e5", "Infinity", "NaN", "1.2.3", "12.345", "10" * 7]
)
def test_bad_amounts_are_refused(text):
    with pytest.raises(MoneyError):
        amount_parse(text, currency="USD", maximum=MAX)


def test_unsupported_currencies_are_refused():
    with pytest.raises(MoneyError, match="not supported"):
        amount_parse("10", currency="XBT", maximum=MAX)


def test_formatting_on_an_english_dollar_site():
    # More locales, the setting and the template filter: test_money_format.py.
    assert money_format(Decimal("2350"), "USD", locale="en-us") == "$2,350"
    assert money_format(Decimal("1730.5"), "USD", locale="en-us") == "$1,730.50"
    assert money_format(Decimal("12"), "EUR", locale="en-us", always_decimals=True) == "€12.00"
    assert money_format(Decimal("5000"), "JPY", locale="en-us") == "¥5,000"


@given(st.integers(min_value=1, max_value=10**10))
def test_minor_units_round_trip(minor):
    for currency in ("USD", "JPY"):
        assert (
            to_minor_units(from_minor_units(minor, currency=currency), currency=currency) == minor
        )
