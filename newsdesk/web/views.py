"""Site-wide views: robots.txt and the error pages."""

from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse


def robots_txt(request):
    """Keep crawlers out of the admin and search results; point them to the sitemaps."""
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /django-admin/",
        "Disallow: /search/",
        "Disallow: /api/",
        "",
        f"Sitemap: {request.build_absolute_uri(reverse('articles:sitemap'))}",
        f"Sitemap: {request.build_absolute_uri(reverse('articles:news_sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


def page_not_found(request, exception=None):
    return render(request, "web/404.html", status=404)


def server_error(request):
    # No template context processors: whatever failed may fail again while rendering.
    return HttpResponse(render_to_string("web/500.html"), status=500)
