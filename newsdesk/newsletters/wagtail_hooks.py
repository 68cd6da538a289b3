"""How the newsletters show in pages they do not own, and in Wagtail's admin.

- The sign-up box after an article's body, in every page's footer and after a gift (slots
  ``article_after_body``, ``footer_box``, ``gift_thanks``): the same HTML for every reader,
  cached with the page (its token filled in by the page cache), its script in the head.
- ``/newsletter/`` is private to the page cache: its pages carry a reader's token.
- Staff: the lists (a snippet) and the subscribers of each (read-only), as menu items of
  their own; the "reports" part adds its own items below these.
"""

from django.templatetags.static import static
from django.urls import reverse
from django.utils.html import format_html
from wagtail import hooks
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet

from newsdesk.core import hooks as newsdesk_hooks
from newsdesk.newsletters import admin_views
from newsdesk.newsletters import wagtail_hooks_issues as wagtail_hooks_issues  # their hooks
from newsdesk.newsletters import wagtail_hooks_reports as wagtail_hooks_reports  # their hooks
from newsdesk.newsletters.models import ConsentSource, Newsletter, Subscription
from newsdesk.newsletters.selectors import newsletters_offered_forget
from newsdesk.newsletters.views import signup_box_html

NEWSLETTER_PAGES_PREFIX = "/newsletter/"


@hooks.register(newsdesk_hooks.PAGECACHE_RULES)
def page_cache_rules() -> newsdesk_hooks.PageCacheRules:
    """The confirmation, preferences and unsubscribe pages are each address's own."""
    return newsdesk_hooks.PageCacheRules(private_prefixes=(NEWSLETTER_PAGES_PREFIX,))


@hooks.register(newsdesk_hooks.SLOT_HEAD)
def signup_assets(context) -> str:
    return format_html(
        '<link rel="stylesheet" href="{}"><script src="{}" defer></script>',
        static("newsletters/signup.css"),
        static("newsletters/signup.js"),
    )


def _path(context) -> str:
    request = context.get("request")
    return request.path if request is not None else ""


@hooks.register(newsdesk_hooks.SLOT_ARTICLE_AFTER_BODY)
def signup_after_article(context) -> str:
    return signup_box_html(
        request=context.get("request"), source=ConsentSource.ARTICLE, url=_path(context)
    )


@hooks.register(newsdesk_hooks.SLOT_FOOTER_BOX)
def signup_in_footer(context) -> str:
    request = context.get("request")
    path = request.path if request is not None else ""
    if path.startswith(NEWSLETTER_PAGES_PREFIX) or path == reverse("funding:thanks"):
        return ""  # these pages have their own forms
    if getattr(context.get("page"), "signup_box_in_page", False):
        return ""  # the archive of issues shows the box in its content
    return signup_box_html(
        request=request, source=ConsentSource.FOOTER, url=_path(context), compact=True
    )


@hooks.register(newsdesk_hooks.SLOT_GIFT_THANKS)
def signup_after_gift(context) -> str:
    return signup_box_html(
        request=context.get("request"), source=ConsentSource.GIFT, url=_path(context)
    )


# --- staff ------------------------------------------------------------------------------------
register_snippet(admin_views.NewsletterViewSet)
register_permission_policy(Subscription, admin_views.ReadOnlyPolicy(Subscription))


@hooks.register("after_create_snippet")
@hooks.register("after_edit_snippet")
@hooks.register("after_delete_snippet")
def lists_changed(request, instance) -> None:
    """A list added, renamed or removed: the sign-up box shows the lists anew (the page
    cache outdates every page on a snippet's change)."""
    if isinstance(instance, Newsletter) or (
        isinstance(instance, list | tuple) and any(isinstance(i, Newsletter) for i in instance)
    ):
        newsletters_offered_forget()


@hooks.register("register_admin_viewset")
def register_subscribers_viewset():
    return admin_views.SubscriberViewSet()
