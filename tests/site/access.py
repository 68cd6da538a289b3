"""The cast and the set of the access tests: seven roles and a small site to try them on.

Every object is made through the owning app's services (comments through the discussion's
gate, gifts through the ledger), so the tests see what the site really stores.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from wagtail import hooks
from wagtail.models import PageViewRestriction

from newsdesk.core.hooks import COMMENT_ASSESS
from newsdesk.discussion.readers import Reader, guest_key_new
from newsdesk.discussion.services import CommentDraft, comment_create
from newsdesk.funding.models import Donation, ProviderEvent, RecurringGift
from newsdesk.funding.services.checkout import GiftRequest, demo_checkout_complete
from newsdesk.funding.services.ledger import donation_record_manual
from newsdesk.funding.tests.helpers import make_campaign
from newsdesk.syndication.models import Source
from tests.support import factories

ROLES = ["anonymous", "reader", "another_reader", "moderator", "editor", "treasurer", "admin"]
READERS = {"reader", "another_reader"}
STAFF = {"moderator", "editor", "treasurer", "admin"}
SIGNED_IN = READERS | STAFF
GROUPS = {"moderator": "Moderators", "editor": "Editors", "treasurer": "Treasurers"}
PASSWORD = "a long pass 42"
DONOR_EMAIL = "generous.donor@example.net"


def user_for(role: str):
    """The account playing ``role`` (made on first use); None for the anonymous visitor."""
    if role == "anonymous":
        return None
    users = get_user_model()
    existing = users.objects.filter(username=role).first()
    if existing is not None:
        return existing
    email = f"{role}@example.org"
    if role == "admin":
        return users.objects.create_superuser(role, email, PASSWORD)
    user = users.objects.create_user(role, email, PASSWORD)
    if role in GROUPS:
        user.groups.add(Group.objects.get(name=GROUPS[role]))
    return user


def sign_in(client, role: str):
    user = user_for(role)
    if user is not None:
        client.force_login(user)
    return user


def published_comment(article, user, body: str, *, ip: str = "192.0.2.20"):
    """A comment by ``user`` through the discussion's service, with no assessor registered
    (so it is published at once, whatever the moderation app would think of it)."""
    reader = Reader(user=user, ip_address=ip)
    return comment_create(article=article, reader=reader, draft=CommentDraft(body=body))


def without_assessors(monkeypatch) -> None:
    """Set the moderation app's assessors aside: these tests are about who, not what."""
    hooks.search_for_hooks()
    monkeypatch.setitem(hooks._hooks, COMMENT_ASSESS, [])


@dataclass
class World:
    """A site with one of everything a URL can point at."""

    home: object
    section: object
    article: object
    draft: object
    private: object
    author: object
    campaign: object
    donation: Donation
    monthly_gift: RecurringGift
    provider_event: ProviderEvent
    source: Source
    # comments[(role, purpose)]: one comment per author and per action tried on it, so an
    # action that deletes one leaves the others for the next request.
    comments: dict = field(default_factory=dict)

    def comment(self, author: str, purpose: str) -> int:
        return self.comments[(author, purpose)].pk


COMMENT_PURPOSES = ["view", "edit", "delete", "api_edit", "api_delete"]
# A guest's comments are the ones every role may vote on and report (nobody's own).
GUEST_PURPOSES = ["vote", "api_vote", "report"]


def build_world() -> World:
    home = factories.home_page()
    section = factories.make_section("World")
    author = factories.make_author("Ada Reporter")
    article = factories.make_article(
        section=section, title="Rivers run dry", tags=["drought"], authors=[author]
    )
    draft = factories.make_article(section=section, title="Not yet out", publish=False)
    private = factories.make_article(section=section, title="For members")
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
    campaign = make_campaign()
    donation = donation_record_manual(
        campaign=campaign,
        kind=Donation.Kind.PAYMENT,
        amount=Decimal("25"),
        currency=campaign.currency,
        method=Donation.Method.BANK_TRANSFER,
        reference="bank-0001",
        recorded_by=user_for("treasurer"),
        donor_name="Generous Donor",
        donor_email=DONOR_EMAIL,
    )
    # A monthly gift paid through the demo provider: a subscription and its provider events.
    demo_checkout_complete(
        gift=GiftRequest(
            campaign_id=campaign.pk,
            amount=Decimal("5"),
            currency=campaign.currency,
            monthly=True,
            email=DONOR_EMAIL,
            donor_name="Generous Donor",
            message="",
            attempt_key="0" * 32,
        )
    )
    world = World(
        home=home,
        section=section,
        article=article,
        draft=draft,
        private=private,
        author=author,
        campaign=campaign,
        donation=donation,
        monthly_gift=RecurringGift.objects.get(),
        provider_event=ProviderEvent.objects.first(),
        source=Source.objects.create(
            outlet=factories.make_outlet("River Weekly"),
            feed_url="https://partner.example/feed.xml",
            section=section,
        ),
    )
    for role in ("reader", "another_reader"):
        user = user_for(role)
        for purpose in COMMENT_PURPOSES:
            world.comments[(role, purpose)] = published_comment(
                article, user, f"{role} writes, for {purpose}: the river was low all summer."
            )
    for purpose in GUEST_PURPOSES:
        guest = Reader(guest_key=guest_key_new(), ip_address="198.51.100.7")
        world.comments[("guest", purpose)] = comment_create(
            article=article,
            reader=guest,
            draft=CommentDraft(body=f"A guest writes, for {purpose}.", guest_name="Passer-by"),
        )
    return world
