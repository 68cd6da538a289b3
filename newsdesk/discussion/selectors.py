"""Reads of the discussion app: a page of a thread as a tree, counts, moderators' lists.

A page of a thread costs a fixed number of queries whatever its size: the thread, the page's
top-level comments (in the chosen order), every reply under those (one query, ``root__in``),
the visible total, and the reader's own votes. The tree is built in Python in
time linear in the number of comments.
"""

import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db.models import BooleanField, Count, Exists, ExpressionWrapper, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from newsdesk.articles.models import ArticlePage
from newsdesk.articles.selectors import article_live_public_get
from newsdesk.discussion import conf

# ``CommentStatus`` is also how other apps name the statuses these selectors answer with
# (``comment_status_counts``): they import it from here, not from the models.
from newsdesk.discussion.models import ID_MAX, Comment, CommentStatus, Thread, Vote, public_name
from newsdesk.discussion.readers import Reader
from newsdesk.discussion.selectors_posting import ReplyParent
from newsdesk.discussion.selectors_staff import comment_with_context_get
from newsdesk.discussion.services.badge import SUPPORTER_FLAG, supporter_badge_annotate
from newsdesk.discussion.services.comments import thread_is_open
from newsdesk.discussion.services.edits import comment_editable_until

if TYPE_CHECKING:
    from django.contrib.auth.models import User

# ``is_pick`` and ``answered`` are annotations of ``_top_level`` (editors' picks first in the
# default order; answered questions first in a Q&A thread's). "picks" is the tab of picks
# (``selectors_picks.thread_picks_nodes``); "answered" and "unanswered" are Q&A threads' only.
SORTS = {
    "best": ("-pinned", "-is_pick", "-score", "created_at", "pk"),
    "newest": ("-pinned", "-created_at", "-pk"),
    "oldest": ("-pinned", "created_at", "pk"),
    "picks": ("-pinned", "-is_pick", "-score", "created_at", "pk"),
    "answered": ("-pinned", "-is_pick", "-answered", "-score", "created_at", "pk"),
    "unanswered": ("-pinned", "created_at", "pk"),
}
DEFAULT_SORT = "best"
QA_SORTS = ("answered", "unanswered")
QA_DEFAULT_SORT = "answered"
# The last page anyone may ask for: past it every page is empty anyway, and the offset of a
# larger one would not fit the database's 64-bit LIMIT/OFFSET.
PAGE_MAX = 1_000_000
PUBLIC = Q(status=CommentStatus.PUBLISHED, is_shadowed=False)
PICKED = Q(picked_at__isnull=False)
# An answer that answers: public, marked (a Q&A thread's question is its parent).
ANSWER = PUBLIC & Q(is_answer=True)


def sort_clean(sort: str | None, *, qa_mode: bool = False) -> str:
    """``sort`` if the thread has it (Q&A sorts only in a Q&A thread), else its default."""
    if sort in SORTS and (qa_mode or sort not in QA_SORTS):
        return sort
    return QA_DEFAULT_SORT if qa_mode else DEFAULT_SORT


def article_open_get(*, article_id: int) -> ArticlePage | None:
    """The live, public article a thread belongs to, or None (also for an id no database
    could hold, which a URL may carry)."""
    if not 0 < article_id <= ID_MAX:
        return None
    return article_live_public_get(article_id=article_id)


@dataclass
class CommentNode:
    """A comment as the thread shows it to one reader.

    ``shown`` is False for a comment kept only as the place of its visible replies
    (``placeholder`` then says "deleted" or "removed"). ``in_reply_to`` names the parent's
    author for a reply flattened below the nesting depth.
    """

    comment: Comment
    shown: bool
    placeholder: str = ""
    awaiting_moderation: bool = False
    is_own: bool = False
    can_edit: bool = False
    can_delete: bool = False
    viewer_vote: int = 0
    in_reply_to: str = ""
    replies: list["CommentNode"] = field(default_factory=list)
    # Editors' picks and Q&A (shown only on a public comment): who picked it; a question with
    # a public answer; a staff reply marked as the answer.
    picked_by: str = ""
    is_pick: bool = False
    answered: bool = False
    is_answer: bool = False


