"""The discussion JSON API: fetch a thread, post, edit, delete, vote (mounted at /api/).

The same services, limits and messages as the forms (``writes.py`` holds what both share):
a refusal is raised as a ``ServiceError`` and answered by the API's one handler
(``newsdesk/api.py``) with its 4xx and ``{"detail": "..."}``. A signed-in reader is known by
their session and a guest by the cookie the site gave them; writes made with those need the
CSRF token (``X-CSRFToken``), as forms do. A program sends instead the ``guest_token`` the API
returned with its first comment in the ``X-Guest-Token`` header. The page's script is such a
caller (with the cookie and the token), and may send the comment form's fields as they are,
a picture included. E-mail addresses never appear in a response.
"""

from datetime import datetime
from typing import Any, Literal

from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Field, Router, Schema, Status
from ninja.utils import check_csrf

from newsdesk.articles.models import ArticlePage
from newsdesk.core.errors import error_body
from newsdesk.discussion import selectors
from newsdesk.discussion.comment_html import comment_html
from newsdesk.discussion.errors import NotAllowed, NotFound
from newsdesk.discussion.forms import submitted_after
from newsdesk.discussion.readers import GUEST_HEADER, reader_from_request
from newsdesk.discussion.selectors import CommentNode
from newsdesk.discussion.selectors_schedule import quiet_spell_get
from newsdesk.discussion.services import (
    CommentDraft,
    comment_create,
    comment_delete,
    comment_edit,
    comment_vote,
)
from newsdesk.discussion.services.slow_mode import SlowModeWait
from newsdesk.discussion.writes import (
    Writer,
    guest_key_hand_over,
    posted_message,
    rate_limit_check,
    writer_from_request,
)

router = Router(tags=["discussion"])

# ``selectors.SORTS``; a Q&A sort asked of a thread not in Q&A mode gets its default.
ThreadSort = Literal["best", "newest", "oldest", "picks", "answered", "unanswered"]


class ErrorOut(Schema):
    """Every refusal (``newsdesk.core.errors.error_body``): its message, and the field it
    concerns when it concerns one."""

    detail: str
    field: str | None = None


class CommentOut(Schema):
    id: int
    parent_id: int | None
    author: str
    is_member: bool
    created_at: datetime
    edited_at: datetime | None
    status: str
    awaiting_moderation: bool
    shown: bool
    placeholder: str
    body_html: str
    image_url: str | None
    thumbnail_url: str | None
    upvotes: int
    downvotes: int
    score: int
    pinned: bool
    in_reply_to: str
    # An editors' pick (and who picked it); a Q&A thread's answered question, and its answer.
    is_pick: bool = False
    picked_by: str = ""
    answered: bool = False
    is_answer: bool = False
    replies: list["CommentOut"] = Field(default_factory=list)


CommentOut.model_rebuild()


class ThreadOut(Schema):
    article_id: int
    is_open: bool
    is_locked: bool
    comment_count: int
    qa_mode: bool = False
    # Quiet hours (``is_open`` is then false): what readers are told, and when comments
    # reopen; slow mode: one comment per reader per this many seconds (0: off).
    quiet_notice: str = ""
    reopens_at: datetime | None = None
    slow_mode_seconds: int = 0
    sort: str
    page: int
    has_more: bool
    comments: list[CommentOut]


class CommentIn(Schema):
    body: str
    parent_id: int | None = None
    name: str = ""
    email: str = ""
    notify_replies: bool = False
    subscribe: bool = False
    # The form's bot checks, under the form's names: ``website`` is its honeypot (people
    # leave it empty), ``started`` the signed time its page was served (its hidden field).
    website: str = ""
    started: str = ""


class CommentPostedOut(Schema):
    comment: CommentOut | None
    html: str = ""
    message: str
    guest_token: str | None = None


class CommentEditIn(Schema):
    body: str


class VoteIn(Schema):
    value: Literal[1, -1]


class VoteOut(Schema):
    id: int
    upvotes: int
    downvotes: int
    score: int
    guest_token: str | None = None


class DeletedOut(Schema):
    id: int
    status: str


def _comment_out(node: CommentNode) -> dict:
    c = node.comment
    return {
        "id": c.pk,
        "parent_id": c.parent_id,
        "author": c.author_name if node.shown else "",
        "is_member": c.user_id is not None and node.shown,
        "created_at": c.created_at,
        "edited_at": c.edited_at,
        "status": c.status if node.shown else node.placeholder,
        "awaiting_moderation": node.awaiting_moderation,
        "shown": node.shown,
        "placeholder": node.placeholder,
        "body_html": c.body_html if node.shown else "",
        "image_url": c.image.url if c.image and node.shown else None,
        "thumbnail_url": c.image_thumbnail.url if c.image_thumbnail and node.shown else None,
        "upvotes": c.upvotes,
        "downvotes": c.downvotes,
        "score": c.score,
        "pinned": c.pinned,
        "in_reply_to": node.in_reply_to,
        "is_pick": node.is_pick,
        "picked_by": node.picked_by,
        "answered": node.answered,
        "is_answer": node.is_answer,
        "replies": [_comment_out(child) for child in node.replies],
    }


