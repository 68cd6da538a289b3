"""Sending an issue: one ``Send`` per sending, one ``SendRecord`` per recipient.

The records are the send's ledger: created for every recipient before the first message
leaves (a unique constraint per send and subscriber), each marked when the SMTP server or
provider accepted its message. A worker killed mid-send resumes from the records: nobody
mailed twice, nobody skipped. The providers' tracking webhooks (django-anymail) are stored
raw and once (``TrackingEvent.event_id``) and update the records and the suppression list.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Segment(models.TextChoices):
    """Who of a list's subscribers a send reaches."""

    ALL = "all", _("All subscribers")
    DONORS = "donors", _("Current donors")
    NOT_DONORS = "not_donors", _("Not donors")
    LAPSED = "lapsed", _("Lapsed donors")
    SECTION_FOLLOWERS = "section_followers", _("Followers of the list's section")


class SendStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    SENDING = "sending", _("Sending")
    SENT = "sent", pgettext_lazy("send status", "Sent")
    CANCELLED = "cancelled", _("Cancelled")


class Send(models.Model):
    """One sending of an issue to a segment of its list, now or at ``scheduled_at``.

    ``subject``, ``html`` and ``text`` are rendered once, when the send starts; each
    recipient's message is that rendering with their own links (unsubscribe, preferences)
    and name filled in.
    """

    issue = models.ForeignKey(
        "newsletters.NewsletterIssuePage", on_delete=models.PROTECT, related_name="sends"
    )
    newsletter = models.ForeignKey(
        "newsletters.Newsletter", on_delete=models.PROTECT, related_name="sends"
    )
    segment = models.CharField(max_length=20, choices=Segment.choices, default=Segment.ALL)
    status = models.CharField(
        max_length=10, choices=SendStatus.choices, default=SendStatus.SCHEDULED, db_index=True
    )
    scheduled_at = models.DateTimeField(db_index=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    subject = models.CharField(max_length=255, blank=True, default="")
    html = models.TextField(blank=True, default="")
    text = models.TextField(blank=True, default="")
    recipients_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-scheduled_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.issue} ({self.get_status_display()})"


class RecordStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    SENT = "sent", _("Handed over")
    FAILED = "failed", _("Refused by the server")
    SKIPPED = "skipped", _("Suppressed or unsubscribed before its turn")


class SendRecord(models.Model):
    """One recipient of one send, and what became of their message."""

    send = models.ForeignKey(Send, on_delete=models.CASCADE, related_name="records")
    subscriber = models.ForeignKey(
        "newsletters.Subscriber", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    email = models.EmailField()
    status = models.CharField(
        max_length=8, choices=RecordStatus.choices, default=RecordStatus.PENDING
    )
    message_id = models.CharField(max_length=200, blank=True, default="", db_index=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    bounced_at = models.DateTimeField(null=True, blank=True)
    complained_at = models.DateTimeField(null=True, blank=True)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["send", "subscriber"], name="one_record_per_recipient")
        ]
        indexes = [models.Index(fields=["send", "status"])]

    def __str__(self) -> str:
        return f"{self.email} ({self.status})"


class TrackingEvent(models.Model):
    """A provider's tracking event (delivered, bounced, complained...), as anymail
    normalised it, stored raw and once: the provider may post it twice."""

    event_id = models.CharField(max_length=200, unique=True)
    esp_name = models.CharField(max_length=40)
    event_type = models.CharField(max_length=30)
    recipient = models.EmailField(blank=True, default="")
    message_id = models.CharField(max_length=200, blank=True, default="")
    timestamp = models.DateTimeField(null=True, blank=True)
    raw = models.JSONField(default=dict)
    received_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.esp_name} {self.event_type} {self.recipient}"


class LinkClick(models.Model):
    """How many times a link of a send was followed, in aggregate: never who clicked.
    Counted only where the newsroom enabled click counts."""

    send = models.ForeignKey(Send, on_delete=models.CASCADE, related_name="clicks")
    url = models.URLField(max_length=1000)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["send", "url"], name="one_count_per_link")]

    def __str__(self) -> str:
        return f"{self.url}: {self.count}"