@dataclass
class ThreadPage:
    """One page of top-level comments of an article's thread, with their replies."""

    article: object
    thread: Thread | None
    nodes: list[CommentNode]
    sort: str
    page: int
    has_more: bool
    is_open: bool
    is_locked: bool
    comment_count: int
    qa_mode: bool = False

    @property
    def next_page(self) -> int:
        return self.page + 1


def _own(reader: Reader) -> Q:
    if reader.user is not None:
        owner = Q(user=reader.user)
    elif reader.guest_key:
        owner = Q(user__isnull=True, guest_key_hash=reader.guest_hash)
    else:
        return Q(pk__in=[])
    return owner & Q(status__in=[CommentStatus.PUBLISHED, CommentStatus.HELD])


def _top_level(*, thread: Thread, reader: Reader, sort: str) -> QuerySet[Comment]:
    """Top-level comments the reader sees, or that keep the place of replies they see."""
    has_public_reply = Exists(Comment.objects.filter(PUBLIC, root=OuterRef("pk")))
    tops = (
        Comment.objects.filter(thread=thread, depth=1)
        .filter(PUBLIC | _own(reader) | Q(has_public_reply))
        .annotate(is_pick=ExpressionWrapper(PUBLIC & PICKED, output_field=BooleanField()))
    )
    if sort in QA_SORTS:
        tops = tops.annotate(answered=Exists(Comment.objects.filter(ANSWER, parent=OuterRef("pk"))))
        if sort == "unanswered":
            tops = tops.filter(PUBLIC, answered=False)
    return tops.order_by(*SORTS[sort])


def _visible_to(comment: Comment | ReplyParent, reader: Reader) -> bool:
    """Whether the thread of a live article shows ``comment`` to ``reader``: published and
    not shadowed, or their own while published or awaiting moderation."""
    if comment.is_public:
        return True
    return reader.wrote(comment) and comment.status in (
        CommentStatus.PUBLISHED,
        CommentStatus.HELD,
    )


def comment_shown_in_thread(*, comment: Comment | ReplyParent, reader: Reader) -> bool:
    """What the thread shows ``reader`` of a live article's ``comment`` (and what they may
    reply to): see ``_visible_to``."""
    return _visible_to(comment, reader)


def staff_name(user: "User | None") -> str:
    """How a staff account is named under a pick or an answer (as comments name authors)."""
    if user is None:
        return _("the newsroom")
    return public_name(user.get_short_name().strip() or user.get_username())


def _placeholder(comment: Comment) -> str:
    return "deleted" if comment.status == CommentStatus.DELETED else "removed"


def _tree_build(
    *,
    rows: list[Comment],
    root_ids: list[int],
    reader: Reader,
    thread: Thread,
    votes: dict[int, int],
) -> list[CommentNode]:
    children: defaultdict[int, list[Comment]] = defaultdict(list)
    by_id: dict[int, Comment] = {}
    for row in rows:  # rows come oldest first, so replies are in the order they were written
        by_id[row.pk] = row
        if row.parent_id is not None:
            children[row.parent_id].append(row)
    # Which comments are worth showing: visible ones, and hidden ones with visible replies.
    keep: dict[int, bool] = {}
    for row in sorted(rows, key=lambda r: r.depth, reverse=True):
        keep[row.pk] = _visible_to(row, reader) or any(keep[c.pk] for c in children[row.pk])
    now = timezone.now()
    can_moderate = reader.can_moderate
    nest_depth = conf.DISCUSSION_NEST_DEPTH  # read once: settings are read at each use

    answered = {row.parent_id for row in rows if row.is_answer and row.is_public}

    def node_of(row: Comment, in_reply_to: str = "") -> CommentNode:
        shown = _visible_to(row, reader)
        own = reader.wrote(row)
        is_pick = row.is_public and row.picked_at is not None
        return CommentNode(
            comment=row,
            shown=shown,
            placeholder="" if shown else _placeholder(row),
            awaiting_moderation=shown and not row.is_public,
            is_own=own,
            can_edit=own and shown and not thread.is_locked and now <= comment_editable_until(row),
            can_delete=shown and (own or can_moderate) and not thread.is_locked,
            viewer_vote=votes.get(row.pk, 0),
            in_reply_to=in_reply_to,
            is_pick=is_pick,
            picked_by=staff_name(row.picked_by) if is_pick else "",
            answered=thread.qa_mode and row.depth == 1 and row.pk in answered,
            is_answer=thread.qa_mode and row.is_answer and row.is_public and row.depth == 2,
        )

    def flattened(row: Comment) -> list[CommentNode]:
        out: list[CommentNode] = []
        stack = [(c, row) for c in reversed(children[row.pk])]
        while stack:
            child, parent = stack.pop()
            if not keep[child.pk]:
                continue
            # A hidden parent (deleted, removed) lends its place, never its author's name.
            shown_parent = _visible_to(parent, reader)
            if shown_parent:
                in_reply_to = parent.author_name
            elif parent.status == CommentStatus.DELETED:
                in_reply_to = _("a deleted comment")
            else:
                in_reply_to = _("a removed comment")
            out.append(node_of(child, in_reply_to=in_reply_to))
            stack.extend((c, child) for c in reversed(children[child.pk]))
        return out

    def build(row: Comment) -> CommentNode:
        node = node_of(row)
        if row.depth >= nest_depth:
            node.replies = flattened(row)
        else:
            node.replies = [build(c) for c in children[row.pk] if keep[c.pk]]
        return node

    return [build(by_id[pk]) for pk in root_ids if pk in by_id and keep[pk]]


