"""Appeals (the EU Digital Services Act's internal complaint-handling, art. 20): the author
of a held, rejected or removed comment asks once, with a message, that a moderator look
again; a moderator upholds or reverses the decision with a note. Imported by ``models.py``
(so Django finds the model) to keep that module short."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

# The longest message of an appeal (a constant of the form and the service).
APPEAL_MESSAGE_MAX = 1000
APPEAL_NOTE_MAX = 300


class AppealState(models.TextChoices):
    PENDING = "pending", _("Waiting for a moderator")
    UPHELD = "upheld", _("Decision upheld")
    REVERSED = "reversed", _("Decision reversed")


class Appeal(models.Model):
    """One author's appeal of what was decided about their comment: once per comment.

    ``decision`` is the audit-log entry appealed (the one whose reason the author read);
    ``outcome`` the entry that records the moderator's answer. ``notified_at`` is set when
    the worker took on telling the author by e-mail, so the e-mail goes once.
    """

    comment = models.ForeignKey(
        "discussion.Comment", on_delete=models.CASCADE, related_name="moderation_appeals"
    )
    decision = models.ForeignKey(
        "moderation.Decision",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="appeals",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    message = models.TextField(max_length=APPEAL_MESSAGE_MAX)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    state = models.CharField(
        max_length=10, choices=AppealState.choices, default=AppealState.PENDING, db_index=True
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.CharField(max_length=APPEAL_NOTE_MAX, blank=True, default="")
    outcome = models.ForeignKey(
        "moderation.Decision",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        app_label = "moderation"
        ordering = ["created_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["comment"], name="one_appeal_per_comment")]

    def __str__(self) -> str:
        return f"Appeal of comment {self.comment_id} ({self.state})"
