# ruff: noqa: RUF001 - typographic apostrophes and quotation marks are the house style
"""Readers' accounts in the demo (issue 20, item 1): the account hub and sign-in by code.

- Hanna (``hanna.reads@example.org``), a reader with an account and a public name ("Hanna B."),
  has two comments on the lead story: one published, one with a link that the trust levels
  held for a moderator ("links from new commenters are checked first"), whose reason her
  "Your comments" page shows. She has no password: sign in as her by code too.
- Rosa (``rosa.guest@example.org``) has NO account: she commented on the lead story as a
  guest ("Rosa from the lock") and gave 35 $ to the campaign with that address. On
  ``/accounts/login/`` choose "E-mail me a sign-in code", enter her address, and enter the
  code from the e-mail: a passwordless account opens for her, her address verified, and
  ``/account/`` shows her comment and her gift.

Where the codes go: ``make demo`` sends mail through the site's ``EMAIL_BACKEND``, by
default the console backend, so each e-mail (the code in it) is printed in the terminal
running ``make demo``; with ``EMAIL_BACKEND=django.core.mail.backends.filebased.EmailBackend``
each is a file in ``EMAIL_FILE_PATH`` (``var/mail/`` by default), and with ``EMAIL_HOST``
set they go to that SMTP server.

Everything goes through the discussion and funding services. Idempotent: each comment has
a demo key (kept when Rosa's comment joins her account), the gift's demo checkout counts
once, and Rosa is never given an account here.
"""

from decimal import Decimal

from newsdesk.demo.discussion import lead_story_find
from newsdesk.demo.funding import CAMPAIGN_NAME
from newsdesk.demo.readers import demo_account
from newsdesk.discussion.errors import DiscussionError
from newsdesk.discussion.models import Comment
from newsdesk.discussion.readers import Reader, guest_key_new
from newsdesk.discussion.services import CommentDraft, comment_create
from newsdesk.funding.models import Campaign
from newsdesk.funding.services.checkout import GiftRequest, demo_checkout_complete

SOURCE = "demo-reader-accounts"
READER = ("hanna_reads", "hanna.reads@example.org", "Hanna B.")
GUEST_EMAIL = "rosa.guest@example.org"
GUEST_NAME = "Rosa from the lock"
GUEST_GIFT = Decimal("35")
GUEST_GIFT_KEY = "demoreaderaccountsrosa001"

ENTRIES = (
    (
        "hanna-published",
        "member",
        "The lock keepers have been logging the river level every morning since 1962. "
        "Would the newsroom ask them for the series? It would settle the argument about "
        "whether this summer is really the lowest.",
    ),
    (
        "hanna-held",
        "member",
        "The water board’s own gauge readings are public, day by day: "
        "https://gauges.example.org/river/lantern-weir — worth linking from the article.",
    ),
    (
        "rosa-guest",
        "guest",
        "I work the lock at the bottom of the town. Boats have been waiting two days for "
        "enough water to pass since Thursday; thank you for finally writing about it.",
    ),
)


def _member():
    username, email, name = READER
    return demo_account(username=username, email=email, name=name)


def _comments(article, member, *, stdout) -> int:
    done = set(
        Comment.objects.filter(source=SOURCE, thread__article=article).values_list(
            "source_id", flat=True
        )
    )
    created = 0
    for key, who, body in ENTRIES:
        if key in done:
            continue
        if who == "guest":
            reader = Reader(guest_key=guest_key_new(), ip_address="198.51.100.77")
            draft = CommentDraft(body=body, guest_name=GUEST_NAME, guest_email=GUEST_EMAIL)
        else:
            reader = Reader(user=member, ip_address="198.51.100.76")
            draft = CommentDraft(body=body)
        try:
            comment_create(
                article=article, reader=reader, draft=draft, source=SOURCE, source_id=key
            )
        except DiscussionError as error:
            stdout.write(f"Reader accounts: demo comment {key} refused: {error.message}")
            continue
        created += 1
    return created


def _guest_gift() -> bool:
    campaign = Campaign.objects.filter(name=CAMPAIGN_NAME).first()
    if campaign is None:
        return False
    gift = GiftRequest(
        campaign_id=campaign.pk,
        amount=GUEST_GIFT,
        currency=campaign.currency,
        monthly=False,
        email=GUEST_EMAIL,
        donor_name="Rosa",
        message="For the river towns.",
        attempt_key=GUEST_GIFT_KEY,
    )
    demo_checkout_complete(gift=gift)  # its event ids come from the key: counted once
    return True


def load(*, stdout) -> None:
    article = lead_story_find()
    if article is None:
        stdout.write("Reader accounts: no article for the demo.")
        return
    created = _comments(article, _member(), stdout=stdout)
    gave = _guest_gift()
    stdout.write(
        f"Reader accounts: {READER[1]} ({created} new comments); the guest {GUEST_EMAIL} "
        f"commented{' and gave' if gave else ''}: sign in as her by code."
    )
