"""Release 2: a new column, filled from the old one, and the old text rewritten: after it, the
release-1 rows are gone unless a backup brings them back."""

from django.db import migrations, models


def shout(apps, schema_editor):
    Note = apps.get_model("throwaway", "Note")
    for note in Note.objects.all():
        note.shout = note.text.upper()
        note.text = f"v2: {note.text}"
        note.save(update_fields=["shout", "text"])


class Migration(migrations.Migration):
    dependencies = [("throwaway", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="note", name="shout", field=models.CharField(max_length=200, default="")
        ),
        migrations.RunPython(shout, migrations.RunPython.noop),
    ]
