"""``{{ amount|money:currency }}``: an amount as the site's language writes it.

The template side of ``funding.money.money_format``, so pages, e-mails and the admin's report
show amounts one way. An amount that is not a number is shown as it is rather than failing
the page.
"""

from decimal import Decimal, InvalidOperation

from django import template

from newsdesk.funding.money import money_format

register = template.Library()


@register.filter
def money(amount, currency: str) -> str:
    """``{{ gift.amount|money:gift.currency }}`` → ``$25`` (``$25.50`` with cents)."""
    if amount is None or amount == "":
        return ""
    try:
        return money_format(Decimal(str(amount)), str(currency))
    except (InvalidOperation, ValueError):
        return str(amount)


@register.filter
def money_exact(amount, currency: str) -> str:
    """As ``money``, always with the currency's decimals (``$25.00``): receipts, the ledger."""
    if amount is None or amount == "":
        return ""
    try:
        return money_format(Decimal(str(amount)), str(currency), always_decimals=True)
    except (InvalidOperation, ValueError):
        return str(amount)
