"""Reads of what moderators know of a commenter: their comments, the decisions on them, the
reports against them, their bans, the moderators' notes and whether they are watched.

A commenter is one string, their *key*: ``account:<id>``; a guest who gave an e-mail address
``email:<address>`` (lower case); any other guest ``key:<hash of their guest key>``. A
comment names its commenter without a query (``commenter_key``); the database computes the
same string (``commenter_key_expression``), so a whole page of commenters is matched in
one query per kind of record. ``dossiers_for_comments`` loads the queue page's commenters in
a fixed number of queries (``DOSSIER_QUERIES``) whatever the page's length.

Comments are read through discussion's ``comments_for_staff``; moderation only adds the
key's expression to that query.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.db.models import (
    Case,
    CharField,
    Count,
    F,
    Q,
    QuerySet,
    Value,
    When,
    Window,
)
from django.db.models.functions import Cast, Concat, Lower, RowNumber, Substr
from django.utils import timezone
from django.utils.translation import gettext as _

from newsdesk.discussion.selectors import CommentStatus
from newsdesk.discussion.selectors_staff import comments_for_staff
from newsdesk.moderation.models import Ban, Decision, DecisionAction, Report
from newsdesk.moderation.models_notes import CommenterNote, WatchEntry, WatchKind

if TYPE_CHECKING:  # discussion's rows, for annotations only
    from newsdesk.discussion.models import Comment

KEY_KINDS = ("account", "email", "key")
# How many of each kind of record the queue shows beside a comment, and the history page.
LATEST_IN_QUEUE = 5
LATEST_ON_PAGE = 50
EXCERPT_CHARS = 160
# The queries ``dossiers_for_comments`` makes (none when the page is empty).
DOSSIER_QUERIES = 9


def commenter_key(comment: "Comment") -> str:
    """The key of ``comment``'s commenter ("" for a guest who left neither an e-mail
    address nor a guest key: an imported comment, say). No query."""
    if comment.user_id is not None:
        return f"account:{comment.user_id}"
    email = (comment.guest_email or "").strip().lower()
    if email:
        return f"email:{email}"
    if comment.guest_key_hash:
        return f"key:{comment.guest_key_hash}"
    return ""


def commenter_key_parse(key: str) -> tuple[str, str] | None:
    """``(kind, value)`` of a well-formed key, else None (a key from a form or a URL)."""
    kind, _colon, value = (key or "").partition(":")
    if kind not in KEY_KINDS or not value or len(key) > 80:
        return None
    if kind == "account" and not value.isdigit():
        return None
    if kind == "email" and ("@" not in value or value != value.strip().lower()):
        return None
    if kind == "key" and not all(ch in "0123456789abcdef" for ch in value):
        return None
    return kind, value


def commenter_key_label(key: str, name: str = "") -> str:
    """How a screen names a commenter: their name with what identifies them."""
    parsed = commenter_key_parse(key)
    if parsed is None:
        return name or _("unknown commenter")
    kind, value = parsed
    who = name or (_("an account") if kind == "account" else _("a guest"))
    if kind == "account":
        return _("%(who)s (account #%(id)s)") % {"who": who, "id": value}
    if kind == "email":
        return _("%(who)s (guest, %(email)s)") % {"who": who, "email": value}
    return _("%(who)s (guest key %(key)s…)") % {"who": who, "key": value[:10]}


def commenter_key_expression(prefix: str = "") -> Case:
    """The commenter's key computed by the database, on comments (``prefix`` "") or on rows
    that point at a comment (``prefix`` "comment__")."""
    user, email, guest_key = f"{prefix}user_id", f"{prefix}guest_email", f"{prefix}guest_key_hash"
    return Case(
        When(
            **{f"{user}__isnull": False},
            then=Concat(Value("account:"), Cast(user, CharField())),
        ),
        When(~Q(**{email: ""}), then=Concat(Value("email:"), Lower(email))),
        When(~Q(**{guest_key: ""}), then=Concat(Value("key:"), F(guest_key))),
        default=Value(""),
        output_field=CharField(),
    )


def comments_by_commenters(
    *, keys: "QuerySet[Any] | list[str]", narrow: Q | None = None
) -> "QuerySet[Comment]":
    """Every comment (any status) of the commenters ``keys`` names, each annotated with
    ``commenter`` (its key); ``keys`` may be a query of keys (then a subquery). ``narrow``
    (``_narrowing``) lets the database find them by its indexes first."""
    comments = comments_for_staff()
    if narrow is not None:
        comments = comments.filter(narrow)
    return comments.annotate(commenter=commenter_key_expression()).filter(commenter__in=keys)


def _narrowing(keys: list[str], ban_ids: dict[str, set[str]], prefix: str = "") -> Q | None:
    """What finds the comments of ``keys`` by indexed columns (the account; the guest key's
    hash, for a guest known by e-mail address the hashes of the guest keys seen on their
    comments, in ``ban_ids``), so the database computes the commenter's key for their
    comments alone, not for the whole table. None when a guest known by e-mail address
    carried no guest key (nothing indexed finds their comments: a scan)."""
    accounts = [int(key[8:]) for key in keys if key.startswith("account:")]
    guest_keys = {key[4:] for key in keys if key.startswith("key:")}
    for key in keys:
        if key.startswith("email:"):
            seen = {i[4:] for i in ban_ids.get(key, ()) if i.startswith("key:")}
            if not seen:
                return None
            guest_keys |= seen
    return Q(**{f"{prefix}user_id__in": accounts}) | Q(
        **{f"{prefix}guest_key_hash__in": sorted(guest_keys)}
    )


@dataclass
class CommenterDossier:
    """What is known of one commenter: counts and the latest records of each kind."""

    key: str
    name: str = ""
    comment_counts: dict[str, int] = field(default_factory=dict)
    # The latest comments, as dicts: pk, status, is_shadowed, created_at, thread_id,
    # excerpt (the text's first ``EXCERPT_CHARS`` characters), article_title (or None).
    comments: list[dict[str, Any]] = field(default_factory=list)
    decision_counts: dict[str, int] = field(default_factory=dict)
    decisions: list[Decision] = field(default_factory=list)
    open_reports: int = 0
    past_reports: int = 0
    reports: list[Report] = field(default_factory=list)
    bans: list[Ban] = field(default_factory=list)
    notes: list[CommenterNote] = field(default_factory=list)
    watch: WatchEntry | None = None

    @property
    def label(self) -> str:
        return commenter_key_label(self.key, self.name)

    @property
    def comment_total(self) -> int:
        return sum(self.comment_counts.values())

    @property
    def decision_total(self) -> int:
        return sum(self.decision_counts.values())

    @property
    def active_bans(self) -> list[Ban]:
        return [ban for ban in self.bans if _ban_active(ban)]

    @property
    def past_bans(self) -> list[Ban]:
        return [ban for ban in self.bans if not _ban_active(ban)]

    @property
    def watched(self) -> bool:
        return self.watch is not None


def _ban_active(ban: Ban) -> bool:
    return ban.lifted_at is None and (ban.expires_at is None or ban.expires_at > timezone.now())


def _latest(rows: QuerySet, *, partition: Any, order: list[Any], limit: int) -> QuerySet:
    """The first ``limit`` rows of each commenter by ``order``: one query (a window)."""
    return rows.annotate(rank=Window(RowNumber(), partition_by=[partition], order_by=order)).filter(
        rank__lte=limit
    )


def _dossiers_load(
    *, keys: dict[str, str], ban_ids: dict[str, set[str]], limit: int, exhaustive: bool = False
) -> dict[str, CommenterDossier]:
    """The dossiers of ``keys`` (key → a name to show), bans matched also by ``ban_ids``
    (key → more guest identifiers, ``email:``/``key:`` strings, seen on their comments).

    A guest known by e-mail address is found by the guest keys their comments carried
    (indexed) unless ``exhaustive`` (one commenter's page: every comment with the address,
    a scan of the comments). ``DOSSIER_QUERIES`` queries."""
    dossiers = {key: CommenterDossier(key=key, name=name) for key, name in keys.items()}
    wanted = list(dossiers)
    comment_key = commenter_key_expression()
    narrow = None if exhaustive else _narrowing(wanted, ban_ids)
    narrow_joined = None if exhaustive else _narrowing(wanted, ban_ids, "comment__")

    comments = comments_by_commenters(keys=wanted, narrow=narrow)
    for key, status, count in (
        comments.order_by().values_list("commenter", "status").annotate(n=Count("pk"))  # type: ignore[misc]
    ):
        dossiers[key].comment_counts[status] = count
    # Only what the history shows of each (no model rows: a page of them stays cheap).
    for comment in (
        _latest(
            comments,
            partition=comment_key,
            order=[F("created_at").desc(), F("pk").desc()],
            limit=limit,
        )
        .order_by("-created_at", "-pk")
        .values(
            "pk",
            "commenter",
            "status",
            "is_shadowed",
            "created_at",
            "thread_id",
            excerpt=Substr("body_source", 1, EXCERPT_CHARS),
            article_title=F("thread__article__title"),
        )
    ):
        dossiers[comment["commenter"]].comments.append(comment)

    decision_key = commenter_key_expression("comment__")
    decisions = Decision.objects.filter(narrow_joined or Q()).annotate(commenter=decision_key)
    decisions = decisions.filter(commenter__in=wanted)
    for key, action, count in (
        decisions.order_by().values_list("commenter", "action").annotate(n=Count("pk"))
    ):
        dossiers[key].decision_counts[action] = count
    # The latest decisions that are news: the pipeline's plain "published" is left out.
    for decision in _latest(
        decisions.exclude(action=DecisionAction.PUBLISHED, actor__isnull=True).select_related(
            "actor"
        ),
        partition=decision_key,
        order=[F("created_at").desc(), F("pk").desc()],
        limit=limit,
    ).order_by("-created_at", "-pk"):
        dossiers[decision.commenter].decisions.append(decision)

    report_key = commenter_key_expression("comment__")
    reports = Report.objects.filter(narrow_joined or Q()).annotate(commenter=report_key)
    reports = reports.filter(commenter__in=wanted)
    for key, open_count, past_count in (
        reports.order_by()
        .values_list("commenter")
        .annotate(
            open=Count("pk", filter=Q(resolved_at__isnull=True)),
            past=Count("pk", filter=Q(resolved_at__isnull=False)),
        )
    ):
        dossiers[key].open_reports, dossiers[key].past_reports = open_count, past_count
    for report in _latest(
        reports,
        partition=report_key,
        order=[F("created_at").desc(), F("pk").desc()],
        limit=limit,
    ).order_by("-created_at", "-pk"):
        dossiers[report.commenter].reports.append(report)

    _bans_attach(dossiers, ban_ids)
    for note in CommenterNote.objects.filter(commenter_key__in=wanted).select_related("author"):
        dossiers[note.commenter_key].notes.append(note)
    for entry in WatchEntry.objects.filter(kind=WatchKind.COMMENTER, commenter_key__in=wanted):
        dossiers[entry.commenter_key].watch = entry
    return dossiers


def _bans_attach(dossiers: dict[str, CommenterDossier], ban_ids: dict[str, set[str]]) -> None:
    """Each commenter's bans, active and past, by any identifier they carried. One query."""
    owners: dict[tuple[str, str], set[str]] = defaultdict(set)
    for key in dossiers:
        for ident in {key, *ban_ids.get(key, ())}:
            parsed = commenter_key_parse(ident)
            if parsed:
                owners[parsed].add(key)
    users = [int(v) for k, v in owners if k == "account"]
    emails = [v for k, v in owners if k == "email"]
    hashes = [v for k, v in owners if k == "key"]
    if not owners:
        return
    bans = Ban.objects.filter(
        Q(user_id__in=users) | Q(email__in=emails) | Q(guest_key_hash__in=hashes)
    ).select_related("user", "created_by")
    for ban in bans:
        found: set[str] = set()
        if ban.user_id is not None:
            found |= owners.get(("account", str(ban.user_id)), set())
        if ban.email:
            found |= owners.get(("email", ban.email.lower()), set())
        if ban.guest_key_hash:
            found |= owners.get(("key", ban.guest_key_hash), set())
        for key in found:
            dossiers[key].bans.append(ban)


