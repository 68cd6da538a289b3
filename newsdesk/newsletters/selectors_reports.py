"""Reads for the newsletters' reports in the admin: what became of each send, and how each
list grew.

A send's figures come from its ``SendRecord`` rows (one per recipient): handed over, refused,
skipped, delivered, bounced, complaints. An **unsubscribe** counts for a send when its
recipient's record says so (a provider's unsubscribe event) or when the recipient left the
send's list after that mail and before any later mail of the same list reached them: each
unsubscribe counts for one send, the last one its reader received. **Clicks** are the
aggregate ``LinkClick`` counts, present only where the newsroom turned click counts on.

A list's growth is counted per week (Monday to Sunday in the site's ``TIME_ZONE``) from its
subscriptions: subscribed when confirmed (``confirmed_at``), unsubscribed when left
(``unsubscribed_at``, counted only for confirmed ones), and the list's size at the end of
each week. Every report is a fixed number of queries, whatever the size of the list or the
number of sends.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.db.models.functions import TruncWeek
from django.utils import formats, timezone

from newsdesk.newsletters.models import (
    LinkClick,
    Newsletter,
    Send,
    SendRecord,
    Subscription,
    SubscriptionStatus,
)
from newsdesk.newsletters.models_sending import RecordStatus

GROWTH_WEEKS = 26
SENDS_SHOWN = 50
TOP_LINKS = 20


@dataclass(frozen=True)
class SendFigures:
    """What became of one send's messages."""

    recipients: int = 0
    sent: int = 0
    failed: int = 0
    skipped: int = 0
    pending: int = 0
    delivered: int = 0
    bounced: int = 0
    complaints: int = 0
    unsubscribes: int = 0
    clicks: int = 0

    def rate(self, count: int) -> str:
        """``count`` as a share of the messages handed over ("12.5 %"; a dash before any)."""
        if not self.sent:
            return "\u2013"
        # Rounded as Python rounds, then written with the language's decimal mark.
        share = Decimal(f"{100 * count / self.sent:.1f}")
        return f"{formats.number_format(share, 1)} %"


@dataclass(frozen=True)
class SendReport:
    send: Send
    figures: SendFigures


def unsubscribed_after_send() -> Exists:
    """For a ``SendRecord``: its recipient left the send's list after this mail and before
    a later mail of that list reached them."""
    later = SendRecord.objects.filter(
        subscriber_id=OuterRef(OuterRef("subscriber_id")),
        send__newsletter_id=OuterRef(OuterRef("send__newsletter_id")),
        sent_at__gt=OuterRef(OuterRef("sent_at")),
        sent_at__lte=OuterRef("unsubscribed_at"),
    )
    left = Subscription.objects.filter(
        subscriber_id=OuterRef("subscriber_id"),
        newsletter_id=OuterRef("send__newsletter_id"),
        status=SubscriptionStatus.UNSUBSCRIBED,
        unsubscribed_at__gte=OuterRef("sent_at"),
    ).exclude(Exists(later))
    return Exists(left)


def sends_figures(*, send_ids: list[int]) -> dict[int, SendFigures]:
    """Each send's figures (an empty ``SendFigures`` for a send with no records yet): two
    queries, whatever the number of sends or records."""
    if not send_ids:
        return {}
    sent = Q(status=RecordStatus.SENT)
    rows = (
        SendRecord.objects.filter(send_id__in=send_ids)
        .values("send_id")
        .annotate(
            recipients=Count("pk"),
            sent=Count("pk", filter=sent),
            failed=Count("pk", filter=Q(status=RecordStatus.FAILED)),
            skipped=Count("pk", filter=Q(status=RecordStatus.SKIPPED)),
            pending=Count("pk", filter=Q(status=RecordStatus.PENDING)),
            delivered=Count("pk", filter=Q(delivered_at__isnull=False)),
            bounced=Count("pk", filter=Q(bounced_at__isnull=False)),
            complaints=Count("pk", filter=Q(complained_at__isnull=False)),
            unsubscribes=Count(
                "pk",
                filter=Q(unsubscribed_at__isnull=False) | Q(sent & Q(unsubscribed_after_send())),
            ),
        )
        .order_by()
    )
    clicks = dict(
        LinkClick.objects.filter(send_id__in=send_ids)
        .values("send_id")
        .annotate(total=Sum("count"))
        .order_by()
        .values_list("send_id", "total")
    )
    found = {pk: SendFigures(clicks=clicks.get(pk) or 0) for pk in send_ids}
    for row in rows:
        found[row["send_id"]] = SendFigures(
            recipients=row["recipients"],
            sent=row["sent"],
            failed=row["failed"],
            skipped=row["skipped"],
            pending=row["pending"],
            delivered=row["delivered"],
            bounced=row["bounced"],
            complaints=row["complaints"],
            unsubscribes=row["unsubscribes"],
            clicks=clicks.get(row["send_id"]) or 0,
        )
    return found


