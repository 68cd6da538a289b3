"""Staff's list management in Wagtail: the lists (a snippet) and, per list, its subscribers
(read-only: consent is the reader's, changed only by them, an import or erasure).

The "reports" part keeps its report views in ``admin_views_reports.py``.
"""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies.base import ModelPermissionPolicy
from wagtail.snippets.views.snippets import SnippetViewSet

from newsdesk.newsletters.models import Newsletter, Subscription


class NewsletterViewSet(SnippetViewSet):
    model = Newsletter
    icon = "mail"
    menu_label = _("Newsletter lists")
    menu_name = "newsletter_lists"
    add_to_admin_menu = True
    menu_order = 260
    list_display = ["name", "slug", "cadence", "is_public", "sort_order"]
    list_filter = ["cadence", "is_public"]
    search_fields = ["name", "slug"]
    copy_view_enabled = False


class ReadOnlyPolicy(ModelPermissionPolicy):
    """Staff with the view permission read subscriptions; nobody adds, changes or deletes
    one here (the reader's consent is theirs)."""

    def user_has_permission(self, user, action):
        if action in {"add", "change", "delete"}:
            return False
        return super().user_has_permission(user, action)

    def users_with_any_permission(self, actions):
        actions = [action for action in actions if action not in {"add", "change", "delete"}]
        return super().users_with_any_permission(actions)


class SubscriberIndexView(generic.IndexView):
    default_ordering = "-consent_at"

    def get_base_queryset(self):
        # The e-mail and list columns: fetched with the rows, not one query per row.
        return super().get_base_queryset().select_related("subscriber", "newsletter")


class SubscriberViewSet(ModelViewSet):
    model = Subscription
    name = "newsletter_subscribers"
    icon = "group"
    menu_label = _("Newsletter subscribers")
    add_to_admin_menu = True
    menu_order = 261
    index_view_class = SubscriberIndexView
    inspect_view_enabled = True
    copy_view_enabled = False
    form_fields = ["status"]  # never shown: the policy refuses every change
    list_display = [
        Column("subscriber", label=_("E-mail address")),
        "newsletter",
        "status",
        "consent_at",
        "consent_source",
        "confirmed_at",
        "unsubscribed_at",
    ]
    list_filter = ["newsletter", "status", "consent_source"]
    search_fields = ["subscriber__email"]
    inspect_view_fields = [
        "subscriber",
        "newsletter",
        "status",
        "consent_at",
        "consent_source",
        "consent_url",
        "consent_text",
        "confirmed_at",
        "unsubscribed_at",
        "unsubscribe_source",
    ]
