"""Appeals: a signed-in author asks once, with a message, that a moderator look again at a
held, rejected or removed comment; a moderator upholds the decision or reverses it (the
comment is published through the same status service as the queue's "Approve"). Every
outcome is written to the audit log and told to the author by e-mail (once, by the worker)
and on their "Your comments" page.

Guests cannot appeal: their comments are theirs through a cookie, and no signed link to
one of their comments is e-mailed to them yet; they are told to comment signed in.
"""

from typing import TYPE_CHECKING

import nh3
from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from newsdesk.core.siteurl import absolute_url, site_name
from newsdesk.discussion.selectors import CommentStatus
from newsdesk.discussion.selectors_staff import comment_with_context_get
from newsdesk.discussion.services.staff import comment_lock
from newsdesk.moderation.errors import AlreadyDone, InvalidInput, NotAllowed, NotFound
from newsdesk.moderation.models import Appeal, AppealState, Decision, DecisionAction
from newsdesk.moderation.models_appeals import APPEAL_MESSAGE_MAX, APPEAL_NOTE_MAX
from newsdesk.moderation.selectors_appeals import APPEALABLE_STATUSES
from newsdesk.moderation.services.decisions import (
    _status_change,
    decision_human_record,
    require_moderator,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

OUTCOMES = ("uphold", "reverse")
ONCE = gettext_lazy("You have already appealed this decision: a comment is appealed once.")
APPEAL_MESSAGE_MIN = 10


def _plain(text: str) -> str:
    # Plain text only: any markup is dropped, and templates escape the rest.
    return nh3.clean(text or "", tags=set()).strip()


def _latest_reason_decision(comment_id: int) -> Decision | None:
    return (
        Decision.objects.filter(comment_id=comment_id, undone_by__isnull=True)
        .exclude(reason_code="")
        .order_by("-created_at", "-pk")
        .first()
    )


def appeal_create(*, user: "User | AnonymousUser", comment_id: int, message: str) -> Appeal:
    """Record ``user``'s appeal of their comment ``comment_id`` while it is held, rejected
    or marked as spam, with ``message`` (plain text, ``APPEAL_MESSAGE_MIN`` to
    ``APPEAL_MESSAGE_MAX`` characters). It joins the moderators' appeals queue.

    Raises NotAllowed for a guest or an inactive account, NotFound for a comment that does
    not exist or is not theirs (the same answer), InvalidInput for a message too short or
    too long or a comment that is published or deleted, AlreadyDone for a second appeal of
    the same comment. Nothing is written then.
    """
    if user is None or not user.is_authenticated or not user.is_active:
        raise NotAllowed(_("Sign in to appeal a decision about your comment."))
    text = _plain(message)
    if len(text) < APPEAL_MESSAGE_MIN:
        raise InvalidInput(
            _("Say in a few words why the decision is wrong (at least %(min)s characters).")
            % {"min": APPEAL_MESSAGE_MIN},
            field="message",
        )
    if len(text) > APPEAL_MESSAGE_MAX:
        raise InvalidInput(
            _("Your message is %(length)s characters long: keep it to %(max)s.")
            % {"length": len(text), "max": APPEAL_MESSAGE_MAX},
            field="message",
        )
    try:
        pk = int(comment_id)
    except (TypeError, ValueError):
        raise NotFound(_("You have no such comment.")) from None
    with transaction.atomic():
        comment = comment_lock(comment_id=pk) if 0 < pk < 2**63 else None
        if comment is None or comment.user_id != user.pk:
            raise NotFound(_("You have no such comment."))
        if Appeal.objects.filter(comment_id=comment.pk).exists():
            raise AlreadyDone(ONCE)
        if comment.status not in APPEALABLE_STATUSES:
            raise InvalidInput(
                _("Only a comment that is held, rejected or removed can be appealed."),
                field="comment",
            )
        try:
            with transaction.atomic():
                return Appeal.objects.create(
                    comment=comment,
                    decision=_latest_reason_decision(comment.pk),
                    user=user,
                    message=text,
                )
        except IntegrityError:  # a second appeal sent at the very same time
            raise AlreadyDone(ONCE) from None


def appeal_decide(*, appeal_id: int, actor: "User", outcome: str, note: str = "") -> Appeal:
    """Uphold or reverse (``outcome``) a pending appeal, as ``actor`` (a moderator), with a
    ``note`` the author reads. Reversing publishes the comment (if it is still held,
    rejected or marked as spam); either outcome is logged (``appeal upheld``, ``appeal
    reversed``) and the author's e-mail is queued for after the commit.

    Raises NotAllowed for a non-moderator, InvalidInput for an unknown outcome or a note
    too long, NotFound for no such appeal, AlreadyDone for an appeal already decided.
    """
    from newsdesk.core.taskqueue import task_enqueue_with_commit
    from newsdesk.moderation.tasks import appeal_outcome_send

    require_moderator(actor)
    if outcome not in OUTCOMES:
        raise InvalidInput(
            _("Choose %(first)s or %(second)s.") % {"first": OUTCOMES[0], "second": OUTCOMES[1]},
            field="outcome",
        )
    note = _plain(note)
    if len(note) > APPEAL_NOTE_MAX:
        raise InvalidInput(
            _("Keep the note to %(max)s characters.") % {"max": APPEAL_NOTE_MAX}, field="note"
        )
    with transaction.atomic():
        appeal = Appeal.objects.select_for_update().filter(pk=appeal_id).first()
        if appeal is None:
            raise NotFound(_("No such appeal."))
        if appeal.state != AppealState.PENDING:
            raise AlreadyDone(_("This appeal was decided already."))
        comment = comment_lock(comment_id=appeal.comment_id)
        if comment is None:
            raise NotFound(_("The comment of this appeal no longer exists."))
        previous_status, previous_shadowed = comment.status, comment.is_shadowed
        who = actor.get_username()
        if outcome == "reverse":
            words = f"Appeal {appeal.pk} reversed by {who}" + (f": {note}" if note else "")
            if comment.status in APPEALABLE_STATUSES:
                _status_change(
                    comment=comment, status=CommentStatus.PUBLISHED, actor=actor, reason=words
                )
            action, state, label = DecisionAction.APPEAL_REVERSED, AppealState.REVERSED, "ok"
        else:
            words = f"Appeal {appeal.pk} upheld by {who}" + (f": {note}" if note else "")
            action, state, label = DecisionAction.APPEAL_UPHELD, AppealState.UPHELD, ""
        decision = decision_human_record(
            comment=comment,
            action=action,
            actor=actor,
            previous_status=previous_status,
            previous_shadowed=previous_shadowed,
            reasons=[words],
            label=label,
        )
        appeal.state = state
        appeal.decided_at = timezone.now()
        appeal.decided_by = actor
        appeal.note = note
        appeal.outcome = decision
        appeal.save(update_fields=["state", "decided_at", "decided_by", "note", "outcome"])
        task_enqueue_with_commit(appeal_outcome_send, appeal_id=appeal.pk)
        return appeal


def appeal_outcome_deliver(*, appeal_id: int) -> bool:
    """E-mail an appeal's author its outcome; True when it was sent. Run by the worker.

    The appeal is marked told before sending, so a task run twice (a retry, a re-queued
    task) sends once; if the sending fails the mark is taken back and the error raised, so
    the next run sends it."""
    appeal = Appeal.objects.select_related("user").filter(pk=appeal_id).first()
    if appeal is None or appeal.state == AppealState.PENDING or appeal.user is None:
        return False
    email = appeal.user.email
    if not email:
        return False
    claimed = Appeal.objects.filter(pk=appeal.pk, notified_at__isnull=True).update(
        notified_at=timezone.now()
    )
    if not claimed:
        return False
    comment = comment_with_context_get(comment_id=appeal.comment_id)
    context = {
        "appeal": appeal,
        "reversed": appeal.state == AppealState.REVERSED,
        "title": str(comment.thread) if comment is not None else "",
        "excerpt": (comment.body_source[:200] if comment is not None else ""),
        "link": absolute_url(path=reverse("account_comments")),
        "site_name": site_name(),
    }
    if context["reversed"]:
        subject = _("Your appeal: the decision was reversed: your comment is published")
    else:
        subject = _("Your appeal: the decision was upheld")
    message = EmailMessage(
        subject=subject,
        body=render_to_string("moderation/email/appeal_outcome.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[email],
    )
    try:
        message.send()
    except Exception:
        Appeal.objects.filter(pk=appeal.pk).update(notified_at=None)
        raise
    return True
