# A reader's choice to show "Supporter" beside their comments (issue 20, item 5).

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("discussion", "0011_quiet_hours_and_slow_mode"),
    ]

    operations = [
        migrations.AddField(
            model_name="readersettings",
            name="show_supporter_badge",
            field=models.BooleanField(default=False),
        ),
    ]
