"""Reads of editors' picks: a thread's tab of picks, and the site's page of recent picks.

A pick counts only while its comment is public (``selectors.PUBLIC``): a pick removed,
deleted or sent back to moderation disappears from both without being unpicked. Each read
costs a fixed number of queries whatever the number of picks.
"""

from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from newsdesk.articles.models import ArticlePage
from newsdesk.discussion.models import Comment, Thread
from newsdesk.discussion.readers import Reader
from newsdesk.discussion.selectors import (
    PICKED,
    PUBLIC,
    CommentNode,
    ThreadPage,
    staff_name,
)
from newsdesk.discussion.services.badge import supporter_badge_annotate
from newsdesk.discussion.services.comments import thread_is_open

# The site's page of picks: picks of live, public articles only, newest pick first.
SITE_PICKS_PAGE_SIZE = 20


def _picks() -> QuerySet[Comment]:
    return (
        Comment.objects.filter(PUBLIC & PICKED)
        .select_related("user", "picked_by", "parent", "parent__user")
        .order_by("-picked_at", "-pk")
    )


def _pick_node(comment: Comment) -> CommentNode:
    parent = comment.parent
    in_reply_to = ""
    if parent is not None:
        in_reply_to = parent.author_name if parent.is_public else _("an earlier comment")
    return CommentNode(
        comment=comment,
        shown=True,
        in_reply_to=in_reply_to,
        is_pick=True,
        picked_by=staff_name(comment.picked_by),
    )


def thread_picks_page(
    *, article: ArticlePage, thread: Thread, reader: Reader, page: int, offset: int, size: int
) -> ThreadPage:
    """The "Editors' picks" tab of ``thread``: its public picks (top-level comments and
    replies alike, without their replies), newest pick first. The reader's own votes are
    filled in by the page's script (``/api/threads/<id>/mine``). Two queries."""
    rows = list(
        supporter_badge_annotate(_picks().filter(thread=thread))[offset : offset + size + 1]
    )
    return ThreadPage(
        article=article,
        thread=thread,
        nodes=[_pick_node(row) for row in rows[:size]],
        sort="picks",
        page=page,
        has_more=len(rows) > size,
        is_open=thread_is_open(thread, article=article),
        is_locked=thread.is_locked,
        comment_count=Comment.objects.filter(PUBLIC, thread=thread).count(),
        qa_mode=thread.qa_mode,
    )


@dataclass(frozen=True)
class SitePick:
    """One pick on the site's page of picks, with the article it belongs to."""

    node: CommentNode
    article: "ArticlePage"


@dataclass(frozen=True)
class SitePicksPage:
    picks: list[SitePick]
    page: int
    has_more: bool

    @property
    def next_page(self) -> int:
        return self.page + 1

    @property
    def previous_page(self) -> int:
        return self.page - 1


def site_picks_page_get(*, page: int = 1, size: int = SITE_PICKS_PAGE_SIZE) -> SitePicksPage:
    """A page of the site's recent editors' picks (newest pick first) under live articles
    that no view restriction hides. One query: the picks with their authors, parents,
    pickers, threads and articles."""
    page = max(1, min(page, 9999))
    live = ArticlePage.objects.live().public().values("pk")
    rows = list(
        _picks()
        .filter(thread__article__in=live)
        .select_related("thread", "thread__article")[(page - 1) * size : page * size + 1]
    )
    # Every row's thread has its article (the filter above): None is for the type checker.
    picks = [
        SitePick(node=_pick_node(row), article=row.thread.article)
        for row in rows[:size]
        if row.thread.article is not None
    ]
    return SitePicksPage(picks=picks, page=page, has_more=len(rows) > size)


def thread_picks_list(*, thread: Thread) -> list[Comment]:
    """Every pick of ``thread`` for staff, public or not (a pick no longer public is listed
    so it can be withdrawn), newest pick first, with authors and pickers. One query."""
    return list(
        Comment.objects.filter(PICKED, thread=thread)
        .select_related("user", "picked_by")
        .order_by("-picked_at", "-pk")
    )
