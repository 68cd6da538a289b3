"""Reads: what the public pages, feeds and sitemaps list.

Every listing loads its articles with their section, lead image (and its renditions), tags
and bylines in a fixed number of queries, however many articles it shows.
"""

import copy
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.core.paginator import Page as PaginatorPage
from django.core.paginator import Paginator
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
    Window,
)
from django.db.models.functions import Length, RowNumber, Substr
from django.utils import timezone
from wagtail.models import Page, PageViewRestriction

from newsdesk.articles.models import (
    ArticleAuthor,
    ArticlePage,
    ArticleTag,
    Author,
    HomePage,
    NewsImage,
    SectionPage,
)
from newsdesk.core.processcache import generation_bump, process_cached
from newsdesk.web.slots import articles_annotate

PAGE_SIZE = 20
# Which articles are live and public, as the comment gate asks on every post: each process
# keeps its answers (``core/processcache.py``) until a page is published, unpublished, moved
# or deleted, or a view restriction changes (``ArticlesConfig.ready`` connects the signals).
PAGES_GENERATION = "pages"


def pages_changed(sender: object = None, **kwargs: object) -> None:
    generation_bump(generation=PAGES_GENERATION)


def article_live_public_get(*, article_id: int) -> ArticlePage | None:
    """The live article ``article_id`` that no view restriction hides, or None: a copy of
    this process's instance (its own relation caches, so nothing a caller attaches to it,
    such as a new thread, reaches the next request)."""
    article = process_cached(
        generation=PAGES_GENERATION,
        key=("live-public-article", article_id),
        load=lambda: ArticlePage.objects.live().public().filter(pk=article_id).first(),
    )
    return copy.copy(article)


def _with_listing_relations(articles: QuerySet) -> QuerySet:
    return articles.select_related("lead_image", "outlet").prefetch_related(
        "lead_image__renditions",
        "tags",
        Prefetch("article_authors", queryset=ArticleAuthor.objects.select_related("author")),
    )


def articles_live(
    *,
    section: SectionPage | None = None,
    tag_slug: str | None = None,
    author: Author | None = None,
) -> QuerySet:
    """Live articles, newest first, ready for a listing."""
    articles = ArticlePage.objects.live().public()
    if section is not None:
        articles = articles.child_of(section)
    if tag_slug is not None:
        articles = articles.filter(tags__slug=tag_slug)
    if author is not None:
        articles = articles.filter(article_authors__author=author)
    return _with_listing_relations(articles.order_by("-first_published_at", "-pk"))


def sections_attach(*, articles: list[ArticlePage]) -> list[ArticlePage]:
    """Give each article its section (``article.section_page``) with one query for all."""
    section_paths = {a.path[: -Page.steplen] for a in articles}
    sections = {s.path: s for s in SectionPage.objects.filter(path__in=section_paths)}
    for article in articles:
        article.section_page = sections.get(article.path[: -Page.steplen])
    return articles


def listing_images_attach(*, articles: list[ArticlePage]) -> list[ArticlePage]:
    """Give each article the picture its card shows (``article.listing_image``).

    The lead image, or else the first image of the body: a republished story often has its
    picture inside the body, as at the partner. One query for all such articles.
    """
    first_body_image = {}
    for article in articles:
        if article.lead_image_id is None:
            for block in article.body.raw_data:
                if block["type"] == "image" and block["value"].get("image"):
                    first_body_image[article.pk] = block["value"]["image"]
                    break
    images = {}
    if first_body_image:
        images = NewsImage.objects.prefetch_related("renditions").in_bulk(
            set(first_body_image.values())
        )
    for article in articles:
        article.listing_image = article.lead_image or images.get(first_body_image.get(article.pk))
    return articles


def _listed(articles: Iterable[ArticlePage]) -> list[ArticlePage]:
    articles = list(articles)
    sections_attach(articles=articles)
    listing_images_attach(articles=articles)
    articles_annotate(articles=articles)
    return articles


def article_page_of_list(
    *, articles: QuerySet, page_number: int | str | None, per_page: int = PAGE_SIZE
) -> PaginatorPage:
    """One page of a listing; a page number out of range gives the last page."""
    page = Paginator(articles, per_page).get_page(page_number)
    page.object_list = _listed(page.object_list)
    return page


@dataclass
class SectionBlock:
    section: SectionPage
    articles: list[ArticlePage] = field(default_factory=list)


@dataclass
class FrontPage:
    lead: ArticlePage | None
    latest: list[ArticlePage]
    sections: list[SectionBlock]


