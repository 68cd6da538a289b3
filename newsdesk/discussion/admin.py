"""Staff tools in Django's admin (/django-admin/): close, lock and pin, with permissions.

Every action goes through the staff services; Django's admin shows an action only to staff
with the ``change`` permission on the model.
"""

from django.contrib import admin, messages
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from newsdesk.discussion.errors import DiscussionError
from newsdesk.discussion.models import Comment, CommentStatus, Thread
from newsdesk.discussion.services import (
    comment_pin,
    comment_status_set,
    thread_close,
    thread_lock,
)


@admin.register(Thread)
class ThreadAdmin(admin.ModelAdmin):
    list_display = ["__str__", "article", "is_closed", "is_locked", "created_at", "source"]
    list_filter = ["is_closed", "is_locked", "source"]
    search_fields = ["title", "url"]
    raw_id_fields = ["article"]
    actions = ["close", "reopen", "lock", "unlock"]

    def _each(self, request, queryset, action, done):
        """``done``: the message, with ``%(count)s`` for the number of threads."""
        for thread in queryset:
            action(thread=thread, actor=request.user)
        self.message_user(request, done % {"count": queryset.count()})

    @admin.action(description=gettext_lazy("Close to new comments"), permissions=["change"])
    def close(self, request, queryset):
        self._each(
            request,
            queryset,
            lambda **kw: thread_close(closed=True, **kw),
            _("%(count)s thread(s) closed."),
        )

    @admin.action(description=gettext_lazy("Reopen to new comments"), permissions=["change"])
    def reopen(self, request, queryset):
        self._each(
            request,
            queryset,
            lambda **kw: thread_close(closed=False, **kw),
            _("%(count)s thread(s) reopened."),
        )

    @admin.action(
        description=gettext_lazy("Lock (no comments, edits or votes)"), permissions=["change"]
    )
    def lock(self, request, queryset):
        self._each(
            request,
            queryset,
            lambda **kw: thread_lock(locked=True, **kw),
            _("%(count)s thread(s) locked."),
        )

    @admin.action(description=gettext_lazy("Unlock"), permissions=["change"])
    def unlock(self, request, queryset):
        self._each(
            request,
            queryset,
            lambda **kw: thread_lock(locked=False, **kw),
            _("%(count)s thread(s) unlocked."),
        )


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ["pk", "author_name", "thread", "status", "is_shadowed", "pinned", "created_at"]
    list_filter = ["status", "is_shadowed", "pinned", "source"]
    search_fields = ["body_source", "guest_name", "user__username"]
    list_select_related = ["thread", "thread__article", "user"]
    raw_id_fields = ["thread", "parent", "root", "user", "status_changed_by"]
    readonly_fields = ["body_html", "ip_address", "user_agent", "created_at", "edited_at"]
    actions = ["pin", "unpin", "publish", "hold", "mark_spam", "delete_comments"]

    def _each(self, request, queryset, action, done):
        """``done``: the message, with ``%(count)s`` for the number of comments."""
        count = 0
        for comment in queryset:
            try:
                action(comment=comment, actor=request.user)
                count += 1
            except DiscussionError as error:
                self.message_user(
                    request,
                    _("Comment %(id)s: %(error)s") % {"id": comment.pk, "error": error},
                    messages.WARNING,
                )
        self.message_user(request, done % {"count": count})

    @admin.action(description=gettext_lazy("Pin above the others"), permissions=["change"])
    def pin(self, request, queryset):
        self._each(
            request,
            queryset,
            lambda **kw: comment_pin(pinned=True, **kw),
            _("%(count)s comment(s) pinned."),
        )

    @admin.action(description=gettext_lazy("Unpin"), permissions=["change"])
    def unpin(self, request, queryset):
        self._each(
            request,
            queryset,
            lambda **kw: comment_pin(pinned=False, **kw),
            _("%(count)s comment(s) unpinned."),
        )

    @admin.action(description=gettext_lazy("Publish"), permissions=["change"])
    def publish(self, request, queryset):
        self._each(
            request,
            queryset,
            lambda **kw: comment_status_set(status=CommentStatus.PUBLISHED, **kw),
            _("%(count)s comment(s) published."),
        )

    @admin.action(description=gettext_lazy("Hold for moderation"), permissions=["change"])
    def hold(self, request, queryset):
        self._each(
            request,
            queryset,
            lambda **kw: comment_status_set(status=CommentStatus.HELD, **kw),
            _("%(count)s comment(s) held."),
        )

    @admin.action(description=gettext_lazy("Mark as spam"), permissions=["change"])
    def mark_spam(self, request, queryset):
        self._each(
            request,
            queryset,
            lambda **kw: comment_status_set(status=CommentStatus.SPAM, **kw),
            _("%(count)s comment(s) marked as spam."),
        )

    @admin.action(
        description=gettext_lazy("Delete (keep the place of replies)"), permissions=["change"]
    )
    def delete_comments(self, request, queryset):
        self._each(
            request,
            queryset,
            lambda **kw: comment_status_set(status=CommentStatus.DELETED, **kw),
            _("%(count)s comment(s) deleted."),
        )
