"""``{% live_thread article %}``: the live region of a thread (the bar "3 new comments —
show them" and its announcement), with what the page's script needs to poll.

``data-live-since`` is the time the page was drawn: the page is drawn once for every reader
and kept in the page cache until the discussion changes, so a comment published after it is
one the page does not show. Nothing is drawn when live threads are off; the thread's
template draws it only on a thread open to comments (a closed one hardly changes: no poll).
"""

import time

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import get_language, ngettext

from newsdesk.discussion import conf
from newsdesk.discussion.live.state import idle_hours, poll_seconds

register = template.Library()


@register.simple_tag
def live_thread(article) -> str:
    seconds = poll_seconds()
    if not seconds or article is None:
        return ""
    return format_html(
        '<div class="discussion__live" data-role="live" data-live-url="{}" '
        'data-live-comments-url="{}" data-live-since="{}" data-live-poll="{}" '
        'data-live-idle-hours="{}" data-nest-depth="{}" data-live-language="{}">'
        '<p class="discussion__live-status" role="status" aria-live="polite" '
        'data-role="live-status"></p>'
        '<button type="button" class="discussion__live-show" data-js="live-show" hidden>'
        "{}</button></div>",
        reverse("discussion:live", args=[article.pk]),
        reverse("discussion:live_comments", args=[article.pk]),
        f"{time.time():.3f}",
        seconds,
        idle_hours(),
        conf.DISCUSSION_NEST_DEPTH,
        get_language() or "",
        ngettext("show", "show them", 1),
    )
