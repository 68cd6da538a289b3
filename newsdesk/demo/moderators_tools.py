"""Moderators' tools in the demo (issue 22, item 6: notes, history, watch list).

The demo's account troll (``gale_force``, from ``controls.py``) has a moderator's note and
is on the watch list, and so is the lead story: the queue's "Watched" tab
(``/admin/moderation/?status=watched``) lists what waits under the lead story and the
troll's recently published comments, each with its commenter's history, and
``/admin/moderation/watch/`` the watch list. A site's own moderator sees them (the demo
moderator has no password). Everything goes through the moderation services. Idempotent: the
note is written once, and what is watched already stays as it is.
"""

from newsdesk.demo.appeals import _moderator
from newsdesk.demo.controls import TROLL
from newsdesk.demo.discussion import lead_story_find
from newsdesk.moderation.models_notes import CommenterNote, WatchEntry, WatchKind
from newsdesk.moderation.services.notes import commenter_note_add
from newsdesk.moderation.services.watch import watch_commenter_add, watch_story_add

NOTE = (
    "Posts a dismissive one-liner under every drought story within minutes of publication. "
    "Nothing bannable so far; reject the ones that only mock other readers."
)
WATCH_NOTE = "Mocking one-liners on climate stories"
STORY_NOTE = "The lead story draws a heated thread: read the replies too"


def load(*, stdout) -> None:
    from django.contrib.auth import get_user_model

    troll = get_user_model().objects.filter(username=TROLL[0]).first()
    article = lead_story_find()
    if troll is None or article is None:
        stdout.write("Moderators' tools: no demo troll or lead story.")
        return
    moderator = _moderator()
    key = f"account:{troll.pk}"
    if not CommenterNote.objects.filter(commenter_key=key, body=NOTE).exists():
        commenter_note_add(
            commenter_key=key, body=NOTE, actor=moderator, commenter_name=troll.username
        )
    if not WatchEntry.objects.filter(kind=WatchKind.COMMENTER, commenter_key=key).exists():
        watch_commenter_add(
            commenter_key=key, actor=moderator, note=WATCH_NOTE, commenter_name=troll.username
        )
    if not WatchEntry.objects.filter(kind=WatchKind.STORY, article_id=article.pk).exists():
        watch_story_add(article_id=article.pk, actor=moderator, note=STORY_NOTE)
    stdout.write(
        f"Moderators' tools: a note on {TROLL[0]}; {TROLL[0]} and “{article.title}” watched."
    )
