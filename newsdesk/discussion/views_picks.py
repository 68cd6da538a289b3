"""``/discussion/picks/``: the site's recent editors' picks, a public page the page cache
shares between readers.

It is a listing (the page cache outdates listings when a pick is made or withdrawn:
``services.picks``) and it lists its articles as listings do (``web.slots.articles_annotate``),
so whatever changes those discussions (a picked comment removed, deleted, edited back into
moderation) outdates it as well.
"""

from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from newsdesk.discussion.comment_html import comment_html
from newsdesk.discussion.selectors_picks import site_picks_page_get
from newsdesk.web.slots import articles_annotate

# The page numbers the page cache keeps apart (``wagtail_hooks.page_cache_rules``).
PAGE_MAX = 9999


def _page_number(value: str | None) -> int:
    if value is None:
        return 1
    if not value.isdigit() or not 1 <= int(value) <= PAGE_MAX:
        raise Http404("No such page of picks.")
    return int(value)


@require_GET
def picks_page(request):
    """A page of recent picks, newest first, each with its article; a page number that is
    not one (``?page=abc``, ``0``, past 9999) is "not found"."""
    picks_page = site_picks_page_get(page=_page_number(request.GET.get("page")))
    articles_annotate(
        articles={pick.article.pk: pick.article for pick in picks_page.picks}.values()
    )
    picks = [
        {
            "article": pick.article,
            # Read-only here: no reply link (the thread is open on its article), no token.
            "html": comment_html(node=pick.node, thread_open=False, csrf_token=None),
        }
        for pick in picks_page.picks
    ]
    return render(request, "discussion/picks_page.html", {"picks": picks, "picks_page": picks_page})
