"""``{% article_metadata page %}``: the head tags that describe an article to machines;
``|byline_links``: an article's authors as links, joined as a list of names is in the
active language."""

import json

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.template.loader import render_to_string
from django.utils.html import _json_script_escapes, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import pgettext

from newsdesk.articles.metadata import news_article_jsonld, share_image
from newsdesk.web.models import SiteIdentity

register = template.Library()


@register.simple_tag(takes_context=True)
def article_metadata(context, article):
    request = context["request"]
    identity = SiteIdentity.load(request_or_site=request)
    publisher_name = str(context.get("site_name") or identity.publisher_name or "Newsdesk")
    jsonld = news_article_jsonld(
        article=article,
        request=request,
        publisher_name=publisher_name,
        publisher_logo=identity.publisher_logo,
    )
    # Escape <, > and & so no text of the article can close the script element.
    jsonld_text = json.dumps(jsonld, cls=DjangoJSONEncoder, ensure_ascii=False).translate(
        _json_script_escapes
    )
    return render_to_string(
        "articles/includes/article_metadata.html",
        {
            "article": article,
            "canonical_url": article.canonical_url(request),
            "image": share_image(image=article.lead_image, request=request),
            "jsonld": mark_safe(jsonld_text),
            "site_name": publisher_name,
            "twitter_site": identity.twitter_site,
            "section": jsonld.get("articleSection", ""),
        },
        request=request,
    )


@register.filter
def byline_links(authors) -> SafeString:
    """``A``, ``A and B``, ``A, B and C``: each author a link to their page."""
    links = [
        format_html('<a rel="author" href="{}">{}</a>', author.get_absolute_url(), author.name)
        for author in authors
    ]
    if not links:
        return mark_safe("")
    if len(links) == 1:
        return links[0]
    return format_html(
        pgettext("list of names", "{names} and {last}"),
        names=mark_safe(", ".join(links[:-1])),
        last=links[-1],
    )
