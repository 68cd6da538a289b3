"""System checks of the funding app: a production site must not take gifts that move no money.

Django runs them before ``manage.py migrate``, ``serve`` and ``worker``; ``newsdesk.wsgi``
runs them too (gunicorn runs no system checks by itself), so an Error here stops the site.
"""

from django.core import checks

from newsdesk.funding import conf

TAG = "funding"


@checks.register(TAG)
def payment_provider_is_real_in_production(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """Errors when production settings would let readers "give" without paying: the demo
    provider (no ``STRIPE_SECRET_KEY``) or Stripe's test-mode keys, unless the operator opted
    in with ``FUNDING_TEST_PAYMENTS=1``; and Stripe without ``STRIPE_WEBHOOK_SECRET``, where
    readers would pay and the ledger would never hear of it."""
    if not conf.is_production():
        return []
    errors = []
    if conf.moves_no_money() and not conf.test_payments_allowed():
        what = (
            "the demo payment provider (STRIPE_SECRET_KEY is not set)"
            if conf.payment_provider() == "demo"
            else "Stripe test-mode keys"
        )
        errors.append(
            checks.Error(
                f"Production settings with {what}: readers' gifts would be recorded and "
                "thanked, and no money would move.",
                hint="Set STRIPE_SECRET_KEY (a live key) and STRIPE_WEBHOOK_SECRET; or, for a "
                "staging site only, FUNDING_TEST_PAYMENTS=1.",
                id="funding.E001",
            )
        )
    if conf.payment_provider() == "stripe" and not conf.stripe_webhook_secret():
        errors.append(
            checks.Error(
                "STRIPE_SECRET_KEY is set but STRIPE_WEBHOOK_SECRET is not: Stripe would take "
                "readers' money and every webhook would be refused, so no gift is recorded.",
                hint="Set STRIPE_WEBHOOK_SECRET to the signing secret of the webhook endpoint "
                "at /webhooks/stripe/ (see newsdesk/funding/README.md).",
                id="funding.E002",
            )
        )
    return errors
