"""The pages of the site: the front page, sections and articles.

Tag, author and search listings are plain Django views (``views.py``): they are derived from
articles and have nothing for an editor to write.
"""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel, PageChooserPanel
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from newsdesk.articles.blocks import ArticleBodyBlock
from newsdesk.articles.models.outlets import SearchEnginePolicy, http_url_validator

# An article republished more than this long after it first went live shows "Updated".
UPDATE_SHOWN_AFTER = timedelta(minutes=30)


class HomePage(Page):
    """The front page: a lead story, the latest articles, then a block per section.

    The lead story is the one the editors chose, or the newest article when none is chosen.
    """

    lead_article = models.ForeignKey(
        "articles.ArticlePage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=gettext_lazy("Leave empty to lead with the newest article."),
        verbose_name=gettext_lazy("lead article"),
    )
    latest_count = models.PositiveSmallIntegerField(
        default=8, verbose_name=gettext_lazy("latest count")
    )
    per_section_count = models.PositiveSmallIntegerField(
        default=4, verbose_name=gettext_lazy("per section count")
    )

    content_panels = [
        *Page.content_panels,
        PageChooserPanel("lead_article", "articles.ArticlePage"),
        MultiFieldPanel(
            [FieldPanel("latest_count"), FieldPanel("per_section_count")],
            heading=gettext_lazy("Listings"),
        ),
    ]
    parent_page_types = ["wagtailcore.Page"]
    # No list of children here: each page type that belongs under the front page says so
    # with its own ``parent_page_types`` (sections; web's InfoPage, the site's own pages the
    # footer links to; the newsletters' archive), so articles names no app above it.
    # Articles declare sections as their parent and so never come here.
    max_count_per_parent = 1
    template = "articles/home_page.html"

    class Meta:
        verbose_name = gettext_lazy("home page")
        verbose_name_plural = gettext_lazy("home pages")

    def get_context(self, request, *args, **kwargs):
        from newsdesk.articles.selectors import front_page_get

        context = super().get_context(request, *args, **kwargs)
        context["front"] = front_page_get(home=self)
        return context


class SectionPage(Page):
    """A section of the site (Politics, World ...): its articles, newest first, paged."""

    intro = models.TextField(blank=True, max_length=500, verbose_name=gettext_lazy("intro"))

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]
    parent_page_types = ["articles.HomePage"]
    subpage_types = ["articles.ArticlePage"]
    template = "articles/section_page.html"

    class Meta:
        verbose_name = gettext_lazy("section page")
        verbose_name_plural = gettext_lazy("section pages")

    def get_context(self, request, *args, **kwargs):
        from newsdesk.articles.selectors import article_page_of_list, articles_live

        context = super().get_context(request, *args, **kwargs)
        context["articles"] = article_page_of_list(
            articles=articles_live(section=self), page_number=request.GET.get("page")
        )
        return context


class ArticleTag(TaggedItemBase):
    """The link between an article and one of its tags."""

    content_object = ParentalKey(
        "articles.ArticlePage", on_delete=models.CASCADE, related_name="tagged_items"
    )


