"""The combined evidence's default hold score, chosen again on the larger labelled set (the
rule of ``models.DEFAULT_THRESHOLDS``): a site still on the old default moves to the new
one; a site whose editors chose their own keeps it."""

import django.core.validators
from django.db import migrations, models

OLD, NEW = 0.75, 0.7


def _default_move(apps, schema_editor, *, before: float, after: float) -> None:
    settings = apps.get_model("moderation", "ModerationSettings")
    settings.objects.filter(combined_hold=before).update(combined_hold=after)


def default_forwards(apps, schema_editor):
    _default_move(apps, schema_editor, before=OLD, after=NEW)


def default_backwards(apps, schema_editor):
    _default_move(apps, schema_editor, before=NEW, after=OLD)


class Migration(migrations.Migration):
    dependencies = [
        ("moderation", "0008_commenter_notes_and_watch_list"),
    ]

    operations = [
        migrations.AlterField(
            model_name="moderationsettings",
            name="combined_hold",
            field=models.FloatField(
                default=0.7,
                help_text="Hold the comment for review when this signal scores at least this.",
                validators=[
                    django.core.validators.MinValueValidator(0.0),
                    django.core.validators.MaxValueValidator(1.0),
                ],
                verbose_name="Combined evidence: hold at",
            ),
        ),
        migrations.RunPython(default_forwards, default_backwards),
    ]
