"""The e-mails the sign-up sends an address (the confirmation of a double opt-in, a new
preferences link), one row per address and kind.

The row is the claim that makes "one e-mail per request, at most one every
``NEWSLETTER_CONFIRM_RESEND_MINUTES``" exact when two requests race: a request takes it with
one conditional UPDATE of ``requested_at`` and queues the e-mail; the worker sends only a
request not yet marked ``sent_at``, and marks it once the mail server took it (a task run
twice sends one e-mail; a worker killed mid-send leaves it unmarked, and the re-queued task
sends it).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SignupMailKind(models.TextChoices):
    CONFIRM = "confirm", _("Confirm the subscription")
    LINK = "link", _("A link to the preferences page")


class SignupMail(models.Model):
    subscriber = models.ForeignKey(
        "newsletters.Subscriber", on_delete=models.CASCADE, related_name="signup_mails"
    )
    kind = models.CharField(max_length=10, choices=SignupMailKind.choices)
    requested_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["subscriber", "kind"], name="one_signup_mail_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.kind} to {self.subscriber_id}"
