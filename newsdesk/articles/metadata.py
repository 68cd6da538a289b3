"""News metadata for search engines and link previews: schema.org JSON-LD, OpenGraph, Twitter.

Built from the article alone (plus the site's identity), so the same dict serves the page
head and the tests.
"""

from wagtail.images.models import AbstractImage

from newsdesk.articles.models import ArticlePage

SHARE_IMAGE_FILTER = "fill-1200x630|format-jpeg"


def share_image(*, image: AbstractImage | None, request) -> dict | None:
    if image is None:
        return None
    rendition = image.get_rendition(SHARE_IMAGE_FILTER)
    return {
        "url": request.build_absolute_uri(rendition.url),
        "width": rendition.width,
        "height": rendition.height,
        "alt": image.default_alt_text or image.title,
    }


def news_article_jsonld(
    *,
    article: ArticlePage,
    request,
    publisher_name: str,
    publisher_logo: AbstractImage | None = None,
) -> dict:
    """A schema.org NewsArticle; a republished article says so with ``isBasedOn``."""
    url = article.get_full_url(request)
    image = share_image(image=article.lead_image, request=request)
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "url": url,
        "headline": article.title[:110],
        "description": article.standfirst or article.search_description,
        "datePublished": article.first_published_at.isoformat()
        if article.first_published_at
        else None,
        "dateModified": (article.last_published_at or article.first_published_at).isoformat()
        if (article.last_published_at or article.first_published_at)
        else None,
        "author": [
            {
                "@type": "Person",
                "name": a.name,
                "url": request.build_absolute_uri(a.get_absolute_url()),
            }
            for a in article.authors
        ],
        "publisher": {"@type": "Organization", "name": publisher_name},
        "keywords": [t.name for t in article.tags.all()],
    }
    if image:
        data["image"] = [image["url"]]
    if publisher_logo is not None:
        logo = publisher_logo.get_rendition("max-600x60|format-png")
        data["publisher"]["logo"] = {
            "@type": "ImageObject",
            "url": request.build_absolute_uri(logo.url),
            "width": logo.width,
            "height": logo.height,
        }
    section = getattr(article, "section_page", None) or article.get_parent()
    if section is not None:
        data["articleSection"] = section.title
    if article.is_republished:
        data["isBasedOn"] = {
            "@type": "NewsArticle",
            "url": article.original_url,
            "publisher": {
                "@type": "Organization",
                "name": article.outlet.name,
                "url": article.outlet.site_url,
            },
        }
    return {key: value for key, value in data.items() if value not in (None, [], "")}
