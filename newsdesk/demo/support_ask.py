"""The support ask that knows its reader, and the supporter badge, in the demo (issue 20,
items 5 and 6).

- Settings → Support ask holds the demo's words and rules: the ask from the second article
  read, at most once in three days; a gift older than a year has lapsed.
- Mira (``mira_gives``, a verified address, a gift in the ledger) turned the supporter badge
  on: her comments under the lead story show "Supporter". Oskar (``oskar_gave``) gave two
  years ago: signed in, he gets the lapsed donors' words. Neither has a password: set one
  with ``manage.py changepassword mira_gives`` to sign in as her.

Everything goes through the apps' services. The words are the project's own. Idempotent:
the settings are set to the same words, gifts have fixed references, comments a demo key.
"""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from newsdesk.demo.discussion import lead_story_find
from newsdesk.demo.readers import demo_account
from newsdesk.discussion.errors import DiscussionError
from newsdesk.discussion.models import Comment
from newsdesk.discussion.readers import Reader
from newsdesk.discussion.services import CommentDraft, comment_create, comment_status_set
from newsdesk.discussion.services.badge import supporter_badge_set
from newsdesk.funding.models import Donation
from newsdesk.funding.models_ask import SupportAskSettings
from newsdesk.funding.selectors import campaign_current
from newsdesk.funding.services.ledger import donation_record

SOURCE = "demo-support-ask"
SUPPORTER = ("mira_gives", "mira@example.org", "Mira")
LAPSED = ("oskar_gave", "oskar@example.org", "Oskar")

# The demo newsroom's own words for its ask, written in the site's language when the demo
# loads (an editor's words: shown as written afterwards, whatever the reader's language).
WORDS = {
    "articles_before_ask": 2,
    "days_between_asks": 3,
    "lapsed_after_days": 365,
    "new_heading": _("This story was free to read. It was not free to report."),
    "new_text": _(
        "Two reporters spent a week at the reservoirs for it. Readers pay for that work, "
        "not advertisers: a small gift keeps it open to everyone."
    ),
    "new_button": _("Give to the newsroom"),
    "lapsed_heading": _("You helped before. Will you again?"),
    "lapsed_text": _(
        "Your last gift paid for stories like this one. The drought coverage continues all "
        "summer: renew your support and keep it going."
    ),
    "lapsed_button": _("Give again"),
    "current_show": True,
    "current_heading": _("Thank you for giving"),
    "current_text": _("Your gift is part of every story on this site, this one included."),
}

COMMENTS = (
    (
        "mira-1",
        "I read the whole reservoir series before the council meeting. The June figures "
        "were the only ones anybody in the room had seen.",
    ),
    (
        "mira-2",
        "Could the next piece look at the wells on the east side? Several of us were told "
        "to stop using them without any explanation.",
    ),
)


def _account(username: str, email: str, name: str):
    return demo_account(username=username, email=email, name=name)


def _gift(*, reference: str, email: str, name: str, days_ago: int) -> None:
    campaign = campaign_current()
    donation_record(  # None when this reference is in the ledger already
        provider=Donation.Provider.MANUAL,
        provider_reference=reference,
        kind=Donation.Kind.PAYMENT,
        amount=Decimal("30.00"),
        currency=campaign.currency if campaign else "USD",
        campaign=campaign if days_ago < 30 else None,
        donor_name=name,
        donor_email=email,
        received_at=timezone.now() - timedelta(days=days_ago),
    )


def load(*, stdout) -> None:
    ask = SupportAskSettings.load()
    changed = [field for field, value in WORDS.items() if getattr(ask, field) != value]
    if changed:
        for field in changed:
            value = WORDS[field]
            setattr(ask, field, str(value) if isinstance(value, Promise) else value)
        ask.save()

    mira = _account(*SUPPORTER)
    oskar = _account(*LAPSED)
    _gift(reference="demo-ask-mira", email=SUPPORTER[1], name=SUPPORTER[2], days_ago=12)
    _gift(reference="demo-ask-oskar", email=LAPSED[1], name="", days_ago=730)
    supporter_badge_set(reader=Reader(user=mira), show=True)

    article = lead_story_find()
    posted = 0
    if article is not None:
        done = set(Comment.objects.filter(source=SOURCE).values_list("source_id", flat=True))
        for key, body in COMMENTS:
            if key in done:
                continue
            try:
                comment = comment_create(
                    article=article,
                    reader=Reader(user=mira, ip_address="198.18.71.4"),
                    draft=CommentDraft(body=body),
                    source=SOURCE,
                    source_id=key,
                )
            except DiscussionError as error:
                stdout.write(f"Support ask: {key} not posted ({error.message}).")
                continue
            if comment.status != "published":
                comment = comment_status_set(comment=comment, status="published", reason="demo")
            posted += 1
    stdout.write(
        f"Support ask: the editors' words set; {mira.username} shows the supporter badge "
        f"({posted} new comment{'s' if posted != 1 else ''}), {oskar.username} is a lapsed "
        "donor."
    )
