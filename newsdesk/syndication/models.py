"""Partner feeds (Source), the stories seen in them (Entry), and the poller's schedule."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel

from newsdesk.articles.models.outlets import http_url_validator


class PollMode(models.TextChoices):
    DRAFT = "draft", gettext_lazy("Drafts for an editor to review")
    PUBLISH = "publish", gettext_lazy("Publish at once")


class ContentMode(models.TextChoices):
    FULL = "full", gettext_lazy("Full text")
    EXCERPT = "excerpt", gettext_lazy("Excerpt with a link to the original")


class PollResult(models.TextChoices):
    NEVER = "never", gettext_lazy("Not polled yet")
    OK = "ok", "OK"
    NOT_MODIFIED = "not_modified", gettext_lazy("Not modified")
    PARTIAL = "partial", gettext_lazy("Some entries failed")
    FAILED = "failed", gettext_lazy("Failed")


class Source(models.Model):
    """A partner outlet's feed that the worker polls and turns into articles.

    Each new entry becomes an article in ``section`` with the ``tags``, attributed to
    ``outlet`` (which decides the search-engine policy), as a draft or published at once
    (``mode``), with the full text or an excerpt (``content``). The status fields say how the
    last poll went; the next poll is due at ``next_poll_at`` (later after failures).
    """

    outlet = models.ForeignKey(
        "articles.Outlet",
        on_delete=models.PROTECT,
        related_name="syndication_sources",
        verbose_name=gettext_lazy("outlet"),
    )
    name = models.CharField(
        max_length=120,
        blank=True,
        help_text=gettext_lazy("Optional label, e.g. when an outlet has two feeds."),
        verbose_name=gettext_lazy("name"),
    )
    feed_url = models.URLField(
        max_length=500,
        unique=True,
        validators=[http_url_validator],
        help_text=gettext_lazy("RSS, Atom or JSON Feed address (http or https)."),
        verbose_name=gettext_lazy("feed url"),
    )
    poll_interval_minutes = models.PositiveIntegerField(
        default=60,
        validators=[MinValueValidator(5), MaxValueValidator(7 * 24 * 60)],
        verbose_name=gettext_lazy("poll interval minutes"),
    )
    section = models.ForeignKey(
        "articles.SectionPage",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=gettext_lazy("Where new articles go."),
        verbose_name=gettext_lazy("section"),
    )
    tags = models.CharField(
        max_length=300,
        blank=True,
        help_text=gettext_lazy("Tags every article gets, separated by commas."),
        verbose_name=gettext_lazy("tags"),
    )
    mode = models.CharField(
        max_length=10,
        choices=PollMode.choices,
        default=PollMode.DRAFT,
        verbose_name=gettext_lazy("mode"),
    )
    content = models.CharField(
        max_length=10,
        choices=ContentMode.choices,
        default=ContentMode.FULL,
        verbose_name=gettext_lazy("content"),
    )
    download_images = models.BooleanField(
        default=False,
        help_text=gettext_lazy(
            "Copy the story's pictures into the media library (the agreement must allow "
            "it); otherwise they stay links to the partner's copies."
        ),
        verbose_name=gettext_lazy("download images"),
    )
    enabled = models.BooleanField(
        default=True,
        help_text=gettext_lazy("Untick to stop polling."),
        verbose_name=gettext_lazy("enabled"),
    )

    # Status, written by the poller only.
    last_polled_at = models.DateTimeField(
        null=True, blank=True, editable=False, verbose_name=gettext_lazy("last polled at")
    )
    last_result = models.CharField(
        max_length=20,
        choices=PollResult.choices,
        default=PollResult.NEVER,
        editable=False,
        verbose_name=gettext_lazy("last result"),
    )
    last_summary = models.CharField(max_length=300, blank=True, editable=False)
    last_error = models.TextField(blank=True, editable=False)
    consecutive_failures = models.PositiveIntegerField(default=0, editable=False)
    next_poll_at = models.DateTimeField(
        default=timezone.now,
        db_index=True,
        editable=False,
        verbose_name=gettext_lazy("next poll at"),
    )
    etag = models.CharField(max_length=300, blank=True, editable=False)
    last_modified = models.CharField(max_length=100, blank=True, editable=False)
    # Set while a poll runs, so two workers never poll one feed at once.
    poll_started_at = models.DateTimeField(null=True, blank=True, editable=False)

    panels = [
        FieldRowPanel([FieldPanel("outlet"), FieldPanel("name")]),
        FieldPanel("feed_url"),
        FieldRowPanel([FieldPanel("poll_interval_minutes"), FieldPanel("enabled")]),
        MultiFieldPanel(
            [
                FieldPanel("section"),
                FieldPanel("tags"),
                FieldPanel("mode"),
                FieldPanel("content"),
                FieldPanel("download_images"),
            ],
            heading=gettext_lazy("Articles made from this feed"),
        ),
    ]

    class Meta:
        ordering = ["outlet__name", "name", "pk"]
        verbose_name = gettext_lazy("source")
        verbose_name_plural = gettext_lazy("sources")

    def __str__(self) -> str:
        if self.name:
            return f"{self.outlet.name}: {self.name}"
        return _("%(outlet)s feed") % {"outlet": self.outlet.name}

    @property
    def tag_list(self) -> list[str]:
        return [t.strip() for t in self.tags.split(",") if t.strip()]

    # Columns of the admin listing.
    def status(self) -> str:
        if self.last_result == PollResult.NEVER:
            return str(PollResult.NEVER.label)
        text = self.get_last_result_display()
        if self.last_summary:
            text += f": {self.last_summary}"
        return text

    status.short_description = gettext_lazy("Last result")

    def error(self) -> str:
        return self.last_error.splitlines()[0][:200] if self.last_error else ""

    error.short_description = gettext_lazy("Last error")

    def partner_changes_display(self) -> str:
        # The admin listing annotates ``partner_changes`` (selectors.sources_for_admin).
        count = getattr(self, "partner_changes", None)
        if count is None:
            count = self.entries.filter(partner_changed_at__isnull=False).count()
        if not count:
            return ""
        return ngettext("%(count)s to review", "%(count)s to review", count) % {"count": count}

    partner_changes_display.short_description = gettext_lazy("Changed by partner")


class Entry(models.Model):
    """A story seen in a source's feed: what deduplicates it and what it became.

    One per (source, GUID) and per (source, link); the normalized ``original_url`` is unique
    across all sources, so a story that two partner feeds carry is imported once.
    ``content_hash`` is of the version last applied to the article; a newer version that
    could not be applied (an editor changed the article) is kept in ``partner_version``
    with ``partner_changed_at``, for the editor to see.
    """

    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="entries")
    guid = models.CharField(max_length=500)
    link = models.CharField(max_length=500, blank=True)
    original_url = models.URLField(max_length=500, validators=[http_url_validator])
    title = models.CharField(max_length=255, blank=True)
    content_hash = models.CharField(max_length=64)
    article = models.ForeignKey(
        "articles.ArticlePage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="syndication_entries",
    )
    # The revision the import wrote last; any other latest revision is an editor's work.
    imported_revision = models.ForeignKey(
        "wagtailcore.Revision", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    first_seen_at = models.DateTimeField(default=timezone.now)
    last_seen_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(null=True, blank=True)
    partner_changed_at = models.DateTimeField(null=True, blank=True)
    partner_content_hash = models.CharField(max_length=64, blank=True)
    partner_version = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name_plural = gettext_lazy("entries")
        ordering = ["-first_seen_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["source", "guid"], name="entry_unique_guid_per_source"),
            models.UniqueConstraint(
                fields=["source", "link"],
                condition=~Q(link=""),
                name="entry_unique_link_per_source",
            ),
            models.UniqueConstraint(fields=["original_url"], name="entry_unique_original_url"),
        ]
        indexes = [models.Index(fields=["partner_changed_at"])]

    def __str__(self) -> str:
        return self.title or self.original_url


class PollSchedule(models.Model):
    """The one row saying when the next ``poll_due_sources`` task is queued for.

    Worker start-ups, new sources and each run all ask for a run; one that is already queued
    for the same time or earlier makes the request unnecessary, so the task never runs as
    several parallel chains.
    """

    queued_for = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"next poll run at {self.queued_for}"
