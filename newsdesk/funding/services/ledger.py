"""The append-only ledger and the campaign totals stored beside it.

Every write takes the ledger lock first (see ``LedgerLock``), checks that the provider's
reference is new, adds the row and moves the stored total of the campaign period in the
same transaction. The campaign bar's cache is emptied once the transaction commits; the
receipt is queued with it (see ``core/taskqueue.py``).
"""

import hashlib
import logging
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, F, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from newsdesk.core.taskqueue import task_enqueue_with_commit
from newsdesk.funding.models import Campaign, CampaignTotal, Donation, LedgerLock, ProviderEvent
from newsdesk.funding.services.lifecycle import lifecycle_payment_mails_queue

if TYPE_CHECKING:
    from django.contrib.auth.models import User

logger = logging.getLogger(__name__)

CENTS = Decimal("0.01")
POSITIVE_KINDS = {Donation.Kind.PAYMENT, Donation.Kind.DISPUTE_REVERSAL, Donation.Kind.FEE_COVER}


def ledger_lock() -> None:
    """Take the ledger's lock for the rest of the current transaction."""
    list(LedgerLock.objects.select_for_update().filter(pk=1))


def donor_key_for(*, email: str, reference: str) -> str:
    """Who gave, for counting donors: the e-mail address hashed, else the gift itself."""
    basis = f"email:{email.strip().lower()}" if email.strip() else f"gift:{reference}"
    return hashlib.sha256(basis.encode()).hexdigest()


def donation_exists(*, provider: str, provider_reference: str, payment_intent_id: str = "") -> bool:
    """True when this reference, or a payment for the same payment intent, is recorded."""
    found = Q(provider=provider, provider_reference=provider_reference)
    if payment_intent_id:
        found |= Q(
            provider=provider, kind=Donation.Kind.PAYMENT, payment_intent_id=payment_intent_id
        )
    return Donation.objects.filter(found).exists()


def donation_record(
    *,
    provider: str,
    provider_reference: str,
    kind: str,
    amount: Decimal,
    currency: str,
    campaign: Campaign | None = None,
    related_payment: Donation | None = None,
    received_at: datetime | None = None,
    payment_intent_id: str = "",
    charge_id: str = "",
    recurring: bool = False,
    subscription_id: str = "",
    donor_name: str = "",
    donor_email: str = "",
    message: str = "",
    method: str = Donation.Method.CARD,
    note: str = "",
    recorded_by: "User | None" = None,
    provider_event: ProviderEvent | None = None,
    source_page_id: int | None = None,
    fee_covered: Decimal = Decimal(0),
    send_mail: bool = True,
) -> Donation | None:
    """Add one row to the ledger and move its campaign period's total; None if already there.

    A refund or dispute (``related_payment`` set) belongs to the campaign period of the
    payment it reverses. ``amount`` carries its sign: positive for payments and won
    disputes, negative for refunds and disputes. A payment whose donor covered the fees
    gets ``fee_covered`` (positive, the charge less ``amount``) as its own ``FEE_COVER`` row
    in the same transaction, referenced ``<reference>:fee``. Fee rows, and their refunds
    and disputes, do not count towards the campaign's raised total (see the README).
    ``send_mail=False`` records a payment without its receipt or welcome e-mail (history
    loaded in bulk, as the demo's).
    """
    if (kind in POSITIVE_KINDS) != (amount > 0):
        raise ValueError(f"A {kind} cannot have the amount {amount}.")
    if fee_covered < 0 or (fee_covered and kind != Donation.Kind.PAYMENT):
        raise ValueError(f"A {kind} cannot carry the fee {fee_covered}.")
    received_at = received_at or timezone.now()
    with transaction.atomic():
        ledger_lock()
        payment_intent = payment_intent_id if kind == Donation.Kind.PAYMENT else ""
        if donation_exists(
            provider=provider,
            provider_reference=provider_reference,
            payment_intent_id=payment_intent,
        ):
            return None
        if related_payment is not None:
            campaign = related_payment.campaign
            period_start = related_payment.period_start
        else:
            period_start = campaign.period_start(received_at) if campaign else None
        email = donor_email.strip().lower()
        donation = Donation.objects.create(
            campaign=campaign,
            period_start=period_start,
            kind=kind,
            provider=provider,
            provider_reference=provider_reference,
            method=method,
            amount=amount,
            currency=currency.upper(),
            payment_intent_id=payment_intent_id,
            charge_id=charge_id,
            related_payment=related_payment,
            recurring=recurring,
            subscription_id=subscription_id,
            donor_name=donor_name,
            donor_email=email,
            donor_key=donor_key_for(email=email, reference=f"{provider}:{provider_reference}"),
            message=message,
            note=note,
            received_at=received_at,
            recorded_by=recorded_by,
            provider_event=provider_event,
            source_page_id=source_page_id,
        )
        if (
            campaign is not None
            and donation.currency == campaign.currency
            and not _is_fee_money(kind=kind, related_payment=related_payment)
        ):
            _campaign_total_add(donation=donation)
        if fee_covered > 0:
            donation_record(
                provider=provider,
                provider_reference=f"{provider_reference}:fee",
                kind=Donation.Kind.FEE_COVER,
                amount=fee_covered,
                currency=currency,
                related_payment=donation,
                received_at=received_at,
                payment_intent_id=payment_intent_id,
                charge_id=charge_id,
                recurring=recurring,
                subscription_id=subscription_id,
                donor_email=email,
                method=method,
                provider_event=provider_event,
                source_page_id=source_page_id,
            )
        transaction.on_commit(_after_ledger_change)
        # The welcome (a first gift from the address) and, for a monthly charge after the
        # first, the lifecycle receipt that replaces the generic one.
        if (
            kind == Donation.Kind.PAYMENT
            and email
            and send_mail
            and not lifecycle_payment_mails_queue(donation=donation)
        ):
            _receipt_enqueue(donation_id=donation.pk)
    return donation


