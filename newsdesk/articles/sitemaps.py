"""``/sitemap.xml`` (every indexable page, tags and authors) and the Google News sitemap."""

from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import sitemap
from django.db.models import Exists, OuterRef
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from taggit.models import Tag
from wagtail.contrib.sitemaps import Sitemap as WagtailPagesSitemap
from wagtail.models import Site

from newsdesk.articles.models import ArticleAuthor, ArticlePage, ArticleTag, Author
from newsdesk.articles.selectors import articles_for_news_sitemap
from newsdesk.web.models import SiteIdentity


class TagSitemap(Sitemap):
    changefreq = "daily"
    priority = 0.3

    def items(self):
        live = ArticlePage.objects.live().public()
        used = ArticleTag.objects.filter(tag=OuterRef("pk"), content_object__in=live)
        return Tag.objects.filter(Exists(used)).order_by("slug")

    def location(self, tag):
        return reverse("articles:tag", kwargs={"slug": tag.slug})


class AuthorSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.3

    def items(self):
        live = ArticlePage.objects.live().public()
        wrote = ArticleAuthor.objects.filter(author=OuterRef("pk"), page__in=live)
        return Author.objects.filter(Exists(wrote)).order_by("slug")


def sitemap_index(request):
    sitemaps = {
        "pages": WagtailPagesSitemap(request),
        "tags": TagSitemap(),
        "authors": AuthorSitemap(),
    }
    return sitemap(request, sitemaps=sitemaps)


def news_sitemap(request):
    """Articles of the last 48 hours, in Google News' sitemap format."""
    site = Site.find_for_request(request)
    identity = SiteIdentity.load(request_or_site=request)
    context = {
        "articles": articles_for_news_sitemap(now=timezone.now()),
        "publication_name": identity.publisher_name or (site.site_name if site else "Newsdesk"),
        "language": identity.language or "en",
    }
    return render(request, "articles/news_sitemap.xml", context, content_type="application/xml")
