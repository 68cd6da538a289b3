"""Reads for the moderators' screens: the queue (held and reported comments), its counts,
the audit log and the bans. Each listing is a fixed number of queries whatever its length."""

import ipaddress
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import QueryDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from newsdesk.discussion.networks import IPV4_PREFIX, network_of
from newsdesk.discussion.selectors import CommentStatus
from newsdesk.discussion.selectors_staff import (
    comment_articles_list,
    comments_count,
    comments_for_staff,
)
from newsdesk.discussion.services.retention import IPV4_KEPT_BITS, IPV6_KEPT_BITS
from newsdesk.moderation.models import Ban, Decision, Report
from newsdesk.moderation.selectors import moderation_settings_get
from newsdesk.moderation.signals import SIGNAL_NAMES

if TYPE_CHECKING:  # the type of discussion's rows, for annotations only
    from newsdesk.discussion.models import Comment

QUEUE_STATUSES = (
    CommentStatus.HELD,
    CommentStatus.PUBLISHED,
    CommentStatus.REJECTED,
    CommentStatus.SPAM,
)
# The queue's tabs: held comments; comments with open reports that are not held (the
# published ones readers still see, mostly); both. "Held" and "Reported" never share a
# comment, so the two counts add up to the third and to the menu's "Comment queue (N)".
REPORTED = "reported"
ALL = "all"
# The watch list's tab (``selectors_dossier.watched_comment_ids``): what waits (held or
# reported) by watched commenters or under watched stories, and the watched commenters'
# recently published comments. It shares comments with the others; the menu does not count it.
WATCHED = "watched"
QUEUE_TABS = (
    (CommentStatus.HELD, pgettext_lazy("queue tab", "Held")),
    (REPORTED, pgettext_lazy("queue tab", "Reported")),
    (ALL, gettext_lazy("All waiting")),
    (WATCHED, pgettext_lazy("queue tab", "Watched")),
)


@dataclass(frozen=True)
class QueueFilters:
    """What the moderator narrowed the queue to; empty values mean everything."""

    status: str = CommentStatus.HELD
    signal: str = ""
    article_id: int | None = None
    reported_only: bool = False

    @classmethod
    def from_query(cls, query: QueryDict | Mapping[str, str]) -> "QueueFilters":
        status = query.get("status", CommentStatus.HELD)
        if status not in (*QUEUE_STATUSES, REPORTED, ALL, WATCHED):
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


def _open_reports() -> "QuerySet[Report]":
    return Report.objects.filter(resolved_at__isnull=True)


def _reported_ids() -> "QuerySet[Report, int]":
    # The comments with open reports, as a subquery of discussion's query (no extra query).
    return _open_reports().values_list("comment_id", flat=True)


def queue_comments(*, filters: QueueFilters) -> "QuerySet[Comment]":
    """Held comments and comments with open reports (or the chosen status), oldest first,
    with their article, parent, author, open reports and the pipeline's latest decision.

    ``status`` is a tab (``QUEUE_TABS``: held; reported, the comments with open reports
    that are not held; all, both) or a status among the reported comments.

    ``signal`` keeps comments that signal scored at or above its hold score. The comments
    come from discussion's ``comments_for_staff``; moderation adds its own rows to them.
    """
    among: list[QuerySet] = []
    status: str | None
    or_among: QuerySet | None
    if filters.status == ALL:
        status, or_among = CommentStatus.HELD, _reported_ids()
    elif filters.status == REPORTED:
        status, or_among = None, None
        among.append(_reported_ids())
    elif filters.status == WATCHED:
        from newsdesk.moderation.selectors_dossier import watched_comment_ids

        status, or_among = None, None
        among.append(watched_comment_ids(reported_ids=_reported_ids()))
    else:
        status, or_among = filters.status, None
        if filters.status != CommentStatus.HELD:
            among.append(_reported_ids())
    if filters.reported_only:
        among.append(_reported_ids())
    if filters.signal:
        hold_at = getattr(moderation_settings_get(), f"{filters.signal}_hold")
        flagged = Decision.objects.filter(
            comment__isnull=False,
            actor__isnull=True,
            **{f"scores__{filters.signal}__gte": hold_at},
        )
        among.append(flagged.values_list("comment_id", flat=True))
    comments = comments_for_staff(
        status=status, or_among=or_among, among=among, article_id=filters.article_id
    )
    if filters.status == REPORTED:
        comments = comments.exclude(status=CommentStatus.HELD)  # those are the held tab's
    return comments.annotate(
        open_report_count=Count(
            "moderation_reports", filter=Q(moderation_reports__resolved_at__isnull=True)
        )
    ).prefetch_related(
        Prefetch("moderation_reports", queryset=_open_reports(), to_attr="open_reports"),
        Prefetch(
            "moderation_decisions",
            queryset=Decision.objects.filter(actor__isnull=True).order_by("-created_at", "-pk"),
            to_attr="automatic_decisions",
        ),
    )


