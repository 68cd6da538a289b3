"""Sending one donor e-mail (a ``LifecycleMail``), run by the worker; and its rendering.

Once, even when the worker dies (as the newsletters' sending does, docs/newsletters.md):

- Before the hand-over the task marks the row *in flight* with a conditional UPDATE naming
  its worker (``note`` = ``sending:<worker id>``, only if the row is still queued and as the
  task read it): two runs at once (the task queued twice) cannot both send; the one that
  lost the UPDATE does nothing.
- Right after the server accepted the message the row is marked sent, again only if it is
  still this worker's: a run after a finished one finds it sent and does nothing.
- A worker killed between the two leaves the row in flight under a dead worker; its task is
  queued again (``core/taskrecovery.py``) and sends the message again, with the same
  Message-ID (``message_id_for``), so a mail program can tell the copy. That one message may
  arrive twice (at least once: SMTP cannot tell us whether a message we lost the answer to
  was accepted); none is lost, and no other is sent twice. A row in flight under a live
  worker is left to it.
- A failure of the server (down, timeout) gives the row back (queued, not in flight) and
  fails the task; the duty queues it again within the hour.
"""

import hashlib
import logging
import re
import smtplib
from datetime import datetime
from decimal import Decimal
from email.utils import parseaddr

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django_tasks import task

from newsdesk.core.siteurl import absolute_url, site_name
from newsdesk.core.taskrecovery import worker_dead, worker_id_for_this_process
from newsdesk.funding.lifecycle_words import LIFECYCLE_WORDS
from newsdesk.funding.models_lifecycle import (
    MARKETING_KINDS,
    LifecycleMail,
    LifecycleMessage,
    LifecycleOptOut,
)
from newsdesk.funding.money import money_format
from newsdesk.funding.services.giving_links import recurring_gift_manage_url
from newsdesk.funding.services.lifecycle import charged_total, lifecycle_unsubscribe_token
from newsdesk.funding.shipped_words import shipped_or_own

logger = logging.getLogger(__name__)

IN_FLIGHT = "sending:"
PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")
PLACEHOLDERS = (
    "name",
    "amount",
    "site_name",
    "manage_url",
    "donate_url",
    "card",
    "date",
)
# Refusals of this one recipient: the mail is marked not sent, with the server's reason.
RECIPIENT_REFUSED = (
    smtplib.SMTPRecipientsRefused,
    smtplib.SMTPSenderRefused,
    smtplib.SMTPDataError,
)


# --- rendering -------------------------------------------------------------------------------
def placeholders_fill(*, text: str, values: dict[str, str]) -> str:
    """``text`` with each ``{placeholder}`` replaced by its value; one it does not know is
    left empty. Plain text: nothing else in ``text`` is read (no attribute or format
    syntax), so staff's words cannot reach into the objects."""
    return PLACEHOLDER.sub(lambda match: values.get(match.group(1), ""), text)


def _day(moment: datetime) -> str:
    return date_format(timezone.localtime(moment), "DATE_FORMAT")


def mail_values(*, mail: LifecycleMail) -> dict[str, str]:
    """The placeholders' values for one mail, from its gift or monthly gift."""
    donation, gift = mail.donation, mail.recurring_gift
    values = {
        "site_name": site_name(),
        "donate_url": absolute_url(path=reverse("funding:donate")),
        "name": (donation.donor_name if donation else "") or (gift.donor_name if gift else ""),
    }
    if donation is not None:
        amount, currency = charged_total(donation=donation)
        values["amount"] = money_format(amount, currency, always_decimals=True)
        values["date"] = _day(donation.received_at)
    if gift is not None:
        values.setdefault("amount", money_format(gift.amount, gift.currency, always_decimals=True))
        values["manage_url"] = recurring_gift_manage_url(gift=gift)
        if gift.card_last4:
            brand = (gift.card_brand or "card").title()
            values["card"] = _("%(brand)s ending in %(last4)s") % {
                "brand": brand,
                "last4": gift.card_last4,
            }
        if mail.kind == "card_expiring" and gift.card_exp_month and gift.card_exp_year:
            values["date"] = f"{gift.card_exp_month:02d}/{gift.card_exp_year}"
    values["name"] = values["name"] or _("friend")
    return values


def sample_values() -> dict[str, str]:
    """Made-up values for the admin's preview."""
    return {
        "name": "Alex Reader",
        "amount": money_format(Decimal("15"), "USD", always_decimals=True),
        "site_name": site_name(),
        "manage_url": absolute_url(path="/account/giving/"),
        "donate_url": absolute_url(path=reverse("funding:donate")),
        "card": _("%(brand)s ending in %(last4)s") % {"brand": "Visa", "last4": "4242"},
        "date": _day(timezone.now()),
    }


