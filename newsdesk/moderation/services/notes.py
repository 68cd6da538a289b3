"""Moderators' notes on a commenter: written by one moderator, read by all of them beside
that commenter's comments, deleted by their author or an administrator. Each note records
its author and when it was written; adding and deleting one are logged."""

import logging
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext as _

from newsdesk.moderation.errors import InvalidInput, NotAllowed, NotFound
from newsdesk.moderation.models_notes import NOTE_BODY_MAX, CommenterNote
from newsdesk.moderation.selectors_dossier import commenter_key_parse
from newsdesk.moderation.services.decisions import require_moderator

if TYPE_CHECKING:
    from django.contrib.auth.models import User

logger = logging.getLogger(__name__)


def _account_id(key: str) -> int | None:
    parsed = commenter_key_parse(key)
    if parsed is None:
        raise InvalidInput(_("That commenter cannot be named so."), field="commenter")
    kind, value = parsed
    return int(value) if kind == "account" else None


def commenter_note_add(
    *, commenter_key: str, body: str, actor: "User", commenter_name: str = ""
) -> CommenterNote:
    """Add ``actor``'s note about the commenter ``commenter_key`` (a dossier key); the text is
    stripped and must be 1 to ``NOTE_BODY_MAX`` characters. Raises ``NotAllowed`` for a
    non-moderator, ``InvalidInput`` for a bad key or text, ``NotFound`` for an account
    that does not exist; nothing is written then."""
    require_moderator(actor)
    user_id = _account_id(commenter_key)
    text = (body or "").strip()
    if not text:
        raise InvalidInput(_("Write the note first."), field="body")
    if len(text) > NOTE_BODY_MAX:
        raise InvalidInput(
            _("A note is at most %(max)s characters.") % {"max": NOTE_BODY_MAX}, field="body"
        )
    if user_id is not None:
        from django.contrib.auth import get_user_model

        if not get_user_model().objects.filter(pk=user_id).exists():
            raise NotFound(_("That account no longer exists."))
    with transaction.atomic():
        note = CommenterNote.objects.create(
            commenter_key=commenter_key,
            user_id=user_id,
            commenter_name=(commenter_name or "")[:80],
            body=text,
            author=actor,
        )
    logger.info("moderator %s noted on commenter %s (note %s)", actor.pk, commenter_key, note.pk)
    return note


def commenter_note_delete(*, note_id: int, actor: "User") -> CommenterNote:
    """Delete a note: only its author or an administrator (a superuser) may. Raises
    ``NotFound`` or ``NotAllowed``; return the deleted note (its fields as they were)."""
    require_moderator(actor)
    note = CommenterNote.objects.filter(pk=note_id).first()
    if note is None:
        raise NotFound(_("That note no longer exists."))
    if note.author_id != actor.pk and not actor.is_superuser:
        raise NotAllowed(_("Only the note's author or an administrator may delete it."))
    note.delete()
    logger.info(
        "moderator %s deleted note %s on commenter %s", actor.pk, note_id, note.commenter_key
    )
    return note
