"""Campaigns, the append-only donations ledger, provider events and recurring gifts.

Every cent a reader gives is one ``Donation`` row; a refund or a dispute is a new row with a
negative amount, never an edit. A campaign's ``CampaignTotal`` rows are a stored sum of the
ledger, updated in the same transaction as the row that changes them, and checked by
``manage.py funding_recompute``.
"""

import calendar
import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy, gettext_noop
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting

from newsdesk.funding.money import (
    AMOUNT_DECIMAL_PLACES,
    AMOUNT_MAX_DIGITS,
    CURRENCY_CHOICES,
)


def _amount_field(**kwargs) -> models.DecimalField:
    return models.DecimalField(
        max_digits=AMOUNT_MAX_DIGITS, decimal_places=AMOUNT_DECIMAL_PLACES, **kwargs
    )


class Campaign(models.Model):
    """A fundraising goal shown in the bar on every page.

    A *fixed* campaign runs from ``starts_at`` to ``ends_at`` and has one period. A *monthly*
    campaign has the same goal every calendar month (in the site's time zone) from
    ``starts_at`` on: its period is computed from the date when a donation arrives or the bar
    is drawn, so it rolls to a new month by itself with no scheduled job. Only gifts in the
    campaign's ``currency`` count towards its totals.
    """

    class Kind(models.TextChoices):
        FIXED = "fixed", gettext_lazy("Fixed dates")
        MONTHLY = "monthly", gettext_lazy("Every month")

    name = models.CharField(max_length=120, verbose_name=gettext_lazy("name"))
    kind = models.CharField(
        max_length=10, choices=Kind.choices, default=Kind.FIXED, verbose_name=gettext_lazy("kind")
    )
    goal = _amount_field(
        help_text=gettext_lazy("What the campaign (or each month of it) aims to raise."),
        verbose_name=gettext_lazy("goal"),
    )
    currency = models.CharField(
        max_length=3, choices=CURRENCY_CHOICES, default="USD", verbose_name=gettext_lazy("currency")
    )
    starts_at = models.DateTimeField(default=timezone.now, verbose_name=gettext_lazy("starts at"))
    ends_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text=gettext_lazy("Required for a fixed campaign; ignored when monthly."),
        verbose_name=gettext_lazy("ends at"),
    )
    is_active = models.BooleanField(
        default=True,
        help_text=gettext_lazy("Inactive campaigns take no gifts and show no bar."),
        verbose_name=gettext_lazy("is active"),
    )
    preset_amounts = models.CharField(
        max_length=120,
        default="10,25,50,100",
        help_text=gettext_lazy("Amounts offered on the donate page, separated by commas."),
        verbose_name=gettext_lazy("preset amounts"),
    )
    pitch = models.TextField(
        blank=True,
        help_text=gettext_lazy("A few words on the donate page."),
        verbose_name=gettext_lazy("pitch"),
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=gettext_lazy("created at"))

    panels = [
        FieldPanel("name"),
        MultiFieldPanel(
            [FieldPanel("goal"), FieldPanel("currency"), FieldPanel("preset_amounts")],
            heading=gettext_lazy("Money"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("kind"),
                FieldPanel("starts_at"),
                FieldPanel("ends_at"),
                FieldPanel("is_active"),
            ],
            heading=gettext_lazy("When"),
        ),
        FieldPanel("pitch"),
    ]

    class Meta:
        verbose_name = gettext_lazy("campaign")
        verbose_name_plural = gettext_lazy("campaigns")
        ordering = ["-starts_at"]
        constraints = [
            models.CheckConstraint(condition=models.Q(goal__gt=0), name="campaign_goal_positive"),
            models.CheckConstraint(
                condition=~models.Q(kind="fixed") | models.Q(ends_at__isnull=False),
                name="campaign_fixed_has_end",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.kind == self.Kind.FIXED and not self.ends_at:
            raise ValidationError({"ends_at": gettext_lazy("A fixed campaign needs an end.")})
        if self.ends_at and self.starts_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": gettext_lazy("The end must come after the start.")})

    def period_start(self, moment: dt.datetime | None = None) -> dt.date:
        """The first day of the period that ``moment`` (default: now) falls in."""
        if self.kind == self.Kind.MONTHLY:
            return timezone.localdate(moment or timezone.now()).replace(day=1)
        return timezone.localdate(self.starts_at)

    def period_last_day(self, moment: dt.datetime | None = None) -> dt.date:
        if self.kind == self.Kind.MONTHLY:
            start = self.period_start(moment)
            return start.replace(day=calendar.monthrange(start.year, start.month)[1])
        return timezone.localdate(self.ends_at)

    def is_open(self, moment: dt.datetime | None = None) -> bool:
        """True when the campaign takes gifts at ``moment`` (default: now)."""
        moment = moment or timezone.now()
        if not self.is_active or moment < self.starts_at:
            return False
        return self.kind == self.Kind.MONTHLY or (
            self.ends_at is not None and moment < self.ends_at
        )

    def presets(self) -> list[str]:
        return [part.strip() for part in self.preset_amounts.split(",") if part.strip()]


class CampaignTotal(models.Model):
    """The stored sum of a campaign period's ledger rows (in the campaign's currency).

    ``donors`` counts distinct donors (by e-mail, else by gift) who gave in the period;
    refunds do not lower it. Written only by the ledger service, in the transaction that adds
    the donation; ``funding_recompute`` checks it against the ledger.
    """

    campaign = models.ForeignKey(
        Campaign,
        on_delete=models.CASCADE,
        related_name="totals",
        verbose_name=gettext_lazy("campaign"),
    )
    period_start = models.DateField(verbose_name=gettext_lazy("period start"))
    raised = _amount_field(default=0, verbose_name=gettext_lazy("raised"))
    donors = models.PositiveIntegerField(default=0, verbose_name=gettext_lazy("donors"))

    class Meta:
        verbose_name = gettext_lazy("campaign total")
        verbose_name_plural = gettext_lazy("campaign totals")
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "period_start"], name="campaign_total_one_per_period"
            )
        ]

    def __str__(self) -> str:
        return gettext("%(campaign)s from %(start)s: %(raised)s") % {
            "campaign": self.campaign,
            "start": self.period_start,
            "raised": self.raised,
        }


