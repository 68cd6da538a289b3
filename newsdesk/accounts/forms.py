"""Forms of the accounts app."""

from django import forms


class AccountEraseForm(forms.Form):
    """The reader re-enters their password to erase their account."""

    password = forms.CharField(
        label="Your password",
        strip=False,
        max_length=4096,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
