"""The discussion JSON API: fetch a thread, post, edit, delete, vote (mounted at /api/).

The same services as the forms answer, so the rules, limits and messages are the same:
a refusal is a 4xx with ``{"detail": "..."}``. A signed-in reader is known by their session
(writes then need the CSRF token, as forms do); a guest sends the ``guest_token`` the API
returned with their first comment in the ``X-Guest-Token`` header. E-mail addresses never
appear in a response.
"""

from datetime import datetime
from typing import Any, Literal

from django.http import HttpRequest, HttpResponse
from ninja import Field, Router, Schema, Status
from ninja.utils import check_csrf

from newsdesk.articles.models import ArticlePage
from newsdesk.core.ratelimit import request_rate_limited
from newsdesk.discussion import conf, selectors
from newsdesk.discussion.errors import DiscussionError, NotAllowed, NotFound
from newsdesk.discussion.forms import submitted_after
from newsdesk.discussion.readers import (
    GUEST_HEADER,
    Reader,
    guest_key_new,
    reader_from_request,
)
from newsdesk.discussion.selectors import CommentNode
from newsdesk.discussion.services import (
    STATUS_MESSAGES,
    CommentDraft,
    comment_create,
    comment_delete,
    comment_edit,
    comment_vote,
)
from newsdesk.discussion.services.email_confirmations import email_confirmation_notice

router = Router(tags=["discussion"])


class ErrorOut(Schema):
    detail: str


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
    replies: list["CommentOut"] = Field(default_factory=list)


CommentOut.model_rebuild()


class ThreadOut(Schema):
    article_id: int
    is_open: bool
    is_locked: bool
    comment_count: int
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
        "replies": [_comment_out(child) for child in node.replies],
    }


def _own_node(comment) -> CommentNode:
    return CommentNode(comment=comment, shown=True, awaiting_moderation=not comment.is_public)


def _article(article_id: int) -> ArticlePage:
    article = selectors.article_open_get(article_id=article_id)
    if article is None:
        raise NotFound("No such article.")
    return article


class CsrfFailed(NotAllowed):
    def __init__(self):
        super().__init__("CSRF check failed: send the csrftoken cookie's value in X-CSRFToken.")


def _writer(request: HttpRequest, *, create_guest: bool = False) -> tuple[Reader, str]:
    """The reader making a write, and a new guest token when one was made for them.

    Credentials a browser sends by itself (the session, the guest cookie) need the CSRF
    token; the ``X-Guest-Token`` header does not, as no other site can set it.
    """
    browser_credentials = request.user.is_authenticated or not request.META.get(GUEST_HEADER)
    if browser_credentials and check_csrf(request) is not None:
        raise CsrfFailed()
    reader = reader_from_request(request)
    new_token = ""
    if create_guest and reader.user is None and not reader.guest_key:
        new_token = guest_key_new()
        reader = reader_from_request(request, guest_key=new_token)
    return reader, new_token


def _limited(request, action: str, rate, per_user=None) -> Status | None:
    if request_rate_limited(request, action=action, per_ip=rate, per_user=per_user):
        return Status(429, {"detail": "You are doing that too often; wait a few minutes."})
    return None


class ValidationErrorOut(Schema):
    """django-ninja's answer (422) to a request its declared types refuse: one entry per
    problem, each with its ``loc``, ``msg`` and ``type``."""

    detail: list[dict[str, Any]]


ERRORS = {
    400: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    409: ErrorOut,
    422: ValidationErrorOut,
    429: ErrorOut,
}


@router.get("/threads/{article_id}", response={200: ThreadOut, **ERRORS})
def thread_get(
    request, article_id: int, sort: Literal["best", "newest", "oldest"] = "best", page: int = 1
):
    """One page of an article's discussion: top-level comments with their replies nested."""
    try:
        article = _article(article_id)
    except DiscussionError as error:
        return Status(error.status_code, {"detail": error.message})
    tp = selectors.thread_page_get(
        article=article, reader=reader_from_request(request), sort=sort, page=max(1, page)
    )
    return Status(
        200,
        {
            "article_id": article.pk,
            "is_open": tp.is_open,
            "is_locked": tp.is_locked,
            "comment_count": tp.comment_count,
            "sort": tp.sort,
            "page": tp.page,
            "has_more": tp.has_more,
            "comments": [_comment_out(node) for node in tp.nodes],
        },
    )


