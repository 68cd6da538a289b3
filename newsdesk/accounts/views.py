"""The privacy pages of a signed-in reader: what the site holds, download it, erase it.

Signed-in readers only (anonymous visitors are sent to sign in). Never cached: the pages and
the download are one person's.
"""

import json

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from newsdesk.accounts import conf, selectors, services
from newsdesk.accounts.errors import AccountError
from newsdesk.accounts.forms import AccountEraseForm
from newsdesk.core.ratelimit import request_rate_limited
from newsdesk.discussion import conf as discussion_conf

TOO_MANY = gettext_lazy("Too many attempts. Please wait a few minutes and try again.")


def _page_context(request, **extra) -> dict:
    return {
        "summary": selectors.personal_data_summary(user=request.user),
        "is_staff_account": services.account_is_staff(user=request.user),
        "placeholder_name": conf.PRIVACY_PLACEHOLDER_NAME,
        "ip_retention_days": discussion_conf.PRIVACY_IP_RETENTION_DAYS,
        **extra,
    }


@never_cache
@login_required
@require_GET
def privacy(request):
    return render(request, "accounts/privacy.html", _page_context(request))


@never_cache
@login_required
@require_GET
def export(request):
    if request_rate_limited(
        request, action="privacy-export", per_ip=conf.RATE_EXPORT, per_user=conf.RATE_EXPORT_USER
    ):
        return HttpResponse(str(TOO_MANY), status=429, content_type="text/plain; charset=utf-8")
    document = selectors.personal_data_export(user=request.user, request=request)
    response = HttpResponse(
        json.dumps(document, indent=2, ensure_ascii=False),
        content_type="application/json; charset=utf-8",
    )
    filename = f"my-data-{timezone.localdate():%Y-%m-%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def erase(request):
    form = AccountEraseForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if request_rate_limited(
            request, action="privacy-erase", per_ip=conf.RATE_ERASE, per_user=conf.RATE_ERASE_USER
        ):
            form.add_error(None, TOO_MANY)
            status = 429
        elif form.is_valid():
            try:
                services.account_erase(user=request.user, password=form.cleaned_data["password"])
            except AccountError as error:
                form.add_error(error.field, error.message)
                status = error.status_code
            else:
                logout(request)
                messages.success(request, _("Your account is erased."))
                return redirect("account_erased")
        else:
            status = 400
    return render(request, "accounts/erase.html", _page_context(request, form=form), status=status)


@never_cache
@require_GET
def erased(request):
    return render(request, "accounts/erased.html", {})
