"""The comment form readers fill in without JavaScript (and that the script submits too).

The form checks types only; the rules (lengths, closed threads, parents) are the services',
so the form, the script and the API answer alike.
"""

import time

from django import forms
from django.core import signing
from django.utils.translation import gettext_lazy as _

from newsdesk.discussion import conf

STARTED_SALT = "newsdesk.discussion.form-started"


STARTED_MAX_AGE = 7 * 24 * 3600


def form_started_token(*, at_seconds_ago: float = 0.0) -> str:
    """A signed timestamp put in the form when it is served (for time-to-submit); the API
    takes the same value as ``started``. ``at_seconds_ago`` dates it back (for tests)."""
    return signing.dumps(time.time() - at_seconds_ago, salt=STARTED_SALT)


def submitted_after(token: str) -> float | None:
    """Seconds since the form was served, as the form's (or an API post's) ``started`` says.

    None (unknown: no time check) when the token is missing or older than a week (a tab
    left open). A token that does not verify is 0.0, sent at once: no reader's browser
    alters a signed field, so a forged one is a bot's, through the form or the API alike.
    """
    if not token:
        return None
    try:
        started = float(signing.loads(token, salt=STARTED_SALT, max_age=STARTED_MAX_AGE))
    except signing.SignatureExpired:
        return None
    except (signing.BadSignature, TypeError, ValueError):
        return 0.0
    return max(0.0, time.time() - started)


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Your comment"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Markdown: *emphasis*, **bold**, [links](https://…), > quotes, lists, `code`."),
    )
    name = forms.CharField(label=_("Name"), required=False, max_length=200)
    email = forms.CharField(
        label=_("E-mail (optional, never shown)"),
        required=False,
        max_length=254,
        widget=forms.EmailInput(),
    )
    # Both wait for the address to be confirmed (one e-mail with a link), unless it is the
    # verified address of the reader's account: services/email_confirmations.py.
    notify_replies = forms.BooleanField(label=_("E-mail me replies"), required=False)
    subscribe = forms.BooleanField(label=_("E-mail me every new comment here"), required=False)
    image = forms.FileField(
        label=_("Picture (optional)"),
        required=False,
        widget=forms.ClearableFileInput(
            attrs={"accept": "image/jpeg,image/png,image/webp,image/gif"}
        ),
    )
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput)
    # A field people never see (hidden by the style sheet) that form-filling robots fill.
    website = forms.CharField(
        label=_("Leave this empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    started = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Read per form, not at import, so the setting of the moment applies.
        self.fields["body"].widget.attrs["maxlength"] = conf.DISCUSSION_BODY_MAX_CHARS
        if not self.is_bound:
            self.initial.setdefault("started", form_started_token())


class CommentEditForm(forms.Form):
    body = forms.CharField(
        label=_("Your comment"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 6}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].widget.attrs["maxlength"] = conf.DISCUSSION_BODY_MAX_CHARS
