"""Settings of the newsletters' sign-up (lists and consent), read at use by
``newsletters/services/subscriptions.py``."""

from .env import env_int

# Sign-up requests (any form) one client address (IPv4, or an IPv6 /64) may send an hour.
NEWSLETTER_SIGNUPS_PER_IP = env_int("NEWSLETTER_SIGNUPS_PER_IP", 10)
# Confirmation (and new-link) e-mails one address may receive a day, whoever asks: a
# stranger cannot fill someone's inbox through the sign-up form.
NEWSLETTER_CONFIRM_MAILS_PER_ADDRESS = env_int("NEWSLETTER_CONFIRM_MAILS_PER_ADDRESS", 3)
# Asking again within this many minutes sends no second e-mail (the first is on its way).
NEWSLETTER_CONFIRM_RESEND_MINUTES = env_int("NEWSLETTER_CONFIRM_RESEND_MINUTES", 10)
# How long a confirmation link works.
NEWSLETTER_CONFIRM_DAYS = env_int("NEWSLETTER_CONFIRM_DAYS", 7)
