"""The query string of a cached page: what of it is part of the page's key.

A page may render differently for each query, so a request is served from (and stored in)
the cache only when each parameter it carries is either

- one the page reads (the apps' public routes, ``registry.py``), once, with a value matching
  the pattern registered with it: part of the key. The patterns are finite (sorts, page
  numbers up to 9999), so one page has a bounded number of copies; or
- one ``conf.ignored_query_params()`` names (campaign tags, click ids): removed from the
  request before the page renders, so the page cannot show it and the link is served the
  page's copy.

Anything else (a parameter the page does not read, a value outside its pattern, a repeated
parameter) makes the request uncacheable: rendered for its sender, ``private``, never stored.
A junk query can neither make keys of its own nor reach the copy of the clean address.
"""

import re
from collections.abc import Mapping
from fnmatch import fnmatchcase
from functools import cache
from urllib.parse import urlencode

from django.http import HttpRequest, QueryDict

from newsdesk.pagecache import conf


@cache
def _full_match(pattern: str) -> re.Pattern:
    return re.compile(rf"(?:{pattern})\Z")


def _ignored(name: str, ignored: tuple[str, ...]) -> bool:
    return any(fnmatchcase(name, pattern) for pattern in ignored)


def query_canonical(*, request: HttpRequest, params: Mapping[str, str]) -> str | None:
    """The query string ``request`` is keyed and rendered with, given the parameters its
    page reads (each with the pattern of its values kept apart): those parameters sorted by
    name, ignored ones left out. None when the query cannot be part of a key (the request is
    then not served from or stored in the cache)."""
    ignored = conf.ignored_query_params()
    kept: dict[str, str] = {}
    for name, values in request.GET.lists():
        if name in params:
            pattern = params[name]
            if len(values) != 1:
                return None
            if not _full_match(pattern).match(values[0]):
                return None
            kept[name] = values[0]
        elif not _ignored(name, ignored):
            return None
    return urlencode(sorted(kept.items()))


def query_apply(*, request: HttpRequest, query: str) -> None:
    """Make ``query`` the request's query string, for the page and for its key alike."""
    if request.META.get("QUERY_STRING", "") == query:
        return
    request.META["QUERY_STRING"] = query
    request.GET = QueryDict(query)