def front_page_get(*, home: HomePage) -> FrontPage:
    """The front page's lead story, latest articles and a block per section.

    Three cheap id queries choose the articles (the per-section blocks from one windowed
    query: the newest N per section), then one listing load fetches them all with their
    relations, whatever the number of sections. The lead story is shown once: its section's
    block holds the next newest instead (the window takes one more for that).
    """
    live = ArticlePage.objects.live().public().descendant_of(home)
    newest = live.order_by("-first_published_at", "-pk")
    lead_id = None
    if home.lead_article_id and live.filter(pk=home.lead_article_id).exists():
        lead_id = home.lead_article_id
    latest_ids = list(newest.values_list("pk", flat=True)[: home.latest_count + 1])
    if lead_id is None and latest_ids:
        lead_id = latest_ids[0]
    latest_ids = [pk for pk in latest_ids if pk != lead_id][: home.latest_count]

    section_path_length = home.depth * Page.steplen + Page.steplen
    section_path = Substr("path", 1, section_path_length)
    ranked = (
        newest.annotate(
            section_path=section_path,
            rank=Window(
                RowNumber(),
                partition_by=[section_path],
                order_by=[F("first_published_at").desc(), F("pk").desc()],
            ),
        )
        .filter(rank__lte=home.per_section_count + 1)
        .values_list("pk", "section_path")
    )
    ranked = [(pk, path) for pk, path in ranked if pk != lead_id]

    wanted = {lead_id, *latest_ids, *(pk for pk, _ in ranked)} - {None}
    loaded = {
        a.pk: a for a in _listed(_with_listing_relations(ArticlePage.objects.filter(pk__in=wanted)))
    }

    sections = list(SectionPage.objects.live().public().child_of(home).in_menu())
    blocks = {s.path: SectionBlock(section=s) for s in sections}
    for pk, path in ranked:
        block = blocks.get(path)
        if block and pk in loaded and len(block.articles) < home.per_section_count:
            block.articles.append(loaded[pk])
    return FrontPage(
        lead=loaded.get(lead_id),
        latest=[loaded[pk] for pk in latest_ids if pk in loaded],
        sections=[b for b in blocks.values() if b.articles],
    )


def articles_related(*, article: ArticlePage, limit: int = 4) -> list[ArticlePage]:
    """A few live public articles to read next under ``article``: those sharing most of its
    tags first, then those of its own section, newest first; never ``article`` itself.

    One query (tags, section and view restrictions are subqueries of it): each related
    article carries ``title``, its URL's parts, ``first_published_at`` and ``section_title``.
    The list is cached with the article's page and names nothing to the page cache: a comment
    on a related story, or a new story, leaves the page's cached copy in place (it is
    renewed with the page, or after ``PAGECACHE_SECONDS``). So listings' batch hook
    (comment counts, ``articles_annotate``) is not called for it either.
    """
    steplen = Page.steplen
    section_path = article.path[:-steplen]
    its_tags = ArticleTag.objects.filter(content_object_id=article.pk).values("tag_id")
    # A view restriction hides its page and everything below it (what ``public()`` checks
    # with a query of its own: here it is part of the one query).
    restricted = PageViewRestriction.objects.filter(
        page__path=Substr(OuterRef("path"), 1, Length("page__path"))
    )
    section_title = Page.objects.filter(
        path=Substr(OuterRef("path"), 1, Length(OuterRef("path")) - steplen)
    ).values("title")[:1]
    related = (
        ArticlePage.objects.live()
        .exclude(pk=article.pk)
        .exclude(Exists(restricted))
        .annotate(
            shared_tags=Count("tagged_items", filter=Q(tagged_items__tag_id__in=its_tags)),
            same_section=Case(
                When(path__startswith=section_path, then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            ),
        )
        .filter(Q(shared_tags__gt=0) | Q(same_section=1))
        .annotate(section_title=Subquery(section_title))
        .only("id", "title", "slug", "url_path", "path", "depth", "first_published_at")
        .order_by("-shared_tags", "-same_section", "-first_published_at", "-pk")
    )
    return list(related[:limit])


def article_search(*, query: str, limit: int = 50) -> list[ArticlePage]:
    """Live articles matching ``query``, best match first (Wagtail's search backend)."""
    query = query.strip()
    if not query:
        return []
    results = ArticlePage.objects.live().public().search(query, operator="and")[:limit]
    ids = [page.pk for page in results]
    by_id = {a.pk: a for a in _with_listing_relations(ArticlePage.objects.filter(pk__in=ids))}
    return _listed(by_id[i] for i in ids if i in by_id)


def articles_for_feed(*, section: SectionPage | None = None, limit: int = 30) -> list[ArticlePage]:
    """The newest live articles for an RSS or Atom feed."""
    return _listed(articles_live(section=section)[:limit])


def articles_for_news_sitemap(
    *, now: datetime | None = None, window: timedelta = timedelta(hours=48)
) -> list[ArticlePage]:
    """Articles first published in the last 48 hours that search engines may index as ours.

    Google News takes only articles of the last two days, and republished copies that point
    elsewhere (canonical or noindex) are not ours to submit.
    """
    now = now or timezone.now()
    articles = articles_live().filter(first_published_at__gte=now - window)[:1000]
    return [a for a in _listed(articles) if a.search_engine_policy == "index"]


def author_get(*, slug: str) -> Author | None:
    return Author.objects.select_related("photo").filter(slug=slug).first()