def thread_page_get(
    *, article: ArticlePage, reader: Reader, sort: str | None = None, page: int = 1
) -> ThreadPage:
    """A page of the article's discussion, as ``reader`` sees it (in a Q&A thread, its
    questions; with ``sort="picks"``, its editors' picks alone, without their replies)."""
    page = min(max(1, page), PAGE_MAX)
    thread = Thread.objects.filter(article=article).first()
    sort = sort_clean(sort, qa_mode=thread is not None and thread.qa_mode)
    if thread is None:
        return ThreadPage(
            article=article,
            thread=None,
            nodes=[],
            sort=sort,
            page=page,
            has_more=False,
            is_open=thread_is_open(None, article=article),
            is_locked=False,
            comment_count=0,
        )
    size = conf.DISCUSSION_PAGE_SIZE
    offset = (page - 1) * size
    if sort == "picks":
        from newsdesk.discussion.selectors_picks import thread_picks_page

        return thread_picks_page(
            article=article, thread=thread, reader=reader, page=page, offset=offset, size=size
        )
    tops = list(
        _top_level(thread=thread, reader=reader, sort=sort).select_related("user", "picked_by")[
            offset : offset + size + 1
        ]
    )
    has_more = len(tops) > size
    tops = tops[:size]
    ids = [top.pk for top in tops]
    # The replies' query also reads the page's top-level comments again, for one thing: each
    # row's supporter badge (``services/badge.py``), an annotation, so no query per comment
    # and none more per page (the ordering query above keeps its own plan).
    below = list(
        supporter_badge_annotate(
            Comment.objects.filter(thread=thread)
            .filter(Q(root_id__in=ids) | Q(pk__in=ids))
            .select_related("user", "picked_by")
            .order_by("created_at", "pk")
        )
    )
    flags = {row.pk: getattr(row, SUPPORTER_FLAG) for row in below}
    for top in tops:
        setattr(top, SUPPORTER_FLAG, flags.get(top.pk, False))
    top_ids = set(ids)
    replies = [row for row in below if row.pk not in top_ids]
    rows = tops + replies  # a top-level comment has no parent: only replies' order matters
    votes: dict[int, int] = {}
    if reader.voter_key and rows:
        votes = dict(
            Vote.objects.filter(voter_key=reader.voter_key, comment__thread=thread)
            .filter(Q(comment_id__in=ids) | Q(comment__root_id__in=ids))
            .values_list("comment_id", "value")
        )
    return ThreadPage(
        article=article,
        thread=thread,
        nodes=_tree_build(rows=rows, root_ids=ids, reader=reader, thread=thread, votes=votes),
        sort=sort,
        page=page,
        has_more=has_more,
        is_open=thread_is_open(thread, article=article),
        is_locked=thread.is_locked,
        comment_count=Comment.objects.filter(PUBLIC, thread=thread).count(),
        qa_mode=thread.qa_mode,
    )