class ProviderEvent(models.Model):
    """A payment provider's event (a Stripe webhook, a demo payment), stored raw.

    ``(provider, event_id)`` is unique: inserting it is the first write of the transaction
    that processes it, so a replayed or raced event fails on that constraint and changes
    nothing. An event that refers to a payment the ledger has not seen yet (a refund that
    overtook its payment) is kept ``deferred`` with ``waits_for`` naming that payment, and is
    processed in the transaction that records the payment.
    """

    class Status(models.TextChoices):
        PROCESSED = "processed", gettext_lazy("Processed")
        IGNORED = "ignored", gettext_lazy("Ignored")
        DEFERRED = "deferred", gettext_lazy("Waiting for its payment")

    provider = models.CharField(max_length=20, verbose_name=gettext_lazy("provider"))
    event_id = models.CharField(max_length=255, verbose_name=gettext_lazy("event id"))
    event_type = models.CharField(max_length=100, verbose_name=gettext_lazy("event type"))
    payload = models.TextField(
        help_text=gettext_lazy("The body exactly as received."),
        verbose_name=gettext_lazy("payload"),
    )
    status = models.CharField(
        max_length=10, choices=Status.choices, verbose_name=gettext_lazy("status")
    )
    waits_for = models.CharField(
        max_length=255, blank=True, db_index=True, verbose_name=gettext_lazy("waits for")
    )
    note = models.CharField(max_length=255, blank=True, verbose_name=gettext_lazy("note"))
    received_at = models.DateTimeField(
        default=timezone.now, verbose_name=gettext_lazy("received at")
    )
    processed_at = models.DateTimeField(
        null=True, blank=True, verbose_name=gettext_lazy("processed at")
    )

    class Meta:
        verbose_name = gettext_lazy("provider event")
        verbose_name_plural = gettext_lazy("provider events")
        ordering = ["-received_at"]
        constraints = [
            models.UniqueConstraint(fields=["provider", "event_id"], name="provider_event_once")
        ]

    def __str__(self) -> str:
        return f"{self.provider} {self.event_type} {self.event_id}"


