"""Editors' and moderators' controls on a thread, over the JSON API: feature a comment as an
editors' pick (or stop), mark a staff reply as the answer to a question (or unmark it), and
whether this reader may (``controls``).

The thread is in a page the page cache shares, so it carries no staff control: the page's
script asks ``GET /api/threads/<id>/staff`` (never cached) and, for staff, adds the
buttons. Every write needs the session and the CSRF token; anyone else is refused (403) by
the services, with nothing written.
"""

from django.http import HttpRequest, HttpResponse
from ninja import Router, Schema, Status

from newsdesk.discussion import selectors
from newsdesk.discussion.api import ERRORS
from newsdesk.discussion.errors import NotFound
from newsdesk.discussion.models import Thread
from newsdesk.discussion.services.picks import comment_pick_set, is_discussion_staff
from newsdesk.discussion.services.questions import answer_mark_set

router = Router(tags=["discussion"])


class StaffControlsOut(Schema):
    article_id: int
    can_pick: bool
    can_answer: bool
    qa_mode: bool


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
        raise NotFound("No such article.")
    staff = is_discussion_staff(request.user)
    qa_mode = staff and Thread.objects.filter(article_id=article.pk, qa_mode=True).exists()
    return Status(
        200,
        {"article_id": article.pk, "can_pick": staff, "can_answer": qa_mode, "qa_mode": qa_mode},
    )


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