def sends_report(*, limit: int = SENDS_SHOWN) -> list[SendReport]:
    """The latest ``limit`` sends (newest first, cancelled ones included) with their issue,
    list and figures: three queries."""
    sends = list(
        Send.objects.select_related("issue", "newsletter").order_by("-scheduled_at", "-pk")[:limit]
    )
    figures = sends_figures(send_ids=[send.pk for send in sends])
    return [SendReport(send=send, figures=figures[send.pk]) for send in sends]


@dataclass(frozen=True)
class LinkCount:
    url: str
    count: int


def send_links(*, send: Send, limit: int = TOP_LINKS) -> list[LinkCount]:
    """The send's most followed links, most first (aggregate counts only): one query."""
    rows = LinkClick.objects.filter(send=send).order_by("-count", "url")[:limit]
    return [LinkCount(url=row.url, count=row.count) for row in rows]


@dataclass(frozen=True)
class ListSummary:
    newsletter: Newsletter
    subscribed: int
    pending: int
    unsubscribed: int


def lists_summary() -> list[ListSummary]:
    """Every list with how many subscriptions it has in each status: one query."""
    lists = Newsletter.objects.annotate(
        n_subscribed=Count(
            "subscriptions", filter=Q(subscriptions__status=SubscriptionStatus.SUBSCRIBED)
        ),
        n_pending=Count(
            "subscriptions", filter=Q(subscriptions__status=SubscriptionStatus.PENDING)
        ),
        n_unsubscribed=Count(
            "subscriptions", filter=Q(subscriptions__status=SubscriptionStatus.UNSUBSCRIBED)
        ),
    ).order_by("sort_order", "name")
    return [
        ListSummary(
            newsletter=one,
            subscribed=one.n_subscribed,
            pending=one.n_pending,
            unsubscribed=one.n_unsubscribed,
        )
        for one in lists
    ]


@dataclass(frozen=True)
class GrowthWeek:
    """One week (``start``: its Monday): who subscribed, who left, and the list's size at
    the week's end."""

    start: date
    subscribed: int
    unsubscribed: int
    total: int

    @property
    def net(self) -> int:
        return self.subscribed - self.unsubscribed


@dataclass(frozen=True)
class ListGrowth:
    newsletter: Newsletter
    weeks: list[GrowthWeek]
    time_zone: str

    @property
    def subscribed(self) -> int:
        return sum(week.subscribed for week in self.weeks)

    @property
    def unsubscribed(self) -> int:
        return sum(week.unsubscribed for week in self.weeks)


def week_starts(*, now: datetime, tz: tzinfo, weeks: int = GROWTH_WEEKS) -> list[date]:
    """The Monday of each of the last ``weeks`` weeks up to the one holding ``now``, oldest
    first, in the time zone ``tz``."""
    today = timezone.localtime(now, tz).date()
    monday = today - timedelta(days=today.weekday())
    return [monday - timedelta(weeks=back) for back in range(weeks - 1, -1, -1)]


def _day(value: datetime | date) -> date:
    return value.date() if isinstance(value, datetime) else value


def list_growth(
    *, newsletter: Newsletter, now: datetime | None = None, weeks: int = GROWTH_WEEKS
) -> ListGrowth:
    """``newsletter``'s subscribed and unsubscribed readers per week for the last ``weeks``
    weeks (every week present, zeros included) and its size at each week's end: three
    queries."""
    tz = timezone.get_current_timezone()
    starts = week_starts(now=now or timezone.now(), tz=tz, weeks=weeks)
    since = datetime.combine(starts[0], time(), tzinfo=tz)
    confirmed = Subscription.objects.filter(newsletter=newsletter, confirmed_at__isnull=False)
    before = confirmed.aggregate(
        joined=Count("pk", filter=Q(confirmed_at__lt=since)),
        left=Count("pk", filter=Q(unsubscribed_at__lt=since)),
    )
    joined = {
        _day(row["week"]): row["n"]
        for row in confirmed.filter(confirmed_at__gte=since)
        .annotate(week=TruncWeek("confirmed_at", tzinfo=tz))
        .values("week")
        .annotate(n=Count("pk"))
        .order_by()
    }
    left = {
        _day(row["week"]): row["n"]
        for row in confirmed.filter(unsubscribed_at__gte=since)
        .annotate(week=TruncWeek("unsubscribed_at", tzinfo=tz))
        .values("week")
        .annotate(n=Count("pk"))
        .order_by()
    }
    total = before["joined"] - before["left"]
    rows = []
    for start in starts:
        total += joined.get(start, 0) - left.get(start, 0)
        rows.append(
            GrowthWeek(
                start=start,
                subscribed=joined.get(start, 0),
                unsubscribed=left.get(start, 0),
                total=total,
            )
        )
    return ListGrowth(newsletter=newsletter, weeks=rows, time_zone=str(tz))
