"""How the accounts app shows in pages it does not own: a menu of the reader's account
pages (e-mail addresses, password, privacy) at the top of django-allauth's pages and of
the privacy pages, for a signed-in reader. Those pages are never cached: ``/accounts/`` is
private to the page cache."""

from django.template.loader import render_to_string
from wagtail import hooks

from newsdesk.core import hooks as newsdesk_hooks

ACCOUNT_PAGES_PREFIX = "/accounts/"
# The reader's own pages of this app (their giving, receipts): never cached either.
READER_PAGES_PREFIX = "/account/"


@hooks.register(newsdesk_hooks.PAGECACHE_RULES)
def page_cache_rules() -> newsdesk_hooks.PageCacheRules:
    """Account pages (sign-in, e-mail addresses, privacy) are each reader's own."""
    return newsdesk_hooks.PageCacheRules(
        private_prefixes=(ACCOUNT_PAGES_PREFIX, READER_PAGES_PREFIX)
    )


@hooks.register(newsdesk_hooks.SLOT_PAGE_TOP)
def account_nav(context) -> str:
    request = context.get("request")
    if request is None or not request.path.startswith((ACCOUNT_PAGES_PREFIX, READER_PAGES_PREFIX)):
        return ""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return ""
    return render_to_string("accounts/account_nav.html", {"user": user}, request=request)
