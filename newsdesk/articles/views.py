"""Listings derived from articles: by tag, by author, and search results."""

from django.http import Http404
from django.shortcuts import render
from taggit.models import Tag

from newsdesk.articles.selectors import (
    article_page_of_list,
    article_search,
    articles_live,
    author_get,
)

SEARCH_QUERY_MAX = 200


def tag_detail(request, slug: str):
    tag = Tag.objects.filter(slug=slug).first()
    if tag is None:
        raise Http404("No such tag.")
    articles = article_page_of_list(
        articles=articles_live(tag_slug=slug), page_number=request.GET.get("page")
    )
    if not articles.object_list and articles.number == 1:
        raise Http404("No published articles with this tag.")
    return render(request, "articles/tag_page.html", {"tag": tag, "articles": articles})


def author_detail(request, slug: str):
    author = author_get(slug=slug)
    if author is None:
        raise Http404("No such author.")
    articles = article_page_of_list(
        articles=articles_live(author=author), page_number=request.GET.get("page")
    )
    return render(request, "articles/author_page.html", {"author": author, "articles": articles})


def search(request):
    query = request.GET.get("q", "")[:SEARCH_QUERY_MAX]
    results = article_search(query=query)
    return render(request, "articles/search_page.html", {"query": query, "results": results})
