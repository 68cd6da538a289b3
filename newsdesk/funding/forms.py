"""The donate form: what a reader may give, checked before any provider is called."""

import uuid
from decimal import Decimal

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.models import Page

from newsdesk.funding import conf
from newsdesk.funding.fees import fee_for
from newsdesk.funding.models import Campaign
from newsdesk.funding.money import (
    CURRENCIES,
    MoneyError,
    amount_parse,
    currency_get,
    money_format,
)
from newsdesk.funding.text import plain_text_clean

MESSAGE_MAX = 500


class DonateForm(forms.Form):
    """A gift to an open campaign, in its currency. Any error leaves nothing charged."""

    campaign = forms.IntegerField(widget=forms.HiddenInput)
    currency = forms.CharField(max_length=8, widget=forms.HiddenInput)
    attempt = forms.CharField(max_length=64, required=False, widget=forms.HiddenInput)
    amount = forms.CharField(
        label=gettext_lazy("Amount"), required=False, max_length=40, widget=forms.RadioSelect
    )
    custom_amount = forms.CharField(
        label=gettext_lazy("Or another amount"),
        required=False,
        max_length=40,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )
    cover_fees = forms.BooleanField(
        label=gettext_lazy("Add the card fees to my gift"), required=False
    )
    frequency = forms.ChoiceField(
        label=gettext_lazy("How often"),
        choices=[
            ("once", gettext_lazy("Once")),
            ("monthly", gettext_lazy("Every month")),
        ],
        initial="once",
        widget=forms.RadioSelect,
    )
    email = forms.EmailField(
        label=gettext_lazy("E-mail for your receipt"),
        help_text=gettext_lazy("Never shown to anyone."),
        max_length=254,
    )
    donor_name = forms.CharField(
        label=gettext_lazy("Name for the donor wall (optional)"),
        required=False,
        max_length=80,
        help_text=gettext_lazy("Leave empty to give anonymously."),
    )
    message = forms.CharField(
        label=gettext_lazy("A message for the wall (optional)"),
        required=False,
        max_length=MESSAGE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, campaign: Campaign | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.campaign_obj = campaign
        if campaign is not None:
            presets = campaign.presets()
            self.fields["amount"].widget.choices = [
                (preset, money_format(Decimal(preset), campaign.currency)) for preset in presets
            ]
            # One preset is chosen as the page opens (the second, the usual suggested gift),
            # so "Continue" never meets an empty choice; a typed amount still wins.
            if presets:
                self.fields["amount"].initial = presets[min(1, len(presets) - 1)]
            self.fields["campaign"].initial = campaign.pk
            self.fields["currency"].initial = campaign.currency
        self.fields["attempt"].initial = uuid.uuid4().hex
        # The page (an article) the reader came from, named by the donate link's ``?from=``;
        # "from" is a Python keyword, hence added here rather than declared above.
        self.fields["from"] = forms.CharField(
            required=False, max_length=20, widget=forms.HiddenInput
        )

    def clean_attempt(self) -> str:
        attempt = self.cleaned_data.get("attempt") or ""
        try:
            return uuid.UUID(attempt).hex
        except ValueError:
            return uuid.uuid4().hex

    def clean(self):
        data = super().clean()
        campaign = Campaign.objects.filter(pk=data.get("campaign") or 0).first()
        if campaign is None or not campaign.is_open():
            raise forms.ValidationError(_("This campaign is closed and takes no more gifts."))
        currency = (data.get("currency") or "").upper()
        if currency not in CURRENCIES:
            raise forms.ValidationError(
                _("The currency %(code)s is not supported.") % {"code": currency or _("(none)")}
            )
        if currency != campaign.currency:
            raise forms.ValidationError(
                _("Gifts to this campaign are taken in %(currency)s.")
                % {"currency": campaign.currency}
            )
        text = (data.get("custom_amount") or "").strip() or (data.get("amount") or "")
        try:
            data["amount_value"] = amount_parse(text, currency=currency, maximum=conf.max_gift())
        except MoneyError as error:
            self.add_error("custom_amount", str(error))
        # The server computes the fee from the gift, whatever a page may have posted.
        amount = data.get("amount_value")
        data["fee_value"] = (
            fee_for(amount=amount, currency=currency)
            if data.get("cover_fees") and amount is not None
            else Decimal(0)
        )
        data["source_page_id"] = source_page_id_clean(data.get("from"))
        data["campaign_obj"] = campaign
        data["currency"] = currency
        data["donor_name"] = plain_text_clean(data.get("donor_name", ""), max_length=80)
        data["message"] = plain_text_clean(data.get("message", ""), max_length=MESSAGE_MAX)
        return data

    @property
    def amount_value(self) -> Decimal:
        return self.cleaned_data["amount_value"]

    @property
    def fee_value(self) -> Decimal:
        return self.cleaned_data["fee_value"]


def source_page_id_clean(value: object) -> int | None:
    """The id of the live page a gift came from, or None for anything else (ignored
    silently: a stale or typed link must never stop a gift)."""
    text = str(value or "").strip()
    if not text.isdigit() or len(text) > 18:
        return None
    page_id = int(text)
    return page_id if Page.objects.live().filter(pk=page_id).exists() else None


class ManualDonationForm(forms.Form):
    """A treasurer's record of money received outside the providers (or of its refund)."""

    campaign = forms.ModelChoiceField(
        queryset=Campaign.objects.all(), required=False, label=gettext_lazy("Campaign")
    )
    kind = forms.ChoiceField(
        label=gettext_lazy("Kind"),
        choices=[
            ("payment", gettext_lazy("Gift received")),
            ("refund", gettext_lazy("Refund paid back")),
        ],
    )
    method = forms.ChoiceField(
        label=gettext_lazy("Method"),
        choices=[
            ("bank_transfer", gettext_lazy("Bank transfer")),
            ("cash", gettext_lazy("Cash")),
            ("crypto", gettext_lazy("Crypto")),
            ("cheque", gettext_lazy("Cheque")),
            ("other", gettext_lazy("Other")),
        ],
    )
    amount = forms.DecimalField(
        label=gettext_lazy("Amount"), min_value=Decimal("0.01"), max_digits=12, decimal_places=2
    )
    currency = forms.ChoiceField(
        label=gettext_lazy("Currency"), choices=[(c, c) for c in CURRENCIES]
    )
    reference = forms.CharField(
        max_length=200,
        label=gettext_lazy("Reference"),
        help_text=gettext_lazy("The bank's or wallet's reference; unique in the ledger."),
    )
    refunds_reference = forms.CharField(
        max_length=200,
        required=False,
        label=gettext_lazy("Refunds reference"),
        help_text=gettext_lazy("For a refund: the reference of the gift."),
    )
    received_at = forms.DateTimeField(
        required=False, label=gettext_lazy("Received at"), help_text=gettext_lazy("Empty: now.")
    )
    donor_name = forms.CharField(
        max_length=80, required=False, label=gettext_lazy("Name for the donor wall")
    )
    donor_email = forms.EmailField(required=False, label=gettext_lazy("E-mail for a receipt"))
    message = forms.CharField(
        max_length=MESSAGE_MAX, required=False, widget=forms.Textarea, label=gettext_lazy("Message")
    )
    note = forms.CharField(
        max_length=255, required=False, label=gettext_lazy("Note for the accounts")
    )


# A refund's own limit is what is left of the gift, checked by the refund service under the
# ledger's lock; this bound only keeps a typed number within the ledger's columns.
REFUND_AMOUNT_BOUND = Decimal("9999999999")


class RefundForm(forms.Form):
    """A treasurer's refund of an online gift: how much (in the gift's currency) and why.

    ``attempt`` names the form served, so sending it twice refunds once.
    """

    attempt = forms.CharField(max_length=64, widget=forms.HiddenInput)
    amount = forms.CharField(
        label=gettext_lazy("Amount to refund"),
        max_length=40,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        max_length=255,
        help_text=gettext_lazy(
            "Kept with the refund for the ledger's readers, and sent to the provider."
        ),
    )

    def __init__(self, *args, currency: str, left: Decimal | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.currency = currency
        self.fields["amount"].label = _("Amount to refund (%(currency)s)") % {"currency": currency}
        if left is not None and left > 0:
            self.fields["amount"].help_text = _("Up to %(amount)s.") % {
                "amount": money_format(left, currency)
            }
            places = Decimal(1).scaleb(-currency_get(currency).minor_digits)
            self.fields["amount"].initial = str(left.quantize(places))
        if not self.is_bound:
            self.fields["attempt"].initial = uuid.uuid4().hex

    def clean_amount(self) -> Decimal:
        try:
            return amount_parse(
                self.cleaned_data["amount"], currency=self.currency, maximum=REFUND_AMOUNT_BOUND
            )
        except MoneyError as error:
            raise forms.ValidationError(str(error)) from error

    def clean_reason(self) -> str:
        return plain_text_clean(self.cleaned_data["reason"], max_length=255)
