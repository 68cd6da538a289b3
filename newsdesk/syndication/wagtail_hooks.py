"""Wagtail admin integration: partner feeds as snippets with their status, "Poll now", the
article editor told when a partner changed a story, and the poll task started with the worker.
"""

from django.contrib import messages
from django.contrib.admin.utils import quote
from django.urls import path, reverse
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.ui.menus import MenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from newsdesk.articles.models import ArticlePage
from newsdesk.core import hooks as newsdesk_hooks
from newsdesk.syndication import selectors, views
from newsdesk.syndication.models import Entry, Source


class SourceViewSet(SnippetViewSet):
    model = Source
    icon = "site"
    menu_label = gettext_lazy("Partner feeds")
    add_to_admin_menu = True
    menu_order = 230
    list_display = [
        "__str__",
        "feed_url",
        "mode",
        "status",
        "error",
        "next_poll_at",
        "partner_changes_display",
    ]
    list_filter = ["outlet", "last_result", "enabled"]
    search_fields = ["name", "feed_url"]

    def get_queryset(self, request):
        return selectors.sources_for_admin()


class PollNowItem(MenuItem):
    def is_shown(self, user):
        return user.has_perm(views.POLL_PERMISSION)


register_snippet(SourceViewSet)


@hooks.register("register_admin_urls")
def syndication_admin_urls():
    return [
        path(
            "syndication/sources/<int:pk>/poll/",
            views.source_poll_now,
            name="syndication_poll_now",
        )
    ]


@hooks.register("register_snippet_listing_buttons")
def poll_now_button(snippet, user, next_url=None):
    if isinstance(snippet, Source):
        url = reverse("syndication_poll_now", args=[quote(snippet.pk)])
        yield PollNowItem(_("Poll now"), url, icon_name="rotate", priority=5)


@hooks.register("before_edit_page")
def tell_editor_partner_changed(request, page):
    """On the edit page of a republished article whose partner changed the story."""
    if request.method != "GET" or not isinstance(page.specific, ArticlePage):
        return None
    entry = selectors.entry_partner_change_get(article_id=page.pk)
    if entry is None:
        return None
    when = date_format(localtime(entry.partner_changed_at), "DATETIME_FORMAT")
    if entry.partner_version.get("applied"):
        text = _(
            "{outlet} changed this story on {when}. Their new version is saved as the latest "
            "draft: review it and publish. Original: <a href='{url}' target='_blank' "
            "rel='noopener'>{url}</a>"
        )
    else:
        text = _(
            "{outlet} changed this story on {when}, after it was edited here, so their "
            "changes were not applied. Compare with the original: <a href='{url}' "
            "target='_blank' rel='noopener'>{url}</a>"
        )
    messages.warning(
        request,
        format_html(text, outlet=entry.source.outlet.name, when=when, url=entry.original_url),
    )
    return None


@hooks.register("after_publish_page")
def partner_change_reviewed(request, page):
    """Publishing the article after seeing the notice settles the partner's change."""
    Entry.objects.filter(article_id=page.pk, partner_changed_at__isnull=False).update(
        partner_changed_at=None
    )


@hooks.register("after_create_snippet")
@hooks.register("after_edit_snippet")
def poll_new_or_changed_source(request, instance):
    if isinstance(instance, Source):
        from newsdesk.syndication.services import poll_run_request

        poll_run_request(when=instance.next_poll_at)


@hooks.register(newsdesk_hooks.WORKER_STARTUP)
def start_polling():
    """The worker polls what fell due while it was stopped, and the task keeps itself going."""
    from newsdesk.syndication.services import poll_run_request

    poll_run_request()


@hooks.register(newsdesk_hooks.WORKER_PERIODIC)
def restart_polling_if_lost():
    """The self-queuing poll chain is the clock; if its queued run is long overdue (lost with
    a flushed queue, say), start it again, so polling never silently stops."""
    from datetime import timedelta

    from django.utils import timezone

    from newsdesk.syndication.models import PollSchedule
    from newsdesk.syndication.services import poll_run_request

    queued_for = PollSchedule.objects.filter(pk=1).values_list("queued_for", flat=True).first()
    if queued_for is None or queued_for < timezone.now() - timedelta(minutes=5):
        poll_run_request()
