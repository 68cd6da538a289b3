"""Settings of the funding app (reader revenue), read through ``funding/conf.py`` at use."""

from .env import env_bool, env_int, env_str

# Stripe keys are never in code: with no secret key the demo provider takes gifts and no
# money moves (production refuses that unless FUNDING_TEST_PAYMENTS: funding/checks.py).
STRIPE_SECRET_KEY = env_str("STRIPE_SECRET_KEY")
STRIPE_PUBLISHABLE_KEY = env_str("STRIPE_PUBLISHABLE_KEY")
STRIPE_WEBHOOK_SECRET = env_str("STRIPE_WEBHOOK_SECRET")
# Where the Stripe library sends its calls (a local server in tests).
STRIPE_API_BASE = env_str("STRIPE_API_BASE", "https://api.stripe.com")
# The largest single gift, in the campaign's currency units (a decimal number).
FUNDING_MAX_GIFT = env_str("FUNDING_MAX_GIFT", "100000")
# How long the rendered campaign bar is cached; a donation empties it at once.
FUNDING_BAR_CACHE_SECONDS = env_int("FUNDING_BAR_CACHE_SECONDS", 300)
# Donations or demo payments one address may start per minute.
FUNDING_DONATE_RATE = env_int("FUNDING_DONATE_RATE", 10)
# A production site (a staging copy) may take gifts that move no money.
FUNDING_TEST_PAYMENTS = env_bool("FUNDING_TEST_PAYMENTS", False)
# Set by newsdesk.settings.production: system checks that must stop a live site read it.
NEWSDESK_PRODUCTION = False
# "Donor covers the fees": the provider's fee formula, so the newsroom nets the whole gift.
# A percentage of the charge plus a fixed part in the campaign's currency units (Stripe's
# usual card price by default); a decimal number each.
FUNDING_FEE_PERCENT = env_str("FUNDING_FEE_PERCENT", "2.9")
FUNDING_FEE_FIXED = env_str("FUNDING_FEE_FIXED", "0.30")
# Who issues the receipts, as printed at the top of each PDF receipt and statement: the
# newsroom's legal name, address and tax text (charity number, "no goods or services were
# provided"…), lines separated by "|". Empty: the site's name.
FUNDING_RECEIPT_ISSUER = env_str("FUNDING_RECEIPT_ISSUER", "")
# A one-time donor's renewal reminder goes this many days before the first anniversary of
# their last gift (funding/selectors_lifecycle.py).
FUNDING_RENEWAL_REMINDER_DAYS = env_int("FUNDING_RENEWAL_REMINDER_DAYS", 14)
