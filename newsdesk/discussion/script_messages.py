"""The words the thread's scripts (``static/discussion/*.js``) show, in the active language.

The thread's template writes them in a ``<script type="application/json"
id="discussion-messages">`` block; each script reads it and keeps its English words as the
fallback. Placeholders are ``%(name)s``, filled in by the scripts. A text that depends on a
number comes in three forms, for 0, for 1 and for any other number (``"0"``, ``"1"``,
``"n"``): enough for every language the site ships (one singular, one plural).
"""

from collections.abc import Callable

from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext


def _forms(counted: Callable[[int], str]) -> dict[str, str]:
    return {"0": counted(0), "1": counted(1), "n": counted(2)}


def script_messages() -> dict:
    """Every word of the discussion scripts, by key (``discussion.js``, ``staff.js``,
    ``controls.js``)."""
    connection = _("The connection failed; please try again.")
    return {
        # discussion.js
        "comments": _forms(lambda n: ngettext("%(count)s comment", "%(count)s comments", n)),
        "post_failed": _("Your comment could not be posted."),
        "connection_failed": connection,
        "post_reply": _("Post reply"),
        "your_reply": _("Your reply"),
        "replying_to": _("Replying to %(name)s"),
        "vote_failed": _("Your vote was not counted."),
        "delete_ask": _("Delete this comment? This cannot be undone."),
        "delete_yes": _("Delete it"),
        "delete_no": _("Keep it"),
        "delete_failed": _("Your comment could not be deleted."),
        "deleted": _("Your comment is deleted."),
        "placeholder_deleted": _("This comment was deleted."),
        "live_new": _forms(
            lambda n: ngettext("%(count)s new comment", "%(count)s new comments", n)
        ),
        "live_replied": _("%(name)s replied to you"),
        "live_replied_more": _forms(
            lambda n: ngettext(
                "%(name)s and %(count)s more replied to you",
                "%(name)s and %(count)s more replied to you",
                n,
            )
        ),
        "live_and": _("%(replies)s, and %(comments)s"),
        "live_show": _forms(
            lambda n: ngettext("show", "show them", n),
        ),
        "live_shown": _forms(
            lambda n: ngettext("%(count)s new comment shown.", "%(count)s new comments shown.", n)
        ),
        "live_failed": _("The new comments could not be loaded; please try again."),
        # staff.js
        "feature": _("Feature"),
        "unfeature": _("Unfeature"),
        "failed": _("That did not work."),
        "pick_mark": _("Editors’ pick · picked by %(name)s"),  # noqa: RUF001
        "featured": _("Featured as an editors’ pick."),  # noqa: RUF001
        "unfeatured": _("No longer featured."),
        "mark_answer": _("Mark as answer"),
        "unmark_answer": _("Unmark answer"),
        "answer_mark": _("Answer from %(name)s, staff"),
        "answered": pgettext("a question", "Answered"),
        "marked_answer": _("Marked as the answer."),
        "unmarked_answer": _("No longer an answer."),
        "slow_off": pgettext("slow mode", "Off"),
        "slow_seconds": _forms(lambda n: ngettext("%(count)s second", "%(count)s seconds", n)),
        "slow_minutes": _forms(lambda n: ngettext("%(count)s minute", "%(count)s minutes", n)),
        "slow_hours": _forms(lambda n: ngettext("%(count)s hour", "%(count)s hours", n)),
        "slow_label": _("Slow mode (staff): "),
        "slow_set": _("Set slow mode"),
        "slow_on_now": _("Slow mode is on."),
        "slow_off_now": _("Slow mode is off."),
        # controls.js
        "ignored_note": _("Comment by an ignored commenter — "),
        "show": pgettext("an ignored comment", "show"),
        "following": _("Following this discussion"),
        "follow": _("Follow this discussion"),
        "failed_again": _("That did not work; please try again."),
        "followed": _("You follow this discussion: new comments come by e-mail (%(frequency)s)."),
        "unfollowed": _("You no longer follow this discussion."),
        "settings": _("Discussion settings"),
        "this_commenter": _("this commenter"),
        "ignore": _("Ignore"),
        "ignore_name": _("Ignore %(name)s"),
        "ignoring": _(
            "You ignore %(name)s: their comments are collapsed. "
            "Undo it in your discussion settings."
        ),
        "frequencies": {
            "immediate": pgettext("e-mail frequency", "immediate"),
            "hourly": pgettext("e-mail frequency", "hourly"),
            "daily": pgettext("e-mail frequency", "daily"),
        },
    }
