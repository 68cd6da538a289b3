"""A monthly gift managed without signing in: the page the lifecycle e-mails link to (a
signed link naming the gift), and the demo provider's card page. Thin: the work is in
``services/giving.py``; the signed-in page is ``accounts/views_giving.py``."""

import uuid

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from newsdesk.core.errors import ServiceError
from newsdesk.core.ratelimit import RateLimit, request_rate_limited
from newsdesk.funding import conf
from newsdesk.funding.selectors_donor import recurring_gift_with_next_charge
from newsdesk.funding.services.giving import (
    DEMO_CARDS,
    demo_card_complete,
    demo_card_request_read,
    recurring_gift_change,
)
from newsdesk.funding.services.giving_links import (
    recurring_gift_from_manage_token,
    recurring_gift_manage_path,
)
from newsdesk.funding.views_links import unknown_link


def _rate_limited(request, action: str) -> bool:
    limit, window = conf.donate_rate_per_ip()
    rate = RateLimit(limit, window)
    return request_rate_limited(request, action=action, per_ip=rate, per_user=rate)


@never_cache
@require_http_methods(["GET", "POST"])
def manage(request, token: str):
    gift = recurring_gift_from_manage_token(token=token)
    if gift is None:
        return unknown_link(request, text=_("This link to manage a monthly gift is not valid."))
    here = recurring_gift_manage_path(gift=gift)
    status = 200
    if request.method == "POST":
        if _rate_limited(request, "funding-giving-change"):
            messages.error(request, _("Too many changes at once. Please wait a minute."))
            status = 429
        else:
            try:
                change = recurring_gift_change(
                    gift=gift,
                    action=request.POST.get("action", ""),
                    amount_text=request.POST.get("amount", ""),
                    attempt_key=request.POST.get("attempt", ""),
                    return_path=here,
                )
            except ServiceError as error:
                messages.error(request, error.message)
                status = error.status_code
            else:
                if change.redirect:
                    return HttpResponseRedirect(change.redirect)
                messages.success(request, change.said)
                return HttpResponseRedirect(here)
        gift.refresh_from_db()
    if request.GET.get("card") == "updated":
        messages.info(
            request,
            _("Your new card is saved: it shows here once the payment service confirms it."),
        )
    context = {
        "row": recurring_gift_with_next_charge(gift=gift),
        "attempt": uuid.uuid4().hex,
        "action_url": here,
    }
    return render(request, "funding/giving_manage.html", context, status=status)


@never_cache
@require_http_methods(["GET", "POST"])
def demo_card(request, token: str):
    """The demo provider's card page: a test card is picked, nothing is charged."""
    if conf.payment_provider() != "demo":
        return render(
            request,
            "funding/message.html",
            {"title": _("Not available"), "text": _("This site takes real payments.")},
            status=404,
        )
    card_request = demo_card_request_read(token=token)
    if card_request is None:
        return render(
            request,
            "funding/message.html",
            {
                "title": _("Link expired"),
                "text": _("Go back to your giving page and start again."),
            },
            status=400,
        )
    error = ""
    if request.method == "POST":
        if _rate_limited(request, "funding-demo-card"):
            error = _("Too many attempts. Please wait a minute.")
        else:
            try:
                demo_card_complete(
                    request=card_request,
                    last4=request.POST.get("card", ""),
                    exp_month=_int(request.POST.get("exp_month")),
                    exp_year=_int(request.POST.get("exp_year")),
                )
            except ServiceError as refusal:
                error = refusal.message
            else:
                messages.success(request, _("Your new card is saved."))
                return HttpResponseRedirect(card_request.return_path)
    context = {
        "gift": card_request.gift,
        "cards": [(last4, brand) for last4, (brand, _exp) in DEMO_CARDS.items()],
        "error": error,
        "back": card_request.return_path,
    }
    return render(request, "funding/giving_demo_card.html", context, status=400 if error else 200)


def _int(text: str | None) -> int:
    return int(text) if text and text.isdigit() and len(text) <= 4 else 0
