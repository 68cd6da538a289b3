"""The business figures of ``/metrics``, read from the apps' tables at scrape time.

A project module, like ``urls.py``: it puts the apps together (``core`` serves the metrics
and reads no app's models; ``METRICS_FIGURES`` in ``settings/observability.py`` names these
readers). Each reader is one aggregate query, run at most once per ``METRICS_CACHE_SECONDS``
(``core/metrics/figures.py``). Why from the rows and not counted as they happen: see
``newsdesk/core/metrics/__init__.py``.
"""

from django.db.models import Count, Sum

from newsdesk.core.metrics.figures import Sample
from newsdesk.discussion.models import Comment, CommentStatus
from newsdesk.funding.models import Donation, RecurringGift
from newsdesk.moderation.models import Decision, DecisionAction

# The verdicts the comment gate gives a new comment, as the audit log records them.
VERDICTS = {
    DecisionAction.PUBLISHED: "published",
    DecisionAction.HELD: "held",
    DecisionAction.REJECTED_AUTO: "rejected",
    DecisionAction.SHADOWED: "shadowed",
}


def comment_figures() -> list[Sample]:
    """Comments now, by status (one query)."""
    rows = Comment.objects.order_by().values_list("status").annotate(n=Count("pk"))
    counts = dict.fromkeys(CommentStatus.values, 0)
    counts.update(dict(rows))
    return [
        Sample(
            "newsdesk_comments",
            "gauge",
            "Comments now, by status.",
            (("status", status),),
            float(number),
        )
        for status, number in sorted(counts.items())
    ]


def moderation_figures() -> list[Sample]:
    """From the audit log (one query): the gate's verdicts on new comments (published, held,
    rejected, shadowed) and every other decision, by action (moderators' and reports')."""
    rows = dict(Decision.objects.order_by().values_list("action").annotate(n=Count("pk")))
    samples = [
        Sample(
            "newsdesk_comment_verdicts",
            "counter",
            "Verdicts of the comment gate on comments as they were posted or edited.",
            (("verdict", verdict),),
            float(rows.get(action, 0)),
        )
        for action, verdict in VERDICTS.items()
    ]
    samples += [
        Sample(
            "newsdesk_moderation_decisions",
            "counter",
            "Moderation decisions after the gate's, by action (moderators, reports, appeals).",
            (("action", action),),
            float(rows.get(action, 0)),
        )
        for action in DecisionAction.values
        if action not in VERDICTS
    ]
    return samples


def gift_figures() -> list[Sample]:
    """The ledger by kind, provider and currency (one query: rows and the money they move),
    and monthly gifts by status (one query)."""
    samples: list[Sample] = []
    rows = (
        Donation.objects.order_by()
        .values_list("kind", "provider", "currency")
        .annotate(n=Count("pk"), amount=Sum("amount"))
    )
    for kind, provider, currency, number, amount in rows:
        labels = (("kind", kind), ("provider", provider), ("currency", currency))
        samples.append(
            Sample(
                "newsdesk_gifts",
                "counter",
                "Ledger rows (gifts, refunds, disputes), by kind, provider and currency.",
                labels,
                float(number),
            )
        )
        samples.append(
            Sample(
                "newsdesk_gifts_amount",
                "counter",
                "Money moved by the ledger rows, by kind, provider and currency (refunds and "
                "disputes counted as the amount they take back).",
                labels,
                abs(float(amount or 0)),
            )
        )
    monthly = dict(RecurringGift.objects.order_by().values_list("status").annotate(n=Count("pk")))
    samples += [
        Sample(
            "newsdesk_monthly_gifts",
            "gauge",
            "Monthly gifts (subscriptions), by status.",
            (("status", status),),
            float(monthly.get(status, 0)),
        )
        for status in RecurringGift.Status.values
    ]
    return samples
