"""The issues' part of the newsletters in Wagtail and the worker (imported by
``wagtail_hooks.py``): the issue page's "Send a test to me" and "Schedule" buttons and their
admin pages (``admin_views_issues.py``), and the automatic digest, a periodic duty of the
worker (``digests.py``)."""

from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from wagtail import hooks

from newsdesk.core import hooks as newsdesk_hooks
from newsdesk.newsletters.models_issues import NewsletterIssuePage


@hooks.register("register_admin_urls")
def issue_admin_urls():
    from newsdesk.newsletters import admin_views_issues as views

    return [
        path(
            "newsletters/issues/<int:page_id>/test/",
            views.issue_send_test_view,
            name="newsletters_issue_send_test",
        ),
        path(
            "newsletters/issues/<int:page_id>/schedule/",
            views.issue_schedule_view,
            name="newsletters_issue_schedule",
        ),
    ]


def _issue_buttons(page, user, priority: int):
    from wagtail.admin.widgets import Button

    if not isinstance(page.specific_deferred, NewsletterIssuePage):
        return
    permissions = page.permissions_for_user(user)
    if permissions.can_edit():
        yield Button(
            _("Send a test to me"),
            url=reverse("newsletters_issue_send_test", args=[page.pk]),
            icon_name="mail",
            priority=priority,
        )
    if permissions.can_publish():
        yield Button(
            pgettext("verb", "Schedule"),
            url=reverse("newsletters_issue_schedule", args=[page.pk]),
            icon_name="date",
            priority=priority + 1,
        )


@hooks.register("register_page_header_buttons")
def issue_header_buttons(page, user, view_name, next_url=None):
    yield from _issue_buttons(page, user, priority=5)


@hooks.register("register_page_listing_more_buttons")
def issue_listing_buttons(page, user, next_url=None):
    yield from _issue_buttons(page, user, priority=85)


@hooks.register(newsdesk_hooks.WORKER_PERIODIC)
def assemble_digests() -> None:
    """Daily and weekly lists' digests that fell due: made once per period."""
    from newsdesk.newsletters.digests import digests_assemble

    digests_assemble()
