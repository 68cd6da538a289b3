"""The moderators' screens in Wagtail's admin: the queue (held and reported comments, one at
a time or in bulk, with keyboard shortcuts), the audit log with undo, bans, and retraining
the learned model. Everyone but moderators gets 403 (Wagtail sends the signed-out to sign in).
"""

from functools import wraps
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext_lazy
from django.views.decorators.http import require_GET, require_POST
from wagtail.admin import messages

from newsdesk.moderation import conf, services
from newsdesk.moderation.errors import ModerationError
from newsdesk.moderation.forms import BanForm, expiry_from_days
from newsdesk.moderation.models import BanKind, DecisionAction, LearnedModel
from newsdesk.moderation.models_notes import NOTE_BODY_MAX
from newsdesk.moderation.queue import (
    QUEUE_STATUSES,
    REPORTED,
    WATCHED,
    LogFilters,
    QueueFilters,
    bans_list,
    comment_ban_identifiers,
    decisions_list,
    queue_articles,
    queue_comments,
    queue_counts,
    queue_tabs,
)
from newsdesk.moderation.reasons import MODERATOR_REASONS
from newsdesk.moderation.selectors import evaluation_report_rows, onnx_model_summary
from newsdesk.moderation.selectors_dossier import (
    commenter_key,
    dossiers_for_comments,
    story_watch_get,
)
from newsdesk.moderation.services.bans import AUTHOR
from newsdesk.moderation.services.decisions import REJECT_LABELS
from newsdesk.moderation.signals import SIGNAL_LABELS


