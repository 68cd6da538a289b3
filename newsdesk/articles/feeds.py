"""RSS 2.0 and Atom feeds for the whole site and for each section.

Items carry the full text (``content:encoded`` in RSS, ``<content>`` in Atom) with absolute
links, the bylines, the tags as categories and the lead image as an enclosure.
"""

import re
from urllib.parse import urljoin

from django.contrib.syndication.views import Feed
from django.http import Http404
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.models import Site

from newsdesk.articles.models import ArticlePage, SectionPage
from newsdesk.articles.selectors import articles_for_feed

ENCLOSURE_FILTER = "fill-1200x675|format-jpeg"
_RELATIVE_URL = re.compile(r'(\s(?:src|href)=")(/[^/"][^"]*|/)"')


def absolutize_urls(html: str, base: str) -> str:
    """Feed readers have no page to resolve root-relative links against."""
    return _RELATIVE_URL.sub(lambda m: f'{m.group(1)}{urljoin(base, m.group(2))}"', html)


class FullTextRss(Rss201rev2Feed):
    def rss_attributes(self):
        attrs = super().rss_attributes()
        attrs["xmlns:content"] = "http://purl.org/rss/1.0/modules/content/"
        return attrs

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        if item.get("content_html"):
            handler.addQuickElement("content:encoded", item["content_html"])


class FullTextAtom(Atom1Feed):
    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        if item.get("content_html"):
            handler.addQuickElement("content", item["content_html"], {"type": "html"})


class SiteRssFeed(Feed):
    """The newest articles of the whole site."""

    feed_type = FullTextRss
    description = gettext_lazy("The latest articles.")

    def get_object(self, request, *args, **kwargs):
        self.request = request
        self.site = Site.find_for_request(request)
        return None

    def title(self, obj=None):
        return self.site.site_name if self.site and self.site.site_name else "Newsdesk"

    def link(self, obj=None):
        return self.site.root_page.url if self.site else "/"

    def items(self, obj=None):
        return articles_for_feed(section=obj)

    def item_title(self, item: ArticlePage):
        return item.title

    def item_description(self, item: ArticlePage):
        return item.standfirst or item.search_description or item.title

    def item_link(self, item: ArticlePage):
        # From the request, as the feed's own link and enclosures are: the address the reader
        # reached the site at (an article of another Wagtail site keeps that site's address).
        return self.request.build_absolute_uri(item.get_url(self.request))

    def item_pubdate(self, item: ArticlePage):
        return item.first_published_at

    def item_updateddate(self, item: ArticlePage):
        return item.last_published_at

    def item_author_name(self, item: ArticlePage):
        return ", ".join(a.name for a in item.authors) or None

    def item_categories(self, item: ArticlePage):
        return [t.name for t in item.tags.all()]

    def _lead_rendition(self, item: ArticlePage):
        if not item.lead_image:
            return None
        if not hasattr(item, "_feed_rendition"):
            item._feed_rendition = item.lead_image.get_rendition(ENCLOSURE_FILTER)
        return item._feed_rendition

    def item_enclosure_url(self, item: ArticlePage):
        rendition = self._lead_rendition(item)
        return self.request.build_absolute_uri(rendition.url) if rendition else None

    def item_enclosure_length(self, item: ArticlePage):
        rendition = self._lead_rendition(item)
        return rendition.file.size if rendition else None

    def item_enclosure_mime_type(self, item: ArticlePage):
        return "image/jpeg" if item.lead_image else None

    def item_extra_kwargs(self, item: ArticlePage):
        html = str(item.body.render_as_block(context={"request": self.request}))
        if item.is_republished:
            html = (
                format_html(
                    "<p><em>{}</em></p>",
                    format_html(
                        _('Originally appeared at <a href="{url}">{outlet}</a>'),
                        url=item.original_url,
                        outlet=item.outlet.name,
                    ),
                )
                + html
            )
        return {
            "content_html": absolutize_urls(html, self.request.build_absolute_uri("/")),
        }


class SiteAtomFeed(SiteRssFeed):
    feed_type = FullTextAtom
    subtitle = SiteRssFeed.description


class SectionRssFeed(SiteRssFeed):
    """The newest articles of one section."""

    def get_object(self, request, section: str):
        super().get_object(request)
        root = self.site.root_page if self.site else None
        sections = SectionPage.objects.live().public().filter(slug=section)
        if root is not None:
            sections = sections.descendant_of(root)
        obj = sections.first()
        if obj is None:
            raise Http404("No such section.")
        return obj

    def title(self, obj):
        return f"{obj.title} · {super().title(obj)}"

    def link(self, obj):
        return obj.url

    def description(self, obj):
        return obj.intro or _("The latest articles in %(section)s.") % {"section": obj.title}


class SectionAtomFeed(SectionRssFeed):
    feed_type = FullTextAtom

    def subtitle(self, obj):
        return self.description(obj)
