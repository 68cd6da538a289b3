"""How the accounts app shows in pages it does not own: a menu of the reader's account
pages (e-mail addresses, password, privacy) at the top of django-allauth's pages and of
the privacy pages, for a signed-in reader. Those pages are never cached (``/accounts/``)."""

from django.template.loader import render_to_string
from wagtail import hooks

ACCOUNT_PAGES_PREFIX = "/accounts/"


@hooks.register("newsdesk_slot_page_top")
def account_nav(context) -> str:
    request = context.get("request")
    if request is None or not request.path.startswith(ACCOUNT_PAGES_PREFIX):
        return ""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return ""
    return render_to_string("accounts/account_nav.html", {"user": user}, request=request)
