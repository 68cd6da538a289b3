"""Quiet hours: the posting gate, and the worker's announcement of each opening and closing.

During a quiet period (``selectors_schedule``) no one posts a comment or a reply, staff
included, as Coral's closed streams and disabled commenting refuse every author alike (its
``storyClosed`` and ``commentingDisabled`` phases check no role): a newsroom closes at night
because nobody is there to moderate. Votes, reports, edits and deletions go on: they add no
new text for an absent moderator to read (an edit is scored like a new comment and can only
send its comment back to the queue).

The server decides at every post. The pages are shared by the page cache, so the form or the
notice a page shows must change when a period begins or ends: the worker's periodic duty
(every minute) compares the schedules in a period with those it saw last time and, for each
that began or ended, announces a change of the discussions it covers
(``changes.article_discussion_changed``), which outdates their pages and live documents.
A page is thus at most a minute behind a transition, and a post sent from it is refused (or
taken) by the server as the schedule says. Saving a schedule in Wagtail's admin outdates every
page, until every process has read the schedules again (the page cache's snippet hook).
"""

from datetime import datetime

from django.core.cache import cache
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from newsdesk.articles.models import ArticlePage
from newsdesk.discussion.changes import article_discussion_changed
from newsdesk.discussion.errors import NotAllowed
from newsdesk.discussion.selectors_schedule import (
    quiet_spell_get,
    schedules_active_ids,
    schedules_by_id,
)

# The schedules the duty last saw in a period (in the shared cache: one worker or several).
ACTIVE_KEY = "discussion:quiet-hours:active:v1"
# Articles announced per call: a site-wide transition names every live article.
ANNOUNCE_BATCH = 500


class CommentsQuiet(NotAllowed):
    """The discussion is in quiet hours; ``reopens_at`` (UTC) says until when."""

    def __init__(
        self, message: str = "", *, field: str | None = None, reopens_at: datetime | None = None
    ):
        super().__init__(message, field=field)
        self.reopens_at = reopens_at


def quiet_hours_check(*, article: ArticlePage, now: datetime | None = None) -> None:
    """Raise ``CommentsQuiet`` (403, naming when comments reopen) when ``article``'s
    discussion is in quiet hours at ``now``; nothing otherwise. No query."""
    spell = quiet_spell_get(article=article, now=now)
    if spell is not None:
        raise CommentsQuiet(spell.notice, reopens_at=spell.reopens_at)


def _articles_covered(section_paths: set[str] | None) -> list[int]:
    """Live articles under the sections of ``section_paths`` (None: every live article)."""
    articles = ArticlePage.objects.live()
    if section_paths is not None:
        covered = Q()
        for path in section_paths:
            covered |= Q(path__startswith=path)
        articles = articles.filter(covered)
    return list(articles.values_list("pk", flat=True))


def quiet_hours_transitions_announce(*, now: datetime | None = None) -> int:
    """The worker's duty: announce the discussions whose quiet hours began or ended since
    the last call; return how many articles were announced.

    The first call (or one after the cache was emptied, pages with it) only remembers."""
    active = schedules_active_ids(now=now or timezone.now())
    previous = cache.get(ACTIVE_KEY)
    cache.set(ACTIVE_KEY, sorted(active), timeout=None)
    if previous is None:
        return 0
    changed = active.symmetric_difference(previous)
    if not changed:
        return 0
    known = schedules_by_id()
    paths: set[str] | None = set()
    for schedule_id in changed:
        schedule = known.get(schedule_id)
        if schedule is None or not schedule.section_path:
            paths = None  # site-wide, or a schedule since removed: every article
            break
        assert paths is not None
        paths.add(schedule.section_path)
    article_ids = _articles_covered(paths)
    for start in range(0, len(article_ids), ANNOUNCE_BATCH):
        with transaction.atomic():
            article_discussion_changed(article_ids=article_ids[start : start + ANNOUNCE_BATCH])
    return len(article_ids)
