"""The moderators' appeals queue in Wagtail's admin (/admin/moderation/appeals/): each
appeal with its comment, the decision appealed and its reason, the author's message; a
moderator upholds or reverses it with a note. A moderator who made the decision appealed
is warned (another should look again), not stopped: a small newsroom may have one."""

from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST
from wagtail.admin import messages

from newsdesk.moderation import conf
from newsdesk.moderation.admin_views import moderator_required
from newsdesk.moderation.errors import ModerationError
from newsdesk.moderation.models import AppealState
from newsdesk.moderation.models_appeals import APPEAL_NOTE_MAX
from newsdesk.moderation.selectors_appeals import (
    appeals_list,
    appeals_pending_count,
    appeals_with_comments,
)
from newsdesk.moderation.services.appeals import appeal_decide

DONE = {
    "uphold": gettext_lazy("Upheld: the author is told."),
    "reverse": gettext_lazy("Reversed: the comment is published."),
}


@require_GET
@moderator_required
def appeals_view(request):
    state = request.GET.get("state", AppealState.PENDING)
    if state not in AppealState.values:
        state = AppealState.PENDING
    page = Paginator(appeals_list(state=state), conf.QUEUE_PAGE_SIZE).get_page(request.GET.get("p"))
    appeals = appeals_with_comments(appeals=list(page.object_list))
    for appeal in appeals:
        decision = appeal.decision
        appeal.own_decision = bool(  # type: ignore[attr-defined]
            decision is not None and decision.actor_id == request.user.pk
        )
    return render(
        request,
        "moderation/admin/appeals.html",
        {
            "page_title": _("Appeals"),
            "page": page,
            "appeals": appeals,
            "state": state,
            "states": AppealState.choices,
            "pending": appeals_pending_count(),
            "note_max": APPEAL_NOTE_MAX,
        },
    )


@require_POST
@moderator_required
def appeal_decide_view(request, appeal_id: int):
    outcome = request.POST.get("outcome", "")
    try:
        appeal_decide(
            appeal_id=appeal_id,
            actor=request.user,
            outcome=outcome,
            note=request.POST.get("note", ""),
        )
    except ModerationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, DONE[outcome])
    return redirect(reverse("moderation_appeals"))