def moderator_required(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        user = request.user
        if not (user.is_authenticated and user.is_active):
            return redirect(f"{reverse('wagtailadmin_login')}?next={request.path}")
        if not user.has_perm("moderation.moderate_comment"):
            return render(request, "moderation/admin/forbidden.html", status=403)
        return view(request, *args, **kwargs)

    return wrapped


def _back(request, default: str) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


# The rejection labels in the moderator's words (the codes are what the form sends).
REJECT_LABEL_WORDS = {
    "abuse": pgettext_lazy("reject label", "abuse"),
    "hate": pgettext_lazy("reject label", "hate"),
    "spam": pgettext_lazy("reject label", "spam"),
}


def dossier_forms() -> list[tuple[str, str]]:
    """The forms the commenters' note and watch buttons name (``_dossier_forms.html``):
    outside the queue's own form, so no button has to re-target its form."""
    return [
        ("note-add-form", reverse("moderation_note_add")),
        ("note-delete-form", reverse("moderation_note_delete")),
        ("watch-toggle-form", reverse("moderation_watch_toggle")),
    ]


BAN_DAYS = [
    ("", gettext_lazy("ever")),
    ("1", gettext_lazy("1 day")),
    ("7", gettext_lazy("7 days")),
    ("30", gettext_lazy("30 days")),
    ("365", gettext_lazy("1 year")),
]


@require_GET
@moderator_required
def queue_view(request):
    filters = QueueFilters.from_query(request.GET)
    page = Paginator(queue_comments(filters=filters), conf.QUEUE_PAGE_SIZE).get_page(
        request.GET.get("p")
    )
    # Each commenter's history, notes and watch (a fixed number of queries for the page).
    dossiers = dossiers_for_comments(comments=list(page.object_list))
    for comment in page.object_list:
        # What the row's "Ban author" offers, all of it checked (no query: the row's fields).
        comment.ban_identifiers = comment_ban_identifiers(comment=comment)
        comment.dossier = dossiers.get(commenter_key(comment))
    # The tabs keep the moderator's narrowing (signal, article, reported only).
    narrowing = {
        key: value
        for key, value in (
            ("signal", filters.signal),
            ("article", filters.article_id or ""),
            ("reported", "1" if filters.reported_only else ""),
        )
        if value
    }
    tabs = queue_tabs(filters=filters)
    for tab in tabs:
        tab["query"] = urlencode({"status": tab["status"], **narrowing})
    if narrowing:
        counts = queue_counts()
    else:  # the tabs counted the whole queue already
        held, reported, total = (tab["count"] for tab in tabs[:3])
        counts = {"held": held, "reported": reported, "total": total}
    return render(
        request,
        "moderation/admin/queue.html",
        {
            "page_title": _("Comment queue"),
            "page": page,
            "filters": filters,
            "counts": counts,
            "tabs": tabs,
            "statuses": [*QUEUE_STATUSES, REPORTED, "all", WATCHED],
            "signals": SIGNAL_LABELS,
            "articles": queue_articles(),
            "reject_labels": [(code, REJECT_LABEL_WORDS.get(code, code)) for code in REJECT_LABELS],
            "moderator_reasons": MODERATOR_REASONS,
            "ban_kinds": [
                (AUTHOR, _("the author (account, or guest by all they carry)")),
                (BanKind.ACCOUNT, _("account")),
                (BanKind.EMAIL, _("e-mail")),
                (BanKind.IP, _("IP")),
            ],
            "ban_days": BAN_DAYS,
            "here": request.get_full_path(),
            "story_watch": story_watch_get(article_id=filters.article_id),
            "note_max": NOTE_BODY_MAX,
            "dossier_forms": dossier_forms(),
        },
    )


def _ids(request) -> list[int]:
    ids = []
    for value in request.POST.getlist("comment"):
        try:
            ids.append(int(value))
        except ValueError:
            continue
    return ids


@require_POST
@moderator_required
def queue_act(request):
    """One action on the checked comments: approve, reject, spam, or ban their authors."""
    action = request.POST.get("action", "")
    ids = _ids(request)
    # A row's own button sends "action:id" and acts on that comment alone.
    single = request.POST.get("single", "")
    if single:
        action, _colon, single_id = single.partition(":")
        ids = [int(single_id)] if single_id.isdigit() else []
    back = _back(request, reverse("moderation_queue"))
    try:
        if action == "ban":
            if not ids:
                raise ModerationError(_("Choose at least one comment."))
            for comment_id in ids:
                services.ban_from_comment(
                    comment_id=comment_id, actor=request.user, **_ban_choices(request, comment_id)
                )
            done = ngettext(
                "Banned the author of %(count)s comment(s).",
                "Banned the author of %(count)s comment(s).",
                len(ids),
            ) % {"count": len(ids)}
        else:
            decisions = services.comments_moderate(
                comment_ids=ids,
                action=action,
                actor=request.user,
                label=request.POST.get("label", ""),
                note=request.POST.get("note", "")[:200],
                reason=request.POST.get("reason", ""),
            )
            done = ngettext(
                "%(action)s: %(count)s comment(s).",
                "%(action)s: %(count)s comment(s).",
                len(decisions),
            ) % {"action": decisions[0].get_action_display(), "count": len(decisions)}
    except ModerationError as error:
        messages.error(request, error.message)
        return redirect(back)
    messages.success(request, done)
    return redirect(back)


def _ban_choices(request, comment_id: int) -> dict:
    """How to ban one comment's author: from that row's own ban panel when the row's button
    sent the form (what to ban by, for how long, why), else from the bulk controls."""
    post = request.POST
    if post.get("single") == f"ban:{comment_id}" and post.get(f"ban_panel_{comment_id}"):
        return {
            "kind": AUTHOR,
            "identifiers": post.getlist(f"ban_with_{comment_id}"),
            "shadow": post.get(f"ban_shadow_{comment_id}") == "1",
            "reason": post.get(f"ban_reason_{comment_id}", "")[:300],
            "expires_at": expiry_from_days(_days(post.get(f"ban_days_{comment_id}"))),
        }
    return {
        "kind": post.get("ban_kind", AUTHOR),
        "shadow": post.get("shadow") == "1",
        "reason": post.get("note", "")[:300],
        "expires_at": expiry_from_days(_days(post.get("ban_days"))),
    }


def _days(value) -> int | None:
    try:
        days = int(value)
    except (TypeError, ValueError):
        return None
    return days if 0 < days <= 3650 else None


@require_GET
@moderator_required
def log_view(request):
    filters = LogFilters.from_query(request.GET)
    page = Paginator(decisions_list(filters=filters), conf.QUEUE_PAGE_SIZE).get_page(
        request.GET.get("p")
    )
    return render(
        request,
        "moderation/admin/log.html",
        {
            "page_title": _("Moderation log"),
            "page": page,
            "filters": filters,
            "actions": DecisionAction.choices,
            "here": request.get_full_path(),
        },
    )


@require_POST
@moderator_required
def decision_undo_view(request, decision_id: int):
    try:
        services.decision_undo(decision_id=decision_id, actor=request.user)
    except ModerationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Undone: the comment has its previous status back."))
    return redirect(_back(request, reverse("moderation_log")))


@moderator_required
def bans_view(request):
    form = BanForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            ban = services.ban_create(
                kind=data["kind"],
                target=data["target"],
                actor=request.user,
                shadow=data["shadow"],
                reason=data["reason"],
                expires_at=expiry_from_days(data["expires_in_days"]),
            )
        except ModerationError as error:
            form.add_error("target" if error.field in (None, "target") else None, error.message)
        else:
            messages.success(request, _("Added: %(ban)s.") % {"ban": ban})
            return redirect("moderation_bans")
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "moderation/admin/bans.html",
        {"page_title": _("Bans"), "form": form, "bans": bans_list()[:200]},
        status=status,
    )


@require_POST
@moderator_required
def ban_lift_view(request, ban_id: int):
    try:
        ban = services.ban_lift(ban_id=ban_id, actor=request.user)
    except ModerationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Lifted: %(ban)s.") % {"ban": ban})
    return redirect("moderation_bans")


@moderator_required
def retrain_view(request):
    """The learned models and the evaluation report; POST retrains now from the labelled
    set and moderators' decisions, or (``action=evaluate``) runs the evaluation protocols."""
    if request.method == "POST":
        from newsdesk.moderation.tasks import evaluation_report_make, learned_model_retrain

        if request.POST.get("action") == "evaluate":
            transaction.on_commit(evaluation_report_make.enqueue)
            messages.success(
                request, _("Evaluation queued: the worker measures the filter (a few minutes).")
            )
        else:
            transaction.on_commit(learned_model_retrain.enqueue)
            messages.success(request, _("Retraining queued: the worker trains the model shortly."))
        return redirect("moderation_retrain")
    return render(
        request,
        "moderation/admin/retrain.html",
        {
            "page_title": _("Learned model"),
            "models": LearnedModel.objects.defer("serialized")[:5],
            "report": evaluation_report_rows(),
            "onnx": onnx_model_summary(),
        },
    )
