"""Live threads in the demo: while ``make demo`` runs, a demo reader comments on the lead
story every ``DEMO_LIVE_COMMENT_MINUTES`` (the Makefile's demo sets 1; 0, the default, is off
everywhere else), so a visitor with the story open sees "1 new comment — show" appear, and
a reply to an earlier comment now and then.

The worker's periodic duty (``wagtail_hooks.py``, every minute) posts the next of ``LINES``
through the discussion's services, so through the moderation gate like a reader's; after the
last one it stops (a demo left running for days does not fill the thread). ``load`` starts
the round again: each ``make demo`` (which loads the demo first) shows it anew. The round's
place is kept in the cache: cheap, and nothing to clean up.
"""

import time

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.utils import timezone

from newsdesk.core.conf import setting
from newsdesk.demo.discussion import MEMBERS, lead_story_find
from newsdesk.discussion.errors import DiscussionError
from newsdesk.discussion.models import Comment
from newsdesk.discussion.readers import Reader
from newsdesk.discussion.services import CommentDraft, comment_create

SOURCE = "demo-live"
NEXT_KEY = "demo:live:next"
LAST_KEY = "demo:live:last"

# (member, text, reply to the previous live comment?)
LINES = [
    ("lotte_v", "Just back from the quay: the water is a hand's width below the step now.", False),
    ("hydro_kaska", "That matches the gauge upstream, which turned an hour ago.", True),
    ("lotte_v", "Does anyone know whether the ferry runs again tomorrow morning?", False),
    ("hydro_kaska", "The operator's notice says from seven, if the level keeps falling.", True),
    ("lotte_v", "The sandbags on the lower street are being stacked for collection.", False),
    ("hydro_kaska", "Good to see the pumps at the school were switched off this afternoon.", False),
    (
        "lotte_v",
        "Thanks to the volunteers at the sports hall, who fed forty people.",
        False,
    ),
    (
        "hydro_kaska",
        "For the record: the peak was eleven centimetres under the 1999 mark.",
        False,
    ),
]


def load(*, stdout) -> None:
    """Start the round of live comments again (the worker posts them, one at a time)."""
    cache.set(NEXT_KEY, 0, timeout=None)
    cache.delete(LAST_KEY)
    if int(setting("DEMO_LIVE_COMMENT_MINUTES")):
        stdout.write(f"Live thread: {len(LINES)} comments to come on the lead story.")


def _reader(username: str) -> Reader | None:
    user = get_user_model().objects.filter(username=username).first()
    return Reader(user=user) if user is not None else None


def live_comment_post() -> Comment | None:
    """The worker's duty: the next live comment, when one is due (None otherwise)."""
    minutes = int(setting("DEMO_LIVE_COMMENT_MINUTES"))
    number = cache.get(NEXT_KEY)
    if minutes <= 0 or number is None or number >= len(LINES):
        return None
    last = cache.get(LAST_KEY)
    if last is not None and time.time() - last < minutes * 60 - 5:
        return None
    article = lead_story_find()
    if article is None or _reader(next(iter(MEMBERS))) is None:
        return None  # the demo is not loaded here
    cache.set(NEXT_KEY, number + 1, timeout=None)
    cache.set(LAST_KEY, time.time(), timeout=None)
    username, text, is_reply = LINES[number]
    parent = None
    if is_reply:
        parent = (
            Comment.objects.filter(source=SOURCE, thread__article=article, status="published")
            .order_by("-pk")
            .first()
        )
    stamp = timezone.localtime().strftime("%H:%M")
    try:
        return comment_create(
            article=article,
            reader=_reader(username),
            # The time in the text: a second round within a day is not the same text again,
            # which the gate would take for spam.
            draft=CommentDraft(body=f"{stamp}: {text}", parent_id=parent.pk if parent else None),
            source=SOURCE,
            source_id=f"{number}-{time.time():.0f}",
        )
    except DiscussionError:
        return None
