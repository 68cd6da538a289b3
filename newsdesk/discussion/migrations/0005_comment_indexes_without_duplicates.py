from django.db import migrations


class Migration(migrations.Migration):
    """The index on ``root`` declared in ``Meta.indexes`` repeated the foreign key's own."""

    dependencies = [
        ("discussion", "0004_comment_body_digest"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="comment",
            name="discussion__root_id_623f81_idx",
        ),
    ]
