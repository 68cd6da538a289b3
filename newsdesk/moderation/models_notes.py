"""Moderators' notes on a commenter and their watch list. Imported by ``models.py`` (so
Django finds the models) to keep that module short.

A commenter is named as the dossier names them (``selectors_dossier.commenter_key``): an
account (``account:<id>``), or a guest by the e-mail address they gave (``email:<address>``,
lower case) or, without one, by their guest key's hash (``key:<sha256>``). One string, so a
page of comments is matched against notes and the watch list in one query each; an
account's rows also keep the account itself, so erasing it removes them.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

NOTE_BODY_MAX = 500
WATCH_NOTE_MAX = 200
COMMENTER_KEY_MAX = 80


class CommenterNote(models.Model):
    """What one moderator wrote about a commenter, for every moderator to read beside that
    commenter's comments. Never shown to the commenter (nor in their data download: it is
    the moderators' working record, see ``services/personal_data.py``); erased with their
    account. ``author`` and ``created_at`` record who wrote it and when."""

    commenter_key = models.CharField(max_length=COMMENTER_KEY_MAX, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("The account the note is about (none for a guest)."),
    )
    # How the commenter was called when the note was written (a guest has no account name).
    commenter_name = models.CharField(max_length=80, blank=True, default="")
    body = models.TextField(max_length=NOTE_BODY_MAX)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        app_label = "moderation"
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Note on {self.commenter_key}"


class WatchKind(models.TextChoices):
    COMMENTER = "commenter", _("Commenter")
    STORY = "story", _("Story")


class WatchEntry(models.Model):
    """A commenter or a story (an article) the moderators keep an eye on: the queue's
    "Watched" tab lists what waits by or under them, and the watched commenters' recently
    published comments. Once per commenter or story."""

    kind = models.CharField(max_length=10, choices=WatchKind.choices)
    commenter_key = models.CharField(max_length=COMMENTER_KEY_MAX, blank=True, default="")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    commenter_name = models.CharField(max_length=80, blank=True, default="")
    article = models.ForeignKey(
        "articles.ArticlePage",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    note = models.CharField(max_length=WATCH_NOTE_MAX, blank=True, default="")
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        app_label = "moderation"
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["commenter_key"],
                condition=models.Q(kind="commenter"),
                name="watch_commenter_once",
            ),
            models.UniqueConstraint(
                fields=["article"], condition=models.Q(kind="story"), name="watch_story_once"
            ),
            models.CheckConstraint(
                condition=(
                    (models.Q(kind="commenter") & ~models.Q(commenter_key=""))
                    | models.Q(kind="story", article__isnull=False)
                ),
                name="watch_names_its_target",
            ),
        ]

    def __str__(self) -> str:
        if self.kind == WatchKind.STORY:
            return f"Watched story {self.article_id}"
        return f"Watched commenter {self.commenter_key}"
