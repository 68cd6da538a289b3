"""The Treasurers group with the funding permissions, and the ledger's lock row.

Moderators and Editors get no permission on donor data; Editors may edit the call-to-action
words (Settings → Reader funding), which hold none.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

TREASURER_PERMISSIONS = [
    ("funding", "add_campaign"),
    ("funding", "change_campaign"),
    ("funding", "view_campaign"),
    ("funding", "add_donation"),
    ("funding", "view_donation"),
    ("funding", "view_providerevent"),
    ("funding", "view_recurringgift"),
    ("funding", "change_fundingsettings"),
    ("wagtailadmin", "access_admin"),
]


def forwards(apps, schema_editor):
    app_config = apps.get_app_config("funding")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    treasurers, _ = Group.objects.get_or_create(name="Treasurers")
    for app_label, codename in TREASURER_PERMISSIONS:
        treasurers.permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )
    editors = Group.objects.filter(name="Editors").first()
    if editors:
        editors.permissions.add(
            Permission.objects.get(
                content_type__app_label="funding", codename="change_fundingsettings"
            )
        )

    apps.get_model("funding", "LedgerLock").objects.get_or_create(pk=1)


def backwards(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name="Treasurers").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("funding", "0001_initial"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("wagtailcore", "0002_initial_data"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
