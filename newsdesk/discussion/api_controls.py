"""Readers' own controls over the JSON API (mounted at /api/ with the discussion's router):
what the signed-in reader ignores and follows, for the thread's script on a page served from
the shared cache, and the writes behind its "Ignore" and "Follow" buttons.

Never cached (``Cache-Control: private, no-store``): each answer is one reader's. Writes need
the session's CSRF token (``X-CSRFToken``), as the discussion's other writes do. A guest is
answered ``signed_in: false`` (and refused the writes, 403).
"""

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from ninja.utils import check_csrf

from newsdesk.discussion import selectors
from newsdesk.discussion.api import ERRORS, CsrfFailed
from newsdesk.discussion.commenters import commenter_key
from newsdesk.discussion.errors import NotFound
from newsdesk.discussion.readers import Reader, reader_from_request
from newsdesk.discussion.selectors_controls import reader_controls_get
from newsdesk.discussion.services.reader_controls import (
    commenter_ignore,
    commenter_unignore,
    thread_follow,
    thread_unfollow,
)

router = Router(tags=["discussion"])


class ReaderControlsOut(Schema):
    signed_in: bool
    me: str
    frequency: str
    following: bool
    ignored: list[str]


class IgnoredOut(Schema):
    id: int
    name: str
    commenter: str


class FollowOut(Schema):
    article_id: int
    following: bool


def _private(response: HttpResponse) -> None:
    response["Cache-Control"] = "private, no-store"


def _reader_for_write(request: HttpRequest) -> Reader:
    if request.user.is_authenticated and check_csrf(request) is not None:
        raise CsrfFailed()
    return reader_from_request(request)


@router.get("/discussion/controls", response={200: ReaderControlsOut, **ERRORS})
def controls_get(request, response: HttpResponse, article_id: int | None = None):
    """The signed-in reader's controls: the commenters they ignore (as ``data-commenter``
    marks), their own mark, their e-mail frequency and whether they follow ``article_id``'s
    discussion."""
    _private(response)
    user = request.user if request.user.is_authenticated else None
    controls = reader_controls_get(user=user, article_id=article_id)
    return Status(200, controls.__dict__)


@router.post("/comments/{comment_id}/ignore", response={201: IgnoredOut, **ERRORS})
def comment_author_ignore(request, response: HttpResponse, comment_id: int):
    """Ignore the author of a comment: their comments collapse for you everywhere."""
    _private(response)
    ignored = commenter_ignore(reader=_reader_for_write(request), comment_id=comment_id)
    return Status(
        201,
        {
            "id": ignored.pk,
            "name": ignored.name,
            "commenter": commenter_key(user_id=ignored.ignored_user_id),
        },
    )


@router.delete("/discussion/ignored/{ignored_id}", response={204: None, **ERRORS})
def ignored_remove(request, response: HttpResponse, ignored_id: int):
    """Stop ignoring a commenter (an entry of your own list)."""
    _private(response)
    commenter_unignore(reader=_reader_for_write(request), ignored_id=ignored_id)
    return Status(204, None)


def _article(article_id: int):
    article = selectors.article_open_get(article_id=article_id)
    if article is None:
        raise NotFound(_("No such article."))
    return article


@router.post("/threads/{article_id}/follow", response={200: FollowOut, **ERRORS})
def follow(request, response: HttpResponse, article_id: int):
    """Follow an article's discussion: new comments e-mailed at your chosen frequency."""
    _private(response)
    reader = _reader_for_write(request)
    thread_follow(reader=reader, article=_article(article_id))
    return Status(200, {"article_id": article_id, "following": True})


@router.delete("/threads/{article_id}/follow", response={200: FollowOut, **ERRORS})
def unfollow(request, response: HttpResponse, article_id: int):
    """Stop following an article's discussion."""
    _private(response)
    reader = _reader_for_write(request)
    article = _article(article_id)
    thread = getattr(article, "discussion_thread", None)
    if thread is not None:
        thread_unfollow(reader=reader, thread_id=thread.pk)
    return Status(200, {"article_id": article_id, "following": False})
