# Moderators' notes on commenters and their watch list (commenters and stories).

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('articles', '0002_create_homepage'),
        ('moderation', '0007_reasons_and_appeals'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='CommenterNote',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('commenter_key', models.CharField(db_index=True, max_length=80)),
                ('commenter_name', models.CharField(blank=True, default='', max_length=80)),
                ('body', models.TextField(max_length=500)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('author', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('user', models.ForeignKey(blank=True, help_text='The account the note is about (none for a guest).', null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ['-created_at', '-pk'],
            },
        ),
        migrations.CreateModel(
            name='WatchEntry',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('commenter', 'Commenter'), ('story', 'Story')], max_length=10)),
                ('commenter_key', models.CharField(blank=True, default='', max_length=80)),
                ('commenter_name', models.CharField(blank=True, default='', max_length=80)),
                ('note', models.CharField(blank=True, default='', max_length=200)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('added_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('article', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='articles.articlepage')),
                ('user', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ['-created_at', '-pk'],
                'constraints': [models.UniqueConstraint(condition=models.Q(('kind', 'commenter')), fields=('commenter_key',), name='watch_commenter_once'), models.UniqueConstraint(condition=models.Q(('kind', 'story')), fields=('article',), name='watch_story_once'), models.CheckConstraint(condition=models.Q(models.Q(('kind', 'commenter'), models.Q(('commenter_key', ''), _negated=True)), models.Q(('article__isnull', False), ('kind', 'story')), _connector='OR'), name='watch_names_its_target')],
            },
        ),
    ]
