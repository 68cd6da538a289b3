"""Editors' and moderators' controls on a thread, over the JSON API: feature a comment as an
editors' pick (or stop), mark a staff reply as the answer to a question (or unmark it), set
the article's slow mode, and whether this reader may (``controls``).

The thread is in a page the page cache shares, so it carries no staff control: the page's
script asks ``GET /api/threads/<id>/staff`` (never cached) and, for staff, adds the
buttons. Every write needs the session and the CSRF token; anyone else is refused (403) by
the services, with nothing written.
"""

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from newsdesk.discussion import selectors
from newsdesk.discussion.api import ERRORS
from newsdesk.discussion.errors import NotAllowed, NotFound
from newsdesk.discussion.models import Thread
from newsdesk.discussion.services.comments import thread_get_or_create
from newsdesk.discussion.services.picks import comment_pick_set, is_discussion_staff
from newsdesk.discussion.services.questions import answer_mark_set
from newsdesk.discussion.services.slow_mode import thread_slow_mode_set

router = Router(tags=["discussion"])


class StaffControlsOut(Schema):
    article_id: int
    can_pick: bool
    can_answer: bool
    qa_mode: bool
    # Staff may set slow mode (``can_pick``'s readers); its current seconds (0: off).
    slow_mode_seconds: int = 0


class SlowModeIn(Schema):
    seconds: int


class SlowModeOut(Schema):
    article_id: int
    slow_mode_seconds: int


class PickOut(Schema):
    id: int
    picked: bool
    picked_by: str


class AnswerOut(Schema):
    id: int
    is_answer: bool


def _staff(request: HttpRequest):
    # The same CSRF rule as every write of the API (``api._writer``); staff are signed in.
    from newsdesk.discussion.api import _writer

    return _writer(request).reader.user


@router.get("/threads/{article_id}/staff", response={200: StaffControlsOut, **ERRORS})
def thread_controls_get(request, response: HttpResponse, article_id: int):
    """Which staff controls this reader gets on the article's thread: ``can_pick`` for
    editors and moderators, ``can_answer`` too when the thread is in Q&A mode. Never cached
    (``Cache-Control: private, no-store``); one query for staff (the thread's mode), none
    for anyone else."""
    response["Cache-Control"] = "private, no-store"
    article = selectors.article_open_get(article_id=article_id)
    if article is None:
        raise NotFound(_("No such article."))
    staff = is_discussion_staff(request.user)
    thread = (
        Thread.objects.filter(article_id=article.pk).only("qa_mode", "slow_mode_seconds").first()
        if staff
        else None
    )
    qa_mode = thread is not None and thread.qa_mode
    return Status(
        200,
        {
            "article_id": article.pk,
            "can_pick": staff,
            "can_answer": qa_mode,
            "qa_mode": qa_mode,
            "slow_mode_seconds": thread.slow_mode_seconds if thread is not None else 0,
        },
    )


@router.put("/threads/{article_id}/slow-mode", response={200: SlowModeOut, **ERRORS})
def thread_slow_mode_put(request, article_id: int, payload: SlowModeIn):
    """Set the article's slow mode: one comment or reply per reader per ``seconds`` (0: off,
    at most a day); editors and moderators only, who are exempt from it."""
    actor = _staff(request)
    article = selectors.article_open_get(article_id=article_id)
    if article is None:
        raise NotFound(_("No such article."))
    if not is_discussion_staff(actor):
        # Here, not only in the service: to the service no actor (a guest's token) is the
        # site itself.
        raise NotAllowed(_("Only editors and moderators may set slow mode."))
    thread = thread_slow_mode_set(
        thread=thread_get_or_create(article=article), seconds=payload.seconds, actor=actor
    )
    return Status(200, {"article_id": article.pk, "slow_mode_seconds": thread.slow_mode_seconds})


@router.post("/comments/{comment_id}/pick", response={200: PickOut, **ERRORS})
def comment_pick_post(request, comment_id: int):
    """Feature a published comment as an editors' pick (editors and moderators only)."""
    comment = comment_pick_set(comment_id=comment_id, actor=_staff(request), picked=True)
    return Status(
        200, {"id": comment.pk, "picked": True, "picked_by": selectors.staff_name(request.user)}
    )


@router.delete("/comments/{comment_id}/pick", response={200: PickOut, **ERRORS})
def comment_pick_delete(request, comment_id: int):
    """Stop featuring a comment (editors and moderators only)."""
    comment = comment_pick_set(comment_id=comment_id, actor=_staff(request), picked=False)
    return Status(200, {"id": comment.pk, "picked": False, "picked_by": ""})


@router.post("/comments/{comment_id}/answer", response={200: AnswerOut, **ERRORS})
def comment_answer_post(request, comment_id: int):
    """Mark a staff reply to a question of a Q&A thread as its answer (staff only)."""
    comment = answer_mark_set(comment_id=comment_id, actor=_staff(request), is_answer=True)
    return Status(200, {"id": comment.pk, "is_answer": comment.is_answer})


@router.delete("/comments/{comment_id}/answer", response={200: AnswerOut, **ERRORS})
def comment_answer_delete(request, comment_id: int):
    """Unmark an answer (staff only)."""
    comment = answer_mark_set(comment_id=comment_id, actor=_staff(request), is_answer=False)
    return Status(200, {"id": comment.pk, "is_answer": comment.is_answer})
