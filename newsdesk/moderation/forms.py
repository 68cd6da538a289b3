"""Forms of the moderation app: a reader's report, a moderator's ban."""

from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from newsdesk.moderation import conf
from newsdesk.moderation.models import BanKind, ReportReason


class ReportForm(forms.Form):
    reason = forms.ChoiceField(
        choices=ReportReason.choices, widget=forms.RadioSelect, label=_("Reason")
    )
    text = forms.CharField(
        label=_("Anything to add (optional)"),
        required=False,
        max_length=conf.REPORT_TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


EXPIRY_CHOICES = [
    ("", _("Never")),
    ("1", _("1 day")),
    ("7", _("7 days")),
    ("30", _("30 days")),
    ("365", _("1 year")),
]


class BanForm(forms.Form):
    # A guest is banned from one of their comments (the queue knows their key): not here.
    kind = forms.ChoiceField(
        choices=[c for c in BanKind.choices if c[0] != BanKind.GUEST], label=_("Kind")
    )
    target = forms.CharField(
        max_length=254,
        label=_("Target"),
        help_text=_(
            "A username, an e-mail address, an IP address or a network such as 203.0.113.0/24."
        ),
    )
    shadow = forms.BooleanField(required=False, label=_("Shadow ban"))
    expires_in_days = forms.TypedChoiceField(
        choices=EXPIRY_CHOICES, required=False, coerce=int, empty_value=None, label=_("Expires")
    )
    reason = forms.CharField(max_length=300, required=False, label=_("Reason"))


def expiry_from_days(days) -> object:
    return timezone.now() + timedelta(days=int(days)) if days else None
