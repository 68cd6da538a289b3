"""The donor e-mails' default words (one per kind; staff rewrite them in the admin) and who
may edit them: Treasurers and Editors change the words, Treasurers alone see the mails sent
(they name donors' addresses). An existing message is never overwritten."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

MESSAGES = {
    "welcome": (
        "Welcome, and thank you, from {site_name}",
        "Hello {name},\n\n"
        "Your gift of {amount} on {date} was your first to {site_name}, and we wanted to say "
        "so properly: thank you. Reporting costs money, and every story we publish from now "
        "on has a little of yours in it.\n\n"
        "You will get a receipt for each gift. If you give monthly, you can change or stop "
        "your gift whenever you like: {manage_url}\n\n"
        "With gratitude,\n{site_name}",
    ),
    "monthly_receipt": (
        "Your monthly gift to {site_name}: receipt for {amount}",
        "Hello {name},\n\n"
        "This month's gift of {amount} reached us on {date}. Thank you for keeping it going.\n\n"
        "Keep this e-mail as your receipt. To change the amount, the card, or to pause or "
        "stop your monthly gift: {manage_url}\n\n"
        "{site_name}",
    ),
    "payment_failed": (
        "We could not take this month's gift",
        "Hello {name},\n\n"
        "Your bank or card company turned down this month's gift of {amount} to {site_name}. "
        "This happens: a new card, an expired one, a limit reached.\n\n"
        "Nothing is lost: update your card here and the next try will go through: "
        "{manage_url}\n\n"
        "If you would rather stop your gift, you can do that on the same page.\n\n"
        "{site_name}",
    ),
    "card_expiring": (
        "The card for your monthly gift expires {date}",
        "Hello {name},\n\n"
        "The card your monthly gift of {amount} is charged to ({card}) expires at the end of "
        "{date}. So that your support carries on without a break, you can put a new card "
        "on it here: {manage_url}\n\n"
        "Thank you for giving every month.\n\n{site_name}",
    ),
    "renewal_reminder": (
        "A year since your gift to {site_name}",
        "Hello {name},\n\n"
        "Almost a year ago, on {date}, you gave {amount} to {site_name}. That gift paid for "
        "reporting all year long.\n\n"
        "If you would like to give again this year, it takes a minute: {donate_url}\n\n"
        "Either way, thank you for being a reader who supports us.\n\n{site_name}",
    ),
    "lapsed": (
        "Thank you, and a question from {site_name}",
        "Hello {name},\n\n"
        "It has been a while since your last gift to {site_name} ({amount} on {date}). We "
        "have not forgotten it: readers like you are why we can publish without an owner or "
        "advertisers telling us what to cover.\n\n"
        "If you are able to support us again, here is where: {donate_url}\n\n"
        "If not, thank you all the same for reading.\n\n{site_name}",
    ),
}

WORDS = ["add_lifecyclemessage", "change_lifecyclemessage", "view_lifecyclemessage"]
TREASURERS_ONLY = ["view_lifecyclemail"]


def forwards(apps, schema_editor):
    LifecycleMessage = apps.get_model("funding", "LifecycleMessage")
    for kind, (subject, body) in MESSAGES.items():
        LifecycleMessage.objects.get_or_create(
            kind=kind, defaults={"subject": subject, "body": body, "enabled": True}
        )

    app_config = apps.get_app_config("funding")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")

    def perms(codenames):
        return Permission.objects.filter(content_type__app_label="funding", codename__in=codenames)

    treasurers = Group.objects.filter(name="Treasurers").first()
    if treasurers:
        treasurers.permissions.add(*perms(WORDS + TREASURERS_ONLY))
    editors = Group.objects.filter(name="Editors").first()
    if editors:
        editors.permissions.add(*perms(WORDS))


def backwards(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    for group in Group.objects.filter(name__in=["Treasurers", "Editors"]):
        group.permissions.remove(
            *Permission.objects.filter(
                content_type__app_label="funding", codename__in=WORDS + TREASURERS_ONLY
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("funding", "0005_donors_manage_their_giving"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
