"""Writes of the moderation app: the audit log and moderators' decisions, readers' reports,
bans, and the learned model."""

from newsdesk.moderation.services.bans import ban_create, ban_from_comment, ban_lift
from newsdesk.moderation.services.decisions import (
    MODERATOR_ACTIONS,
    comment_moderate,
    comments_moderate,
    decision_automatic_record,
    decision_staff_mark_record,
    decision_undo,
    require_moderator,
)
from newsdesk.moderation.services.learned import (
    learned_model_retrain_if_due,
    learned_model_starter_ensure,
    learned_model_train,
)
from newsdesk.moderation.services.reports import report_create

__all__ = [
    "MODERATOR_ACTIONS",
    "ban_create",
    "ban_from_comment",
    "ban_lift",
    "comment_moderate",
    "comments_moderate",
    "decision_automatic_record",
    "decision_staff_mark_record",
    "decision_undo",
    "learned_model_retrain_if_due",
    "learned_model_starter_ensure",
    "learned_model_train",
    "report_create",
    "require_moderator",
]