def _is_fee_money(*, kind: str, related_payment: Donation | None) -> bool:
    """A fee row, or a refund or dispute of one: money that passes to the provider."""
    return kind == Donation.Kind.FEE_COVER or (
        related_payment is not None and related_payment.kind == Donation.Kind.FEE_COVER
    )


def payment_fee_row(*, payment: Donation) -> Donation | None:
    """The fees the donor covered on ``payment`` (its ``FEE_COVER`` row), if any."""
    return payment.reversals.filter(kind=Donation.Kind.FEE_COVER).order_by("pk").first()


def charge_parts(*, payment: Donation, amount: Decimal) -> list[tuple[Donation, Decimal, str]]:
    """Share ``amount`` of a whole charge (refunded or disputed) between the gift and the
    fees the donor covered: the gift first, each part at most its row's amount. Each entry
    is (row, its part, the reference suffix of rows written against it)."""
    gift_part = min(amount, payment.amount)
    parts = [(payment, gift_part, "")]
    fee_row = payment_fee_row(payment=payment)
    if fee_row is not None:
        parts.append((fee_row, min(amount - gift_part, fee_row.amount), ":fee"))
    return parts


def _campaign_total_add(*, donation: Donation) -> None:
    # donation_record sets the period with the campaign; only those rows come here.
    assert donation.period_start is not None, "a campaign's gift without its period"
    total, _created = CampaignTotal.objects.get_or_create(
        campaign=donation.campaign, period_start=donation.period_start
    )
    new_donor = (
        donation.kind == Donation.Kind.PAYMENT
        and not Donation.objects.filter(
            campaign=donation.campaign,
            period_start=donation.period_start,
            currency=donation.currency,
            kind=Donation.Kind.PAYMENT,
            donor_key=donation.donor_key,
        )
        .exclude(pk=donation.pk)
        .exists()
    )
    CampaignTotal.objects.filter(pk=total.pk).update(
        raised=F("raised") + donation.amount, donors=F("donors") + (1 if new_donor else 0)
    )


def _after_ledger_change() -> None:
    from newsdesk.funding.bar import campaign_bar_forget

    campaign_bar_forget()


def _receipt_enqueue(*, donation_id: int) -> None:
    from newsdesk.funding.tasks import donation_receipt_send

    # Queued with the gift's own transaction where the queue allows it (a web process killed
    # right after the commit lost receipts); robust: the gift is recorded, and a receipt that
    # cannot be queued must not turn that into an error for the provider (which would resend
    # the event) or the reader.
    task_enqueue_with_commit(donation_receipt_send, robust=True, donation_id=donation_id)


def payment_refunded_so_far(*, payment: Donation) -> Decimal:
    """What refunds have already taken back from ``payment`` (a positive number)."""
    total = payment.reversals.filter(kind=Donation.Kind.REFUND).aggregate(s=Sum("amount"))["s"]
    return -(total or Decimal(0))


