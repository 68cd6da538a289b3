"""Money: ``Decimal`` amounts with an ISO 4217 currency code, never floats.

Amounts are stored as ``Decimal`` with two decimal places; only currencies whose minor unit
is 0 or 2 digits are supported, so every amount is exact in storage and in Stripe's integer
minor units. The site's format follows its masthead bar: ``4,700 $``, ``12.50 €``.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

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
        raise MoneyError(f"The currency {code!r} is not supported.")
    return currency


def amount_parse(text: str, *, currency: str, maximum: Decimal) -> Decimal:
    """Parse what a reader typed into an exact amount, or raise ``MoneyError`` saying why.

    Accepts ``25``, ``25.5``, ``1,000.00``; refuses letters, exponents, zero, negatives, more
    decimals than the currency has, and anything above ``maximum``.
    """
    cur = currency_get(currency)
    cleaned = (text or "").strip().replace(",", "").replace(" ", "")
    if not cleaned:
        raise MoneyError("Enter an amount.")
    if not all(ch.isdigit() or ch in ".-+" for ch in cleaned) or cleaned.count(".") > 1:
        raise MoneyError("Enter the amount as a number, such as 25 or 12.50.")
    try:
        amount = Decimal(cleaned)
    except InvalidOperation as error:
        raise MoneyError("Enter the amount as a number, such as 25 or 12.50.") from error
    if not amount.is_finite():
        raise MoneyError("Enter the amount as a number, such as 25 or 12.50.")
    if amount <= 0:
        raise MoneyError("The amount must be more than zero.")
    if -amount.as_tuple().exponent > cur.minor_digits:
        if cur.minor_digits == 0:
            raise MoneyError(f"Amounts in {cur.code} have no decimals.")
        raise MoneyError(f"Amounts in {cur.code} have at most {cur.minor_digits} decimals.")
    if amount > maximum:
        raise MoneyError(
            f"The largest gift we can take online is {money_format(maximum, cur.code)}."
        )
    return amount.quantize(Decimal(1).scaleb(-AMOUNT_DECIMAL_PLACES))


def to_minor_units(amount: Decimal, *, currency: str) -> int:
    """``12.50`` USD → ``1250``: what Stripe's ``unit_amount`` takes."""
    cur = currency_get(currency)
    minor = amount.scaleb(cur.minor_digits)
    if minor != minor.to_integral_value():
        raise MoneyError(f"{amount} has more decimals than {cur.code} allows.")
    return int(minor)


def from_minor_units(minor: int, *, currency: str) -> Decimal:
    """``1250`` USD → ``Decimal("12.50")``: what the ledger stores."""
    cur = currency_get(currency)
    return (Decimal(int(minor)).scaleb(-cur.minor_digits)).quantize(Decimal("0.01"))


def money_format(amount: Decimal, currency: str, *, always_decimals: bool = False) -> str:
    """``Decimal("2350")``, ``USD`` → ``2,350 $``; cents shown only when there are any."""
    cur = CURRENCIES.get(currency.upper()) or Currency(currency.upper(), currency.upper(), 2)
    amount = Decimal(amount)
    whole = amount == amount.to_integral_value()
    if cur.minor_digits == 0 or (whole and not always_decimals):
        number = f"{amount.quantize(Decimal(1), rounding=ROUND_HALF_UP):,}"
    else:
        number = f"{amount.quantize(Decimal('0.01'), rounding=ROUND_HALF_UP):,}"
    return f"{number} {cur.symbol}"