class Donation(models.Model):
    """One movement of money in the append-only ledger.

    Payments are positive; refunds and disputes are new negative rows pointing at the payment
    they reverse (``related_payment``), and a won dispute adds a positive reversal. Rows are
    never edited or deleted. ``(provider, provider_reference)`` is unique, so a provider's
    payment, refund or dispute is recorded once however often it is reported.
    ``donor_email`` is for the receipt only and never shown in public; ``donor_name`` appears
    on the donor wall only when the donor gave it for that.
    """

    # Wagtail's admin lists these rows, which would put each new one in its reference index
    # with a task of its own; a ledger row is nobody's "usage" (it points at its campaign).
    wagtail_reference_index_ignore = True

    class Kind(models.TextChoices):
        PAYMENT = "payment", gettext_lazy("Payment")
        REFUND = "refund", gettext_lazy("Refund")
        DISPUTE = "dispute", gettext_lazy("Dispute")
        DISPUTE_REVERSAL = "dispute_reversal", gettext_lazy("Dispute won")
        # The part of a charge the donor added to cover the provider's fees: its own line,
        # beside the payment it belongs to (``related_payment``), in the same transaction.
        FEE_COVER = "fee_cover", gettext_lazy("Fees covered by the donor")

    class Provider(models.TextChoices):
        STRIPE = "stripe", "Stripe"
        MANUAL = "manual", gettext_lazy("Recorded by a treasurer")
        DEMO = "demo", gettext_lazy("Demo (no money moved)")

    class Method(models.TextChoices):
        CARD = "card", gettext_lazy("Card or wallet (provider)")
        BANK_TRANSFER = "bank_transfer", gettext_lazy("Bank transfer")
        CASH = "cash", gettext_lazy("Cash")
        CRYPTO = "crypto", gettext_lazy("Crypto")
        CHEQUE = "cheque", gettext_lazy("Cheque")
        OTHER = "other", gettext_lazy("Other")

    campaign = models.ForeignKey(
        Campaign,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="donations",
        verbose_name=gettext_lazy("campaign"),
    )
    period_start = models.DateField(
        null=True, blank=True, verbose_name=gettext_lazy("period start")
    )
    kind = models.CharField(
        max_length=20, choices=Kind.choices, default=Kind.PAYMENT, verbose_name=gettext_lazy("kind")
    )
    provider = models.CharField(
        max_length=10, choices=Provider.choices, verbose_name=gettext_lazy("provider")
    )
    provider_reference = models.CharField(
        max_length=255, verbose_name=gettext_lazy("provider reference")
    )
    method = models.CharField(
        max_length=20,
        choices=Method.choices,
        default=Method.CARD,
        verbose_name=gettext_lazy("method"),
    )
    amount = _amount_field(verbose_name=gettext_lazy("amount"))
    currency = models.CharField(max_length=3, verbose_name=gettext_lazy("currency"))
    payment_intent_id = models.CharField(
        max_length=255, blank=True, db_index=True, verbose_name=gettext_lazy("payment intent id")
    )
    charge_id = models.CharField(
        max_length=255, blank=True, db_index=True, verbose_name=gettext_lazy("charge id")
    )
    related_payment = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reversals",
        verbose_name=gettext_lazy("related payment"),
    )
    recurring = models.BooleanField(default=False, verbose_name=gettext_lazy("recurring"))
    subscription_id = models.CharField(
        max_length=255, blank=True, db_index=True, verbose_name=gettext_lazy("subscription id")
    )
    donor_name = models.CharField(
        max_length=80, blank=True, verbose_name=gettext_lazy("donor name")
    )
    donor_email = models.EmailField(blank=True, verbose_name=gettext_lazy("donor email"))
    donor_key = models.CharField(max_length=64, blank=True, verbose_name=gettext_lazy("donor key"))
    message = models.TextField(blank=True, verbose_name=gettext_lazy("message"))
    note = models.CharField(max_length=255, blank=True, verbose_name=gettext_lazy("note"))
    received_at = models.DateTimeField(
        default=timezone.now, verbose_name=gettext_lazy("received at")
    )
    recorded_at = models.DateTimeField(auto_now_add=True, verbose_name=gettext_lazy("recorded at"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=gettext_lazy("recorded by"),
    )
    provider_event = models.ForeignKey(
        ProviderEvent,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="donations",
        verbose_name=gettext_lazy("provider event"),
    )
    # The page the reader gave from (the donate link under an article names it); nothing
    # else about the reader's path is kept.
    source_page = models.ForeignKey(
        "wagtailcore.Page",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=gettext_lazy("source page"),
    )

    class Meta:
        verbose_name = gettext_lazy("donation")
        verbose_name_plural = gettext_lazy("donations")
        ordering = ["-received_at", "-id"]
        indexes = [
            models.Index(fields=["campaign", "period_start", "kind"]),
            # A reader's own gifts, found by their verified addresses (standing, privacy).
            models.Index(fields=["donor_email"], name="donation_donor_email"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "provider_reference"], name="donation_reference_once"
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(kind__in=["payment", "dispute_reversal", "fee_cover"], amount__gt=0)
                )
                | (models.Q(kind__in=["refund", "dispute"], amount__lt=0)),
                name="donation_sign_matches_kind",
            ),
        ]

    def __str__(self) -> str:
        return (
            f"{self.get_kind_display()} {self.amount} {self.currency} ({self.provider_reference})"
        )