def _own_node(comment) -> CommentNode:
    return CommentNode(comment=comment, shown=True, awaiting_moderation=not comment.is_public)


def _own_html(request: HttpRequest, comment) -> str:
    """The author's new comment as the page shows it to them (edit and delete included),
    for the page's script to insert where it belongs."""
    node = CommentNode(
        comment=comment,
        shown=True,
        awaiting_moderation=not comment.is_public,
        is_own=True,
        can_edit=True,
        can_delete=True,
    )
    return comment_html(node=node, thread_open=True, csrf_token=get_token(request))


def _article(article_id: int) -> ArticlePage:
    article = selectors.article_open_get(article_id=article_id)
    if article is None:
        raise NotFound(_("No such article."))
    return article


class CsrfFailed(NotAllowed):
    default_message = gettext_lazy(
        "CSRF check failed: send the csrftoken cookie's value in X-CSRFToken."
    )


def _writer(request: HttpRequest, *, create_guest: bool = False) -> Writer:
    """The reader making a write (``writes.writer_from_request``), once the CSRF check passed.

    Credentials a browser sends by itself (the session, the guest cookie) need the CSRF
    token; the ``X-Guest-Token`` header does not, as no other site can set it.
    """
    browser_credentials = request.user.is_authenticated or not request.META.get(GUEST_HEADER)
    if browser_credentials and check_csrf(request) is not None:
        raise CsrfFailed()
    return writer_from_request(request, create_guest=create_guest)


class ValidationErrorOut(Schema):
    """django-ninja's answer (422) to a request its declared types refuse: one entry per
    problem, each with its ``loc``, ``msg`` and ``type``."""

    detail: list[dict[str, Any]]


# Documented here for the OpenAPI document; the answers themselves come from the handler of
# ``ServiceError`` in ``newsdesk/api.py`` (and ninja's own for 422).
ERRORS = {
    400: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    409: ErrorOut,
    422: ValidationErrorOut,
    429: ErrorOut,
}


@router.get("/threads/{article_id}", response={200: ThreadOut, **ERRORS})
def thread_get(request, article_id: int, sort: ThreadSort | None = None, page: int = 1):
    """One page of an article's discussion: top-level comments with their replies nested
    (``sort`` defaults to the thread's: "best", or "answered" in a Q&A thread; "picks" is
    the editors' picks alone; "answered" and "unanswered" are a Q&A thread's)."""
    article = _article(article_id)
    tp = selectors.thread_page_get(
        article=article, reader=reader_from_request(request), sort=sort, page=max(1, page)
    )
    quiet = quiet_spell_get(article=article) if tp.is_open else None
    return Status(
        200,
        {
            "article_id": article.pk,
            "is_open": tp.is_open and quiet is None,
            "is_locked": tp.is_locked,
            "comment_count": tp.comment_count,
            "qa_mode": tp.qa_mode,
            "quiet_notice": quiet.notice if quiet else "",
            "reopens_at": quiet.reopens_at if quiet else None,
            "slow_mode_seconds": tp.thread.slow_mode_seconds if tp.thread else 0,
            "sort": tp.sort,
            "page": tp.page,
            "has_more": tp.has_more,
            "comments": [_comment_out(node) for node in tp.nodes],
        },
    )


@router.post("/threads/{article_id}/comments", response={201: CommentPostedOut, **ERRORS})
def comment_post(
    request, response: HttpResponse, article_id: int, payload: CommentIn, html: bool = False
):
    """Post a comment, or a reply with ``parent_id``. A guest gives ``name``.

    The answer carries the comment as data and, with ``?html=1``, in ``html`` as the page
    shows it to its author (the page's script asks for it; other clients need not pay for
    the rendering). The page's script sends the form's fields (multipart) and its picture,
    ``image``.
    """
    rate_limit_check(request, action="comment-post")
    article = _article(article_id)
    writer = _writer(request, create_guest=True)
    try:
        comment = comment_create(
            article=article,
            reader=writer.reader,
            draft=CommentDraft(
                body=payload.body,
                guest_name=payload.name,
                guest_email=payload.email,
                parent_id=payload.parent_id,
                image=request.FILES.get("image") or None,
                notify_replies=payload.notify_replies,
                subscribe=payload.subscribe,
                submitted_after=submitted_after(payload.started),
                honeypot=payload.website,
            ),
        )
    except SlowModeWait as error:
        # Slow mode's 429 says when to try again, as HTTP does (the refusal's own words too).
        response["Retry-After"] = str(error.retry_after)
        return Status(429, error_body(error))
    visible = comment.status != "rejected"
    body = {
        "comment": _comment_out(_own_node(comment)) if visible else None,
        "html": _own_html(request, comment) if visible and html else "",
        "message": posted_message(
            comment=comment, asked_for_email=payload.notify_replies or payload.subscribe
        ),
        "guest_token": writer.new_guest_key or None,
    }
    # A guest whose key this request made gets its cookie with the answer.
    guest_key_hand_over(response, request=request, writer=writer)
    return Status(201, body)


