"""The moderators' screens about commenters, in Wagtail's admin: one commenter's whole history
(``/admin/moderation/commenters/<key>/``), notes on a commenter, and the watch list
(commenters and stories; the queue's "Watched" tab lists what they wrote or what waits under
them). The queue's rows post here through the forms of ``_dossier_forms.html`` (their buttons name
them): a row names its comment, and the commenter is found from it, so a form never has to
carry an e-mail address.
"""

from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from wagtail.admin import messages

from newsdesk.discussion.selectors_staff import comment_with_context_get
from newsdesk.moderation.admin_views import _back, dossier_forms, moderator_required
from newsdesk.moderation.errors import InvalidInput, ModerationError
from newsdesk.moderation.models_notes import NOTE_BODY_MAX, WATCH_NOTE_MAX
from newsdesk.moderation.selectors_dossier import (
    commenter_dossier_get,
    commenter_key,
    commenter_key_label,
    watch_list,
)
from newsdesk.moderation.services.notes import commenter_note_add, commenter_note_delete
from newsdesk.moderation.services.watch import (
    watch_commenter_add,
    watch_commenter_toggle,
    watch_remove,
    watch_story_add,
)


def _int(value: str | None) -> int | None:
    try:
        return int(value or "")
    except ValueError:
        return None


def _commenter_from(request, prefix: str) -> tuple[str, str, str]:
    """``(key, name, field)`` of the commenter a form names: ``<prefix>_comment`` (a queued
    comment's id: its author) or ``<prefix>_commenter`` (a key, from the history page);
    ``field`` is the name of the text field that goes with it. Raises ``InvalidInput``."""
    comment_id = _int(request.POST.get(f"{prefix}_comment"))
    if comment_id is not None:
        comment = comment_with_context_get(comment_id=comment_id)
        key = commenter_key(comment) if comment is not None else ""
        if not key:
            raise InvalidInput(_("Nothing identifies that comment's author."))
        return key, comment.author_name, f"{prefix}_{comment_id}"
    key = request.POST.get(f"{prefix}_commenter", "")
    return key, request.POST.get("commenter_name", "")[:80], f"{prefix}_body"


@require_GET
@moderator_required
def commenter_view(request, key: str):
    dossier = commenter_dossier_get(key=key)
    if dossier is None:
        raise Http404("No such commenter")
    return render(
        request,
        "moderation/admin/commenter.html",
        {
            "page_title": _("Commenter: %(label)s") % {"label": dossier.label},
            "d": dossier,
            "note_max": NOTE_BODY_MAX,
            "watch_note_max": WATCH_NOTE_MAX,
            "here": request.get_full_path(),
            "dossier_forms": dossier_forms(),
        },
    )


@require_POST
@moderator_required
def note_add_view(request):
    back = _back(request, reverse("moderation_queue"))
    try:
        key, name, field = _commenter_from(request, "note")
        commenter_note_add(
            commenter_key=key,
            body=request.POST.get(field, ""),
            actor=request.user,
            commenter_name=name,
        )
    except ModerationError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, _("Note added on %(who)s.") % {"who": commenter_key_label(key, name)}
        )
    return redirect(back)


@require_POST
@moderator_required
def note_delete_view(request):
    """Delete the note named by the POST's ``note`` (the delete buttons of every note on a
    page share one form, outside the queue's own)."""
    note_id = _int(request.POST.get("note"))
    if note_id is None:
        messages.error(request, _("Choose a note to delete."))
        return redirect(_back(request, reverse("moderation_queue")))
    try:
        commenter_note_delete(note_id=note_id, actor=request.user)
    except ModerationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Note deleted."))
    return redirect(_back(request, reverse("moderation_queue")))


@require_POST
@moderator_required
def watch_toggle_view(request):
    """Watch or stop watching a commenter (a queued comment's author, or a key)."""
    back = _back(request, reverse("moderation_queue"))
    try:
        key, name, _field = _commenter_from(request, "watch")
        watched = watch_commenter_toggle(commenter_key=key, actor=request.user, commenter_name=name)
    except ModerationError as error:
        messages.error(request, error.message)
    else:
        who = commenter_key_label(key, name)
        messages.success(
            request,
            (_("Watching %(who)s.") if watched else _("No longer watching %(who)s."))
            % {"who": who},
        )
    comment_id = _int(request.POST.get("watch_comment"))
    # Back on the same row, so the keyboard carries on where it was.
    return redirect(f"{back.split('#')[0]}#q{comment_id}" if comment_id else back)


@require_POST
@moderator_required
def watch_add_view(request):
    """Add a story (``article``) or a commenter (``watch_commenter``), with a note."""
    back = _back(request, reverse("moderation_watch_list"))
    note = request.POST.get("note", "")
    try:
        article_id = _int(request.POST.get("article"))
        if article_id is not None:
            watch_story_add(article_id=article_id, actor=request.user, note=note)
            done = _("The story is on the watch list.")
        else:
            key, name, _field = _commenter_from(request, "watch")
            watch_commenter_add(
                commenter_key=key, actor=request.user, note=note, commenter_name=name
            )
            done = _("Watching %(who)s.") % {"who": commenter_key_label(key, name)}
    except ModerationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, done)
    return redirect(back)


@require_POST
@moderator_required
def watch_remove_view(request, entry_id: int):
    try:
        watch_remove(entry_id=entry_id, actor=request.user)
    except ModerationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Taken off the watch list."))
    return redirect(_back(request, reverse("moderation_watch_list")))


@require_GET
@moderator_required
def watch_list_view(request):
    return render(
        request,
        "moderation/admin/watch_list.html",
        {
            "page_title": _("Watch list"),
            "entries": watch_list()[:500],
            "here": request.get_full_path(),
        },
    )