def dossiers_for_comments(*, comments: list["Comment"]) -> dict[str, CommenterDossier]:
    """The dossier of each commenter of ``comments`` (a page of the queue), by key, with the
    latest ``LATEST_IN_QUEUE`` records of each kind; a guest's bans are also found by the
    other identifier (guest key or e-mail address) their comments on the page carry.
    ``DOSSIER_QUERIES`` queries however many comments and commenters, none for no comment.
    """
    keys: dict[str, str] = {}
    ban_ids: dict[str, set[str]] = defaultdict(set)
    for comment in comments:
        key = commenter_key(comment)
        if not key:
            continue
        keys.setdefault(key, comment.author_name)
        if comment.user_id is None:
            if comment.guest_key_hash:
                ban_ids[key].add(f"key:{comment.guest_key_hash}")
            if comment.guest_email:
                ban_ids[key].add(f"email:{comment.guest_email.strip().lower()}")
    if not keys:
        return {}
    return _dossiers_load(keys=keys, ban_ids=ban_ids, limit=LATEST_IN_QUEUE)


def commenter_dossier_get(*, key: str) -> CommenterDossier | None:
    """One commenter's whole history for their page (the latest ``LATEST_ON_PAGE`` records
    of each kind, every count), or None for a malformed key or a commenter with no comment.
    ``DOSSIER_QUERIES`` + 1 queries."""
    if commenter_key_parse(key) is None:
        return None
    narrow = _narrowing([key], {})  # none for a guest known by address: all their comments
    latest = comments_by_commenters(keys=[key], narrow=narrow).order_by("-created_at", "-pk")
    found = latest.first()
    if found is None:
        return None
    ban_ids: set[str] = set()
    if found.user_id is None and found.guest_key_hash:
        ban_ids.add(f"key:{found.guest_key_hash}")
    dossiers = _dossiers_load(
        keys={key: found.author_name},
        ban_ids={key: ban_ids},
        limit=LATEST_ON_PAGE,
        exhaustive=narrow is None,
    )
    return dossiers[key]


