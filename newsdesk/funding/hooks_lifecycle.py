"""The donor e-mails in Wagtail's admin and the worker (imported by ``funding/wagtail_hooks``).

- Their words: ``LifecycleMessage`` as a snippet (Treasurers and Editors may add and change
  them, migration 0006; nobody deletes one: switching it off stops the kind), each with a
  preview of the mail rendered with sample values.
- The mails queued and sent (``LifecycleMail``): a read-only list for Treasurers (it holds
  donors' addresses); rows come only from the occasions.
- The worker's periodic duty: the time-driven occasions, at most hourly.
"""

from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext, gettext_lazy
from wagtail import hooks
from wagtail.admin.ui.tables import Column
from wagtail.permission_policies.base import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from newsdesk.core import hooks as newsdesk_hooks
from newsdesk.funding import views_lifecycle
from newsdesk.funding.admin_views import ProviderRecordsPolicy
from newsdesk.funding.models_lifecycle import LifecycleMail, LifecycleMessage


class WordsPolicy(ModelPermissionPolicy):
    """Staff edit the words; a kind is switched off, never deleted (its mails name it)."""

    def user_has_permission(self, user, action):
        return action != "delete" and super().user_has_permission(user, action)

    def users_with_any_permission(self, actions):
        return super().users_with_any_permission([a for a in actions if a != "delete"])


register_permission_policy(LifecycleMessage, WordsPolicy(LifecycleMessage))
register_permission_policy(LifecycleMail, ProviderRecordsPolicy(LifecycleMail))


def _preview_link(message: LifecycleMessage) -> str:
    url = reverse("funding_lifecycle_preview", kwargs={"message_id": message.pk})
    return format_html('<a href="{}">{}</a>', url, gettext("Preview"))


class LifecycleMessageViewSet(SnippetViewSet):
    model = LifecycleMessage
    icon = "mail"
    menu_label = gettext_lazy("Their words")
    list_display = [
        "kind",
        "subject",
        "enabled",
        Column("preview", label=gettext_lazy("Preview"), accessor=_preview_link),
    ]
    list_filter = ["enabled"]
    copy_view_enabled = False


class LifecycleMailViewSet(SnippetViewSet):
    model = LifecycleMail
    icon = "list-ul"
    menu_label = gettext_lazy("Sent and queued")
    list_display = ["created_at", "kind", "email", "status", "sent_at", "note"]
    list_filter = ["kind", "status"]
    search_fields = ["email", "occasion"]
    inspect_view_enabled = True
    copy_view_enabled = False


class DonorEmailsGroup(SnippetViewSetGroup):
    menu_label = gettext_lazy("Donor e-mails")
    menu_icon = "mail"
    menu_order = 252
    items = (LifecycleMessageViewSet, LifecycleMailViewSet)


register_snippet(DonorEmailsGroup)


@hooks.register("register_admin_urls")
def lifecycle_admin_urls():
    return [
        path(
            "funding/donor-emails/<int:message_id>/preview/",
            views_lifecycle.message_preview,
            name="funding_lifecycle_preview",
        )
    ]


@hooks.register(newsdesk_hooks.WORKER_PERIODIC)
def donor_emails_due() -> None:
    """Cards about to expire, renewal reminders, lapsed donors: claimed and queued, at most
    hourly; mails left queued are queued again."""
    from newsdesk.funding.services.lifecycle import lifecycle_duty_run

    lifecycle_duty_run()


@hooks.register(newsdesk_hooks.WORKER_STARTUP)
def donor_emails_left_queued() -> None:
    """A worker that starts queues again every donor e-mail still waiting, whatever its age:
    a worker killed mid-batch can take queued tasks with it (the RQ queue hands a job over
    before it runs), and the hourly duty would leave them an hour. A second task for a mail
    is harmless: the send claims the row before the mail server sees it."""
    from datetime import timedelta

    from newsdesk.funding.services.lifecycle import lifecycle_stale_requeue

    lifecycle_stale_requeue(older_than=timedelta(0))
