"""Q&A mode: an article's discussion where readers ask and the newsroom answers.

In a Q&A thread top-level comments are questions. An answer is a published reply to a
question written by discussion staff (bylines are not linked to accounts, so "the article's
author" is the staff account that writes the reply), which staff mark as the answer; a
question with a public answer shows as "Answered" (``selectors``), so an answer removed or
held again stops answering it without anyone unmarking it. Guests and readers can neither
mark answers nor turn a thread into Q&A.
"""

from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext as _

from newsdesk.discussion.changes import article_discussion_changed
from newsdesk.discussion.errors import InvalidComment, NotAllowed
from newsdesk.discussion.models import Comment, Thread
from newsdesk.discussion.selectors_posting import threads_changed
from newsdesk.discussion.services.comments import thread_get_or_create
from newsdesk.discussion.services.picks import (
    comment_lock_for_staff,
    is_discussion_staff,
    staff_acted_notify,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

    from newsdesk.articles.models import ArticlePage

ANSWER_MARKED = "answer_marked"
ANSWER_UNMARKED = "answer_unmarked"


def thread_qa_set(
    *, article: "ArticlePage", qa_mode: bool, actor: "User | AnonymousUser | None"
) -> Thread:
    """Turn the discussion of ``article`` into Q&A (``qa_mode``) or back into comments, as
    ``actor``; the thread is created if the article has none yet. Refused (``NotAllowed``)
    unless ``actor`` is discussion staff."""
    if not is_discussion_staff(actor):
        raise NotAllowed(_("Only editors and moderators may change a discussion's mode."))
    with transaction.atomic():
        thread = thread_get_or_create(article=article)
        if thread.qa_mode != qa_mode:
            Thread.objects.filter(pk=thread.pk).update(qa_mode=qa_mode)
            thread.qa_mode = qa_mode
            threads_changed()  # update() sends no signal: posting's copies
            article_discussion_changed(article_ids=[article.pk])
    return thread


def answer_mark_set(
    *, comment_id: object, actor: "User | AnonymousUser | None", is_answer: bool = True
) -> Comment:
    """Mark the reply ``comment_id`` names as the answer to its question (``is_answer``), or
    unmark it, as ``actor``; return the reply.

    Refused, with nothing written: ``NotAllowed`` unless ``actor`` is discussion staff;
    ``NotFound`` for an id naming no comment; ``InvalidComment`` when marking a comment that
    is not a public direct reply to a question of a Q&A thread, or whose author is not
    discussion staff (readers' replies are not answers). Marking an answer again, or
    unmarking what is not one, changes nothing.
    """
    if not is_discussion_staff(actor):
        raise NotAllowed(_("Only the newsroom may mark answers."))
    assert actor is not None and actor.is_authenticated  # is_discussion_staff said so
    with transaction.atomic():
        comment = comment_lock_for_staff(comment_id)
        if is_answer:
            if not comment.thread.qa_mode:
                raise InvalidComment(_("This discussion is not in Q&A mode."))
            if comment.depth != 2 or not comment.is_public:
                raise InvalidComment(_("Only a published reply to a question can be its answer."))
            if comment.user is None or not is_discussion_staff(comment.user):
                raise InvalidComment(_("Only a reply from the newsroom can be an answer."))
        if comment.is_answer == is_answer:
            return comment
        comment.is_answer = is_answer
        comment.save(update_fields=["is_answer"])
        staff_acted_notify(
            comment=comment,
            actor=actor,
            action=ANSWER_MARKED if is_answer else ANSWER_UNMARKED,
            note=f"Answer {'marked' if is_answer else 'unmarked'} by {actor.get_username()}",
        )
        article_discussion_changed(article_ids=[comment.thread.article_id])
    return comment
