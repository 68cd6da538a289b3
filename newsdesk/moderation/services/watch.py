"""The moderators' watch list: commenters (by their dossier key) and stories (articles) whose
waiting comments, and the commenters' recent published ones, the queue's "Watched" tab lists.
"""

from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from newsdesk.discussion.selectors import article_open_get
from newsdesk.moderation.errors import AlreadyDone, InvalidInput, NotFound
from newsdesk.moderation.models_notes import WATCH_NOTE_MAX, WatchEntry, WatchKind
from newsdesk.moderation.selectors_dossier import commenter_key_parse
from newsdesk.moderation.services.decisions import require_moderator

if TYPE_CHECKING:
    from django.contrib.auth.models import User


def _note(note: str) -> str:
    note = (note or "").strip()
    if len(note) > WATCH_NOTE_MAX:
        raise InvalidInput(
            _("A watch note is at most %(max)s characters.") % {"max": WATCH_NOTE_MAX},
            field="note",
        )
    return note


def _create(**fields: object) -> WatchEntry:
    try:
        with transaction.atomic():
            return WatchEntry.objects.create(**fields)
    except IntegrityError as error:  # watched already (two moderators at once, say)
        raise AlreadyDone(_("That is on the watch list already.")) from error


def watch_commenter_add(
    *,
    commenter_key: str,
    actor: "User",
    note: str = "",
    commenter_name: str = "",
) -> WatchEntry:
    """Put a commenter on the watch list. Raises ``NotAllowed`` (not a moderator),
    ``InvalidInput`` (bad key, note too long), ``NotFound`` (no such account) or
    ``AlreadyDone`` (watched already); nothing is written then."""
    require_moderator(actor)
    parsed = commenter_key_parse(commenter_key)
    if parsed is None:
        raise InvalidInput(_("That commenter cannot be named so."), field="commenter")
    text = _note(note)
    user_id = int(parsed[1]) if parsed[0] == "account" else None
    if user_id is not None:
        from django.contrib.auth import get_user_model

        if not get_user_model().objects.filter(pk=user_id).exists():
            raise NotFound(_("That account no longer exists."))
    if WatchEntry.objects.filter(kind=WatchKind.COMMENTER, commenter_key=commenter_key).exists():
        raise AlreadyDone(_("That commenter is on the watch list already."))
    return _create(
        kind=WatchKind.COMMENTER,
        commenter_key=commenter_key,
        user_id=user_id,
        commenter_name=(commenter_name or "")[:80],
        note=text,
        added_by=actor,
    )


def watch_story_add(*, article_id: int, actor: "User", note: str = "") -> WatchEntry:
    """Put a story (a live, public article) on the watch list. Raises as
    ``watch_commenter_add``."""
    require_moderator(actor)
    text = _note(note)
    if article_open_get(article_id=article_id) is None:
        raise NotFound(_("That story does not exist."))
    if WatchEntry.objects.filter(kind=WatchKind.STORY, article_id=article_id).exists():
        raise AlreadyDone(_("That story is on the watch list already."))
    return _create(kind=WatchKind.STORY, article_id=article_id, note=text, added_by=actor)


def watch_remove(*, entry_id: int, actor: "User") -> WatchEntry:
    """Take an entry off the watch list (any moderator may). Raises ``NotFound``."""
    require_moderator(actor)
    entry = WatchEntry.objects.filter(pk=entry_id).first()
    if entry is None:
        raise NotFound(_("That is no longer on the watch list."))
    entry.delete()
    return entry


def watch_commenter_toggle(*, commenter_key: str, actor: "User", commenter_name: str = "") -> bool:
    """Watch the commenter if they are not watched, else stop: return whether they are
    watched now (the queue's ``w`` key). Raises as ``watch_commenter_add``."""
    require_moderator(actor)
    entry = WatchEntry.objects.filter(kind=WatchKind.COMMENTER, commenter_key=commenter_key).first()
    if entry is not None:
        entry.delete()
        return False
    watch_commenter_add(commenter_key=commenter_key, actor=actor, commenter_name=commenter_name)
    return True