class ArticlePage(Page):
    """A news article: headline, standfirst, lead image, body, bylines, tags, corrections.

    An article republished from a partner outlet records the outlet and the original URL,
    shows "Originally appeared at OUTLET" linking there, and follows the outlet's agreement
    for search engines (``Outlet.search_engine_policy``).
    """

    standfirst = models.TextField(
        max_length=500,
        blank=True,
        help_text=gettext_lazy("One or two sentences under the headline."),
        verbose_name=gettext_lazy("standfirst"),
    )
    lead_image = models.ForeignKey(
        "articles.NewsImage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=gettext_lazy("lead image"),
    )
    lead_image_caption = models.CharField(
        max_length=300,
        blank=True,
        help_text=gettext_lazy("Leave empty to use the image's own caption."),
        verbose_name=gettext_lazy("lead image caption"),
    )
    body = StreamField(ArticleBodyBlock(), blank=True, verbose_name=gettext_lazy("body"))
    tags = ClusterTaggableManager(through=ArticleTag, blank=True, verbose_name=gettext_lazy("tags"))
    outlet = models.ForeignKey(
        "articles.Outlet",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="articles",
        help_text=gettext_lazy("The partner this article is republished from."),
        verbose_name=gettext_lazy("outlet"),
    )
    original_url = models.URLField(
        max_length=500,
        blank=True,
        validators=[http_url_validator],
        help_text=gettext_lazy("Where the partner published it first (http or https)."),
        verbose_name=gettext_lazy("original url"),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("standfirst"),
        MultiFieldPanel(
            [FieldPanel("lead_image"), FieldPanel("lead_image_caption")],
            heading=gettext_lazy("Lead image"),
        ),
        FieldPanel("body"),
        InlinePanel(
            "article_authors", label=gettext_lazy("Authors"), heading=gettext_lazy("Bylines")
        ),
        FieldPanel("tags"),
        MultiFieldPanel(
            [FieldPanel("outlet"), FieldPanel("original_url")],
            heading=gettext_lazy("Republished from"),
        ),
        InlinePanel(
            "corrections", label=gettext_lazy("Correction"), heading=gettext_lazy("Corrections")
        ),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("standfirst", boost=2),
        index.SearchField("body"),
        index.RelatedFields("tags", [index.SearchField("name", boost=2)]),
        index.FilterField("first_published_at"),
    ]
    parent_page_types = ["articles.SectionPage"]
    subpage_types: list[str] = []
    template = "articles/article_page.html"

    class Meta:
        indexes = [models.Index(fields=["outlet"])]
        verbose_name = gettext_lazy("article page")
        verbose_name_plural = gettext_lazy("article pages")

    def get_context(self, request, *args, **kwargs):
        """The page with its tags and bylines read once for the body and the head's metadata,
        and a few related stories (``selectors.articles_related``: one query)."""
        from django.db.models import prefetch_related_objects

        from newsdesk.articles.selectors import articles_related

        context = super().get_context(request, *args, **kwargs)
        if getattr(request, "is_preview", False):
            # A preview shows the editor's unsaved tags and bylines (held in memory by the
            # form), and an article not yet in the tree has no section to relate to.
            context["related_articles"] = articles_related(article=self) if self.pk else []
        else:
            prefetch_related_objects(
                [self],
                "tags",
                models.Prefetch(
                    "article_authors", queryset=ArticleAuthor.objects.select_related("author")
                ),
            )
            context["related_articles"] = articles_related(article=self)
        # The address to share is this page's, as the reader reached it.
        context["share_url"] = request.build_absolute_uri(self.get_url(request))
        return context

    def clean(self):
        super().clean()
        errors = {}
        if self.outlet_id and not self.original_url:
            errors["original_url"] = _("Give the address of the original story at the outlet.")
        if self.original_url and not self.outlet_id:
            errors["outlet"] = _("Choose the outlet the story is republished from.")
        if errors:
            raise ValidationError(errors)

    # --- what templates and metadata read -------------------------------------------------
    @property
    def is_republished(self) -> bool:
        return bool(self.outlet_id and self.original_url)

    @property
    def caption(self) -> str:
        if self.lead_image_caption:
            return self.lead_image_caption
        return self.lead_image.caption if self.lead_image else ""

    @property
    def search_engine_policy(self) -> str:
        return self.outlet.search_engine_policy if self.is_republished else SearchEnginePolicy.INDEX

    @property
    def noindex(self) -> bool:
        return self.search_engine_policy == SearchEnginePolicy.NOINDEX

    def canonical_url(self, request=None) -> str:
        if self.search_engine_policy == SearchEnginePolicy.CANONICAL:
            return self.original_url
        return self.get_full_url(request)

    @property
    def published_at(self):
        return self.first_published_at or self.go_live_at or self.latest_revision_created_at

    @property
    def updated_at(self):
        """When the article was last republished, if that was a real update."""
        first, last = self.first_published_at, self.last_published_at
        if first and last and last - first > UPDATE_SHOWN_AFTER:
            return last
        return None

    @cached_property
    def authors(self) -> list:
        return [link.author for link in self.article_authors.all()]

    @property
    def section(self):
        return self.get_parent().specific

    def get_sitemap_urls(self, request=None):
        # A copy that search engines should skip or credit to the original has no place in
        # our sitemap: a sitemap lists canonical URLs only.
        if self.search_engine_policy != SearchEnginePolicy.INDEX:
            return []
        return super().get_sitemap_urls(request)


class ArticleAuthor(Orderable):
    """A byline on an article, in order."""

    page = ParentalKey(
        ArticlePage,
        on_delete=models.CASCADE,
        related_name="article_authors",
        verbose_name=gettext_lazy("page"),
    )
    author = models.ForeignKey(
        "articles.Author",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=gettext_lazy("author"),
    )

    panels = [FieldPanel("author")]

    class Meta(Orderable.Meta):
        constraints = [
            models.UniqueConstraint(fields=["page", "author"], name="unique_author_per_article")
        ]


class ArticleCorrection(Orderable):
    """A correction shown at the foot of the article, dated: readers see what changed."""

    page = ParentalKey(
        ArticlePage,
        on_delete=models.CASCADE,
        related_name="corrections",
        verbose_name=gettext_lazy("page"),
    )
    corrected_at = models.DateTimeField(
        default=timezone.now, verbose_name=gettext_lazy("corrected at")
    )
    text = models.TextField(max_length=1000, verbose_name=gettext_lazy("text"))

    panels = [FieldPanel("corrected_at"), FieldPanel("text")]
