"""The audit log: what the pipeline decided for each saved comment, what moderators decide
from the queue (approve, reject, mark spam), and the undo of a human decision."""

from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from newsdesk.discussion.errors import DiscussionError
from newsdesk.discussion.pipeline import Assessment, Verdict
from newsdesk.discussion.selectors import CommentStatus
from newsdesk.discussion.services.staff import comment_lock, comment_status_set, comments_lock
from newsdesk.moderation.errors import InvalidInput, NotAllowed, NotFound
from newsdesk.moderation.models import STAFF_MARKS, Ban, Decision, DecisionAction, Report
from newsdesk.moderation.reasons import (
    MODERATOR_REASONS,
    reason_code_for_decision,
    reason_code_for_moderator,
)

if TYPE_CHECKING:  # types for annotations only: discussion's rows are read through its services
    from django.contrib.auth.models import AnonymousUser, User

    from newsdesk.discussion.models import Comment

PERMISSION = "moderation.moderate_comment"

# What a moderator can do to a comment from the queue: (new status, log action, label).
MODERATOR_ACTIONS = {
    "approve": (CommentStatus.PUBLISHED, DecisionAction.APPROVED, "ok"),
    "reject": (CommentStatus.REJECTED, DecisionAction.REJECTED, ""),
    "spam": (CommentStatus.SPAM, DecisionAction.SPAM, "spam"),
}
# Labels a moderator may give a rejection (what it teaches the learned model).
REJECT_LABELS = ("abuse", "hate", "spam")

_MODERATOR_REASON_CODES = {code for code, _ in MODERATOR_REASONS}
# Decisions that leave the comment in public view: no statement of reasons.
_PUBLIC_ACTIONS = (DecisionAction.PUBLISHED, DecisionAction.SHADOWED)

_AUTOMATIC_ACTIONS = {
    Verdict.PUBLISH: DecisionAction.PUBLISHED,
    Verdict.HOLD: DecisionAction.HELD,
    Verdict.REJECT: DecisionAction.REJECTED_AUTO,
}


def require_moderator(actor: "User | AnonymousUser | None") -> None:
    """Raise NotAllowed unless ``actor`` is an active account with moderation rights."""
    if actor is None or not actor.is_active or not actor.has_perm(PERMISSION):
        raise NotAllowed(_("Only moderators may do that."))


def decision_automatic_record(*, comment: "Comment", assessment: Assessment) -> Decision:
    """Log what the comment gate decided for a comment just saved (or edited); called
    inside the transaction that saved it, so the log and the comment commit together."""
    action = _AUTOMATIC_ACTIONS[assessment.verdict]
    if assessment.shadow and assessment.verdict == Verdict.PUBLISH:
        action = DecisionAction.SHADOWED
    # The author's statement of reasons: which rule or signal decided (``reasons.py``).
    first = assessment.reasons[0] if assessment.reasons else ""
    code = "" if action in _PUBLIC_ACTIONS else reason_code_for_decision(first) or "held"
    return Decision.objects.create(
        comment=comment,
        action=action,
        reasons=list(assessment.reasons),
        scores=dict(assessment.scores),
        new_status=comment.status,
        reason_code=code,
    )


def decision_staff_mark_record(
    *, comment: "Comment", actor: "User", action: str, note: str
) -> Decision:
    """Log an editor's or moderator's mark on a comment that changes no status (an editors'
    pick, an answer marked; ``models.STAFF_MARKS``): who, when and what; call it inside the
    transaction that made it (discussion's ``COMMENT_STAFF_ACTED``)."""
    if action not in STAFF_MARKS:
        raise InvalidInput(_("Unknown mark %(action)r.") % {"action": action})
    return Decision.objects.create(
        comment=comment,
        action=action,
        actor=actor,
        reasons=[note],
        previous_status=comment.status,
        previous_shadowed=comment.is_shadowed,
        new_status=comment.status,
    )


def _status_change(
    *,
    comment: "Comment",
    status: str,
    actor: "User",
    reason: str,
    shadowed: bool | None = None,
) -> None:
    try:
        comment_status_set(
            comment=comment, status=status, actor=actor, reason=reason, shadowed=shadowed
        )
    except DiscussionError as error:
        raise NotAllowed(error.message) from error


def decision_human_record(
    *,
    comment: "Comment",
    action: str,
    actor: "User",
    previous_status: str,
    previous_shadowed: bool,
    reasons: list[str],
    label: str = "",
    ban: Ban | None = None,
    reason_code: str = "",
    reason_note: str = "",
) -> Decision:
    """Log a moderator's decision (call inside the transaction that made it); a decision
    that takes the comment out of view records ``reason_code`` (``reasons.py``) and the
    moderator's ``reason_note`` for its author."""
    Report.objects.filter(comment=comment, resolved_at__isnull=True).update(
        resolved_at=timezone.now()
    )
    return Decision.objects.create(
        comment=comment,
        action=action,
        actor=actor,
        reasons=reasons,
        previous_status=previous_status,
        previous_shadowed=previous_shadowed,
        new_status=comment.status,
        label=label,
        ban=ban,
        reason_code=reason_code,
        reason_note=reason_note[:300],
    )


