"""Amounts as the site's language writes them (Babel's CLDR data), in one place:
``money_format`` and the ``money`` template filter, used by the campaign bar, the donate,
thanks and cancel pages, receipts and the treasurer's report."""

from decimal import Decimal

import pytest
from django.template import Context, Template
from django.test import override_settings

from newsdesk.funding.money import money_format

NBSP, NNBSP = "\u00a0", "\u202f"


@pytest.mark.parametrize(
    ("locale", "amount", "currency", "expected"),
    [
        ("en-us", "1792.50", "USD", "$1,792.50"),
        ("en-us", "1730", "USD", "$1,730"),
        ("en-us", "0", "USD", "$0"),
        ("en-us", "4700", "EUR", "€4,700"),
        ("en-us", "-12.5", "USD", "-$12.50"),
        ("es", "1792.50", "USD", f"1.792,50{NBSP}US$"),
        ("es", "1730", "EUR", f"1.730{NBSP}€"),
        ("es", "25", "EUR", f"25{NBSP}€"),
        ("fr", "1792.50", "EUR", f"1{NNBSP}792,50{NBSP}€"),
        ("fr", "1730", "USD", f"1{NNBSP}730{NBSP}$US"),
        ("de", "1730", "EUR", f"1.730{NBSP}€"),
        ("en-gb", "1792.5", "GBP", "£1,792.50"),
        ("en-us", "5000.4", "JPY", "¥5,000"),
    ],
)
def test_each_locale_writes_amounts_its_own_way(locale, amount, currency, expected):
    assert money_format(Decimal(amount), currency, locale=locale) == expected


def test_receipts_always_show_the_cents():
    assert money_format(Decimal("40"), "USD", locale="en-us", always_decimals=True) == "$40.00"
    assert money_format(Decimal("40"), "EUR", locale="fr", always_decimals=True) == f"40,00{NBSP}€"
    # A currency without minor units has none to show.
    assert money_format(Decimal("40"), "JPY", locale="en-us", always_decimals=True) == "¥40"


def test_the_site_language_decides_by_default():
    with override_settings(LANGUAGE_CODE="es"):
        assert money_format(Decimal("1730"), "USD") == f"1.730{NBSP}US$"
    with override_settings(LANGUAGE_CODE="en-us"):
        assert money_format(Decimal("1730"), "USD") == "$1,730"


def test_a_language_cldr_does_not_know_falls_back_to_its_base_then_english():
    assert money_format(Decimal("9.5"), "EUR", locale="fr-zz") == f"9,50{NBSP}€"
    assert money_format(Decimal("9.5"), "USD", locale="qq-zz") == "$9.50"


def test_amounts_never_wrap_inside():
    # The locale's own spaces inside an amount are non-breaking: "100 $" stays one line.
    for locale in ("es", "fr", "de"):
        assert " " not in money_format(Decimal("1234567.5"), "USD", locale=locale)


@override_settings(LANGUAGE_CODE="en-us")
def test_the_template_filter():
    template = Template(
        "{% load money %}{{ amount|money:currency }}|{{ amount|money_exact:currency }}"
        "|{{ missing|money:currency }}|{{ word|money:currency }}"
    )
    context = Context(
        {"amount": Decimal("1792.5"), "currency": "USD", "missing": None, "word": "soon"}
    )
    assert template.render(context) == "$1,792.50|$1,792.50||soon"
    context["amount"] = Decimal("25")
    assert template.render(context) == "$25|$25.00||soon"
