"""Moderation's place in the site: the comment gate (bans first, then every signal), the
audit log of what it decided, the worker's duties (the stored starter model, the daily
retrain), the queue in Wagtail's admin with its menu item and dashboard count, and the
readers' "Report" control under each comment (its pages are never shared by the page
cache)."""

import functools
import json

from django.template.loader import render_to_string
from django.urls import get_script_prefix, include, path, reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.site_summary import SummaryItem

from newsdesk.core import hooks as newsdesk_hooks
from newsdesk.discussion.pipeline import (
    Assessment,
    CommentCandidate,
    Verdict,
)
from newsdesk.moderation import admin_urls
from newsdesk.moderation import hooks_appeals as hooks_appeals  # its hooks register on import
from newsdesk.moderation.models import ReportReason
from newsdesk.moderation.queue import queue_counts
from newsdesk.moderation.scoring import comment_candidate_assess
from newsdesk.moderation.selectors import ban_active_for_candidate, ban_active_for_reader

BANNED_READER = gettext_lazy(
    "A moderator has banned you from this site's discussions: you cannot vote on or report "
    "comments."
)


@hooks.register(newsdesk_hooks.PAGECACHE_RULES)
def page_cache_rules() -> newsdesk_hooks.PageCacheRules:
    """The report form is a reader's own."""
    return newsdesk_hooks.PageCacheRules(private_prefixes=("/moderation/",))


def user_is_moderator(user) -> bool:
    return bool(user and user.is_active and user.has_perm("moderation.moderate_comment"))


@hooks.register(newsdesk_hooks.COMMENT_ASSESS)
def assess_comment(candidate: CommentCandidate) -> Assessment:
    """A banned author's comment is rejected (or, under a shadow ban, published to them
    alone) without scoring; everyone else's is scored by every signal."""
    ban = ban_active_for_candidate(candidate=candidate)
    if ban is not None:
        kind = ban.get_kind_display().lower()
        if ban.shadow:
            return Assessment(
                verdict=Verdict.PUBLISH,
                shadow=True,
                reasons=[f"shadowed: the author is under a shadow ban ({kind}, ban {ban.pk})"],
            )
        return Assessment(
            verdict=Verdict.REJECT,
            reasons=[f"rejected: the author is banned ({kind}, ban {ban.pk})"],
        )
    return comment_candidate_assess(candidate=candidate)


@hooks.register(newsdesk_hooks.READER_REFUSAL)
def refuse_banned_reader(*, reader) -> str:
    """A banned reader's vote or report is refused. A shadow ban refuses nothing: it must
    not tell its author they are banned."""
    ban = ban_active_for_reader(reader=reader)
    return str(BANNED_READER) if ban is not None and not ban.shadow else ""


@hooks.register(newsdesk_hooks.COMMENT_ASSESSED)
def log_automatic_decision(comment, assessment: Assessment) -> None:
    from newsdesk.moderation.services import decision_automatic_record

    decision_automatic_record(comment=comment, assessment=assessment)


@hooks.register(newsdesk_hooks.COMMENT_STAFF_ACTED)
def log_staff_mark(*, comment, actor, action: str, note: str) -> None:
    """Editors' picks and answers marked go to the audit log, with who and when."""
    from newsdesk.moderation.services import decision_staff_mark_record

    decision_staff_mark_record(comment=comment, actor=actor, action=action, note=note)


@hooks.register(newsdesk_hooks.WORKER_STARTUP)
def store_starter_model() -> None:
    """So that no reader's comment waits for the model to be trained in a web process."""
    from newsdesk.moderation.services import learned_model_starter_ensure
    from newsdesk.moderation.warmup import scorer_warm

    learned_model_starter_ensure()
    scorer_warm()


@hooks.register(newsdesk_hooks.SITE_STARTING)
def train_starter_models() -> None:
    """Before the web processes start: a web process that had to train the starter models
    itself (a fresh install, new labelled data) would keep its first commenter waiting."""
    from newsdesk.moderation.signals.learned import starter_bundle

    starter_bundle()


@hooks.register(newsdesk_hooks.WORKER_PERIODIC)
def retrain_learned_model() -> None:
    from newsdesk.moderation.services import learned_model_retrain_if_due

    learned_model_retrain_if_due()


# --- the admin ----------------------------------------------------------------------------
@hooks.register("register_admin_urls")
def moderation_admin_urls():
    return [path("moderation/", include(admin_urls))]


class QueueMenuItem(MenuItem):
    """ "Comment queue (N)": shown to moderators, with the number of comments waiting."""

    def is_shown(self, request):
        return user_is_moderator(request.user)

    def render_component(self, request):
        component = super().render_component(request)
        count = queue_counts()["total"]
        if count:
            component.label = _("%(label)s (%(count)s)") % {"label": self.label, "count": count}
        return component


@hooks.register("register_admin_menu_item")
def queue_menu_item():
    return QueueMenuItem(
        gettext_lazy("Comment queue"), reverse("moderation_queue"), icon_name="warning", order=250
    )


class QueueSummaryItem(SummaryItem):
    order = 400
    template_name = "moderation/admin/summary_item.html"

    def get_context_data(self, parent_context):
        return {"counts": queue_counts(), "url": reverse("moderation_queue")}

    def is_shown(self):
        return user_is_moderator(self.request.user)


@hooks.register("construct_homepage_summary_items")
def queue_summary_item(request, items) -> None:
    items.append(QueueSummaryItem(request))


# --- readers ------------------------------------------------------------------------------
@hooks.register(newsdesk_hooks.SLOT_ARTICLE_DISCUSSION)
def report_control(context) -> str:
    """The script that adds "Report" to each comment (the link works without it too)."""
    if context.get("request") is None:
        return ""
    return render_to_string(
        "moderation/report_control.html",
        {
            "reasons_json": json.dumps(
                [(value, str(label)) for value, label in ReportReason.choices]
            )
        },
        request=context["request"],
    )


_PK = 2_147_483_647  # stands for the comment's pk in the report URL reversed once


@functools.lru_cache(maxsize=8)
def _report_url_parts(script_prefix: str) -> tuple[str, str]:
    before, after = reverse("moderation:report", args=[_PK]).split(str(_PK))
    return escape(before), escape(after)


@hooks.register(newsdesk_hooks.COMMENT_ACTIONS)
def report_link(node) -> str:
    """A "Report" link under every comment but the reader's own; it works without script.

    Called for every comment of a thread page, so the URL is reversed once per script
    prefix, not once per comment.
    """
    if node.is_own:
        return ""
    before, after = _report_url_parts(get_script_prefix())
    return mark_safe(  # escaped pieces and an integer
        f'<a class="comment__action" href="{before}{int(node.comment.pk)}{after}" '
        f'data-js="report" rel="nofollow">{escape(pgettext("verb", "Report"))}</a>'
    )
