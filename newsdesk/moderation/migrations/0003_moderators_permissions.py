"""Wagtail's Moderators group gets the comment moderators' permissions: the queue, bans and
the audit log (``moderation.moderate_comment``), and changing comments' status through the
discussion's staff services (``discussion.change_comment``). Editors get neither."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

MODERATOR_PERMISSIONS = [
    ("moderation", "moderate_comment"),
    ("discussion", "change_comment"),
    ("discussion", "view_comment"),
    ("wagtailadmin", "access_admin"),
]


def forwards(apps, schema_editor):
    for label in ("moderation", "discussion"):
        app_config = apps.get_app_config(label)
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    moderators, _ = Group.objects.get_or_create(name="Moderators")
    for app_label, codename in MODERATOR_PERMISSIONS:
        moderators.permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )


def backwards(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    moderators = Group.objects.filter(name="Moderators").first()
    if moderators:
        moderators.permissions.remove(
            *Permission.objects.filter(content_type__app_label="moderation", codename="moderate_comment")
        )


class Migration(migrations.Migration):
    dependencies = [
        ("moderation", "0002_decisions_reports_bans"),
        ("discussion", "0001_initial"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("wagtailcore", "0002_initial_data"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