class RecurringGift(models.Model):
    """A monthly gift (a provider subscription): who gives, to which campaign, and its state.

    Its money arrives as ledger rows, one per paid invoice; this row tracks the subscription
    as the provider last reported it: amount, paused or not, the card on file. Changes the
    donor asks for go to the provider and come back as its signed events; ``state_as_of`` is
    the provider time of the last event applied, so an older event arriving late changes
    nothing.
    """

    wagtail_reference_index_ignore = True  # as Donation

    class Status(models.TextChoices):
        ACTIVE = "active", gettext_lazy("Active")
        PAUSED = "paused", gettext_lazy("Paused")
        CANCELLED = "cancelled", gettext_lazy("Cancelled")

    provider = models.CharField(
        max_length=10, choices=Donation.Provider.choices, verbose_name=gettext_lazy("provider")
    )
    subscription_id = models.CharField(max_length=255, verbose_name=gettext_lazy("subscription id"))
    campaign = models.ForeignKey(
        Campaign,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="recurring_gifts",
        verbose_name=gettext_lazy("campaign"),
    )
    amount = _amount_field(verbose_name=gettext_lazy("amount"))
    currency = models.CharField(max_length=3, verbose_name=gettext_lazy("currency"))
    donor_name = models.CharField(
        max_length=80, blank=True, verbose_name=gettext_lazy("donor name")
    )
    donor_email = models.EmailField(blank=True, verbose_name=gettext_lazy("donor email"))
    message = models.TextField(blank=True, verbose_name=gettext_lazy("message"))
    status = models.CharField(
        max_length=10,
        choices=Status.choices,
        default=Status.ACTIVE,
        verbose_name=gettext_lazy("status"),
    )
    created_at = models.DateTimeField(default=timezone.now, verbose_name=gettext_lazy("created at"))
    cancelled_at = models.DateTimeField(
        null=True, blank=True, verbose_name=gettext_lazy("cancelled at")
    )
    paused_at = models.DateTimeField(null=True, blank=True, verbose_name=gettext_lazy("paused at"))
    # Of ``amount``, what the donor adds each month to cover the provider's fees.
    fee_covered = _amount_field(default=0, verbose_name=gettext_lazy("fee covered"))
    customer_id = models.CharField(
        max_length=255, blank=True, verbose_name=gettext_lazy("customer id")
    )
    card_brand = models.CharField(
        max_length=20, blank=True, verbose_name=gettext_lazy("card brand")
    )
    card_last4 = models.CharField(max_length=4, blank=True, verbose_name=gettext_lazy("card last4"))
    card_exp_month = models.PositiveSmallIntegerField(
        null=True, blank=True, verbose_name=gettext_lazy("card exp month")
    )
    card_exp_year = models.PositiveSmallIntegerField(
        null=True, blank=True, verbose_name=gettext_lazy("card exp year")
    )
    # The last charge the provider could not take (``invoice.payment_failed``), until one is
    # paid again.
    payment_failed_at = models.DateTimeField(
        null=True, blank=True, verbose_name=gettext_lazy("payment failed at")
    )
    state_as_of = models.DateTimeField(
        null=True, blank=True, verbose_name=gettext_lazy("state as of")
    )
    source_page = models.ForeignKey(
        "wagtailcore.Page",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=gettext_lazy("source page"),
    )

    class Meta:
        verbose_name = gettext_lazy("recurring gift")
        verbose_name_plural = gettext_lazy("recurring gifts")
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "subscription_id"], name="recurring_gift_once"
            )
        ]
        indexes = [models.Index(fields=["donor_email"], name="recurring_gift_donor_email")]

    def __str__(self) -> str:
        return gettext("%(amount)s %(currency)s a month (%(subscription)s)") % {
            "amount": self.amount,
            "currency": self.currency,
            "subscription": self.subscription_id,
        }


