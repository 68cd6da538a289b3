"""The sign-up form (article, footer, after a gift) and the words it shows.

The consent text a reader agrees to is the one the box shows, kept here: the service records
this text, never one posted by the browser (a post cannot make us record words the form
did not show).
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from newsdesk.newsletters.models import ConsentSource

# The box's forms, by where they are shown.
BOX_SOURCES = (ConsentSource.ARTICLE, ConsentSource.FOOTER, ConsentSource.GIFT)
# Lazy: shown and recorded in the reader's language (``str()`` at the time of the request).
CONSENT_TEXT = _(
    "We send the newsletters you tick to this address, and nothing else. First, one e-mail "
    "asks you to confirm. Every newsletter has a link to leave it; we never share your "
    "address."
)
URL_MAX_CHARS = 500


class SignupForm(forms.Form):
    email = forms.EmailField(
        label=_("Your e-mail address"),
        max_length=254,
        error_messages={"invalid": _("Enter a whole e-mail address, like name@example.org.")},
    )
    newsletters = forms.MultipleChoiceField(
        label=_("Newsletters"),
        error_messages={"required": _("Choose at least one newsletter.")},
    )
    name = forms.CharField(label=_("Your first name (optional)"), max_length=100, required=False)
    source = forms.ChoiceField(choices=[(s.value, s.label) for s in BOX_SOURCES])
    url = forms.CharField(max_length=2000, required=False)
    # A field people never see (hidden by the page's style and from assistive technology):
    # a form that fills it is a robot's, answered as any other and written nowhere.
    website = forms.CharField(required=False)

    def __init__(self, *args, slugs: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["newsletters"].choices = [(slug, slug) for slug in slugs]
        self.fields["email"].error_messages["required"] = _("Enter your e-mail address.")

    def clean_url(self) -> str:
        """Only a path of this site is recorded as the page the consent came from."""
        url = self.cleaned_data.get("url", "")
        if not url.startswith("/") or url.startswith("//"):
            return ""
        return url[:URL_MAX_CHARS]


class LinkRequestForm(forms.Form):
    email = forms.CharField(label=_("Your e-mail address"), max_length=254, strip=True)
