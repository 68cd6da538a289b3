"""``{% article_metadata page %}``: the head tags that describe an article to machines."""

import json

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.template.loader import render_to_string
from django.utils.html import _json_script_escapes
from django.utils.safestring import mark_safe

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