def mail_render(
    *, message: LifecycleMessage, values: dict[str, str], unsubscribe_url: str = ""
) -> tuple[str, str]:
    """The subject (one line) and plain-text body of ``message`` with ``values``; a marketing
    mail's body ends with its unsubscribe line, whatever the words say. Words still as
    shipped (``LIFECYCLE_WORDS``) come in the active language, staff's own as written."""
    shipped_subject, shipped_body = LIFECYCLE_WORDS.get(message.kind, ("", ""))
    subject_words = shipped_or_own(message.subject, shipped=shipped_subject)
    body_words = shipped_or_own(message.body, shipped=shipped_body)
    subject = " ".join(placeholders_fill(text=subject_words, values=values).split())
    body = placeholders_fill(text=body_words, values=values).strip() + "\n"
    if unsubscribe_url:
        body += render_to_string(
            "funding/lifecycle/unsubscribe_footer.txt",
            {"site_name": values.get("site_name", ""), "unsubscribe_url": unsubscribe_url},
        )
    return subject, body


def message_id_for(*, mail: LifecycleMail) -> str:
    """The Message-ID of a mail (without brackets): the same on every attempt."""
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "newsdesk.invalid"
    digest = hashlib.sha256(f"{mail.pk}:{mail.occasion}".encode()).hexdigest()[:12]
    return f"lifecycle.{mail.pk}.{digest}@{domain}"


def unsubscribe_url_for(*, email: str) -> str:
    token = lifecycle_unsubscribe_token(email=email)
    return absolute_url(path=reverse("funding:lifecycle_unsubscribe", kwargs={"token": token}))


def message_build(*, mail: LifecycleMail, message: LifecycleMessage) -> EmailMessage:
    """The e-mail of one mail: its words, its Message-ID, and for a marketing kind the
    RFC 8058 one-click unsubscribe headers."""
    marketing = mail.kind in MARKETING_KINDS
    unsubscribe_url = unsubscribe_url_for(email=mail.email) if marketing else ""
    subject, body = mail_render(
        message=message, values=mail_values(mail=mail), unsubscribe_url=unsubscribe_url
    )
    headers = {"Message-ID": f"<{message_id_for(mail=mail)}>"}
    if marketing:
        headers["List-Unsubscribe"] = f"<{unsubscribe_url}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    return EmailMessage(
        subject=subject,
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[mail.email],
        headers=headers,
    )


# --- sending once ------------------------------------------------------------------------------
def _finish(*, mail_id: int, claim: str, status: str, note: str) -> bool:
    fields: dict = {"status": status, "note": note[:255]}
    if status == LifecycleMail.Status.SENT:
        fields["sent_at"] = timezone.now()
    return bool(LifecycleMail.objects.filter(pk=mail_id, note=claim).update(**fields))


def _skip_reason(*, mail: LifecycleMail) -> tuple[LifecycleMessage | None, str]:
    message = LifecycleMessage.objects.filter(kind=mail.kind).first()
    if message is None:
        return None, "No words are written for this kind of e-mail."
    if not message.enabled:
        return None, "This kind of e-mail is switched off."
    if mail.kind in MARKETING_KINDS and LifecycleOptOut.objects.filter(email=mail.email).exists():
        return None, "The address left the donor e-mails."
    return message, ""


def lifecycle_mail_deliver(*, mail_id: int) -> str:
    """Send one queued mail, at most once (see the module's docstring); returns what
    happened: ``sent``, ``resent`` (after a worker died in flight), ``skipped``, ``done``
    (sent or skipped before), ``busy`` (another live worker has it in flight)."""
    mail = (
        LifecycleMail.objects.select_related("donation", "recurring_gift")
        .filter(pk=mail_id)
        .first()
    )
    if mail is None or mail.status != LifecycleMail.Status.QUEUED:
        return "done"
    me = worker_id_for_this_process()
    resent = mail.note.startswith(IN_FLIGHT)
    if resent:
        holder = mail.note[len(IN_FLIGHT) :]
        if holder != me and not worker_dead(holder):
            return "busy"
    claim = f"{IN_FLIGHT}{me}"
    taken = LifecycleMail.objects.filter(
        pk=mail.pk, status=LifecycleMail.Status.QUEUED, note=mail.note
    ).update(note=claim)
    if not taken:
        return "busy"
    message, reason = _skip_reason(mail=mail)
    if message is None:
        _finish(mail_id=mail.pk, claim=claim, status=LifecycleMail.Status.SKIPPED, note=reason)
        return "skipped"
    email = message_build(mail=mail, message=message)
    try:
        email.send()
    except RECIPIENT_REFUSED as error:
        logger.info("Donor e-mail %s to %s refused: %s", mail.pk, mail.email, error)
        _finish(
            mail_id=mail.pk,
            claim=claim,
            status=LifecycleMail.Status.SKIPPED,
            note=f"Refused by the mail server: {error}",
        )
        return "skipped"
    except BaseException:
        # Not sent (the server is down, the worker is told to stop): give the row back.
        LifecycleMail.objects.filter(pk=mail.pk, note=claim).update(note="")
        raise
    note = "Sent again: a worker had stopped while sending it." if resent else ""
    _finish(mail_id=mail.pk, claim=claim, status=LifecycleMail.Status.SENT, note=note)
    if resent:
        logger.warning("Donor e-mail %s was in flight when a worker died; sent again", mail.pk)
    return "resent" if resent else "sent"


@task()
def lifecycle_mail_send(*, mail_id: int) -> str:
    """Send the donor e-mail ``mail_id`` once (safe to run twice or at once)."""
    return lifecycle_mail_deliver(mail_id=mail_id)
