"""Quiet hours: schedules during which a discussion takes no new comments or replies.

A schedule applies to the whole site or to one section's articles; it has days of the week,
a start and an end time in the site's ``TIME_ZONE``, and the message readers see. The days
are the days a quiet period *starts*: Monday 22:00-07:00 is Monday night until Tuesday
morning. An end before the start spans midnight. Several schedules may exist; a disabled one
does nothing. What they mean at a given moment is ``selectors_schedule``; the gate that
refuses posts is ``services.comments.comment_create`` through ``services.quiet_hours``.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel

# The weekday fields in ``date.weekday()`` order (Monday is 0).
WEEKDAY_FIELDS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MESSAGE_MAX = 300


class QuietHours(models.Model):
    """One schedule of quiet hours (a Wagtail snippet: Snippets → Quiet hours)."""

    name = models.CharField(
        _("name"), max_length=100, help_text=_("For the newsroom, e.g. “Nights”.")
    )
    section = models.ForeignKey(
        "articles.SectionPage",
        verbose_name=_("section"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("Only this section's articles; empty: the whole site."),
    )
    monday = models.BooleanField(_("monday"), default=True)
    tuesday = models.BooleanField(_("tuesday"), default=True)
    wednesday = models.BooleanField(_("wednesday"), default=True)
    thursday = models.BooleanField(_("thursday"), default=True)
    friday = models.BooleanField(_("friday"), default=True)
    saturday = models.BooleanField(_("saturday"), default=True)
    sunday = models.BooleanField(_("sunday"), default=True)
    starts_at = models.TimeField(
        _("starts at"), help_text=_("When comments close, in the site's time zone (e.g. 22:00).")
    )
    ends_at = models.TimeField(
        _("ends at"),
        help_text=_("When they reopen; before the start, the next day (22:00 to 07:00)."),
    )
    message = models.CharField(
        _("message"),
        max_length=MESSAGE_MAX,
        blank=True,
        default="",
        help_text=_(
            "Shown to readers instead of the form; empty: “Comments are closed for the "
            "night; they reopen at 07:00.”"
        ),
    )
    enabled = models.BooleanField(
        _("enabled"), default=True, help_text=_("A disabled schedule closes nothing.")
    )
    updated_at = models.DateTimeField(auto_now=True)

    panels = [
        FieldPanel("name"),
        FieldPanel("section"),
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel(name) for name in WEEKDAY_FIELDS])],
            heading=_("Days (the day a quiet period starts)"),
        ),
        FieldRowPanel([FieldPanel("starts_at"), FieldPanel("ends_at")]),
        FieldPanel("message"),
        FieldPanel("enabled"),
    ]

    class Meta:
        verbose_name = _("quiet hours")
        verbose_name_plural = _("quiet hours")
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name

    @property
    def weekdays(self) -> tuple[int, ...]:
        """The days (Monday 0) on which a quiet period starts."""
        return tuple(day for day, name in enumerate(WEEKDAY_FIELDS) if getattr(self, name))

    def clean(self) -> None:
        errors = {}
        if self.starts_at is not None and self.starts_at == self.ends_at:
            errors["ends_at"] = _("The end must differ from the start.")
        if not self.weekdays:
            errors["monday"] = _("Choose at least one day.")
        if errors:
            raise ValidationError(errors)
