from django.db import migrations, models


class Migration(migrations.Migration):
    """Double opt-in for discussion e-mails (``EmailConfirmation``), and the mark that keeps
    a comment's e-mails from being sent twice (``Comment.notifications_sent_at``).

    After 0006 (a colleague's, written at the same time) so that the graph has one leaf.
    """

    dependencies = [
        ("discussion", "0005_comment_indexes_without_duplicates"),
        ("discussion", "0006_vote_network"),
    ]

    operations = [
        migrations.AddField(
            model_name="comment",
            name="notifications_sent_at",
            field=models.DateTimeField(
                blank=True, help_text="When reply and subscriber e-mails were sent.", null=True
            ),
        ),
        migrations.CreateModel(
            name="EmailConfirmation",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("address_hash", models.CharField(max_length=64, unique=True)),
                ("requested_at", models.DateTimeField(blank=True, null=True)),
                ("sent_at", models.DateTimeField(blank=True, null=True)),
                ("confirmed_at", models.DateTimeField(blank=True, null=True)),
            ],
        ),
    ]
