"""Reads of reasons and appeals: what a comment's author is told of a decision (the reason
in plain words, never a score) and where their appeal stands; the moderators' appeals queue;
the public transparency figures. Each is a fixed number of queries whatever its length."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING

from django.core.cache import cache
from django.db.models import Case, CharField, Count, Q, QuerySet, Value, When
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext as _

from newsdesk.discussion.selectors import CommentStatus
from newsdesk.discussion.selectors_staff import comments_for_staff
from newsdesk.moderation.models import Appeal, AppealState, Decision, DecisionAction
from newsdesk.moderation.reasons import REASONS, reason_text

if TYPE_CHECKING:  # discussion's rows, for annotations only
    from newsdesk.discussion.models import Comment

# The statuses whose author may appeal: held for review, rejected, marked as spam.
APPEALABLE_STATUSES = (CommentStatus.HELD, CommentStatus.REJECTED, CommentStatus.SPAM)
# How long the transparency figures are kept in the shared cache (they change slowly, and
# the page itself is in the page cache for anonymous readers).
TRANSPARENCY_CACHE_SECONDS = 600
TRANSPARENCY_CACHE_KEY = "moderation:transparency:v1"


@dataclass(frozen=True)
class AuthorStatement:
    """What a comment's author is told about it: why it is not published (``reason``, the
    moderator's ``note``), the decision that said so, and their appeal's state."""

    reason: str = ""
    note: str = ""
    decision_id: int | None = None
    appeal_state: str = ""
    appeal_state_label: str = ""
    appeal_note: str = ""
    appealable: bool = False


def latest_reason_decisions(comment_ids: list[int]) -> dict[int, Decision]:
    """For each comment, the newest decision not undone that recorded a reason. One query."""
    latest: dict[int, Decision] = {}
    rows = (
        Decision.objects.filter(comment_id__in=comment_ids, undone_by__isnull=True)
        .exclude(reason_code="")
        .only("pk", "comment_id", "reason_code", "reason_note", "created_at")
        .order_by("created_at", "pk")
    )
    for decision in rows:  # oldest first: the last one per comment stays
        latest[decision.comment_id] = decision  # type: ignore[index]
    return latest


def author_statements(*, comments: Iterable["Comment"]) -> dict[int, AuthorStatement]:
    """For each comment (its author's own, read by the caller), what its author is told:
    the reason of the newest decision that took it out of view while it is not published,
    and its appeal. Two queries, however many comments."""
    comments = list(comments)
    ids = [c.pk for c in comments]
    if not ids:
        return {}
    hidden = [c.pk for c in comments if c.status != CommentStatus.PUBLISHED]
    latest = latest_reason_decisions(hidden) if hidden else {}
    appeals = {a.comment_id: a for a in Appeal.objects.filter(comment_id__in=ids)}
    out: dict[int, AuthorStatement] = {}
    for comment in comments:
        decision = latest.get(comment.pk) if comment.status != CommentStatus.PUBLISHED else None
        appeal = appeals.get(comment.pk)
        out[comment.pk] = AuthorStatement(
            reason=reason_text(decision.reason_code) if decision else "",
            note=decision.reason_note if decision else "",
            decision_id=decision.pk if decision else None,
            appeal_state=appeal.state if appeal else "",
            appeal_state_label=appeal.get_state_display() if appeal else "",
            appeal_note=appeal.note if appeal and appeal.state != AppealState.PENDING else "",
            appealable=appeal is None and comment.status in APPEALABLE_STATUSES,
        )
    return out


# --- for moderators -------------------------------------------------------------------------
def appeals_pending_count() -> int:
    """Appeals waiting for a moderator (the admin menu's and tab's count). One query."""
    return Appeal.objects.filter(state=AppealState.PENDING).count()


def appeals_list(*, state: str = AppealState.PENDING) -> "QuerySet[Appeal]":
    """Appeals in ``state`` (oldest first), each with the decision appealed and who made it,
    and who decided the appeal."""
    if state not in AppealState.values:
        state = AppealState.PENDING
    return Appeal.objects.filter(state=state).select_related(
        "decision", "decision__actor", "decided_by", "user"
    )


def appeals_with_comments(*, appeals: list[Appeal]) -> list[Appeal]:
    """The appeals, each with ``shown_comment`` (its comment with thread and article, read
    through discussion's selector) and ``shown_reason`` (the author's statement). Two
    queries."""
    ids = [a.comment_id for a in appeals]
    comments = {c.pk: c for c in comments_for_staff(among=[ids])} if ids else {}
    for appeal in appeals:
        appeal.shown_comment = comments.get(appeal.comment_id)  # type: ignore[attr-defined]
        decision = appeal.decision if appeal.decision_id else None
        appeal.shown_reason = (  # type: ignore[attr-defined]
            reason_text(decision.reason_code) if decision else ""
        )
    return appeals


# --- the public transparency page ------------------------------------------------------------
@dataclass
class MonthFigures:
    """One month of decisions: comments published, held, rejected and removed (each by
    reason code, "" for none), and appeals made, upheld and reversed."""

    month: date
    published: int = 0
    held: int = 0
    rejected: int = 0
    removed: int = 0
    by_reason: dict[str, dict[str, int]] = field(default_factory=dict)
    appeals_made: int = 0
    appeals_upheld: int = 0
    appeals_reversed: int = 0

    @property
    def reasons(self) -> list[tuple[str, int, int, int]]:
        """``(reason in words, held, rejected, removed)``, most frequent first."""
        rows = []
        for code, counts in self.by_reason.items():
            words = _(REASONS[code].text) if code in REASONS else _("other reasons")
            rows.append(
                (words, counts.get("held", 0), counts.get("rejected", 0), counts.get("removed", 0))
            )
        return sorted(rows, key=lambda row: (-sum(row[1:]), row[0]))


# What each audit-log action counts as on the transparency page. A moderator's rejection of
# a published comment is a removal; of a held one, a rejection.
_PUBLISHED = (DecisionAction.PUBLISHED, DecisionAction.APPROVED, DecisionAction.APPEAL_REVERSED)
_HELD = (DecisionAction.HELD, DecisionAction.REPORT_HID)
_REJECTED_BY_MODERATOR = (DecisionAction.REJECTED, DecisionAction.SPAM, DecisionAction.BANNED)


def _kind() -> Case:
    return Case(
        When(action__in=_PUBLISHED, then=Value("published")),
        When(action__in=_HELD, then=Value("held")),
        When(action=DecisionAction.REJECTED_AUTO, then=Value("rejected")),
        When(
            Q(action__in=_REJECTED_BY_MODERATOR, previous_status=CommentStatus.PUBLISHED)
            & Q(new_status__in=[CommentStatus.REJECTED, CommentStatus.SPAM]),
            then=Value("removed"),
        ),
        When(
            action__in=_REJECTED_BY_MODERATOR,
            new_status__in=[CommentStatus.REJECTED, CommentStatus.SPAM],
            then=Value("rejected"),
        ),
        default=Value(""),
        output_field=CharField(),
    )


def transparency_figures_compute(*, months: int = 12) -> list[MonthFigures]:
    """The last ``months`` months that saw a decision, newest first. Two queries (decisions
    and appeals, each grouped by month); undone decisions and shadow bans are not counted."""
    figures: dict[date, MonthFigures] = {}

    def month_of(value: datetime | date) -> MonthFigures:
        key = value.date() if isinstance(value, datetime) else value
        if key not in figures:
            figures[key] = MonthFigures(month=key)
        return figures[key]

    rows = (
        Decision.objects.filter(undone_by__isnull=True)
        .annotate(month=TruncMonth("created_at"), kind=_kind())
        .exclude(kind="")
        .order_by()
        .values("month", "kind", "reason_code")
        .annotate(count=Count("pk"))
    )
    for row in rows:
        shown = month_of(row["month"])
        kind, count = row["kind"], row["count"]
        setattr(shown, kind, getattr(shown, kind) + count)
        if kind != "published":
            per_reason = shown.by_reason.setdefault(row["reason_code"] or "", defaultdict(int))
            per_reason[kind] += count
    appeals = (
        Appeal.objects.annotate(month=TruncMonth("created_at"))
        .order_by()
        .values("month", "state")
        .annotate(count=Count("pk"))
    )
    for appeal_row in appeals:
        shown = month_of(appeal_row["month"])
        shown.appeals_made += appeal_row["count"]
        if appeal_row["state"] == AppealState.UPHELD:
            shown.appeals_upheld += appeal_row["count"]
        elif appeal_row["state"] == AppealState.REVERSED:
            shown.appeals_reversed += appeal_row["count"]
    for shown in figures.values():
        shown.by_reason = {code: dict(counts) for code, counts in shown.by_reason.items()}
    return sorted(figures.values(), key=lambda f: f.month, reverse=True)[:months]


def transparency_figures(*, months: int = 12) -> list[MonthFigures]:
    """``transparency_figures_compute``, kept ``TRANSPARENCY_CACHE_SECONDS`` in the shared
    cache: the figures of past months do not change and this month's change slowly."""
    key = f"{TRANSPARENCY_CACHE_KEY}:{months}"
    figures = cache.get(key)
    if figures is None:
        figures = transparency_figures_compute(months=months)
        cache.set(key, figures, TRANSPARENCY_CACHE_SECONDS)
    return figures