@router.patch("/comments/{comment_id}", response={200: CommentOut, **ERRORS})
def comment_patch(request, comment_id: int, payload: CommentEditIn):
    """Edit your own comment within the edit window."""
    rate_limit_check(request, action="comment-edit")
    reader = _writer(request).reader
    comment = comment_edit(comment_id=comment_id, reader=reader, body=payload.body)
    return Status(200, _comment_out(_own_node(comment)))


@router.delete("/comments/{comment_id}", response={200: DeletedOut, **ERRORS})
def comment_remove(request, comment_id: int):
    """Delete your own comment (or any, as a moderator); its replies keep their place."""
    rate_limit_check(request, action="comment-edit")
    comment = comment_delete(comment_id=comment_id, reader=_writer(request).reader)
    return Status(200, {"id": comment.pk, "status": comment.status})


@router.post("/comments/{comment_id}/votes", response={201: VoteOut, **ERRORS})
def comment_vote_post(request, response: HttpResponse, comment_id: int, payload: VoteIn):
    """Vote a published comment up (1) or down (-1), once. A guest's first vote, like
    their first comment, gives them their key (``guest_token``)."""
    rate_limit_check(request, action="comment-vote")
    writer = _writer(request, create_guest=True)
    comment = comment_vote(comment_id=comment_id, reader=writer.reader, value=payload.value)
    body = {
        "id": comment.pk,
        "upvotes": comment.upvotes,
        "downvotes": comment.downvotes,
        "score": comment.score,
        "guest_token": writer.new_guest_key or None,
    }
    # A guest whose key this request made gets its cookie with the answer.
    guest_key_hand_over(response, request=request, writer=writer)
    return Status(201, body)


class OwnCommentOut(Schema):
    id: int
    can_edit: bool
    can_delete: bool
    edit_url: str
    delete_url: str


class HeldCommentOut(Schema):
    id: int
    parent_id: int | None
    html: str


class VoteMineOut(Schema):
    id: int
    value: int


class ThreadMineOut(Schema):
    article_id: int
    votes: list[VoteMineOut]
    own: list[OwnCommentOut]
    held: list[HeldCommentOut]


@router.get("/threads/{article_id}/mine", response={200: ThreadMineOut, **ERRORS})
def thread_mine_get(
    request,
    response: HttpResponse,
    article_id: int,
    sort: ThreadSort = "best",
    page: int = 1,
):
    """The reader's own state on one page of a thread, for a page served from the shared
    cache: their votes, their comments (with edit and delete where allowed) and their
    comments awaiting moderation (as HTML to insert). Empty lists for an anonymous reader.
    Never cached: ``Cache-Control: private, no-store``."""
    response["Cache-Control"] = "private, no-store"
    article = _article(article_id)
    reader = reader_from_request(request)
    out = {"article_id": article.pk, "votes": [], "own": [], "held": []}
    if not reader.voter_key:
        return Status(200, out)
    tp = selectors.thread_page_get(article=article, reader=reader, sort=sort, page=max(1, page))
    stack = list(tp.nodes)
    while stack:
        node = stack.pop()
        stack.extend(node.replies)
        c = node.comment
        if node.viewer_vote:
            out["votes"].append({"id": c.pk, "value": node.viewer_vote})
        if not node.is_own or not node.shown:
            continue
        out["own"].append(
            {
                "id": c.pk,
                "can_edit": node.can_edit,
                "can_delete": node.can_delete,
                "edit_url": reverse("discussion:edit", args=[c.pk]),
                "delete_url": reverse("discussion:delete", args=[c.pk]),
            }
        )
        if node.awaiting_moderation:
            html = comment_html(
                node=CommentNode(**{**node.__dict__, "replies": []}),
                thread_open=tp.is_open,
                csrf_token=get_token(request),
            )
            out["held"].append({"id": c.pk, "parent_id": c.parent_id, "html": html})
    return Status(200, out)


# Editors' and moderators' controls (picks, answers) live in their own module.
from newsdesk.discussion.api_staff import router as staff_router  # noqa: E402

router.add_router("", staff_router)
