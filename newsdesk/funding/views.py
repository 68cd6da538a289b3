"""Public views of reader funding: donate, the demo checkout, thanks, the wall, cancelling,
and the Stripe webhook. Thin: the work is in ``services`` and ``selectors``."""

import logging
from decimal import Decimal, InvalidOperation

import stripe
from django.core import signing
from django.http import HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from newsdesk.core.errors import error_body
from newsdesk.core.ratelimit import RateLimit, request_rate_limited
from newsdesk.funding import conf
from newsdesk.funding.fees import fee_for, fee_formula, fee_formula_text
from newsdesk.funding.forms import DonateForm, source_page_id_clean
from newsdesk.funding.models import FundingSettings, RecurringGift
from newsdesk.funding.money import MoneyError, money_format
from newsdesk.funding.selectors import campaign_current, donor_wall
from newsdesk.funding.services.checkout import (
    GiftRequest,
    checkout_start,
    demo_checkout_complete,
    demo_gift_read,
)
from newsdesk.funding.services.events import EventError, provider_event_process
from newsdesk.funding.services.recurring import recurring_gift_cancel, recurring_gift_from_token
from newsdesk.funding.shipped_words import shipped_or_own
from newsdesk.funding.views_links import unknown_link

logger = logging.getLogger(__name__)


def _rate_limited(request, action: str) -> bool:
    """Per address, and per account for a signed-in reader (who may move between addresses)."""
    limit, window = conf.donate_rate_per_ip()
    rate = RateLimit(limit, window)
    return request_rate_limited(request, action=action, per_ip=rate, per_user=rate)


def _too_many(request) -> HttpResponse:
    return render(
        request,
        "funding/message.html",
        {"title": _("Too many attempts"), "text": _("Please wait a minute and try again.")},
        status=429,
    )


def donate_fee_context(*, currency: str, form: DonateForm) -> dict:
    """What the page shows of the fee option: the formula (for the script, and in words for
    readers without it) and the fee on the amount chosen as the page opens."""
    chosen = form["amount"].value() if not form.is_bound else None
    try:
        fee = fee_for(amount=Decimal(str(chosen)), currency=currency) if chosen else None
    except (InvalidOperation, ValueError, MoneyError):
        fee = None
    return {
        "fee_formula": fee_formula(currency=currency),
        "fee_formula_text": fee_formula_text(currency=currency),
        "fee_initial": money_format(fee, currency, always_decimals=True) if fee else "",
    }


@require_http_methods(["GET", "POST"])
def donate(request):
    campaign = campaign_current()
    if request.method == "POST":
        if _rate_limited(request, "funding-donate"):
            return _too_many(request)
        form = DonateForm(request.POST, campaign=campaign)
        if form.is_valid():
            data = form.cleaned_data
            gift = GiftRequest(
                campaign_id=data["campaign_obj"].pk,
                amount=form.amount_value,
                currency=data["currency"],
                monthly=data["frequency"] == "monthly",
                email=data["email"],
                donor_name=data["donor_name"],
                message=data["message"],
                attempt_key=data["attempt"],
                fee=form.fee_value,
                source_page_id=data["source_page_id"],
            )
            try:
                url = checkout_start(gift=gift, campaign=data["campaign_obj"])
            except stripe.StripeError:
                logger.exception("Stripe refused to start a checkout")
                form.add_error(None, _("The payment service is not answering. Please try again."))
            else:
                return HttpResponseRedirect(url)
        status = 400
    else:
        # ``?from=<page id>``: the article the reader came from, kept if it is a live page.
        source_page_id = source_page_id_clean(request.GET.get("from"))
        form = DonateForm(campaign=campaign, initial={"from": source_page_id or ""})
        status = 200
    context = {
        "form": form,
        "campaign": campaign,
        "provider": conf.payment_provider(),
        **(donate_fee_context(currency=campaign.currency, form=form) if campaign else {}),
    }
    return render(request, "funding/donate.html", context, status=status)


@require_http_methods(["GET", "POST"])
def demo_checkout(request, token: str):
    """The demo provider's payment page. It says plainly that no money moves."""
    if conf.payment_provider() != "demo":
        return render(
            request,
            "funding/message.html",
            {"title": _("Not available"), "text": _("This site takes real payments.")},
            status=404,
        )
    try:
        gift = demo_gift_read(token=token)
    except signing.BadSignature:
        return render(
            request,
            "funding/message.html",
            {
                "title": _("Link expired"),
                "text": _("Start your gift again from the donate page."),
            },
            status=400,
        )
    if request.method == "POST":
        if _rate_limited(request, "funding-demo-pay"):
            return _too_many(request)
        demo_checkout_complete(gift=gift)
        monthly = "&monthly=1" if gift.monthly else ""
        return HttpResponseRedirect(reverse("funding:thanks") + "?demo=1" + monthly)
    return render(request, "funding/demo_checkout.html", {"gift": gift})


def thanks(request):
    settings_ = FundingSettings.load(request_or_site=request)
    # Whether the gift was monthly, for the support ask's mark in the reader's browser
    # (a monthly donor stays "current" there); the return address says so, nothing else.
    monthly = request.GET.get("monthly") == "1"
    return render(
        request,
        "funding/thanks.html",
        {
            "thanks_text": shipped_or_own(
                settings_.thanks_text, shipped=FundingSettings.THANKS_TEXT
            ),
            "gift_monthly": monthly,
        },
    )


def wall(request):
    campaign = campaign_current()
    return render(
        request, "funding/wall.html", {"campaign": campaign, "gifts": donor_wall(limit=200)}
    )


@require_http_methods(["GET", "POST"])
def cancel(request, token: str):
    """Stop a monthly gift from the link in its receipt: a confirmation page, then a POST."""
    gift = recurring_gift_from_token(token=token)
    if gift is None:
        return unknown_link(request, text=_("This cancel link is not valid."))
    asked = False
    if request.method == "POST" and gift.status in (
        RecurringGift.Status.ACTIVE,
        RecurringGift.Status.PAUSED,
    ):
        if _rate_limited(request, "funding-cancel"):
            return _too_many(request)
        try:
            gift = recurring_gift_cancel(gift=gift)
            # With Stripe the gift stops when its signed event lands, not at this answer.
            asked = gift.status != RecurringGift.Status.CANCELLED
        except stripe.StripeError:
            logger.exception("Stripe refused to cancel subscription %s", gift.subscription_id)
            return render(
                request,
                "funding/cancel.html",
                {"gift": gift, "error": _("The payment service is not answering. Try again.")},
                status=502,
            )
    return render(request, "funding/cancel.html", {"gift": gift, "asked": asked})


@csrf_exempt
@require_POST
def stripe_webhook(request):
    """Stripe's events: verified against the raw body, then applied in one transaction.

    400 for a missing or bad signature (nothing written); 200 for everything verified,
    including types we do not handle and events already applied.
    """
    secret = conf.stripe_webhook_secret()
    if not secret:
        return JsonResponse({"detail": "Stripe webhooks are not configured."}, status=400)
    payload = request.body.decode("utf-8", errors="replace")
    try:
        stripe.Webhook.construct_event(payload, request.headers.get("Stripe-Signature", ""), secret)
    except (ValueError, stripe.SignatureVerificationError):
        return JsonResponse({"detail": "Invalid signature."}, status=400)
    try:
        outcome = provider_event_process(provider="stripe", payload=payload)
    except EventError as error:
        logger.error("Stripe event refused: %s", error)
        return JsonResponse(error_body(error), status=error.status_code)
    return JsonResponse({"received": True, "outcome": str(outcome)})