def comment_page_number(*, comment: Comment, reader: Reader, sort: str | None = None) -> int:
    """The page of the thread (in ``sort`` order) that shows ``comment``."""
    # Typed as holding None: an unsaved comment (no id) finds no index, and gets page 1.
    ids: list[int | None] = list(
        _top_level(
            thread=comment.thread,
            reader=reader,
            sort=sort_clean(sort, qa_mode=comment.thread.qa_mode),
        ).values_list("pk", flat=True)
    )
    try:
        return ids.index(comment.root_key) // conf.DISCUSSION_PAGE_SIZE + 1
    except ValueError:
        return 1


# --- one comment named by id -----------------------------------------------------------------
def _article_public(article_id: int | None) -> bool:
    return article_id is not None and article_open_get(article_id=article_id) is not None


def comment_visible_to(*, comment: Comment, reader: Reader) -> bool:
    """THE rule for a comment that reader input names by id (reply forms, permalinks, the
    API, votes, reports, edits, deletions): ``reader`` may see ``comment`` only if

    - it is published (not shadowed) in the thread of a live article no view restriction
      hides, or
    - it is their own (their account, or their guest token) and not deleted, or
    - they are staff with moderation rights.

    Held, rejected, spam, shadowed and deleted comments, and comments of unpublished,
    expired or members-only articles, are nobody else's business. Reads
    ``comment.thread.article_id``; whether that article is live and public comes from this
    process's copy (``article_open_get``).
    """
    # Cheapest first: the permission check queries a signed-in reader's permissions, which
    # a published comment (the common case: votes, permalinks) does not need.
    if comment.is_public and _article_public(comment.thread.article_id):
        return True
    if comment.status != CommentStatus.DELETED and reader.wrote(comment):
        return True
    return reader.can_moderate


def comment_for_reader(
    *, comment_id: object, reader: Reader, article_id: int | None = None
) -> Comment | None:
    """The comment ``comment_id`` names, with its thread, article, parent and authors, if
    ``reader`` may see it (``comment_visible_to``) and, with ``article_id``, it belongs to
    that article's thread; otherwise None, the same None whatever the reason: no such
    comment, an id no database holds (not a number, negative, zero, past 64 bits), another
    article's comment, or one hidden from this reader. Callers answer None with "not found"
    (404), so an id tells nothing about a comment the reader may not see.
    """
    try:
        # Any reader input (a URL's text, JSON, a form field): what int() cannot read is
        # caught below, so the type is checked at run time, not here.
        pk = int(comment_id)  # type: ignore[call-overload]
    except (TypeError, ValueError, OverflowError):
        return None
    if not 0 < pk <= ID_MAX:
        return None
    comment = comment_with_context_get(comment_id=pk)
    if comment is None:
        return None
    if article_id is not None and comment.thread.article_id != article_id:
        return None
    return comment if comment_visible_to(comment=comment, reader=reader) else None


def comment_counts_for_articles(*, article_ids: list[int]) -> dict[int, int]:
    """Published comments per article, for listings: one query for all of them."""
    rows = (
        Comment.objects.filter(PUBLIC, thread__article_id__in=article_ids)
        .values("thread__article_id")
        .annotate(count=Count("pk"))
    )
    return {row["thread__article_id"]: row["count"] for row in rows}


def comment_held_reason(*, comment: Comment) -> str:
    """Why the comment gate held the comment, as its author is told ("" when it is not held
    by the gate): the assessment's first reason, its decision, which the gate writes for
    moderators and commenters alike ("held: ..."; ``status_reason`` keeps the reasons joined
    by "; "). A comment hidden after readers' reports says nothing of them."""
    if comment.status != CommentStatus.HELD:
        return ""
    decision = comment.status_reason.split("; ", 1)[0].strip()
    if not decision.startswith("held"):
        return ""
    # The scores and thresholds are for moderators: a spammer would tune against them.
    return _SCORE_FIGURES.sub("", decision)


# "combined evidence 0.83 ≥ 0.80", "a borderline score (hate 0.62 < 0.90)": the figures.
_SCORE_FIGURES = re.compile(r" ?\(?\b\d\.\d+ [≥<] \d\.\d+\)?")