def donation_record_manual(
    *,
    campaign: Campaign | None,
    kind: str,
    amount: Decimal,
    currency: str,
    method: str,
    reference: str,
    recorded_by: "User | None",
    received_at: datetime | None = None,
    refunds_reference: str = "",
    donor_name: str = "",
    donor_email: str = "",
    message: str = "",
    note: str = "",
) -> Donation:
    """A gift (or the refund of one) that a treasurer received outside any provider.

    ``amount`` is positive as typed; a refund is stored negative against the manual payment
    named by ``refunds_reference``. Raises ``ValidationError`` when the reference is taken,
    the refunded payment is unknown, or the refund exceeds what is left of it.
    """
    reference = reference.strip()
    if amount <= 0:
        raise ValidationError({"amount": _("Enter a positive amount.")})
    related = None
    with transaction.atomic():
        ledger_lock()
        if Donation.objects.filter(
            provider=Donation.Provider.MANUAL, provider_reference=reference
        ).exists():
            raise ValidationError(
                {"reference": _("A gift with this reference is already recorded.")}
            )
        if kind == Donation.Kind.REFUND:
            related = Donation.objects.filter(
                provider=Donation.Provider.MANUAL,
                provider_reference=refunds_reference.strip(),
                kind=Donation.Kind.PAYMENT,
            ).first()
            if related is None:
                online = (
                    Donation.objects.filter(kind=Donation.Kind.PAYMENT)
                    .exclude(provider=Donation.Provider.MANUAL)
                    .filter(
                        Q(provider_reference=refunds_reference.strip())
                        | Q(payment_intent_id=refunds_reference.strip())
                    )
                    .first()
                )
                if online is not None and refunds_reference.strip():
                    raise ValidationError(
                        {
                            "refunds_reference": _(
                                "That gift was paid online: refund it from its page "
                                "(Donations, gift %(gift)s), so the provider pays it back."
                            )
                            % {"gift": online.pk}
                        }
                    )
                raise ValidationError(
                    {"refunds_reference": _("Name the reference of the recorded gift refunded.")}
                )
            if amount > related.amount - payment_refunded_so_far(payment=related):
                raise ValidationError({"amount": _("More than what is left of that gift.")})
            currency = related.currency
        elif kind != Donation.Kind.PAYMENT:
            raise ValidationError({"kind": _("Record a gift or a refund.")})
        donation = donation_record(
            provider=Donation.Provider.MANUAL,
            provider_reference=reference,
            kind=kind,
            amount=amount if kind == Donation.Kind.PAYMENT else -amount,
            currency=currency,
            campaign=campaign,
            related_payment=related,
            received_at=received_at,
            method=method,
            donor_name=donor_name,
            donor_email=donor_email,
            message=message,
            note=note,
            recorded_by=recorded_by,
        )
    if donation is None:  # the reference was checked under the ledger's lock: cannot happen
        raise ValidationError({"reference": _("A gift with this reference is already recorded.")})
    return donation


@dataclass(frozen=True)
class TotalDrift:
    """A stored campaign total that differs from the sum of its ledger rows."""

    campaign_id: int
    period_start: date
    stored_raised: Decimal
    ledger_raised: Decimal
    stored_donors: int
    ledger_donors: int


def campaign_totals_recompute(*, fix: bool = False) -> list[TotalDrift]:
    """Sum the ledger for every campaign period and compare with the stored totals.

    Returns each difference found; with ``fix`` the stored totals are set to the ledger's.
    """
    with transaction.atomic():
        ledger_lock()
        # A row with a campaign always has its period (donation_record sets both).
        ledger: dict[tuple[int, date], tuple[Decimal, int]] = {
            (row["campaign_id"], row["period_start"]): (
                Decimal(row["raised"]).quantize(CENTS),
                row["donors"],
            )
            for row in Donation.objects.filter(
                campaign__isnull=False, currency=F("campaign__currency")
            )
            # Fees the donors covered are not the campaign's money (README: fees).
            .exclude(kind=Donation.Kind.FEE_COVER)
            .exclude(related_payment__kind=Donation.Kind.FEE_COVER)
            .values("campaign_id", "period_start")
            .annotate(
                raised=Sum("amount"),
                donors=Count("donor_key", distinct=True, filter=Q(kind=Donation.Kind.PAYMENT)),
            )
            .order_by()
            if row["period_start"] is not None
        }
        stored = {
            (total.campaign_id, total.period_start): total for total in CampaignTotal.objects.all()
        }
        drifts = []
        for key in sorted(set(ledger) | set(stored), key=lambda k: (k[0], k[1])):
            ledger_raised, ledger_donors = ledger.get(key, (Decimal(0), 0))
            total = stored.get(key)
            stored_raised = total.raised if total else Decimal(0)
            stored_donors = total.donors if total else 0
            if (stored_raised, stored_donors) == (ledger_raised, ledger_donors):
                continue
            drifts.append(
                TotalDrift(
                    campaign_id=key[0],
                    period_start=key[1],
                    stored_raised=stored_raised,
                    ledger_raised=ledger_raised,
                    stored_donors=stored_donors,
                    ledger_donors=ledger_donors,
                )
            )
            if fix:
                CampaignTotal.objects.update_or_create(
                    campaign_id=key[0],
                    period_start=key[1],
                    defaults={"raised": ledger_raised, "donors": ledger_donors},
                )
        if fix and drifts:
            transaction.on_commit(_after_ledger_change)
    return drifts
