"""Money: ``Decimal`` amounts with an ISO 4217 currency code, never floats.

Amounts are stored as ``Decimal`` with two decimal places; only currencies whose minor unit
is 0 or 2 digits are supported, so every amount is exact in storage and in Stripe's integer
minor units. Amounts are shown in one place, ``money_format``: as the site's language writes
them (``LANGUAGE_CODE``, through Babel's CLDR data): ``$1,792.50`` in English, ``1.792,50 US$``
in Spanish, ``1 792,50 $US`` in French.
"""

import functools
import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from babel import Locale, UnknownLocaleError
from babel.numbers import format_currency
from django.conf import settings
from django.utils.translation import get_language
from django.utils.translation import gettext as _

# A ServiceError (no longer a ValueError: every caller catches it by this name), kept
# importable from here where it is raised.
from newsdesk.funding.errors import MoneyError


@dataclass(frozen=True)
class Currency:
    code: str
    symbol: str
    minor_digits: int  # 2 for cents, 0 for yen


CURRENCIES: dict[str, Currency] = {
    c.code: c
    for c in (
        Currency("USD", "$", 2),
        Currency("EUR", "€", 2),
        Currency("GBP", "£", 2),
        Currency("CHF", "CHF", 2),
        Currency("CAD", "CA$", 2),
        Currency("AUD", "A$", 2),
        Currency("JPY", "¥", 0),
    )
}
CURRENCY_CHOICES = [(code, code) for code in CURRENCIES]

# Ledger columns hold up to 10^10 in any currency.
AMOUNT_MAX_DIGITS = 12
AMOUNT_DECIMAL_PLACES = 2


def currency_get(code: str) -> Currency:
    currency = CURRENCIES.get((code or "").upper())
    if currency is None:
        raise MoneyError(_("The currency %(code)s is not supported.") % {"code": repr(code)})
    return currency


def amount_parse(text: str, *, currency: str, maximum: Decimal) -> Decimal:
    """Parse what a reader typed into an exact amount, or raise ``MoneyError`` saying why.

    Accepts ``25``, ``25.5``, ``1,000.00``; refuses letters, exponents, zero, negatives, more
    decimals than the currency has, and anything above ``maximum``.
    """
    cur = currency_get(currency)
    cleaned = (text or "").strip().replace(",", "").replace(" ", "")
    if not cleaned:
        raise MoneyError(_("Enter an amount."))
    if not all(ch.isdigit() or ch in ".-+" for ch in cleaned) or cleaned.count(".") > 1:
        raise MoneyError(_("Enter the amount as a number, such as 25 or 12.50."))
    try:
        amount = Decimal(cleaned)
    except InvalidOperation as error:
        raise MoneyError(_("Enter the amount as a number, such as 25 or 12.50.")) from error
    if not amount.is_finite():
        raise MoneyError(_("Enter the amount as a number, such as 25 or 12.50."))
    if amount <= 0:
        raise MoneyError(_("The amount must be more than zero."))
    if -amount.as_tuple().exponent > cur.minor_digits:
        if cur.minor_digits == 0:
            raise MoneyError(
                _("Amounts in %(currency)s have no decimals.") % {"currency": cur.code}
            )
        raise MoneyError(
            _("Amounts in %(currency)s have at most %(digits)s decimals.")
            % {"currency": cur.code, "digits": cur.minor_digits}
        )
    if amount > maximum:
        raise MoneyError(
            _("The largest gift we can take online is %(amount)s.")
            % {"amount": money_format(maximum, cur.code)}
        )
    return amount.quantize(Decimal(1).scaleb(-AMOUNT_DECIMAL_PLACES))


def to_minor_units(amount: Decimal, *, currency: str) -> int:
    """``12.50`` USD → ``1250``: what Stripe's ``unit_amount`` takes."""
    cur = currency_get(currency)
    minor = amount.scaleb(cur.minor_digits)
    if minor != minor.to_integral_value():
        raise MoneyError(
            _("%(amount)s has more decimals than %(currency)s allows.")
            % {"amount": amount, "currency": cur.code}
        )
    return int(minor)


def from_minor_units(minor: int, *, currency: str) -> Decimal:
    """``1250`` USD → ``Decimal("12.50")``: what the ledger stores."""
    cur = currency_get(currency)
    return (Decimal(int(minor)).scaleb(-cur.minor_digits)).quantize(Decimal("0.01"))


@functools.lru_cache(maxsize=32)
def _babel_locale(language: str) -> Locale:
    """``en-us`` → Babel's ``en_US``; a language CLDR does not know falls back to its base
    language, then to English, so a site never fails to show an amount."""
    for candidate in (language, language.split("-")[0].split("_")[0], "en"):
        try:
            return Locale.parse(candidate.replace("_", "-"), sep="-")
        except (UnknownLocaleError, ValueError):
            continue
    return Locale("en")


@functools.lru_cache(maxsize=32)
def _whole_pattern(locale: Locale) -> str:
    """The locale's currency pattern without its decimals (``¤#,##0.00`` → ``¤#,##0``)."""
    pattern = locale.currency_formats["standard"].pattern
    return re.sub(r"\.[0#]+", "", pattern)


def money_format(
    amount: Decimal, currency: str, *, locale: str | None = None, always_decimals: bool = False
) -> str:
    """``amount`` in ``currency`` as ``locale`` writes it (default: the active language, the
    reader's or the site's ``LANGUAGE_CODE``).

    ``Decimal("1792.5")``, ``USD``: ``$1,792.50`` in ``en-us``, ``1.792,50\xa0US$`` in ``es``,
    ``1\u202f792,50\xa0$US`` in ``fr`` (the locale's own non-breaking spaces, so an amount
    never wraps). Cents are shown only when there are any, unless ``always_decimals``
    (receipts); a currency without minor units (JPY) never shows them. The one function every
    page, e-mail and report shows amounts with (``{{ amount|money:currency }}`` in templates).
    """
    code = (currency or "").upper()
    known = CURRENCIES.get(code)
    digits = known.minor_digits if known else 2
    babel_locale = _babel_locale(locale or get_language() or settings.LANGUAGE_CODE)
    amount = Decimal(amount)
    whole = amount == amount.to_integral_value()
    if digits == 0 or (whole and not always_decimals):
        return format_currency(
            amount.quantize(Decimal(1), rounding=ROUND_HALF_UP),
            code,
            format=_whole_pattern(babel_locale),
            locale=babel_locale,
            currency_digits=False,
        )
    return format_currency(
        amount.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP), code, locale=babel_locale
    )
