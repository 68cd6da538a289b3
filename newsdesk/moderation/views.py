"""Readers' side of moderation: reporting a comment (a page without JavaScript, JSON for the
script). Rate-limited; a guest is known by the discussion's signed cookie."""

from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from newsdesk.core.ratelimit import request_rate_limited
from newsdesk.discussion.readers import (
    guest_cookie_set,
    guest_key_from_request,
    guest_key_new,
    reader_from_request,
)
from newsdesk.discussion.selectors import comment_for_reader
from newsdesk.moderation import conf
from newsdesk.moderation.errors import ModerationError
from newsdesk.moderation.forms import ReportForm
from newsdesk.moderation.services import report_create

DONE = gettext_lazy("Thank you: moderators will look at this comment.")


def wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def _back_url(comment) -> str:
    return reverse("discussion:permalink", args=[comment.pk]) if comment else "/"


@require_http_methods(["GET", "POST"])
def report_view(request, comment_id: int):
    """``/moderation/comments/ID/report/``: the form (GET) and the report itself (POST).

    The page quotes the comment, so it is loaded by the discussion's one visibility rule
    (``comment_for_reader``) and must be public: anything else is "no such comment".
    """
    comment = comment_for_reader(comment_id=comment_id, reader=reader_from_request(request))
    if comment is not None and not comment.is_public:
        comment = None  # moderators see held comments; nobody reports them
    if request.method == "GET":
        if comment is None:
            raise Http404(_("There is no such comment to report."))
        return render(
            request,
            "moderation/report_page.html",
            {"comment": comment, "form": ReportForm(), "back_url": _back_url(comment)},
        )

    if request_rate_limited(
        request, action="comment-report", per_ip=conf.RATE_REPORT, per_user=conf.RATE_REPORT
    ):
        message = _("You are reporting too often; wait a while and try again.")
        if wants_json(request):
            return JsonResponse({"detail": message}, status=429)
        return render(
            request,
            "discussion/message_page.html",
            {"message": message, "is_error": True},
            status=429,
        )
    guest_key = "" if request.user.is_authenticated else guest_key_from_request(request)
    new_guest_key = not request.user.is_authenticated and not guest_key
    if new_guest_key:
        guest_key = guest_key_new()
    reader = reader_from_request(request, guest_key=guest_key)
    try:
        report_create(
            comment_id=comment_id,
            reader=reader,
            reason=request.POST.get("reason", ""),
            text=request.POST.get("text", ""),
        )
    except ModerationError as error:
        if wants_json(request) or comment is None:
            body = {"detail": error.message}
            if error.field:
                body["field"] = error.field
            return JsonResponse(body, status=error.status_code)
        return render(
            request,
            "moderation/report_page.html",
            {
                "comment": comment,
                "form": ReportForm(request.POST),
                "error": error.message,
                "back_url": _back_url(comment),
            },
            status=error.status_code,
        )
    if wants_json(request):
        response = JsonResponse({"id": comment_id, "message": str(DONE)}, status=201)
    else:
        response = render(
            request,
            "moderation/report_page.html",
            {"comment": comment, "message": DONE, "back_url": _back_url(comment)},
            status=201,
        )
    if new_guest_key:
        guest_cookie_set(response, request=request, guest_key=guest_key)
    return response
