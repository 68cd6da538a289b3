"""Reasons, appeals and the transparency page in the site (imported by ``wagtail_hooks``):
the reason under an author's own comment awaiting moderation, the "Appeals (N)" menu item of
the admin, the transparency page's place in the page cache and in every page's footer."""

from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from newsdesk.core import hooks as newsdesk_hooks
from newsdesk.moderation.reasons import reason_code_for_status, reason_text
from newsdesk.moderation.selectors_appeals import appeals_pending_count

TRANSPARENCY_ROUTE = ("moderation", "transparency")


@hooks.register(newsdesk_hooks.PAGECACHE_RULES)
def transparency_cache_rules() -> newsdesk_hooks.PageCacheRules:
    """The transparency page is the same for everyone: shared, and it reads no query."""
    return newsdesk_hooks.PageCacheRules(public_routes={TRANSPARENCY_ROUTE: {}})


@hooks.register(newsdesk_hooks.SLOT_PAGE_FOOTER)
def transparency_footer_link(context) -> str:
    return format_html(
        ' · <a href="{}">{}</a>', reverse("moderation:transparency"), _("Moderation report")
    )


@hooks.register(newsdesk_hooks.COMMENT_ACTIONS)
def own_comment_reason(node) -> str:
    """Under the author's own comment awaiting moderation: why, in plain words (never a
    score), and for an account, the way to appeal. Nobody else's comment, so the shared
    copy of a page never carries it (its renders have no author). Read from the comment's
    own ``status_reason`` (the decision's words, as the gate or the reports wrote them),
    by the same rules as the decision's recorded code: no query per comment."""
    if not (node.is_own and node.awaiting_moderation):
        return ""
    comment = node.comment
    why = reason_text(reason_code_for_status(comment.status_reason))
    if comment.user_id is None:
        return format_html(
            '<span class="comment__reason" data-role="moderation-reason">{}</span>',
            _("Why: %(reason)s.") % {"reason": why},
        )
    return format_html(
        '<span class="comment__reason" data-role="moderation-reason">{}</span> '
        '<a class="comment__action" data-role="appeal-link" href="{}#comment-{}">'
        "{}</a>",
        _("Why: %(reason)s.") % {"reason": why},
        reverse("account_comments"),
        comment.pk,
        pgettext("verb", "Appeal"),
    )


class AppealsMenuItem(MenuItem):
    """ "Appeals (N)": shown to moderators, with the number of appeals waiting."""

    def is_shown(self, request):
        user = request.user
        return bool(user and user.is_active and user.has_perm("moderation.moderate_comment"))

    def render_component(self, request):
        component = super().render_component(request)
        count = appeals_pending_count()
        if count:
            component.label = _("%(label)s (%(count)s)") % {"label": self.label, "count": count}
        return component


@hooks.register("register_admin_menu_item")
def appeals_menu_item():
    return AppealsMenuItem(
        gettext_lazy("Appeals"), reverse("moderation_appeals"), icon_name="help", order=251
    )
