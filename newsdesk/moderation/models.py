"""Moderation's data: the policy editors set, and the site's learned models.

Decisions, reports and bans (the audit log and the queue) join these once comments exist.
"""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting

from newsdesk.moderation.signals import SIGNAL_LABELS, SIGNAL_NAMES

_UNIT = [MinValueValidator(0.0), MaxValueValidator(1.0)]

# Defaults chosen on the labelled tuning set (data/labelled_tune.csv); rejection is off
# (1.0) except for certainties such as a filled honeypot, so people see what is held.
DEFAULT_THRESHOLDS = {
    "offensive": (0.99, 1.0, False),
    "hate": (0.5, 1.0, True),
    "abuse": (0.5, 1.0, False),
    "spam": (0.5, 1.0, False),
    "learned": (0.85, 1.0, False),
}


def _threshold_fields():
    fields = {}
    for name in SIGNAL_NAMES:
        hold, reject, severe = DEFAULT_THRESHOLDS[name]
        label = SIGNAL_LABELS[name]
        fields[f"{name}_hold"] = models.FloatField(
            f"{label}: hold at",
            default=hold,
            validators=_UNIT,
            help_text="Hold the comment for review when this signal scores at least this.",
        )
        fields[f"{name}_reject"] = models.FloatField(
            f"{label}: reject at",
            default=reject,
            validators=_UNIT,
            help_text="Reject outright at this score or above (1.0: only when certain).",
        )
        fields[f"{name}_severe"] = models.BooleanField(
            f"{label}: severe",
            default=severe,
            help_text="A hold by this signal applies to trusted commenters too.",
        )
    return fields


@register_setting(icon="warning")
class ModerationSettings(BaseGenericSetting):
    """The moderation policy editors set in the admin (Settings → Moderation).

    Per signal: the score at which a comment is held and at which it is rejected, and
    whether a hold by it is severe. Pre-moderation holds every comment; commenters with
    ``trusted_after_approved`` approved comments skip holds that are not severe.
    """

    premoderation = models.BooleanField(
        "pre-moderation",
        default=False,
        help_text="Hold every new comment for review (trusted commenters excepted).",
    )
    trusted_after_approved = models.PositiveIntegerField(
        "trusted after",
        default=3,
        help_text=(
            "Number of approved comments after which a commenter's comments are published "
            "unless a severe signal fires. 0: nobody is trusted."
        ),
    )

    panels = [
        MultiFieldPanel(
            [FieldPanel("premoderation"), FieldPanel("trusted_after_approved")],
            heading="Policy",
        ),
        *(
            MultiFieldPanel(
                [
                    FieldRowPanel(
                        [
                            FieldPanel(f"{name}_hold"),
                            FieldPanel(f"{name}_reject"),
                            FieldPanel(f"{name}_severe"),
                        ]
                    )
                ],
                heading=SIGNAL_LABELS[name],
            )
            for name in SIGNAL_NAMES
        ),
    ]

    class Meta:
        verbose_name = "moderation"

    def clean(self):
        super().clean()
        errors = {}
        for name in SIGNAL_NAMES:
            if getattr(self, f"{name}_reject") < getattr(self, f"{name}_hold"):
                errors[f"{name}_reject"] = "The reject score cannot be below the hold score."
        if errors:
            raise ValidationError(errors)


# One hold / reject / severe triple per signal, so a new signal brings its own settings.
for _name, _field in _threshold_fields().items():
    ModerationSettings.add_to_class(_name, _field)


class LearnedModel(models.Model):
    """One trained version of the site's comment classifier (the newest is used).

    ``serialized`` is the fitted scikit-learn pipeline, pickled: only this site writes it,
    and a model from another scikit-learn version is ignored. ``metrics`` holds its
    cross-validated precision and recall per label, measured before it was fitted on all
    ``example_count`` examples.
    """

    created_at = models.DateTimeField(auto_now_add=True)
    labels = models.JSONField(default=list)
    example_count = models.PositiveIntegerField()
    metrics = models.JSONField(default=dict)
    sklearn_version = models.CharField(max_length=20)
    serialized = models.BinaryField()

    class Meta:
        ordering = ["-created_at", "-pk"]
        get_latest_by = "created_at"

    def __str__(self):
        return (
            f"Learned model {self.pk} ({self.example_count} examples, {self.created_at:%Y-%m-%d})"
        )
