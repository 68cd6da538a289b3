"""The signed-in reader's discussion settings, ``/accounts/discussion/``: how often reply and
followed-thread e-mails come, whether "Supporter" shows beside their comments when they give,
the threads they follow and the commenters they ignore.

Thin over discussion's services and selectors (``services/reader_controls.py``,
``services/badge.py``, ``selectors_controls.py``). Every form posts back here with an
``action``; a refusal is shown above the page with its status and changes nothing. Never
cached: one reader's page.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from newsdesk.accounts.errors import UnknownAction
from newsdesk.core.errors import ServiceError
from newsdesk.discussion.readers import reader_from_request
from newsdesk.discussion.selectors_controls import (
    FREQUENCIES,
    followed_threads,
    ignored_commenters,
    notification_frequency_get,
)
from newsdesk.discussion.services.badge import supporter_badge_get, supporter_badge_set
from newsdesk.discussion.services.reader_controls import (
    commenter_unignore,
    notification_frequency_set,
    thread_unfollow,
)

PAGE = "accounts/discussion_settings.html"


def _number(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def _apply(request) -> str:
    """Carry out the posted ``action``; return what to tell the reader."""
    reader = reader_from_request(request)
    action = request.POST.get("action", "")
    if action == "frequency":
        frequency = notification_frequency_set(
            reader=reader, frequency=request.POST.get("frequency", "")
        )
        return _("E-mails about discussions: %(frequency)s.") % {
            "frequency": str(dict(FREQUENCIES)[frequency]).lower()
        }
    if action == "badge":
        # An unticked checkbox sends nothing: absent means "hide".
        if supporter_badge_set(
            reader=reader, show=request.POST.get("show_supporter_badge") == "on"
        ):
            return _("Your comments show that you give, while you do.")
        return _("Your comments no longer show whether you give.")
    if action == "unignore":
        commenter_unignore(reader=reader, ignored_id=_number(request.POST.get("ignored")))
        return _("You no longer ignore that commenter: their comments show again.")
    if action == "unfollow":
        thread_unfollow(reader=reader, thread_id=_number(request.POST.get("thread")))
        return _("You no longer follow that discussion.")
    raise UnknownAction()


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def discussion_settings(request):
    status, error = 200, None
    if request.method == "POST":
        try:
            messages.success(request, _apply(request))
        except ServiceError as refusal:
            status, error = refusal.status_code, refusal
        else:
            return redirect("account_discussion")
    user = request.user
    context = {
        "frequency": notification_frequency_get(user=user),
        "frequencies": FREQUENCIES,
        "show_supporter_badge": supporter_badge_get(user=user),
        "followed": [
            {
                "thread_id": s.thread_id,
                "title": str(s.thread),
                "url": s.thread.article.get_url(request) if s.thread.article_id else "",
            }
            for s in followed_threads(user=user)
        ],
        "ignored": list(ignored_commenters(user=user)),
        "error": error,
    }
    return render(request, PAGE, context, status=status)
