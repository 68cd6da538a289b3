"""Settings of the funding app, read when used (so tests can override them).

Each value comes from Django settings if set there, else from the environment, else a
default that works on a laptop. Stripe keys are never in code: with no ``STRIPE_SECRET_KEY``
the demo provider takes payments (no money moves).
"""

import os
from decimal import Decimal

from django.conf import settings


def _setting(name: str, default: str = "") -> str:
    value = getattr(settings, name, None)
    if value is None:
        value = os.environ.get(name, default)
    return value


def stripe_secret_key() -> str:
    return _setting("STRIPE_SECRET_KEY")


def stripe_publishable_key() -> str:
    return _setting("STRIPE_PUBLISHABLE_KEY")


def stripe_webhook_secret() -> str:
    return _setting("STRIPE_WEBHOOK_SECRET")


def stripe_api_base() -> str:
    """Where the Stripe library sends its calls (a local server in tests)."""
    return _setting("STRIPE_API_BASE", "https://api.stripe.com")


def payment_provider() -> str:
    """``stripe`` when a secret key is set, else ``demo``."""
    return "stripe" if stripe_secret_key() else "demo"


def moves_no_money() -> bool:
    """True when a gift would move no money: the demo provider, or Stripe's test mode."""
    return payment_provider() == "demo" or stripe_secret_key().startswith(("sk_test_", "rk_test_"))


def test_payments_allowed() -> bool:
    """``FUNDING_TEST_PAYMENTS=1``: a production site (a staging copy) may take gifts that
    move no money. Off by default, so a newsroom cannot go live on the demo provider."""
    return _setting("FUNDING_TEST_PAYMENTS", "").strip().lower() in {"1", "true", "yes", "on"}


def is_production() -> bool:
    """Whether the site runs the newsroom's production settings (``NEWSDESK_PRODUCTION``,
    set by ``newsdesk.settings.production``)."""
    return bool(getattr(settings, "NEWSDESK_PRODUCTION", False))


def max_gift() -> Decimal:
    """The largest single gift the donate form accepts, in the campaign's currency units."""
    return Decimal(_setting("FUNDING_MAX_GIFT", "100000"))


def bar_cache_seconds() -> int:
    """How long the rendered campaign bar is cached; a donation empties it at once."""
    return int(_setting("FUNDING_BAR_CACHE_SECONDS", "300"))


def donate_rate_per_ip() -> tuple[int, int]:
    """(requests, seconds) a single address may start donations or demo payments."""
    return int(_setting("FUNDING_DONATE_RATE", "10")), 60