def queue_counts() -> dict[str, int]:
    """How many comments wait, by tab: ``held``; ``reported`` (open reports, not held);
    ``total``, the two together (the menu's count). Each counts what its tab lists
    unnarrowed (``queue_comments``). Two queries."""
    held = comments_count(status=CommentStatus.HELD)
    reported = queue_tab_count(filters=QueueFilters(status=REPORTED))
    return {"held": held, "reported": reported, "total": held + reported}


def queue_tab_count(*, filters: QueueFilters) -> int:
    """How many comments the queue lists under ``filters`` (all its pages). One query."""
    return queue_comments(filters=filters).count()


def queue_tabs(*, filters: QueueFilters) -> list[dict]:
    """The queue's tabs for the moderator's narrowing (signal, article, reported only):
    each tab's status, label, count of what it lists, and whether it is the one shown.
    Three queries: "all" lists exactly the first two tabs' comments, so its count is theirs."""
    counts = {
        status: queue_tab_count(filters=replace(filters, status=status))
        for status in (CommentStatus.HELD, REPORTED, WATCHED)
    }
    counts[ALL] = counts[CommentStatus.HELD] + counts[REPORTED]
    return [
        {
            "status": status,
            "label": label,
            "count": counts[status],
            "current": filters.status == status,
        }
        for status, label in QUEUE_TABS
    ]


def queue_articles() -> list[tuple[int, str]]:
    """The articles that have held comments, for the queue's filter."""
    return comment_articles_list(status=CommentStatus.HELD)


@dataclass(frozen=True)
class LogFilters:
    comment_id: int | None = None
    actor: str = ""  # a username, or "automatic"
    action: str = ""

    @classmethod
    def from_query(cls, query: QueryDict | Mapping[str, str]) -> "LogFilters":
        try:
            comment_id = int(query.get("comment", "")) if query.get("comment") else None
        except ValueError:
            comment_id = None
        return cls(
            comment_id=comment_id,
            actor=query.get("actor", "").strip()[:150],
            action=query.get("action", "").strip()[:20],
        )


def decisions_list(*, filters: LogFilters) -> "QuerySet[Decision]":
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


def bans_list() -> "QuerySet[Ban]":
    """Every ban, lifted and expired ones too, newest first, with its user and author."""
    return Ban.objects.select_related("user", "created_by").order_by("-created_at", "-pk")


# What a guest is banned by, in the order offered: the key their browser keeps (the
# cookie or the API's token), the e-mail address they gave, the network they wrote from.
GUEST_IDENTIFIERS = ("key", "email", "network")


@dataclass(frozen=True)
class BanIdentifier:
    """One thing a comment's author can be banned by: ``name`` (``account`` or one of
    ``GUEST_IDENTIFIERS``), the value a ban stores, and how the queue shows it."""

    name: str
    value: str
    label: str


def _guest_network(comment: "Comment") -> str:
    """The network a guest wrote from, grouped as votes and reports group readers (IPv4
    /24, IPv6 /64); past the retention period only the cut address is kept, so an IPv6
    comment then names its /48 (``discussion.services.retention``)."""
    address = comment.ip_address or ""
    if not address:
        return ""
    if comment.ip_truncated:
        parsed = ipaddress.ip_address(address)
        bits = min(IPV4_KEPT_BITS, IPV4_PREFIX) if parsed.version == 4 else IPV6_KEPT_BITS
        return str(ipaddress.ip_network(f"{parsed}/{bits}", strict=False))
    return network_of(address)


def comment_ban_identifiers(*, comment: "Comment") -> list[BanIdentifier]:
    """What ``comment`` carries to ban its author by: an account, or for a guest their
    key's hash, e-mail address and network, those that were stored (none for an imported
    comment, say). No query."""
    if comment.user_id is not None:
        return [
            BanIdentifier(
                "account",
                str(comment.user_id),
                _("account %(name)s") % {"name": comment.author_name},
            )
        ]
    found = []
    if comment.guest_key_hash:
        found.append(BanIdentifier("key", comment.guest_key_hash, _("guest key (their browser)")))
    if comment.guest_email:
        email = comment.guest_email.strip().lower()
        found.append(BanIdentifier("email", email, _("e-mail %(email)s") % {"email": email}))
    network = _guest_network(comment)
    if network:
        found.append(
            BanIdentifier("network", network, _("network %(network)s") % {"network": network})
        )
    return found