# A watched commenter's published comments stay in the "Watched" tab this long.
WATCH_RECENT_DAYS = 7


def watched_comment_ids(*, reported_ids: "QuerySet[Any, int]") -> "QuerySet[Any, int]":
    """The ids of the comments the queue's "Watched" tab lists, as a subquery (no query of
    its own): waiting (held, or among ``reported_ids``, the comments with open reports) by
    a watched commenter or under a watched story, and the watched commenters' comments
    published in the last ``WATCH_RECENT_DAYS`` days."""
    commenters = WatchEntry.objects.filter(kind=WatchKind.COMMENTER).values("commenter_key")
    stories = WatchEntry.objects.filter(kind=WatchKind.STORY).values("article_id")
    since = timezone.now() - timedelta(days=WATCH_RECENT_DAYS)
    by_watched = Q(commenter__in=commenters)
    waiting = Q(status=CommentStatus.HELD) | Q(pk__in=reported_ids)
    recent = Q(status=CommentStatus.PUBLISHED, created_at__gte=since)
    return (
        comments_for_staff()
        # Indexed first (status and age, the reported ids), so the database computes the
        # commenter's key only for waiting and recent comments, not the whole table.
        .filter(waiting | recent)
        .annotate(commenter=commenter_key_expression())
        .filter(
            ((by_watched | Q(thread__article_id__in=stories)) & waiting) | (by_watched & recent)
        )
        .order_by()
        .values_list("pk", flat=True)
    )


def watch_list() -> "QuerySet[WatchEntry]":
    """The watch list, newest first, with the story and who added each entry."""
    return WatchEntry.objects.select_related("article", "added_by", "user")


def story_watch_get(*, article_id: int | None) -> WatchEntry | None:
    """The watch-list entry of the story ``article_id``, if watched. One query (none for
    no article)."""
    if article_id is None:
        return None
    return WatchEntry.objects.filter(kind=WatchKind.STORY, article_id=article_id).first()
