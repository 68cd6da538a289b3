"""Settings of the funding app, read at each use (so ``override_settings`` applies) from the
Django settings declared in ``newsdesk/settings/funding.py``.

Stripe keys are never in code: with no ``STRIPE_SECRET_KEY`` the demo provider takes
payments (no money moves).
"""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ImproperlyConfigured

from newsdesk.core.conf import setting


def _setting(name: str) -> str:
    return str(setting(name) or "")


def stripe_secret_key() -> str:
    return _setting("STRIPE_SECRET_KEY")


def stripe_publishable_key() -> str:
    return _setting("STRIPE_PUBLISHABLE_KEY")


def stripe_webhook_secret() -> str:
    return _setting("STRIPE_WEBHOOK_SECRET")


def stripe_api_base() -> str:
    """Where the Stripe library sends its calls (a local server in tests)."""
    return _setting("STRIPE_API_BASE")


def payment_provider() -> str:
    """``stripe`` when a secret key is set, else ``demo``."""
    return "stripe" if stripe_secret_key() else "demo"


def moves_no_money() -> bool:
    """True when a gift would move no money: the demo provider, or Stripe's test mode."""
    return payment_provider() == "demo" or stripe_secret_key().startswith(("sk_test_", "rk_test_"))


def test_payments_allowed() -> bool:
    """``FUNDING_TEST_PAYMENTS=1``: a production site (a staging copy) may take gifts that
    move no money. Off by default, so a newsroom cannot go live on the demo provider."""
    value = setting("FUNDING_TEST_PAYMENTS")
    if isinstance(value, str):  # a test or settings file may give the environment's spelling
        return value.strip().lower() in {"1", "true", "yes", "on"}
    return bool(value)


def is_production() -> bool:
    """Whether the site runs the newsroom's production settings (``NEWSDESK_PRODUCTION``,
    set by ``newsdesk.settings.production``)."""
    return bool(setting("NEWSDESK_PRODUCTION"))


def max_gift() -> Decimal:
    """The largest single gift the donate form accepts, in the campaign's currency units."""
    return Decimal(_setting("FUNDING_MAX_GIFT"))


def bar_cache_seconds() -> int:
    """How long the rendered campaign bar is cached; a donation empties it at once."""
    return int(setting("FUNDING_BAR_CACHE_SECONDS"))


def donate_rate_per_ip() -> tuple[int, int]:
    """(requests, seconds) a single address may start donations or demo payments."""
    return int(setting("FUNDING_DONATE_RATE")), 60


def _decimal_setting(name: str, *, low: Decimal, high: Decimal | None) -> Decimal:
    """A decimal setting within bounds; anything else stops the site with the name to fix."""
    text = _setting(name).strip()
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ImproperlyConfigured(f"{name} must be a decimal number, not {text!r}.") from None
    if not value.is_finite() or value < low or (high is not None and value >= high):
        bound = f"at least {low}" + (f" and below {high}" if high is not None else "")
        raise ImproperlyConfigured(f"{name} must be {bound}, not {text!r}.")
    return value


def fee_percent() -> Decimal:
    """The provider's fee as a percentage of a charge (``FUNDING_FEE_PERCENT``, 0 to <100)."""
    return _decimal_setting("FUNDING_FEE_PERCENT", low=Decimal(0), high=Decimal(100))


def fee_fixed() -> Decimal:
    """The provider's fixed fee per charge, in the campaign's currency units
    (``FUNDING_FEE_FIXED``, 0 or more)."""
    return _decimal_setting("FUNDING_FEE_FIXED", low=Decimal(0), high=None)


def receipt_issuer_lines() -> list[str]:
    """``FUNDING_RECEIPT_ISSUER``: the newsroom's name, address and tax text for receipts,
    one line each (separated by ``|``); empty when not set (receipts use the site's name)."""
    return [line.strip() for line in _setting("FUNDING_RECEIPT_ISSUER").split("|") if line.strip()]


def renewal_reminder_days() -> int:
    """How many days before the first anniversary of a one-time gift its donor is reminded."""
    return int(setting("FUNDING_RENEWAL_REMINDER_DAYS"))
