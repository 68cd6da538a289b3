"""Reads for the moderators' screens: the queue (held and reported comments), its counts,
the audit log and the bans. Each listing is a fixed number of queries whatever its length."""

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet

from newsdesk.discussion.models import Comment, CommentStatus
from newsdesk.moderation.models import Ban, Decision, Report
from newsdesk.moderation.selectors import moderation_settings_get
from newsdesk.moderation.signals import SIGNAL_NAMES

QUEUE_STATUSES = (
    CommentStatus.HELD,
    CommentStatus.PUBLISHED,
    CommentStatus.REJECTED,
    CommentStatus.SPAM,
)


@dataclass(frozen=True)
class QueueFilters:
    """What the moderator narrowed the queue to; empty values mean everything."""

    status: str = CommentStatus.HELD
    signal: str = ""
    article_id: int | None = None
    reported_only: bool = False

    @classmethod
    def from_query(cls, query) -> "QueueFilters":
        status = query.get("status", CommentStatus.HELD)
        if status not in (*QUEUE_STATUSES, "all"):
            status = CommentStatus.HELD
        signal = query.get("signal", "")
        try:
            article_id = int(query.get("article", "")) if query.get("article") else None
        except ValueError:
            article_id = None
        return cls(
            status=status,
            signal=signal if signal in SIGNAL_NAMES else "",
            article_id=article_id,
            reported_only=query.get("reported") == "1",
        )


def _open_reports() -> QuerySet:
    return Report.objects.filter(resolved_at__isnull=True)


def queue_comments(*, filters: QueueFilters) -> QuerySet:
    """Held comments and comments with open reports (or the chosen status), oldest first,
    with their article, parent, author, open reports and the pipeline's latest decision.

    ``signal`` keeps comments that signal scored at or above its hold score.
    """
    reported = Exists(_open_reports().filter(comment=OuterRef("pk")))
    comments = Comment.objects.annotate(
        open_report_count=Count(
            "moderation_reports", filter=Q(moderation_reports__resolved_at__isnull=True)
        )
    )
    if filters.status == "all":
        comments = comments.filter(Q(status=CommentStatus.HELD) | reported)
    else:
        comments = comments.filter(status=filters.status)
        if filters.status != CommentStatus.HELD:
            comments = comments.filter(reported)
    if filters.reported_only:
        comments = comments.filter(reported)
    if filters.article_id is not None:
        comments = comments.filter(thread__article_id=filters.article_id)
    if filters.signal:
        hold_at = getattr(moderation_settings_get(), f"{filters.signal}_hold")
        flagged = Decision.objects.filter(
            comment=OuterRef("pk"),
            actor__isnull=True,
            **{f"scores__{filters.signal}__gte": hold_at},
        )
        comments = comments.filter(Exists(flagged))
    return (
        comments.select_related("thread", "thread__article", "parent", "parent__user", "user")
        .prefetch_related(
            Prefetch("moderation_reports", queryset=_open_reports(), to_attr="open_reports"),
            Prefetch(
                "moderation_decisions",
                queryset=Decision.objects.filter(actor__isnull=True).order_by("-created_at", "-pk"),
                to_attr="automatic_decisions",
            ),
        )
        .order_by("created_at", "pk")
    )


def queue_counts() -> dict[str, int]:
    """How many comments wait: held ones, and published ones with open reports."""
    held = Comment.objects.filter(status=CommentStatus.HELD).count()
    reported = (
        Comment.objects.filter(status=CommentStatus.PUBLISHED)
        .filter(Exists(_open_reports().filter(comment=OuterRef("pk"))))
        .count()
    )
    return {"held": held, "reported": reported, "total": held + reported}


def queue_articles() -> list[tuple[int, str]]:
    """The articles that have held comments, for the queue's filter."""
    rows = (
        Comment.objects.filter(status=CommentStatus.HELD, thread__article__isnull=False)
        .values_list("thread__article_id", "thread__article__title")
        .distinct()
        .order_by("thread__article__title")
    )
    return list(rows)


@dataclass(frozen=True)
class LogFilters:
    comment_id: int | None = None
    actor: str = ""  # a username, or "automatic"
    action: str = ""

    @classmethod
    def from_query(cls, query) -> "LogFilters":
        try:
            comment_id = int(query.get("comment", "")) if query.get("comment") else None
        except ValueError:
            comment_id = None
        return cls(
            comment_id=comment_id,
            actor=query.get("actor", "").strip()[:150],
            action=query.get("action", "").strip()[:20],
        )


def decisions_list(*, filters: LogFilters) -> QuerySet:
    """The audit log, newest first, narrowed by comment, moderator and action."""
    decisions = Decision.objects.select_related("actor", "comment", "ban", "undone_by")
    if filters.comment_id is not None:
        decisions = decisions.filter(comment_id=filters.comment_id)
    if filters.actor == "automatic":
        decisions = decisions.filter(actor__isnull=True)
    elif filters.actor:
        decisions = decisions.filter(actor__username=filters.actor)
    if filters.action:
        decisions = decisions.filter(action=filters.action)
    return decisions.order_by("-created_at", "-pk")


def bans_list() -> QuerySet:
    return Ban.objects.select_related("user", "created_by").order_by("-created_at", "-pk")
