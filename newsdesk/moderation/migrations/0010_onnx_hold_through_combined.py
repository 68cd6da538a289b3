"""The newsroom's ONNX model no longer holds on its own score by default: the stacker weighs
it with every other signal (``stacking.py``), and holding on its word alone as well adds
false holds for nothing the combined evidence does not catch (docs/moderation.md, "A model
fine-tuned on the site's examples"). A site still on the old default (0.5) moves to 1.0
(never alone); a site whose editors chose their own keeps it."""

import django.core.validators
from django.db import migrations, models

OLD, NEW = 0.5, 1.0


def _default_move(apps, schema_editor, *, before: float, after: float) -> None:
    settings = apps.get_model("moderation", "ModerationSettings")
    settings.objects.filter(onnx_hold=before).update(onnx_hold=after)


def default_forwards(apps, schema_editor):
    _default_move(apps, schema_editor, before=OLD, after=NEW)


def default_backwards(apps, schema_editor):
    _default_move(apps, schema_editor, before=NEW, after=OLD)


class Migration(migrations.Migration):
    dependencies = [
        ("moderation", "0009_combined_hold_recalibrated"),
    ]

    operations = [
        migrations.AlterField(
            model_name="moderationsettings",
            name="onnx_hold",
            field=models.FloatField(
                default=1.0,
                help_text="Hold the comment for review when this signal scores at least this.",
                validators=[
                    django.core.validators.MinValueValidator(0.0),
                    django.core.validators.MaxValueValidator(1.0),
                ],
                verbose_name="The newsroom's ONNX model: hold at",
            ),
        ),
        migrations.RunPython(default_forwards, default_backwards),
    ]
