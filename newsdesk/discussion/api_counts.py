"""Comment counts of many articles at once over the JSON API (mounted at /api/):
``GET /api/comment-counts?articles=1,2,3``, for embeds and cards on other pages and sites.

The answer is the same for every reader (published comments of live, public articles), so
it is shared: ``Cache-Control: public, max-age=60``; a count may lag a new comment by that
minute. One query whatever the number of articles.
"""

from django.http import HttpResponse
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from newsdesk.core.errors import Invalid
from newsdesk.discussion.api import ERRORS
from newsdesk.discussion.errors import DiscussionError
from newsdesk.discussion.models import ID_MAX
from newsdesk.discussion.selectors_counts import COUNTS_MAX_ARTICLES, comment_counts_public

router = Router(tags=["discussion"])

SHARED_FOR = 60


class BadArticleList(DiscussionError, Invalid):
    pass


class CommentCountsOut(Schema):
    """Published comments per article id (as a string: JSON keys are strings); a live
    article without comments is 0; one that is unknown, not published or restricted is
    absent."""

    counts: dict[str, int]


def article_ids_parse(value: str) -> list[int]:
    """The ids of ``articles`` ("1,2,3": numbers separated by commas; spaces and repeats
    allowed), or ``BadArticleList`` for anything else, none or more than
    ``COUNTS_MAX_ARTICLES``."""
    parts = [part.strip() for part in value.split(",")]
    if not value.strip() or not all(part.isascii() and part.isdigit() for part in parts):
        raise BadArticleList(
            _("articles must be article ids separated by commas, such as 1,2,3."),
            field="articles",
        )
    ids = list(dict.fromkeys(int(part) for part in parts))
    if len(ids) > COUNTS_MAX_ARTICLES:
        raise BadArticleList(
            _("Ask for at most %(count)s articles at once.") % {"count": COUNTS_MAX_ARTICLES},
            field="articles",
        )
    # An id past the database's range names no article (and must not reach the query).
    return [pk for pk in ids if 0 < pk <= ID_MAX]


@router.get("/comment-counts", response={200: CommentCountsOut, **ERRORS})
def comment_counts(request, response: HttpResponse, articles: str = ""):
    """Published comments of up to 100 articles (``articles=1,2,3``): 0 for a live article
    without any; unknown, unpublished and restricted articles are left out."""
    ids = article_ids_parse(articles)
    counts = comment_counts_public(article_ids=ids) if ids else {}
    # The same answer for everyone: a proxy, a CDN or the browser may keep it a minute.
    response["Cache-Control"] = f"public, max-age={SHARED_FOR}"
    return Status(200, {"counts": {str(pk): count for pk, count in counts.items()}})
