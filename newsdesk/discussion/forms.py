"""The comment form readers fill in without JavaScript (and that the script submits too).

The form checks types only; the rules (lengths, closed threads, parents) are the services',
so the form, the script and the API answer alike.
"""

import time

from django import forms
from django.core import signing

from newsdesk.discussion import conf

STARTED_SALT = "newsdesk.discussion.form-started"


def form_started_token() -> str:
    """A signed timestamp put in the form when it is served (for time-to-submit)."""
    return signing.dumps(time.time(), salt=STARTED_SALT)


def submitted_after(token: str) -> float | None:
    """Seconds since the form was served, or None when the token is missing or forged."""
    try:
        started = signing.loads(token or "", salt=STARTED_SALT, max_age=7 * 24 * 3600)
    except signing.BadSignature:
        return None
    return max(0.0, time.time() - float(started))


class CommentForm(forms.Form):
    body = forms.CharField(
        label="Your comment",
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 5, "maxlength": conf.DISCUSSION_BODY_MAX_CHARS}),
        help_text="Markdown: *emphasis*, **bold**, [links](https://…), > quotes, lists, `code`.",
    )
    name = forms.CharField(label="Name", required=False, max_length=200)
    email = forms.CharField(
        label="E-mail (optional, never shown)",
        required=False,
        max_length=254,
        widget=forms.EmailInput(),
    )
    notify_replies = forms.BooleanField(label="E-mail me replies", required=False)
    subscribe = forms.BooleanField(label="E-mail me every new comment here", required=False)
    image = forms.FileField(
        label="Picture (optional)",
        required=False,
        widget=forms.ClearableFileInput(
            attrs={"accept": "image/jpeg,image/png,image/webp,image/gif"}
        ),
    )
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput)
    # A field people never see (hidden by the style sheet) that form-filling robots fill.
    website = forms.CharField(
        label="Leave this empty",
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    started = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("started", form_started_token())


class CommentEditForm(forms.Form):
    body = forms.CharField(
        label="Your comment",
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 6, "maxlength": conf.DISCUSSION_BODY_MAX_CHARS}),
    )
