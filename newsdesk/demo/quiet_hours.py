"""Quiet hours and slow mode in the demo (issue 22, item 6).

A sample schedule of quiet hours, "Nights (sample)", closes the whole site's discussions from
22:00 to 07:00 every day once a moderator enables it (Wagtail's admin, Quiet hours): it is
loaded disabled, so the demo stays open at any hour. The rents story's discussion, where
readers argue, is in slow mode: one comment per reader every 30 seconds (its form says so;
staff are exempt and change it under the discussion's heading). Idempotent: the schedule is
made once by name, and slow mode is set only while it is off.
"""

from datetime import time

from newsdesk.articles.models import ArticlePage
from newsdesk.discussion.models import QuietHours
from newsdesk.discussion.services.comments import thread_get_or_create
from newsdesk.discussion.services.slow_mode import thread_slow_mode_set

SAMPLE_NAME = "Nights (sample)"
SAMPLE_MESSAGE = "The newsroom is offline overnight, so comments wait for the morning desk."
SLOW_STORY_SLUG = "rents-rise-fastest-in-towns-that-gained-a-rail-link"
SLOW_MODE_SECONDS = 30


def load(*, stdout) -> None:
    _, made = QuietHours.objects.get_or_create(
        name=SAMPLE_NAME,
        defaults={
            "starts_at": time(22),
            "ends_at": time(7),
            "message": SAMPLE_MESSAGE,
            "enabled": False,
        },
    )
    if made:
        stdout.write(f"Quiet hours: “{SAMPLE_NAME}” (22:00-07:00, disabled).")
    story = ArticlePage.objects.live().filter(slug=SLOW_STORY_SLUG).first()
    if story is None:
        return
    thread = thread_get_or_create(article=story)
    if not thread.slow_mode_seconds:
        thread_slow_mode_set(thread=thread, seconds=SLOW_MODE_SECONDS, actor=None)
        stdout.write(f"Slow mode: “{story.title}”, one comment every {SLOW_MODE_SECONDS} s.")