def _moderate(
    *, comment: "Comment", action: str, actor: "User", label: str, note: str, reason: str = ""
) -> Decision:
    status, log_action, default_label = MODERATOR_ACTIONS[action]
    chosen = reason
    label = default_label or (label if label in REJECT_LABELS else "")
    previous_status, previous_shadowed = comment.status, comment.is_shadowed
    reason = f"{log_action.label} by {actor.get_username()}" + (f": {note}" if note else "")
    _status_change(comment=comment, status=status, actor=actor, reason=reason)
    reasons = [reason] + ([f"labelled {label}"] if label and action == "reject" else [])
    removes = status != CommentStatus.PUBLISHED
    return decision_human_record(
        comment=comment,
        action=log_action,
        actor=actor,
        previous_status=previous_status,
        previous_shadowed=previous_shadowed,
        reasons=reasons,
        label=label,
        reason_code=reason_code_for_moderator(reason=chosen, label=label) if removes else "",
        reason_note=note if removes else "",
    )


def _clean_action(action: str, label: str, reason: str = "") -> None:
    if action not in MODERATOR_ACTIONS:
        raise InvalidInput(
            _("Unknown action %(action)r: choose one of %(actions)s.")
            % {"action": action, "actions": ", ".join(MODERATOR_ACTIONS)},
            field="action",
        )
    if label and label not in REJECT_LABELS:
        raise InvalidInput(
            _("Unknown label %(label)r: choose one of %(labels)s.")
            % {"label": label, "labels": ", ".join(REJECT_LABELS)},
            field="label",
        )
    if reason and reason not in _MODERATOR_REASON_CODES:
        raise InvalidInput(
            _("Unknown reason %(reason)r: choose one from the list.") % {"reason": reason},
            field="reason",
        )


def comment_moderate(
    *,
    comment_id: int,
    action: str,
    actor: "User",
    label: str = "",
    note: str = "",
    reason: str = "",
) -> Decision:
    """Approve, reject or mark a comment as spam, as ``actor`` (a moderator); logged. A
    rejection records ``reason`` (a code of ``reasons.MODERATOR_REASONS``; without one, what
    ``label`` says) and ``note`` as the statement of reasons its author reads."""
    require_moderator(actor)
    _clean_action(action, label, reason)
    with transaction.atomic():
        comment = comment_lock(comment_id=comment_id)
        if comment is None:
            raise NotFound(_("No such comment."))
        return _moderate(
            comment=comment, action=action, actor=actor, label=label, note=note, reason=reason
        )


def comments_moderate(
    *,
    comment_ids: list[int],
    action: str,
    actor: "User",
    label: str = "",
    note: str = "",
    reason: str = "",
) -> list[Decision]:
    """The same decision on many comments at once (the queue's checkboxes): all or none."""
    require_moderator(actor)
    _clean_action(action, label, reason)
    if not comment_ids:
        raise InvalidInput(_("Choose at least one comment."), field="comments")
    with transaction.atomic():
        comments = comments_lock(comment_ids=comment_ids)
        if len(comments) != len(set(comment_ids)):
            raise NotFound(_("Some of the chosen comments no longer exist."))
        return [
            _moderate(
                comment=comment, action=action, actor=actor, label=label, note=note, reason=reason
            )
            for comment in comments
        ]


def decision_undo(*, decision_id: int, actor: "User") -> Decision:
    """Undo a moderator's decision: the comment gets its previous status back (and a ban the
    decision created is lifted). The undo is itself logged; an undone decision stays in the
    log, marked as undone."""
    from newsdesk.moderation.services.bans import ban_lift_unlogged

    require_moderator(actor)
    with transaction.atomic():
        decision = Decision.objects.select_for_update().filter(pk=decision_id).first()
        if decision is None:
            raise NotFound(_("No such decision."))
        if not decision.can_undo:
            raise InvalidInput(
                _("Only a moderator's decision that was not undone yet can be undone.")
            )
        # ``can_undo`` asked for a comment; None only if it was deleted in the meantime.
        comment = comment_lock(comment_id=decision.comment_id) if decision.comment_id else None
        if comment is None:
            raise NotFound(_("The comment of this decision no longer exists."))
        current_status, current_shadowed = comment.status, comment.is_shadowed
        if decision.previous_status:
            _status_change(
                comment=comment,
                status=decision.previous_status,
                actor=actor,
                reason=f"Undone by {actor.get_username()}",
                shadowed=decision.previous_shadowed,
            )
        if decision.ban is not None:
            ban_lift_unlogged(ban=decision.ban)
        undo = Decision.objects.create(
            comment=comment,
            action=DecisionAction.UNDO,
            actor=actor,
            reasons=[
                f"undid “{decision.get_action_display()}” of {decision.created_at:%Y-%m-%d %H:%M}"
            ],
            previous_status=current_status,
            previous_shadowed=current_shadowed,
            new_status=comment.status,
        )
        decision.undone_by = undo
        decision.save(update_fields=["undone_by"])
        return undo
