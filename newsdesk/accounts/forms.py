"""Forms of the accounts app: erasing an account, and the sign-up form's one addition to
allauth's, the name a reader's comments show.

The e-mail address is the one identifier (sign-up and sign-in); the public name is not an
identifier at all: two readers may share one, it may have spaces and accents, and it is never
used to sign in. Left empty, the reader is shown by the neutral name the adapter gives
("reader-" and digits), never by anything taken from the address.
"""

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class AccountEraseForm(forms.Form):
    """The reader re-enters their password to erase their account."""

    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        max_length=4096,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


PUBLIC_NAME_MAX = 60


class ReaderSignupForm(forms.Form):
    """Fields allauth adds to its sign-up form (``ACCOUNT_SIGNUP_FORM_CLASS``)."""

    public_name = forms.CharField(
        label=_("Name shown with your comments"),
        max_length=PUBLIC_NAME_MAX,
        required=False,
        help_text=_("Your e-mail address is never shown. You sign in with it, not with this name."),
        widget=forms.TextInput(attrs={"autocomplete": "nickname"}),
    )

    def clean_public_name(self) -> str:
        name = " ".join(self.cleaned_data.get("public_name", "").split())
        if "@" in name:
            raise forms.ValidationError(
                gettext("A public name cannot contain “@”: it would look like an address.")
            )
        return name

    def signup(self, request, user) -> None:
        """allauth calls this once the account exists: keep the public name on it."""
        user.first_name = self.cleaned_data.get("public_name", "")
        user.save(update_fields=["first_name"])


class DisplayNameForm(forms.Form):
    """The account page's form for the name the reader's comments show (validated by
    ``services_account.display_name_clean``, so the service refuses what the form would)."""

    name = forms.CharField(
        label=_("Name shown with your comments"),
        max_length=PUBLIC_NAME_MAX * 2,
        required=False,
        help_text=_(
            "Others see this name beside your comments. Your e-mail address is never shown."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "nickname", "maxlength": PUBLIC_NAME_MAX}),
    )
