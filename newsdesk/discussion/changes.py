"""The one way discussion tells the rest of the site that what readers see changed.

Every write that changes what an article's discussion shows (a comment published, edited,
deleted, pinned, voted on, hidden by a ban, anonymised by an erasure; a thread closed or
locked) calls ``article_discussion_changed``, which fires the ``DISCUSSION_CHANGED`` hook of
``core/hooks.py``. Discussion does not know who listens: the page cache outdates the
articles' pages (``pagecache/wagtail_hooks.py``). Only discussion's own code calls it:
moderation (bans) and accounts (erasure) change comments through discussion's services
(``staff.comments_shadow``, ``personal_data.reader_data_erase``), which announce.
"""

from collections.abc import Iterable

from wagtail import hooks

from newsdesk.core import hooks as newsdesk_hooks
from newsdesk.discussion.live.state import live_outdate


def article_discussion_changed(
    *, article_ids: Iterable[int | None], listings: bool = False
) -> None:
    """Announce that what readers see of the discussions of ``article_ids`` changed.

    Call it inside the transaction of the change when there is one (listeners then act both
    at once and after the commit, as the page cache does). ``None`` ids (a thread with no
    article, such as an unmatched import) are skipped; nothing is fired when none is left.
    ``listings``: the change also shows in the site's lists of discussion (an editors' pick
    made or withdrawn changes the page of picks), so listing pages are outdated too.
    """
    ids = sorted({article_id for article_id in article_ids if article_id is not None})
    if not ids:
        return
    # The live threads' documents first: discussion's own, not a listener of its hook.
    live_outdate(article_ids=ids)
    for listener in hooks.get_hooks(newsdesk_hooks.DISCUSSION_CHANGED):
        # ``listings`` only when set: most changes are one article's, as listeners know them.
        listener(article_ids=ids, **({"listings": True} if listings else {}))
