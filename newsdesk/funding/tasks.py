"""Background tasks of the funding app, run by the worker."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django_tasks import task

from newsdesk.core.siteurl import absolute_url, site_name, site_url
from newsdesk.funding.models import Donation, RecurringGift
from newsdesk.funding.money import money_format
from newsdesk.funding.services.recurring import recurring_gift_cancel_token


@task()
def donation_receipt_send(*, donation_id: int) -> bool:
    """E-mail the receipt of a gift; a monthly gift's receipt carries its cancel link.

    Returns False (sends nothing) when the gift has no e-mail address.
    """
    donation = Donation.objects.select_related("campaign").get(pk=donation_id)
    if not donation.donor_email:
        return False
    gift = None
    if donation.recurring and donation.subscription_id:
        gift = RecurringGift.objects.filter(
            provider=donation.provider, subscription_id=donation.subscription_id
        ).first()
    cancel_url = ""
    if gift is not None and gift.status == RecurringGift.Status.ACTIVE:
        token = recurring_gift_cancel_token(gift=gift)
        cancel_url = absolute_url(path=reverse("funding:cancel", kwargs={"token": token}))
    # The fees the donor covered are their own ledger row, written with the payment.
    fee_row = donation.reversals.filter(kind=Donation.Kind.FEE_COVER).first()
    fee = fee_row.amount if fee_row else None
    context = {
        "donation": donation,
        "amount": money_format(donation.amount, donation.currency, always_decimals=True),
        "fee": money_format(fee, donation.currency, always_decimals=True) if fee else "",
        "total": money_format(
            donation.amount + (fee or 0), donation.currency, always_decimals=True
        ),
        "cancel_url": cancel_url,
        "site_name": site_name(),
        "site_url": site_url(),
        "is_demo": donation.provider == Donation.Provider.DEMO,
    }
    send_mail(
        subject=render_to_string("funding/email/receipt_subject.txt", context).strip(),
        message=render_to_string("funding/email/receipt.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[donation.donor_email],
    )
    return True
