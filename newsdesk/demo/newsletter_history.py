"""The newsletters' history in the demo (issue 21, items 5 and 6): half a year of readers
subscribing to and leaving the demo lists, and one past send of the daily with what became
of its messages, so that the admin's "Newsletter reports" (a list's growth chart, a send's
figures) and the exports show something.

The readers are example.org addresses (nobody's), their consent recorded as the footer form
would have; the past send's records are written as the sender and the providers' webhooks
would have left them. Idempotent: each list's history is made once (found by its consent
text), and the past send once (found by its issue's slug).
"""

import random
import secrets
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from newsdesk.demo.newsletter_issues import archive_page_get
from newsdesk.newsletters.models import (
    ConsentSource,
    LinkClick,
    Newsletter,
    NewsletterIssuePage,
    Send,
    SendRecord,
    Subscriber,
    Subscription,
    SubscriptionStatus,
)
from newsdesk.newsletters.models_sending import RecordStatus, SendStatus

CONSENT_TEXT = "Get our newsletters by e-mail. Leave at any time with one click. (demo history)"
LISTS = {
    # slug: (name, readers over the 26 weeks, share of them who left)
    "daily": ("The Daily", 180, 0.12),
    "weekly": ("The Weekly", 90, 0.08),
    "breaking": ("Breaking news", 60, 0.2),
}
WEEKS = 26
ISSUE_SLUG = "demo-daily-past-issue"
LINKS = {
    "https://news.example.org/world/the-river-runs-low/": 41,
    "https://news.example.org/donate/": 12,
    "https://news.example.org/climate/": 9,
}


def _newsletter(slug: str) -> Newsletter:
    name = LISTS[slug][0]
    return Newsletter.objects.get_or_create(slug=slug, defaults={"name": name})[0]


def _history(newsletter: Newsletter, readers: int, leaving: float, rng: random.Random) -> int:
    """``readers`` subscriptions confirmed over the last ``WEEKS`` weeks, more each week (a
    list that grows), some of them left since."""
    now = timezone.now()
    start = now - timedelta(weeks=WEEKS)
    made = 0
    for number in range(readers):
        # A rising curve: later weeks get more sign-ups (square root of a uniform draw).
        at = start + (now - start) * (rng.random() ** 0.6) - timedelta(minutes=30)
        email = f"{newsletter.slug}.reader{number + 1:03d}@example.org"
        subscriber, _ = Subscriber.objects.get_or_create(
            email=email, defaults={"token": secrets.token_urlsafe(32)}
        )
        left = None
        if rng.random() < leaving:
            left = min(at + timedelta(days=rng.randint(3, 90)), now - timedelta(hours=1))
        _, created = Subscription.objects.get_or_create(
            subscriber=subscriber,
            newsletter=newsletter,
            defaults={
                "status": SubscriptionStatus.UNSUBSCRIBED
                if left
                else SubscriptionStatus.SUBSCRIBED,
                "consent_at": at - timedelta(minutes=rng.randint(1, 20)),
                "consent_source": ConsentSource.FOOTER,
                "consent_url": "/",
                "consent_text": CONSENT_TEXT,
                "confirmed_at": at,
                "unsubscribed_at": left,
                "unsubscribe_source": "one-click" if left else "",
            },
        )
        made += int(created)
    return made


def _past_send(daily: Newsletter, rng: random.Random) -> Send | None:
    """One issue of the daily sent ten days ago to its readers of that day, with deliveries,
    a few bounces, a complaint, the unsubscribes since and aggregate link clicks."""
    if NewsletterIssuePage.objects.filter(slug=ISSUE_SLUG).exists():
        return None
    archive = archive_page_get()
    if archive is None:
        return None
    issue = NewsletterIssuePage(
        title="The Daily: the river runs low",
        slug=ISSUE_SLUG,
        newsletter=daily,
        preheader="Why the weir's gates opened twice, and what it means for the summer.",
        intro="<p>Good morning. Today: the river, the weir and the summer ahead.</p>",
    )
    archive.add_child(instance=issue)
    issue.save_revision().publish()
    at = timezone.now() - timedelta(days=10)
    send = Send.objects.create(
        issue=issue,
        newsletter=daily,
        status=SendStatus.SENT,
        scheduled_at=at,
        started_at=at,
        finished_at=at + timedelta(minutes=4),
        subject=issue.title,
    )
    recipients = (
        Subscription.objects.filter(newsletter=daily, confirmed_at__lt=at)
        .exclude(unsubscribed_at__lt=at)
        .select_related("subscriber")
        .order_by("pk")
    )
    records = []
    for one in recipients:
        record = SendRecord(
            send=send,
            subscriber=one.subscriber,
            email=one.subscriber.email,
            status=RecordStatus.SENT,
            sent_at=at + timedelta(seconds=rng.randint(1, 200)),
            message_id=f"<demo.{send.pk}.{one.subscriber_id}@news.example.org>",
        )
        draw = rng.random()
        if draw < 0.03:
            record.bounced_at = record.sent_at + timedelta(minutes=2)
        else:
            record.delivered_at = record.sent_at + timedelta(seconds=30)
            if draw > 0.99:
                record.complained_at = record.sent_at + timedelta(hours=3)
        records.append(record)
    SendRecord.objects.bulk_create(records)
    send.recipients_count = len(records)
    send.save(update_fields=["recipients_count"])
    for url, count in LINKS.items():
        LinkClick.objects.create(send=send, url=url, count=count)
    return send


def load(*, stdout) -> None:
    rng = random.Random(21)  # noqa: S311 - demo data, the same history on every machine
    with transaction.atomic():
        for slug, (_, readers, leaving) in LISTS.items():
            newsletter = _newsletter(slug)
            if Subscription.objects.filter(
                newsletter=newsletter, consent_text=CONSENT_TEXT
            ).exists():
                continue
            made = _history(newsletter, readers, leaving, rng)
            stdout.write(f"Newsletter history: {made} subscriptions of {newsletter.name}.")
        send = _past_send(_newsletter("daily"), rng)
    if send is not None:
        stdout.write(
            f"Newsletter history: a past send of the daily to {send.recipients_count} readers."
        )
