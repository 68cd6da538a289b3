"""The donate form: what a reader may give, checked before any provider is called."""

import uuid
from decimal import Decimal

from django import forms
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
        label="Amount", required=False, max_length=40, widget=forms.RadioSelect
    )
    custom_amount = forms.CharField(
        label="Or another amount",
        required=False,
        max_length=40,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )
    cover_fees = forms.BooleanField(label="Add the card fees to my gift", required=False)
    frequency = forms.ChoiceField(
        label="How often",
        choices=[("once", "Once"), ("monthly", "Every month")],
        initial="once",
        widget=forms.RadioSelect,
    )
    email = forms.EmailField(
        label="E-mail for your receipt", help_text="Never shown to anyone.", max_length=254
    )
    donor_name = forms.CharField(
        label="Name for the donor wall (optional)",
        required=False,
        max_length=80,
        help_text="Leave empty to give anonymously.",
    )
    message = forms.CharField(
        label="A message for the wall (optional)",
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
            raise forms.ValidationError("This campaign is closed and takes no more gifts.")
        currency = (data.get("currency") or "").upper()
        if currency not in CURRENCIES:
            raise forms.ValidationError(f"The currency {currency or '(none)'} is not supported.")
        if currency != campaign.currency:
            raise forms.ValidationError(f"Gifts to this campaign are taken in {campaign.currency}.")
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

    campaign = forms.ModelChoiceField(queryset=Campaign.objects.all(), required=False)
    kind = forms.ChoiceField(choices=[("payment", "Gift received"), ("refund", "Refund paid back")])
    method = forms.ChoiceField(
        choices=[
            ("bank_transfer", "Bank transfer"),
            ("cash", "Cash"),
            ("crypto", "Crypto"),
            ("cheque", "Cheque"),
            ("other", "Other"),
        ]
    )
    amount = forms.DecimalField(min_value=Decimal("0.01"), max_digits=12, decimal_places=2)
    currency = forms.ChoiceField(choices=[(c, c) for c in CURRENCIES])
    reference = forms.CharField(
        max_length=200, help_text="The bank's or wallet's reference; unique in the ledger."
    )
    refunds_reference = forms.CharField(
        max_length=200, required=False, help_text="For a refund: the reference of the gift."
    )
    received_at = forms.DateTimeField(required=False, help_text="Empty: now.")
    donor_name = forms.CharField(max_length=80, required=False, label="Name for the donor wall")
    donor_email = forms.EmailField(required=False, label="E-mail for a receipt")
    message = forms.CharField(max_length=MESSAGE_MAX, required=False, widget=forms.Textarea)
    note = forms.CharField(max_length=255, required=False, label="Note for the accounts")


# A refund's own limit is what is left of the gift, checked by the refund service under the
# ledger's lock; this bound only keeps a typed number within the ledger's columns.
REFUND_AMOUNT_BOUND = Decimal("9999999999")


class RefundForm(forms.Form):
    """A treasurer's refund of an online gift: how much (in the gift's currency) and why.

    ``attempt`` names the form served, so sending it twice refunds once.
    """

    attempt = forms.CharField(max_length=64, widget=forms.HiddenInput)
    amount = forms.CharField(
        label="Amount to refund",
        max_length=40,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )
    reason = forms.CharField(
        label="Reason",
        max_length=255,
        help_text="Kept with the refund for the ledger's readers, and sent to the provider.",
    )

    def __init__(self, *args, currency: str, left: Decimal | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.currency = currency
        self.fields["amount"].label = f"Amount to refund ({currency})"
        if left is not None and left > 0:
            self.fields["amount"].help_text = f"Up to {money_format(left, currency)}."
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
