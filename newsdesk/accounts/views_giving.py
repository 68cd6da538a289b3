"""The donor's giving page, ``/account/giving/``: every gift made from the reader's verified
addresses with its receipt, the yearly statements, and each monthly gift with one-step
forms to change its amount or card, pause, resume or stop it.

A gift is the reader's only if its address is one of their *verified* ones; a form naming
another reader's gift answers 404, as if it did not exist. Changes are asked of the payment
provider and shown once its event lands (``funding/services/giving.py``). Never cached:
``/account/`` is private to the page cache."""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from newsdesk.accounts.selectors import user_verified_emails
from newsdesk.core.errors import ServiceError
from newsdesk.core.ratelimit import RateLimit, request_rate_limited
from newsdesk.funding.selectors_donor import (
    donor_gifts,
    donor_recurring_gift,
    donor_recurring_gifts,
)
from newsdesk.funding.selectors_receipts import receipt_years
from newsdesk.funding.services.giving import recurring_gift_change

# A donor changes a gift a few times; a flood is a script.
CHANGES_PER_USER = RateLimit(20, 600)
CHANGES_PER_IP = RateLimit(60, 600)


def _page(request, *, emails: list[str], status: int = 200):
    context = {
        "gifts": donor_gifts(emails=emails),
        "years": receipt_years(emails=emails),  # one statement each
        "monthly": donor_recurring_gifts(emails=emails),
        "attempt": uuid.uuid4().hex,
        "action_url": reverse("account_giving"),
        "has_addresses": bool(emails),
    }
    return render(request, "accounts/giving.html", context, status=status)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def giving(request):
    emails = user_verified_emails(user=request.user)
    if request.method == "GET":
        if request.GET.get("card") == "updated":
            messages.info(
                request,
                _("Your new card is saved: it shows here once the payment service confirms it."),
            )
        return _page(request, emails=emails)
    gift_id = request.POST.get("gift", "")
    gift = (
        donor_recurring_gift(emails=emails, gift_id=int(gift_id))
        if gift_id.isdigit() and len(gift_id) < 12
        else None
    )
    if gift is None:
        raise Http404("No such gift of yours.")
    if request_rate_limited(
        request, action="account-giving", per_ip=CHANGES_PER_IP, per_user=CHANGES_PER_USER
    ):
        messages.error(request, _("Too many changes at once. Please wait a few minutes."))
        return _page(request, emails=emails, status=429)
    try:
        change = recurring_gift_change(
            gift=gift,
            action=request.POST.get("action", ""),
            amount_text=request.POST.get("amount", ""),
            attempt_key=request.POST.get("attempt", ""),
            return_path=reverse("account_giving"),
        )
    except ServiceError as error:
        messages.error(request, error.message)
        return _page(request, emails=emails, status=error.status_code)
    if change.redirect:
        return redirect(change.redirect)
    messages.success(request, change.said)
    return redirect(f"{reverse('account_giving')}#gift-{gift.pk}-title")
