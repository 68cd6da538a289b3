"""The donor's lifecycle e-mails: their words (edited by staff), one record per occasion, and
the addresses that asked for no more asking.

A ``LifecycleMail`` row is the claim on one occasion ("the welcome for gift 12", "the
renewal reminder of 2026 for this address"): ``occasion`` is unique, so a worker that dies
mid-batch and runs again, or two workers scanning at once, queue each mail once; the row's
``sent_at`` is set only by the task that hands it to the mail server, with a conditional
UPDATE, so a retried task never sends it twice.
"""

from django.db import models
from django.utils import timezone
from wagtail.admin.panels import FieldPanel
from wagtail.search import index


class LifecycleKind(models.TextChoices):
    """Every lifecycle e-mail. *Marketing* ones carry one-click unsubscribe (RFC 8058) and
    are not sent to an address in ``LifecycleOptOut``; the others are about a payment the
    donor made or owes and always go."""

    WELCOME = "welcome", "Welcome (first gift)"
    MONTHLY_RECEIPT = "monthly_receipt", "Receipt of a monthly charge"
    PAYMENT_FAILED = "payment_failed", "A monthly charge failed"
    CARD_EXPIRING = "card_expiring", "The card on file is about to expire"
    RENEWAL_REMINDER = "renewal_reminder", "Reminder: a year since the last gift"
    LAPSED = "lapsed", "Thank-you and ask to a donor whose giving lapsed"


MARKETING_KINDS = frozenset({LifecycleKind.RENEWAL_REMINDER, LifecycleKind.LAPSED})


class LifecycleMessage(index.Indexed, models.Model):
    """The words of one kind of lifecycle e-mail, edited by staff (a snippet).

    ``subject`` and ``body`` are plain text with ``{placeholders}`` filled when sending
    (``{name}``, ``{amount}``, ``{site_name}``, ``{manage_url}``, ``{donate_url}``,
    ``{card}``, ``{date}``; a placeholder a kind does not know is left empty). A kind with no
    row, or a disabled one, is not sent.
    """

    kind = models.CharField(max_length=30, choices=LifecycleKind.choices, unique=True)
    enabled = models.BooleanField(default=True)
    subject = models.CharField(max_length=200)
    body = models.TextField()
    updated_at = models.DateTimeField(auto_now=True)

    panels = [FieldPanel("kind"), FieldPanel("enabled"), FieldPanel("subject"), FieldPanel("body")]
    search_fields = [index.SearchField("subject"), index.AutocompleteField("subject")]

    class Meta:
        ordering = ["kind"]
        verbose_name = "donor e-mail"

    def __str__(self) -> str:
        return self.get_kind_display()


class LifecycleMail(models.Model):
    """One lifecycle e-mail for one occasion: queued once, sent at most once."""

    wagtail_reference_index_ignore = True  # a log row, nobody's "usage"

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        SENT = "sent", "Sent"
        SKIPPED = "skipped", "Not sent"

    kind = models.CharField(max_length=30, choices=LifecycleKind.choices)
    occasion = models.CharField(max_length=200, unique=True)
    email = models.EmailField()
    donation = models.ForeignKey(
        "funding.Donation", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recurring_gift = models.ForeignKey(
        "funding.RecurringGift",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    note = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["email", "kind"], name="lifecycle_mail_email_kind")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} to {self.email} ({self.get_status_display()})"


class LifecycleOptOut(models.Model):
    """An address that left the donor marketing e-mails (one click from one of them)."""

    email = models.EmailField(unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.email
