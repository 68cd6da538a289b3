"""Sign-in and readers' accounts: Django's auth and django-allauth."""

from .env import env_int, env_str
from .project import SITE_URL

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/"

# Readers sign up and sign in with one identifier, their e-mail address, which they must
# verify and which is never shown publicly. Django and Wagtail still need a username: the
# adapter gives each new reader a neutral one ("reader-" and digits), never derived from the
# address. The name their comments show is the public name they may give at sign-up
# (accounts/forms.py, kept as the user's first name), else that neutral one.
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_SIGNUP_FORM_CLASS = "newsdesk.accounts.forms.ReaderSignupForm"
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
# Unset (None), the adapter prefixes the subjects with the site's name: "[The Lantern] ".
ACCOUNT_EMAIL_SUBJECT_PREFIX = env_str("ACCOUNT_EMAIL_SUBJECT_PREFIX") or None
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if SITE_URL.startswith("https") else "http"
# Its rate limits and lock-out count the reader's address behind TRUSTED_PROXIES, not the proxy.
ACCOUNT_ADAPTER = "newsdesk.accounts.adapter.AccountAdapter"
# Sign-in by e-mail alone (allauth's login by code): a code of allauth's making, mailed to
# the address, signs the reader in. An address a guest commented or gave with and no account
# holds gets a new passwordless account (accounts/forms_signin.py); any other unknown address
# gets allauth's "no account here" mail, and the page says the same either way
# (ACCOUNT_PREVENT_ENUMERATION, allauth's default). Passwords keep working.
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
ACCOUNT_LOGIN_BY_CODE_TIMEOUT = 900  # seconds a code stays good (allauth: 180)
ACCOUNT_LOGIN_BY_CODE_MAX_ATTEMPTS = 3
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_FORMS = {"request_login_code": "newsdesk.accounts.forms_signin.ReaderLoginCodeForm"}
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    # Codes asked for: per client address, and per e-mail address (each one mails someone).
    "request_login_code": "20/m/ip,3/m/key,10/h/key",
    "login_failed": "10/m/ip,5/300s/key",
    "signup": "10/m/ip",
    "confirm_email": "1/180s/key",
    "reset_password": "10/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "change_password": "5/m/user",
    "manage_email": "10/m/user",
}

# --- Privacy (newsdesk/accounts/conf.py) ------------------------------------------------------
# The name shown on the comments of an erased account.
PRIVACY_PLACEHOLDER_NAME = env_str("PRIVACY_PLACEHOLDER_NAME", "Former reader")
# Downloads of "my data" (each builds a whole document) per hour: per address, per account.
PRIVACY_EXPORTS_PER_IP = env_int("PRIVACY_EXPORTS_PER_IP", 20)
PRIVACY_EXPORTS_PER_USER = env_int("PRIVACY_EXPORTS_PER_USER", 10)
# Erasure attempts (each checks a password) per 15 minutes: per address, per account.
PRIVACY_ERASE_ATTEMPTS_PER_IP = env_int("PRIVACY_ERASE_ATTEMPTS_PER_IP", 20)
PRIVACY_ERASE_ATTEMPTS_PER_USER = env_int("PRIVACY_ERASE_ATTEMPTS_PER_USER", 5)