class LedgerLock(models.Model):
    """A single row every ledger write locks first, so ledger writes run one at a time.

    SQLite already serialises writers; on PostgreSQL this ``SELECT ... FOR UPDATE`` makes a
    refund and its payment, processed at the same moment, see each other's rows.
    """

    class Meta:
        default_permissions = ()

    def __str__(self) -> str:
        return "ledger lock"


@register_setting(icon="pick")
class FundingSettings(BaseGenericSetting):
    """The words readers see after they give (Settings → Reader funding). The ask under
    articles and in the bar is ``SupportAskSettings`` (Settings → Support ask)."""

    # The shipped words (marked for the catalogues, stored in English): shown in the reader's
    # language until an editor rewrites them (``shipped_or_own`` in ``views.thanks``).
    THANKS_TEXT = gettext_noop("Thank you. Your gift keeps this newsroom independent.")

    thanks_text = models.TextField(
        max_length=500,
        default=THANKS_TEXT,
        help_text=gettext_lazy("Shown after a gift is made."),
        verbose_name=gettext_lazy("thanks text"),
    )

    panels = [FieldPanel("thanks_text")]

    class Meta:
        verbose_name = gettext_lazy("reader funding")


class RefundRequest(models.Model):
    """A treasurer's refund of an online gift, as asked of the provider.

    It writes no money: the ledger's refund row comes only from the provider's signed
    ``charge.refunded`` event, which marks the request settled. Until then the treasurer sees
    it pending, and what it asks for is no longer refundable. ``attempt_key`` names the form
    that asked (unique per gift), so a form sent twice asks once.
    """

    wagtail_reference_index_ignore = True  # as Donation

    class Status(models.TextChoices):
        PENDING = "pending", gettext_lazy("Pending: waiting for the provider's event")
        SETTLED = "settled", gettext_lazy("Refunded")

    donation = models.ForeignKey(
        Donation,
        on_delete=models.PROTECT,
        related_name="refund_requests",
        verbose_name=gettext_lazy("donation"),
    )
    amount = _amount_field(
        help_text=gettext_lazy("What is refunded, positive, in the gift's currency."),
        verbose_name=gettext_lazy("amount"),
    )
    currency = models.CharField(max_length=3, verbose_name=gettext_lazy("currency"))
    reason = models.CharField(max_length=255, verbose_name=gettext_lazy("reason"))
    attempt_key = models.CharField(max_length=64, verbose_name=gettext_lazy("attempt key"))
    provider_refund_id = models.CharField(
        max_length=255, blank=True, verbose_name=gettext_lazy("provider refund id")
    )
    status = models.CharField(
        max_length=10,
        choices=Status.choices,
        default=Status.PENDING,
        verbose_name=gettext_lazy("status"),
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=gettext_lazy("requested by"),
    )
    requested_at = models.DateTimeField(
        default=timezone.now, verbose_name=gettext_lazy("requested at")
    )
    settled_at = models.DateTimeField(
        null=True, blank=True, verbose_name=gettext_lazy("settled at")
    )

    class Meta:
        verbose_name = gettext_lazy("refund request")
        verbose_name_plural = gettext_lazy("refund requests")
        ordering = ["requested_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["donation", "attempt_key"], name="refund_request_once_per_form"
            ),
            models.CheckConstraint(
                condition=models.Q(amount__gt=0), name="refund_request_amount_positive"
            ),
        ]

    def __str__(self) -> str:
        return gettext("Refund of %(amount)s %(currency)s (%(status)s)") % {
            "amount": self.amount,
            "currency": self.currency,
            "status": self.get_status_display(),
        }


# Models kept in modules of their own, so that Django finds them here.
from newsdesk.funding.models_ask import SupportAskSettings as SupportAskSettings  # noqa: E402
from newsdesk.funding.models_lifecycle import LifecycleKind as LifecycleKind  # noqa: E402
from newsdesk.funding.models_lifecycle import LifecycleMail as LifecycleMail  # noqa: E402
from newsdesk.funding.models_lifecycle import (  # noqa: E402
    LifecycleMessage as LifecycleMessage,
)
from newsdesk.funding.models_lifecycle import LifecycleOptOut as LifecycleOptOut  # noqa: E402
