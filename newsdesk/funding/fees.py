"""Donor covers the fees: what a reader adds to a gift so the newsroom nets all of it.

The provider takes ``percent`` of the whole charge plus a fixed part, so adding the fee to
the gift raises the fee too. The charge is grossed up: ``charge = (gift + fixed) /
(1 - percent/100)``, rounded *up* to the currency's smallest unit (a rounded-down charge
would leave the newsroom a cent short), and the fee is ``charge - gift``. The formula's
figures are settings (``FUNDING_FEE_PERCENT``, ``FUNDING_FEE_FIXED``, ``funding/conf.py``);
the server always computes the fee itself, never trusting one that was posted.
"""

from decimal import ROUND_CEILING, Decimal

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from newsdesk.funding import conf
from newsdesk.funding.money import currency_get, from_minor_units, money_format

HUNDRED = Decimal(100)


def _unit(currency: str) -> Decimal:
    """The currency's smallest amount: ``0.01`` for cents, ``1`` for yen."""
    return Decimal(1).scaleb(-currency_get(currency).minor_digits)


def fee_for(*, amount: Decimal, currency: str) -> Decimal:
    """What covers the provider's fees on a gift of ``amount`` (positive) in ``currency``.

    Rounded up to the currency's unit (whole units for a currency without minor units),
    returned with two decimal places as the ledger stores amounts; zero when the formula's
    figures are both zero. Raises ``MoneyError`` for an unsupported currency and
    ``ValueError`` for an amount that is not positive.
    """
    if amount <= 0:
        raise ValueError(f"A gift of {amount} has no fee.")
    unit = _unit(currency)
    percent = conf.fee_percent()
    fixed = conf.fee_fixed()
    charge = ((amount + fixed) / (1 - percent / HUNDRED)).quantize(unit, rounding=ROUND_CEILING)
    fee = charge - amount
    # A gift with more decimals than the currency has never comes from the form; the fee is
    # kept in the currency's units all the same.
    fee = fee.quantize(unit, rounding=ROUND_CEILING)
    return max(fee, Decimal(0)).quantize(Decimal("0.01"))


def fee_formula(*, currency: str) -> dict[str, str]:
    """The formula's figures for the donate page's script (``data-fee-*`` attributes)."""
    return {
        "percent": str(conf.fee_percent()),
        "fixed": str(conf.fee_fixed()),
        "digits": str(currency_get(currency).minor_digits),
    }


def fee_formula_text(*, currency: str) -> str:
    """The formula in words, for readers without the script: what they will be charged."""
    percent = conf.fee_percent().normalize()
    fixed = conf.fee_fixed()
    percent_text = (
        _("%(percent)s%%") % {"percent": number_format(Decimal(f"{percent:f}"))} if percent else ""
    )
    fixed_text = money_format(fixed, currency) if fixed else ""
    if percent_text and fixed_text:
        fees = _("%(percent)s plus %(fixed)s") % {"percent": percent_text, "fixed": fixed_text}
    else:
        fees = percent_text or fixed_text
    if not fees:
        return _("The card fees on this site are nothing, so there is nothing to add.")
    if _unit(currency) == 1:
        text = _(
            "The card fees are %(fees)s of what is charged; ticking this adds just enough "
            "that your whole gift reaches us (rounded up to the unit)."
        )
    else:
        text = _(
            "The card fees are %(fees)s of what is charged; ticking this adds just enough "
            "that your whole gift reaches us (rounded up to the cent)."
        )
    return text % {"fees": fees}


def fee_split(
    *, total: Decimal, currency: str, metadata: dict, fallback: Decimal = Decimal(0)
) -> tuple[Decimal, Decimal]:
    """(gift, fee) of a charge of ``total``: the metadata's ``fee_covered`` (minor units,
    set by our checkout) is the fee, else ``fallback``. A fee that is not a whole number of
    minor units or not below the total counts as none: the whole charge is then the gift."""
    text = str((metadata or {}).get("fee_covered", "")).strip()
    fee = from_minor_units(int(text), currency=currency) if text.isdigit() else fallback
    if fee <= 0 or fee >= total:
        return total, Decimal(0)
    return total - fee, fee
