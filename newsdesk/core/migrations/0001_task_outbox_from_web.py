"""The task outbox moves from ``web`` to ``core`` in Django's state only: its table stays."""

from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("web", "0002_task_outbox"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="TaskOutbox",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("task_path", models.CharField(max_length=255)),
                        ("kwargs", models.JSONField(default=dict)),
                        ("created_at", models.DateTimeField(db_index=True)),
                    ],
                    options={
                        "db_table": "web_taskoutbox",
                        "verbose_name": "task waiting for the queue",
                        "verbose_name_plural": "tasks waiting for the queue",
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
