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
from django.utils.translation import gettext, gettext_lazy
from wagtail.admin.panels import FieldPanel
from wagtail.search import index


class LifecycleKind(models.TextChoices):
    """Every lifecycle e-mail. *Marketing* ones carry one-click unsubscribe (RFC 8058) and
    are not sent to an address in ``LifecycleOptOut``; the others are about a payment the
    donor made or owes and always go."""

    WELCOME = "welcome", gettext_lazy("Welcome (first gift)")
    MONTHLY_RECEIPT = "monthly_receipt", gettext_lazy("Receipt of a monthly charge")
    PAYMENT_FAILED = "payment_failed", gettext_lazy("A monthly charge failed")
    CARD_EXPIRING = "card_expiring", gettext_lazy("The card on file is about to expire")
    RENEWAL_REMINDER = "renewal_reminder", gettext_lazy("Reminder: a year since the last gift")
    LAPSED = "lapsed", gettext_lazy("Thank-you and ask to a donor whose giving lapsed")


MARKETING_KINDS = frozenset({LifecycleKind.RENEWAL_REMINDER, LifecycleKind.LAPSED})


class LifecycleMessage(index.Indexed, models.Model):
    """The words of one kind of lifecycle e-mail, edited by staff (a snippet).

    ``subject`` and ``body`` are plain text with ``{placeholders}`` filled when sending
    (``{name}``, ``{amount}``, ``{site_name}``, ``{manage_url}``, ``{donate_url}``,
    ``{card}``, ``{date}``; a placeholder a kind does not know is left empty). A kind with no
    row, or a disabled one, is not sent.
    """

    kind = models.CharField(
        max_length=30, choices=LifecycleKind.choices, unique=True, verbose_name=gettext_lazy("kind")
    )
    enabled = models.BooleanField(default=True, verbose_name=gettext_lazy("enabled"))
    subject = models.CharField(max_length=200, verbose_name=gettext_lazy("subject"))
    body = models.TextField(verbose_name=gettext_lazy("body"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=gettext_lazy("updated at"))

    panels = [FieldPanel("kind"), FieldPanel("enabled"), FieldPanel("subject"), FieldPanel("body")]
    search_fields = [index.SearchField("subject"), index.AutocompleteField("subject")]

    class Meta:
        ordering = ["kind"]
        verbose_name = gettext_lazy("donor e-mail")

    def __str__(self) -> str:
        return self.get_kind_display()


class LifecycleMail(models.Model):
    """One lifecycle e-mail for one occasion: queued once, sent at most once."""

    wagtail_reference_index_ignore = True  # a log row, nobody's "usage"

    class Status(models.TextChoices):
        QUEUED = "queued", gettext_lazy("Queued")
        SENT = "sent", gettext_lazy("Sent")
        SKIPPED = "skipped", gettext_lazy("Not sent")

    kind = models.CharField(
        max_length=30, choices=LifecycleKind.choices, verbose_name=gettext_lazy("kind")
    )
    occasion = models.CharField(max_length=200, unique=True, verbose_name=gettext_lazy("occasion"))
    email = models.EmailField(verbose_name=gettext_lazy("email"))
    donation = models.ForeignKey(
        "funding.Donation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=gettext_lazy("donation"),
    )
    recurring_gift = models.ForeignKey(
        "funding.RecurringGift",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=gettext_lazy("recurring gift"),
    )
    status = models.CharField(
        max_length=10,
        choices=Status.choices,
        default=Status.QUEUED,
        verbose_name=gettext_lazy("status"),
    )
    note = models.CharField(max_length=255, blank=True, verbose_name=gettext_lazy("note"))
    created_at = models.DateTimeField(default=timezone.now, verbose_name=gettext_lazy("created at"))
    sent_at = models.DateTimeField(null=True, blank=True, verbose_name=gettext_lazy("sent at"))

    class Meta:
        verbose_name = gettext_lazy("lifecycle mail")
        verbose_name_plural = gettext_lazy("lifecycle mails")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["email", "kind"], name="lifecycle_mail_email_kind")]

    def __str__(self) -> str:
        return gettext("%(kind)s to %(email)s (%(status)s)") % {
            "kind": self.get_kind_display(),
            "email": self.email,
            "status": self.get_status_display(),
        }


class LifecycleOptOut(models.Model):
    """An address that left the donor marketing e-mails (one click from one of them)."""

    email = models.EmailField(unique=True, verbose_name=gettext_lazy("email"))
    created_at = models.DateTimeField(default=timezone.now, verbose_name=gettext_lazy("created at"))

    def __str__(self) -> str:
        return self.email
