"""Segments: who of a list a send reaches (donors, not donors, lapsed donors, followers of
the list's section), always minus the suppression list and the subscriptions not active."""

from datetime import timedelta
from decimal import Decimal
from itertools import count

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from newsdesk.discussion.models import Comment, CommentStatus, Thread
from newsdesk.discussion.models import Subscription as ThreadFollow
from newsdesk.funding.models import Donation, RecurringGift
from newsdesk.newsletters.models import SubscriptionStatus, Suppression
from newsdesk.newsletters.selectors_segments import segment_count, segment_recipients
from newsdesk.newsletters.tests import issue_factories
from newsdesk.newsletters.tests.sending_helpers import subscriber
from tests.support import factories

pytestmark = pytest.mark.django_db
_refs = count(1)


def _gift(email: str, *, days_ago: int = 3, amount: str = "10") -> Donation:
    return Donation.objects.create(
        provider=Donation.Provider.MANUAL,
        provider_reference=f"ref-{next(_refs)}",
        amount=Decimal(amount),
        currency="EUR",
        donor_email=email,
        received_at=timezone.now() - timedelta(days=days_ago),
    )


def _emails(newsletter, segment: str) -> set[str]:
    rows = segment_recipients(newsletter=newsletter, segment=segment)
    return {row.subscriber.email for row in rows.select_related("subscriber")}


@pytest.fixture
def donors_list():
    daily = issue_factories.newsletter("daily")
    for name in ["recent", "monthly", "lapsed", "refunded", "never", "suppressed-donor"]:
        subscriber(f"{name}@example.org", daily)
    subscriber("pending@example.org", daily, status=SubscriptionStatus.PENDING)
    _gift("pending@example.org")
    _gift("recent@example.org")
    RecurringGift.objects.create(
        provider=Donation.Provider.MANUAL,
        subscription_id="monthly-1",
        amount=Decimal("5"),
        currency="EUR",
        donor_email="monthly@example.org",
        created_at=timezone.now() - timedelta(days=800),
    )
    _gift("lapsed@example.org", days_ago=500)
    payment = _gift("refunded@example.org")
    Donation.objects.create(
        provider=Donation.Provider.MANUAL,
        provider_reference=f"ref-{next(_refs)}",
        kind=Donation.Kind.REFUND,
        related_payment=payment,
        amount=Decimal("-10"),
        currency="EUR",
        donor_email="refunded@example.org",
    )
    _gift("suppressed-donor@example.org")
    Suppression.objects.create(email="suppressed-donor@example.org", reason="bounce")
    return daily


def test_all_is_every_active_subscription_not_suppressed(donors_list):
    assert _emails(donors_list, "all") == {
        "recent@example.org",
        "monthly@example.org",
        "lapsed@example.org",
        "refunded@example.org",
        "never@example.org",
    }


def test_donors_gave_this_year_or_give_monthly(donors_list):
    assert _emails(donors_list, "donors") == {"recent@example.org", "monthly@example.org"}


def test_not_donors_never_gave_a_gift_that_stands(donors_list):
    assert _emails(donors_list, "not_donors") == {"refunded@example.org", "never@example.org"}


def test_lapsed_donors_gave_once_and_not_lately(donors_list):
    assert _emails(donors_list, "lapsed") == {"lapsed@example.org"}
    RecurringGift.objects.filter(subscription_id="monthly-1").update(
        status=RecurringGift.Status.CANCELLED
    )
    # A monthly gift stopped, and its last payment over a year old: lapsed too, once paid.
    _gift("monthly@example.org", days_ago=400)
    assert _emails(donors_list, "lapsed") == {"lapsed@example.org", "monthly@example.org"}


def _comment(article, *, user=None, guest_email: str = "", days_ago: int = 1) -> Comment:
    thread, _ = Thread.objects.get_or_create(article=article)
    return Comment.objects.create(
        thread=thread,
        user=user,
        guest_name="" if user else "Guest",
        guest_email=guest_email,
        body_source="A thought.",
        body_html="<p>A thought.</p>",
        status=CommentStatus.PUBLISHED,
        created_at=timezone.now() - timedelta(days=days_ago),
    )


def test_section_followers_took_part_under_the_sections_articles_lately(section):
    world_story = factories.make_article(section=section, title="Floods upstream")
    other = factories.make_section("Sport")
    sport_story = factories.make_article(section=other, title="A late goal")
    world = issue_factories.newsletter("world", section=section)
    user = get_user_model().objects.create_user("commenter", "commenter@example.org", "pw-12345")
    subscriber("commenter@example.org", world, user=user)
    subscriber("guest@example.org", world)
    subscriber("follower@example.org", world)
    subscriber("old@example.org", world)
    subscriber("elsewhere@example.org", world)
    subscriber("quiet@example.org", world)
    _comment(world_story, user=user)
    _comment(world_story, guest_email="guest@example.org")
    ThreadFollow.objects.create(
        thread=Thread.objects.get(article=world_story), email="follower@example.org"
    )
    _comment(world_story, guest_email="old@example.org", days_ago=120)
    _comment(sport_story, guest_email="elsewhere@example.org")

    assert _emails(world, "section_followers") == {
        "commenter@example.org",
        "guest@example.org",
        "follower@example.org",
    }
    assert segment_count(newsletter=world, segment="section_followers") == 3
    # A list without a section has no followers.
    assert (
        segment_count(newsletter=issue_factories.newsletter("daily"), segment="section_followers")
        == 0
    )


def test_an_unknown_segment_is_refused():
    with pytest.raises(ValueError):
        segment_count(newsletter=issue_factories.newsletter("daily"), segment="everyone")
