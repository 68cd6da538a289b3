"""Editors' picks (who picked a comment and when) and Q&A mode (a thread's setting, and the
staff replies marked as answers)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("discussion", "0008_comment_root_empty_for_top_level"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="comment",
            name="is_answer",
            field=models.BooleanField(default=False),
        ),
        migrations.AddField(
            model_name="comment",
            name="picked_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="comment",
            name="picked_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="thread",
            name="qa_mode",
            field=models.BooleanField(
                default=False,
                help_text=(
                    "Readers ask questions; the newsroom's answers are marked and shown first."
                ),
                verbose_name="Q&A mode",
            ),
        ),
        migrations.AddIndex(
            model_name="comment",
            index=models.Index(
                condition=models.Q(("picked_at__isnull", False)),
                fields=["picked_at"],
                name="comment_picks_by_time",
            ),
        ),
    ]
