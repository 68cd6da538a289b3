"""The newsletters' lists and sign-ups in the demo (issue 21, item 1).

Three public lists (The Daily, The Weekly, Breaking news) that the sign-up box offers after
every article, in the footer and after a gift; a few readers' sign-ups made through the
sign-up's own services, so their consent records are what the forms record: Ines (the demo
reader of ``demo/controls.py``) chose hers on her account's "Newsletters" page, one guest
confirmed hers from an article's box, and one asked from the footer and has not confirmed
yet (the admin's "Newsletter subscribers" shows all three states). Idempotent: a list is
found by its slug, a reader's sign-up is made only while their address has none.
"""

from django.contrib.auth import get_user_model

from newsdesk.demo.discussion import lead_story_find
from newsdesk.newsletters.forms import CONSENT_TEXT
from newsdesk.newsletters.models import Cadence, ConsentSource, DigestMode, Newsletter, Subscriber
from newsdesk.newsletters.selectors import newsletters_offered_forget
from newsdesk.newsletters.services import subscriptions
from newsdesk.newsletters.services.signup_mail import confirm_token

LISTS = (
    # slug, name, description, order, other fields
    ("daily", "The Daily", "The morning's stories, every day at seven.", 1, {}),
    (
        "weekly",
        "The Weekly",
        "The week's reporting, on Monday mornings.",
        2,
        {
            "cadence": Cadence.WEEKLY,
            "send_hour": 8,
            "send_weekday": 0,
            "digest_mode": DigestMode.DRAFT,
        },
    ),
    ("breaking", "Breaking news", "Only when it cannot wait.", 3, {}),
)
# Guests: address, name, lists, form, confirmed.
GUESTS = (
    ("maren.holt@example.org", "Maren", ("daily", "breaking"), ConsentSource.ARTICLE, True),
    ("tomas.reyes@example.org", "Tomás", ("weekly",), ConsentSource.FOOTER, False),
)
ACCOUNT_READER = "ines_reads"  # demo/controls.py's reader, with a verified address
ACCOUNT_LISTS = ("daily", "weekly")


def _lists(*, stdout) -> None:
    made = 0
    for slug, name, description, order, extra in LISTS:
        _, created = Newsletter.objects.get_or_create(
            slug=slug,
            defaults={"name": name, "description": description, "sort_order": order, **extra},
        )
        made += created
    newsletters_offered_forget()  # the sign-up box shows the lists at once
    if made:
        stdout.write(f"Newsletter lists: {made} made.")


def _guests(*, stdout) -> None:
    lead = lead_story_find()
    article_path = lead.url if lead is not None else "/"
    for email, name, slugs, source, confirmed in GUESTS:
        if Subscriber.objects.filter(email=email).exists():
            continue
        subscriber = subscriptions.subscribe(
            email=email,
            newsletters=list(slugs),
            source=source,
            url=article_path if source == ConsentSource.ARTICLE else "/",
            consent_text=CONSENT_TEXT,
            name=name,
        )
        if confirmed:
            subscriptions.confirm(token=confirm_token(subscriber=subscriber))
        stdout.write(f"Newsletter sign-up: {email} ({'confirmed' if confirmed else 'pending'}).")


def _account_reader(*, stdout) -> None:
    user = get_user_model().objects.filter(username=ACCOUNT_READER).first()
    if user is None or Subscriber.objects.filter(user=user).exists():
        return
    try:
        subscriptions.account_lists_set(user=user, newsletters=list(ACCOUNT_LISTS))
    except subscriptions.InvalidSubscription:
        return  # no verified address in this demo
    stdout.write(f"Newsletters of {ACCOUNT_READER}: {', '.join(ACCOUNT_LISTS)}.")


def load(*, stdout) -> None:
    _lists(stdout=stdout)
    _guests(stdout=stdout)
    _account_reader(stdout=stdout)
