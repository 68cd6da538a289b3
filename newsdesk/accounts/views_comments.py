"""A signed-in reader's "Your comments" page: every comment they wrote, its article, status
and date and, when it is not published, why (the decision's reason in plain words, never a
score) and where their appeal stands; a form to appeal a held, rejected or removed comment
once. Never cached: ``/accounts/`` is private to the page cache."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from newsdesk.core.errors import ServiceError
from newsdesk.core.ratelimit import RateLimit, request_rate_limited
from newsdesk.discussion.selectors_own import comments_written_by
from newsdesk.moderation.models_appeals import APPEAL_MESSAGE_MAX
from newsdesk.moderation.selectors_appeals import author_statements
from newsdesk.moderation.services.appeals import appeal_create

PAGE_SIZE = 20
# Appeals sent: a reader has few comments to appeal; a flood is a script.
APPEALS_PER_USER = RateLimit(5, 3600)
APPEALS_PER_IP = RateLimit(20, 3600)
TOO_MANY = gettext_lazy("Too many appeals sent from here. Please wait an hour and try again.")


def _page(request, *, status: int = 200, failed: dict | None = None):
    page = Paginator(comments_written_by(user_id=request.user.pk), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    statements = author_statements(comments=page.object_list)
    rows = [
        {
            "comment": comment,
            "statement": statements[comment.pk],
            "permalink": reverse("discussion:permalink", args=[comment.pk]),
        }
        for comment in page.object_list
    ]
    return render(
        request,
        "accounts/comments.html",
        {
            "page": page,
            "rows": rows,
            "failed": failed or {},
            "message_max": APPEAL_MESSAGE_MAX,
        },
        status=status,
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def comments(request):
    if request.method == "GET":
        return _page(request)
    comment_id = request.POST.get("comment", "")
    message = request.POST.get("message", "")
    failed = {"comment": comment_id, "message": message[: APPEAL_MESSAGE_MAX * 2]}
    if request_rate_limited(
        request, action="moderation-appeal", per_ip=APPEALS_PER_IP, per_user=APPEALS_PER_USER
    ):
        return _page(request, status=429, failed={**failed, "error": TOO_MANY})
    try:
        appeal = appeal_create(user=request.user, comment_id=comment_id, message=message)
    except ServiceError as error:
        return _page(request, status=error.status_code, failed={**failed, "error": error.message})
    messages.success(request, _("Your appeal is sent: a moderator will look at it again."))
    target = reverse("account_comments")
    page = request.GET.get("page", "")
    if page.isdigit() and len(page) <= 4:
        target += f"?page={page}"
    return redirect(f"{target}#comment-{appeal.comment_id}")
