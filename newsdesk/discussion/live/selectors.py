"""Reads of live threads: only published comments (``selectors.PUBLIC``), ever."""

from dataclasses import dataclass

from django.db.models import F
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from newsdesk.discussion import conf
from newsdesk.discussion.models import Comment
from newsdesk.discussion.selectors import PUBLIC, CommentNode
from newsdesk.discussion.services.badge import supporter_badge_annotate

# The most comments one "show them" fetches (the document lists no more).
FRAGMENTS_MAX = 50


@dataclass(frozen=True)
class LiveComment:
    """A published comment as the live document names it."""

    id: int
    parent_id: int | None
    author: str
    published_at: float  # seconds since the epoch


def live_recent_list(*, article_id: int, limit: int) -> tuple[int, list[LiveComment]]:
    """How many comments of ``article_id``'s thread are published, and the ``limit`` latest
    of them by the time they were published (a comment approved after being held counts from
    its approval), newest first. Two queries, whatever the thread's size."""
    published = Comment.objects.filter(PUBLIC, thread__article_id=article_id)
    rows = (
        published.select_related("user")
        .annotate(published_at=Coalesce(F("status_changed_at"), F("created_at")))
        .order_by("-published_at", "-pk")
        .only(
            "pk",
            "parent_id",
            "user_id",
            "guest_name",
            "created_at",
            "status_changed_at",
            "user__first_name",
            "user__last_name",
            "user__username",
        )[:limit]
    )
    recent = [
        LiveComment(
            id=row.pk,
            parent_id=row.parent_id,
            author=row.author_name,
            published_at=row.published_at.timestamp(),
        )
        for row in rows
    ]
    return published.count(), recent


def live_nodes_get(*, article_id: int, comment_ids: list[int]) -> list[CommentNode]:
    """The comments of ``comment_ids`` that are published in ``article_id``'s thread, as nodes
    the thread's renderer draws for any reader (no reply under them: the page puts each
    where its parent is), oldest first. Held, rejected, deleted, shadowed and other threads'
    comments are left out, the same whatever the reason. One query (two when a reply is
    nested deeper than the thread shows and names its parent's author)."""
    ids = sorted(set(comment_ids))[:FRAGMENTS_MAX]
    if not ids:
        return []
    rows = list(
        supporter_badge_annotate(
            Comment.objects.filter(PUBLIC, thread__article_id=article_id, pk__in=ids)
            .select_related("user", "thread")
            .order_by("created_at", "pk")
        )
    )
    nest_depth = conf.DISCUSSION_NEST_DEPTH
    flattened = [row for row in rows if row.depth > nest_depth and row.parent_id]
    parents: dict[int, str] = {}
    if flattened:
        # A reply below the nesting depth is shown under its ancestor, naming whom it answers
        # (as the thread does): the parent's name only if readers may see the parent.
        parents = {
            parent.pk: parent.author_name
            for parent in Comment.objects.filter(
                PUBLIC, pk__in=[row.parent_id for row in flattened]
            ).select_related("user")
        }
    return [
        CommentNode(
            comment=row,
            shown=True,
            in_reply_to=(
                parents.get(row.parent_id, _("an earlier comment"))
                if row.depth > nest_depth and row.parent_id
                else ""
            ),
        )
        for row in rows
    ]
