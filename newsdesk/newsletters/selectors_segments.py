"""Who a send reaches: a list's subscribers, minus the suppression list, narrowed by segment.

Segments read other apps through their selectors, folded into one query as SQL conditions:

- ``donors``: an active monthly gift, or a standing gift in the last ``DONOR_CURRENT_DAYS``
  (funding's ``donor_current_exists``);
- ``not_donors``: no standing gift ever (funding's ``supporter_exists``, negated) and no
  active monthly gift;
- ``lapsed``: gave once, but is no current donor;
- ``section_followers``: no reader follows a section as such; a follower here is a reader
  who, in the last ``SECTION_FOLLOWER_DAYS``, followed a thread or published a comment
  under one of the articles of the list's section (discussion's
  ``section_participant_exists``). A list without a section has no followers.

The donor conditions match the subscriber's address; the follower condition their account
or, for a guest, their address.
"""

from datetime import timedelta
from typing import cast

from django.db.models import Exists, Expression, OuterRef, Q, QuerySet
from django.utils import timezone

from newsdesk.discussion.selectors_readers import section_participant_exists
from newsdesk.funding.selectors import donor_current_exists, supporter_exists
from newsdesk.newsletters.models import (
    Newsletter,
    Subscription,
    SubscriptionStatus,
    Suppression,
)
from newsdesk.newsletters.models_sending import Segment

DONOR_CURRENT_DAYS = 365
SECTION_FOLLOWER_DAYS = 90


def _segment_condition(*, newsletter: Newsletter, segment: str) -> Q:
    # supporter_exists is typed for an Expression; an OuterRef is what it is given here.
    email = cast(Expression, OuterRef("subscriber__email"))
    now = timezone.now()
    if segment == Segment.ALL:
        return Q()
    current = donor_current_exists(email=email, since=now - timedelta(days=DONOR_CURRENT_DAYS))
    if segment == Segment.DONORS:
        return current
    if segment == Segment.NOT_DONORS:
        return ~Q(supporter_exists(email=email)) & ~current
    if segment == Segment.LAPSED:
        return Q(supporter_exists(email=email)) & ~current
    if segment == Segment.SECTION_FOLLOWERS:
        if newsletter.section_id is None:
            return Q(pk__in=[])
        section = newsletter.section
        assert section is not None
        return section_participant_exists(
            user_id=cast(Expression, OuterRef("subscriber__user_id")),
            email=email,
            section_path=section.path,
            since=now - timedelta(days=SECTION_FOLLOWER_DAYS),
        )
    raise ValueError(f"Unknown segment {segment!r}")


def segment_recipients(*, newsletter: Newsletter, segment: str) -> QuerySet[Subscription]:
    """The subscriptions a send of ``newsletter`` to ``segment`` reaches: ``subscribed``
    ones of the list whose address is not suppressed, narrowed by the segment; one per
    subscriber, ordered by subscriber. Raises ``ValueError`` for an unknown segment."""
    suppressed = Suppression.objects.filter(email=OuterRef("subscriber__email"))
    return (
        Subscription.objects.filter(newsletter=newsletter, status=SubscriptionStatus.SUBSCRIBED)
        .exclude(Exists(suppressed))
        .filter(_segment_condition(newsletter=newsletter, segment=segment))
        .order_by("subscriber_id")
    )


def segment_count(*, newsletter: Newsletter, segment: str) -> int:
    """How many a send to ``segment`` of ``newsletter`` would reach now."""
    return segment_recipients(newsletter=newsletter, segment=segment).count()
