"""Admin views of the syndication app: "Poll now" for one source.

Reached through Wagtail's admin URLs (registered in ``wagtail_hooks.py``), so only signed-in
staff with admin access get here; changing sources is the permission it asks for.
"""

from django.contrib import messages
from django.db import transaction
from django.http import HttpResponse, HttpResponseForbidden
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from newsdesk.core.ratelimit import request_rate_limited
from newsdesk.syndication import conf
from newsdesk.syndication.models import Source

POLL_PERMISSION = "syndication.change_source"


def _listing_url() -> str:
    return reverse("wagtailsnippets_syndication_source:list")


def _next_url(request) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return _listing_url()


@require_http_methods(["GET", "POST"])
def source_poll_now(request, pk: int):
    """GET asks to confirm; POST queues a poll of the source for the worker."""
    if not request.user.has_perm(POLL_PERMISSION):
        # A plain 403: Wagtail would turn PermissionDenied into a redirect to the dashboard.
        return HttpResponseForbidden(
            _("You may not poll partner feeds."), content_type="text/plain"
        )
    source = get_object_or_404(Source.objects.select_related("outlet"), pk=pk)
    if request.method == "GET":
        return TemplateResponse(
            request,
            "syndication/admin/poll_confirm.html",
            {
                "source": source,
                "page_title": _("Poll %(source)s now") % {"source": source},
                "header_icon": "rotate",
                "next_url": _next_url(request),
            },
        )
    rate = conf.poll_now_rate()
    if request_rate_limited(request, action="syndication-poll-now", per_ip=rate, per_user=rate):
        return HttpResponse(
            _("Too many polls asked for in a short time; wait a minute."),
            status=429,
            content_type="text/plain",
        )
    from newsdesk.syndication.tasks import poll_source

    transaction.on_commit(lambda: poll_source.enqueue(source.pk))
    messages.success(
        request,
        _("Polling %(source)s now. Its result will show in the list of sources when it is done.")
        % {"source": source},
    )
    return redirect(_next_url(request))
