"""Reads of comment counts for other pages and sites: counts of many articles at once (the
count API, ``api_counts``) and the front page's "Most discussed".

Both count only what every reader sees (``selectors.PUBLIC``) under live articles that no
view restriction hides, and each costs one query: Wagtail's ``public()`` would read the view
restrictions first (a second query), so the restriction is a subquery here instead.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Count, Exists, F, OuterRef, Q
from django.db.models.lookups import StartsWith
from django.utils import timezone
from wagtail.models import PageViewRestriction

from newsdesk.articles.models import ArticlePage
from newsdesk.discussion.models import CommentStatus

# The most articles one request of the count API may name (a page of cards, with room).
COUNTS_MAX_ARTICLES = 100
# "Most discussed": how many articles, and over which window of recent comments.
MOST_DISCUSSED_SIZE = 5
MOST_DISCUSSED_DAYS = 7


def _restricted(path_field: str) -> Exists:
    """Whether the page whose tree path is ``path_field`` (of the outer query) lies under a
    view restriction (the page itself or an ancestor: a tree path starts with its
    ancestors')."""
    return Exists(
        PageViewRestriction.objects.filter(StartsWith(OuterRef(path_field), F("page__path")))
    )


# ``selectors.PUBLIC`` seen from an article, through its thread's comments.
PUBLIC_FROM_ARTICLE = Q(
    discussion_thread__comments__status=CommentStatus.PUBLISHED,
    discussion_thread__comments__is_shadowed=False,
)


def comment_counts_public(*, article_ids: list[int]) -> dict[int, int]:
    """Published comments per article for ``article_ids`` (at most ``COUNTS_MAX_ARTICLES``;
    the caller checks), in one query: every live article that no view restriction hides is
    there (0 when it has no published comment); unknown, unpublished or restricted ones are
    absent."""
    rows = (
        ArticlePage.objects.filter(pk__in=article_ids, live=True)
        .exclude(_restricted("path"))
        .annotate(count=Count("discussion_thread__comments", filter=PUBLIC_FROM_ARTICLE))
        .values_list("pk", "count")
    )
    return dict(rows)


@dataclass(frozen=True)
class DiscussedArticle:
    """An article of "Most discussed": the article, and its published comments in the
    window."""

    article: ArticlePage
    recent_comments: int


def most_discussed(
    *,
    under_path: str = "",
    size: int = MOST_DISCUSSED_SIZE,
    days: int = MOST_DISCUSSED_DAYS,
) -> list[DiscussedArticle]:
    """The ``size`` live, public articles with most published comments made in the last
    ``days`` days, most first (ties: the newer article first); articles with none are left
    out, so the list may be shorter or empty. ``under_path``: only articles under the page
    of that tree path (a site's home). One query."""
    since = timezone.now() - timedelta(days=days)
    recent = PUBLIC_FROM_ARTICLE & Q(discussion_thread__comments__created_at__gte=since)
    articles = (
        ArticlePage.objects.filter(live=True, path__startswith=under_path)
        .exclude(_restricted("path"))
        .annotate(recent_comments=Count("discussion_thread__comments", filter=recent))
        .filter(recent_comments__gt=0)
        .order_by("-recent_comments", "-first_published_at", "-pk")[:size]
    )
    return [
        DiscussedArticle(article=article, recent_comments=article.recent_comments)
        for article in articles
    ]
