"""The donor e-mails' shipped words, one (subject, body) per kind: the same texts as the
migration that creates the ``LifecycleMessage`` rows (``0006_lifecycle_default_messages``,
its ``MESSAGES``; a test keeps them equal), marked for the catalogues.

A stored message still in these words is sent in the donor's language
(``shipped_words.shipped_or_own``, in ``tasks_lifecycle.mail_render``); one staff rewrote is
sent as written. The translations keep every ``{placeholder}``: they are filled after.
"""

from django.utils.translation import gettext_noop

LIFECYCLE_WORDS: dict[str, tuple[str, str]] = {
    "welcome": (
        gettext_noop("Welcome, and thank you, from {site_name}"),
        gettext_noop(
            "Hello {name},\n\n"
            "Your gift of {amount} on {date} was your first to {site_name}, and we wanted to say "
            "so properly: thank you. Reporting costs money, and every story we publish from now "
            "on has a little of yours in it.\n\n"
            "You will get a receipt for each gift. If you give monthly, you can change or stop "
            "your gift whenever you like: {manage_url}\n\n"
            "With gratitude,\n{site_name}"
        ),
    ),
    "monthly_receipt": (
        gettext_noop("Your monthly gift to {site_name}: receipt for {amount}"),
        gettext_noop(
            "Hello {name},\n\n"
            "This month's gift of {amount} reached us on {date}. "
            "Thank you for keeping it going.\n\n"
            "Keep this e-mail as your receipt. To change the amount, the card, or to pause or "
            "stop your monthly gift: {manage_url}\n\n"
            "{site_name}"
        ),
    ),
    "payment_failed": (
        gettext_noop("We could not take this month's gift"),
        gettext_noop(
            "Hello {name},\n\n"
            "Your bank or card company turned down this month's gift of {amount} to {site_name}. "
            "This happens: a new card, an expired one, a limit reached.\n\n"
            "Nothing is lost: update your card here and the next try will go through: "
            "{manage_url}\n\n"
            "If you would rather stop your gift, you can do that on the same page.\n\n"
            "{site_name}"
        ),
    ),
    "card_expiring": (
        gettext_noop("The card for your monthly gift expires {date}"),
        gettext_noop(
            "Hello {name},\n\n"
            "The card your monthly gift of {amount} is charged to ({card}) expires at the end of "
            "{date}. So that your support carries on without a break, you can put a new card "
            "on it here: {manage_url}\n\n"
            "Thank you for giving every month.\n\n{site_name}"
        ),
    ),
    "renewal_reminder": (
        gettext_noop("A year since your gift to {site_name}"),
        gettext_noop(
            "Hello {name},\n\n"
            "Almost a year ago, on {date}, you gave {amount} to {site_name}. That gift paid for "
            "reporting all year long.\n\n"
            "If you would like to give again this year, it takes a minute: {donate_url}\n\n"
            "Either way, thank you for being a reader who supports us.\n\n{site_name}"
        ),
    ),
    "lapsed": (
        gettext_noop("Thank you, and a question from {site_name}"),
        gettext_noop(
            "Hello {name},\n\n"
            "It has been a while since your last gift to {site_name} ({amount} on {date}). We "
            "have not forgotten it: readers like you are why we can publish without an owner or "
            "advertisers telling us what to cover.\n\n"
            "If you are able to support us again, here is where: {donate_url}\n\n"
            "If not, thank you all the same for reading.\n\n{site_name}"
        ),
    ),
}
