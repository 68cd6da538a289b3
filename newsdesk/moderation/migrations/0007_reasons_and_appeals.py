# Reasons a comment's author reads (Decision.reason_code, reason_note), the appeal outcomes
# in the audit log, and appeals.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('discussion', '0001_initial'),
        ('moderation', '0006_guest_bans'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='decision',
            name='reason_code',
            field=models.CharField(blank=True, default='', max_length=20),
        ),
        migrations.AddField(
            model_name='decision',
            name='reason_note',
            field=models.CharField(blank=True, default='', max_length=300),
        ),
        migrations.AlterField(
            model_name='decision',
            name='action',
            field=models.CharField(choices=[('published', 'Published (automatic)'), ('held', 'Held (automatic)'), ('rejected_auto', 'Rejected (automatic)'), ('shadowed', 'Shadowed (banned author)'), ('approved', 'Approved'), ('rejected', 'Rejected'), ('spam', 'Marked as spam'), ('banned', 'Author banned'), ('unbanned', 'Ban lifted'), ('report_hid', 'Hidden after reports'), ('undo', 'Undone'), ('appeal_upheld', 'Appeal: decision upheld'), ('appeal_reversed', 'Appeal: decision reversed')], max_length=20),
        ),
        migrations.CreateModel(
            name='Appeal',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('message', models.TextField(max_length=1000)),
                ('created_at', models.DateTimeField(auto_now_add=True, db_index=True)),
                ('state', models.CharField(choices=[('pending', 'Waiting for a moderator'), ('upheld', 'Decision upheld'), ('reversed', 'Decision reversed')], db_index=True, default='pending', max_length=10)),
                ('decided_at', models.DateTimeField(blank=True, null=True)),
                ('note', models.CharField(blank=True, default='', max_length=300)),
                ('notified_at', models.DateTimeField(blank=True, null=True)),
                ('comment', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='moderation_appeals', to='discussion.comment')),
                ('decided_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('decision', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='appeals', to='moderation.decision')),
                ('outcome', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='moderation.decision')),
                ('user', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ['created_at', 'pk'],
                'constraints': [models.UniqueConstraint(fields=('comment',), name='one_appeal_per_comment')],
            },
        ),
    ]
