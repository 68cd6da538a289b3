from django.db import migrations
from django.db.models import F


def roots_emptied(apps, schema_editor):
    Comment = apps.get_model("discussion", "Comment")
    Comment.objects.filter(root_id=F("pk")).update(root=None)


def roots_named_again(apps, schema_editor):
    Comment = apps.get_model("discussion", "Comment")
    Comment.objects.filter(root__isnull=True).update(root_id=F("pk"))


class Migration(migrations.Migration):
    """A top-level comment's ``root`` is empty instead of naming the comment itself: posting
    no longer writes the comment a second time once its id is known."""

    dependencies = [("discussion", "0007_guest_email_confirmation")]

    operations = [migrations.RunPython(roots_emptied, roots_named_again, elidable=True)]
