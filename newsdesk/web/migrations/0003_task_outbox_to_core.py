"""The task outbox moves to ``core`` in Django's state only: its table stays."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("web", "0002_task_outbox"),
        ("core", "0001_task_outbox_from_web"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="TaskOutbox")],
            database_operations=[],
        ),
    ]
