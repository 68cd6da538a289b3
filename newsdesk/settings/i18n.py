"""Languages: the site's own (``LANGUAGE_CODE``) and, where a newsroom enables several
(``SITE_LANGUAGES``), the reader's choice among them.

Every interface string is marked for translation; the project's catalogues (Spanish and
French, in each app's ``locale/``) are compiled from their ``.po`` files by the build
(``make`` runs ``manage.py catalogues_compile``; no ``.mo`` is committed). With one language
no locale middleware runs and every reader gets ``LANGUAGE_CODE``; with several,
``django.middleware.locale.LocaleMiddleware`` picks the reader's (their choice in the
footer, kept in a cookie, else their browser's) and the page cache keys its copies by it.
Wagtail's admin follows each staff member's own preference, as it does anyway.
"""

from django.core.exceptions import ImproperlyConfigured

from .env import env_str

# The languages the project ships catalogues for, by the names their speakers use.
SHIPPED_LANGUAGES = {"en": "English", "es": "Español", "fr": "Français"}
_SHIPPED = set(SHIPPED_LANGUAGES)


def _language(code: str, *, name: str) -> str:
    code = code.strip().lower().replace("_", "-")
    if code.split("-")[0] not in _SHIPPED:
        raise ImproperlyConfigured(
            f"{name}={code!r}: Newsdesk's interface comes in {', '.join(sorted(_SHIPPED))}."
        )
    return code


LANGUAGE_CODE = _language(env_str("LANGUAGE_CODE", "en"), name="LANGUAGE_CODE")
# The languages readers may choose among; the site's own always first.
SITE_LANGUAGES = [LANGUAGE_CODE] + [
    code
    for code in (
        _language(part, name="SITE_LANGUAGES")
        for part in env_str("SITE_LANGUAGES", "").split(",")
        if part.strip()
    )
    if code != LANGUAGE_CODE
]
SITE_LANGUAGE_CHOICE = len(SITE_LANGUAGES) > 1
# What readers may choose (the footer's form and the locale middleware read this list).
LANGUAGES = [(code, SHIPPED_LANGUAGES[code.split("-")[0]]) for code in SITE_LANGUAGES]
USE_I18N = True
# The reader's choice (the footer's form, django.views.i18n.set_language), for a year.
LANGUAGE_COOKIE_NAME = "newsdesk_language"
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LANGUAGE_COOKIE_SAMESITE = "Lax"
# Dates by name, per language (newsdesk/core/formats/: the site's own English order).
FORMAT_MODULE_PATH = ["newsdesk.core.formats"]