@router.post("/threads/{article_id}/comments", response={201: CommentPostedOut, **ERRORS})
def comment_post(request, article_id: int, payload: CommentIn):
    """Post a comment, or a reply with ``parent_id``. A guest gives ``name``."""
    limited = _limited(request, "comment-post", conf.RATE_POST, conf.RATE_POST_USER)
    if limited:
        return limited
    try:
        article = _article(article_id)
        reader, new_token = _writer(request, create_guest=True)
        comment = comment_create(
            article=article,
            reader=reader,
            draft=CommentDraft(
                body=payload.body,
                guest_name=payload.name,
                guest_email=payload.email,
                parent_id=payload.parent_id,
                notify_replies=payload.notify_replies,
                subscribe=payload.subscribe,
                submitted_after=submitted_after(payload.started),
                honeypot=payload.website,
            ),
        )
    except DiscussionError as error:
        return Status(error.status_code, {"detail": error.message})
    return Status(
        201,
        {
            "comment": _comment_out(_own_node(comment)) if comment.status != "rejected" else None,
            "message": STATUS_MESSAGES[comment.status]
            + email_confirmation_notice(
                comment=comment, asked=payload.notify_replies or payload.subscribe
            ),
            "guest_token": new_token or None,
        },
    )


@router.patch("/comments/{comment_id}", response={200: CommentOut, **ERRORS})
def comment_patch(request, comment_id: int, payload: CommentEditIn):
    """Edit your own comment within the edit window."""
    limited = _limited(request, "comment-edit", conf.RATE_EDIT)
    if limited:
        return limited
    try:
        reader, _ = _writer(request)
        comment = comment_edit(comment_id=comment_id, reader=reader, body=payload.body)
    except DiscussionError as error:
        return Status(error.status_code, {"detail": error.message})
    return Status(200, _comment_out(_own_node(comment)))


@router.delete("/comments/{comment_id}", response={200: DeletedOut, **ERRORS})
def comment_remove(request, comment_id: int):
    """Delete your own comment (or any, as a moderator); its replies keep their place."""
    limited = _limited(request, "comment-edit", conf.RATE_EDIT)
    if limited:
        return limited
    try:
        reader, _ = _writer(request)
        comment = comment_delete(comment_id=comment_id, reader=reader)
    except DiscussionError as error:
        return Status(error.status_code, {"detail": error.message})
    return Status(200, {"id": comment.pk, "status": comment.status})


@router.post("/comments/{comment_id}/votes", response={201: VoteOut, **ERRORS})
def comment_vote_post(request, comment_id: int, payload: VoteIn):
    """Vote a published comment up (1) or down (-1), once."""
    limited = _limited(request, "comment-vote", conf.RATE_VOTE, conf.RATE_VOTE_USER)
    if limited:
        return limited
    try:
        reader, _ = _writer(request)
        comment = comment_vote(comment_id=comment_id, reader=reader, value=payload.value)
    except DiscussionError as error:
        return Status(error.status_code, {"detail": error.message})
    return Status(
        201,
        {
            "id": comment.pk,
            "upvotes": comment.upvotes,
            "downvotes": comment.downvotes,
            "score": comment.score,
        },
    )


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
    sort: Literal["best", "newest", "oldest"] = "best",
    page: int = 1,
):
    """The reader's own state on one page of a thread, for a page served from the shared
    cache: their votes, their comments (with edit and delete where allowed) and their
    comments awaiting moderation (as HTML to insert). Empty lists for an anonymous reader.
    Never cached: ``Cache-Control: private, no-store``."""
    from django.middleware.csrf import get_token
    from django.urls import reverse

    from newsdesk.discussion.comment_html import comment_html

    response["Cache-Control"] = "private, no-store"
    try:
        article = _article(article_id)
    except DiscussionError as error:
        return Status(error.status_code, {"detail": error.message})
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
