"""The donor e-mails: each occasion (with the time moved through ``now=``), their words and
placeholders, opt-out, and exactly once under a rerun and a worker that died in flight."""

import os
import smtplib
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail as django_mail
from django.utils import timezone

from newsdesk.core.taskrecovery import worker_id_for_this_process
from newsdesk.funding.models import Donation, RecurringGift
from newsdesk.funding.models_ask import SupportAskSettings
from newsdesk.funding.models_lifecycle import (
    LifecycleKind,
    LifecycleMail,
    LifecycleMessage,
    LifecycleOptOut,
)
from newsdesk.funding.services import lifecycle
from newsdesk.funding.services.ledger import donation_record
from newsdesk.funding.tasks_lifecycle import (
    lifecycle_mail_deliver,
    message_id_for,
    placeholders_fill,
)
from newsdesk.funding.tests.helpers import make_campaign

pytestmark = pytest.mark.django_db

NOW = timezone.now().replace(year=2027, month=3, day=15, hour=12)
_refs = iter(range(1, 10_000))


@pytest.fixture
def campaign(db):
    return make_campaign(name="Lifecycle drive")


def pay(campaign, email, *, days_ago=0, amount="20", subscription="", now=NOW, name="Ada"):
    return donation_record(
        provider=Donation.Provider.DEMO,
        provider_reference=f"lc-{next(_refs)}",
        kind=Donation.Kind.PAYMENT,
        amount=Decimal(amount),
        currency="USD",
        campaign=campaign,
        received_at=now - timedelta(days=days_ago),
        recurring=bool(subscription),
        subscription_id=subscription,
        donor_email=email,
        donor_name=name,
    )


def monthly_gift(email, *, status=RecurringGift.Status.ACTIVE, exp=None, **fields):
    month, year = exp or (None, None)
    return RecurringGift.objects.create(
        provider=Donation.Provider.DEMO,
        subscription_id=f"sub_lc_{next(_refs)}",
        amount=Decimal("10"),
        currency="USD",
        donor_email=email,
        donor_name="Mo",
        status=status,
        card_brand="visa",
        card_last4="4242",
        card_exp_month=month,
        card_exp_year=year,
        **fields,
    )


def kinds_of(email):
    return sorted(LifecycleMail.objects.filter(email=email).values_list("kind", flat=True))


# --- occasions at the ledger -----------------------------------------------------------------
def test_the_first_payment_from_an_address_claims_one_welcome_ever(campaign):
    first = pay(campaign, "New@Example.org")
    assert lifecycle.lifecycle_payment_mails_queue(donation=first) is False  # the receipt stays
    second = pay(campaign, "new@example.org")
    assert lifecycle.lifecycle_payment_mails_queue(donation=second) is False
    welcome = LifecycleMail.objects.get(kind=LifecycleKind.WELCOME)
    assert (welcome.email, welcome.donation_id) == ("new@example.org", first.pk)
    assert welcome.occasion.startswith("welcome:") and "example" not in welcome.occasion
    assert LifecycleMail.objects.count() == 1


def test_a_payment_after_a_refunded_one_is_the_first_standing_one(campaign):
    refunded = pay(campaign, "back@example.org")
    # The ledger claimed the welcome as it recorded the payment; forget it, as if the refund
    # had come before any welcome was due.
    LifecycleMail.objects.all().delete()
    donation_record(
        provider=Donation.Provider.DEMO,
        provider_reference="lc-refund",
        kind=Donation.Kind.REFUND,
        amount=Decimal("-20"),
        currency="USD",
        related_payment=refunded,
    )
    again = pay(campaign, "back@example.org")
    lifecycle.lifecycle_payment_mails_queue(donation=again)
    assert LifecycleMail.objects.get(kind=LifecycleKind.WELCOME).donation_id == again.pk


def test_monthly_charges_after_the_first_get_the_lifecycle_receipt_instead(campaign):
    gift = monthly_gift("monthly@example.org")
    first = pay(campaign, "monthly@example.org", days_ago=31, subscription=gift.subscription_id)
    assert lifecycle.lifecycle_payment_mails_queue(donation=first) is False
    assert kinds_of("monthly@example.org") == ["welcome"]
    second = pay(campaign, "monthly@example.org", subscription=gift.subscription_id)
    assert lifecycle.lifecycle_payment_mails_queue(donation=second) is True
    receipt = LifecycleMail.objects.get(kind=LifecycleKind.MONTHLY_RECEIPT)
    assert (receipt.occasion, receipt.recurring_gift_id) == (f"receipt:{second.pk}", gift.pk)
    # The same charge reported again: still the lifecycle receipt, claimed once.
    assert lifecycle.lifecycle_payment_mails_queue(donation=second) is True
    assert kinds_of("monthly@example.org") == ["monthly_receipt", "welcome"]


def test_a_one_time_gift_or_no_address_claims_no_receipt(campaign):
    gift = pay(campaign, "")
    assert lifecycle.lifecycle_payment_mails_queue(donation=gift) is False
    assert not LifecycleMail.objects.exists()


# --- the duty's occasions ----------------------------------------------------------------------
def test_cards_expiring_this_month_or_next_are_reminded_once_per_card():
    due = monthly_gift("due@example.org", exp=(3, 2027))
    monthly_gift("next@example.org", exp=(4, 2027))
    monthly_gift("later@example.org", exp=(5, 2027))
    monthly_gift("stopped@example.org", exp=(3, 2027), status=RecurringGift.Status.CANCELLED)
    monthly_gift("", exp=(3, 2027))
    queued = lifecycle.lifecycle_occasions_queue(now=NOW, batch=1)
    assert queued["card_expiring"] == 2
    assert kinds_of("due@example.org") == kinds_of("next@example.org") == ["card_expiring"]
    assert not kinds_of("later@example.org") and not kinds_of("stopped@example.org")
    assert LifecycleMail.objects.filter(occasion=f"card_expiring:{due.pk}:2027-03").exists()
    # A rerun, the next day: nothing new.
    assert lifecycle.lifecycle_occasions_queue(now=NOW + timedelta(days=1))["card_expiring"] == 0
    # In April: the May card is due now, and the first donor's new card (April) is reminded
    # of too, once more; April's card of the second donor was already.
    RecurringGift.objects.filter(pk=due.pk).update(card_exp_month=4)
    assert lifecycle.lifecycle_occasions_queue(now=NOW + timedelta(days=20))["card_expiring"] == 2
    assert kinds_of("later@example.org") == ["card_expiring"]
    assert LifecycleMail.objects.filter(occasion=f"card_expiring:{due.pk}:2027-04").exists()


def test_december_cards_look_ahead_to_january():
    monthly_gift("jan@example.org", exp=(1, 2028))
    december = NOW.replace(month=12, day=10)
    assert lifecycle.lifecycle_occasions_queue(now=december)["card_expiring"] == 1


def test_renewal_reminder_a_year_minus_the_lead_after_a_one_time_gift(campaign, settings):
    settings.FUNDING_RENEWAL_REMINDER_DAYS = 14
    gift = pay(campaign, "annual@example.org", days_ago=355)
    pay(campaign, "early@example.org", days_ago=340)  # not yet
    pay(campaign, "gave-again@example.org", days_ago=355)
    pay(campaign, "gave-again@example.org", days_ago=30)  # gave since
    sub = monthly_gift("monthly@example.org").subscription_id
    pay(campaign, "monthly@example.org", days_ago=355, subscription=sub)  # a running gift
    pay(campaign, "ex-monthly@example.org", days_ago=355, subscription="sub_gone")  # not one-time
    queued = lifecycle.lifecycle_occasions_queue(now=NOW)
    assert queued["renewal_reminder"] == 1
    reminder = LifecycleMail.objects.get(kind=LifecycleKind.RENEWAL_REMINDER)
    assert (reminder.email, reminder.donation_id) == ("annual@example.org", gift.pk)
    day = timezone.localtime(gift.received_at).date().isoformat()
    assert reminder.occasion.endswith(f":{day}")
    # Every day until the anniversary the scan finds the donor again: claimed once.
    for days in range(1, 10):
        lifecycle.lifecycle_occasions_queue(now=NOW + timedelta(days=days))
    assert LifecycleMail.objects.filter(kind=LifecycleKind.RENEWAL_REMINDER).count() == 1
    # With a longer lead, the early donor is due too.
    settings.FUNDING_RENEWAL_REMINDER_DAYS = 30
    assert lifecycle.lifecycle_occasions_queue(now=NOW)["renewal_reminder"] == 1
    # (the welcome is the ledger's, claimed when the gift was recorded)
    assert kinds_of("early@example.org") == ["renewal_reminder", "welcome"]


def test_lapsed_donors_are_thanked_once_after_the_editors_days(campaign):
    settings_ = SupportAskSettings.load()
    settings_.lapsed_after_days = 400
    settings_.save()
    last = pay(campaign, "lapsed@example.org", days_ago=405)
    pay(campaign, "recent@example.org", days_ago=380)
    pay(campaign, "ancient@example.org", days_ago=900)  # long before the window
    pay(campaign, "returned@example.org", days_ago=405)
    pay(campaign, "returned@example.org", days_ago=3)
    # A gift refunded since does not count as giving since.
    pay(campaign, "refunded@example.org", days_ago=405)
    late = pay(campaign, "refunded@example.org", days_ago=3)
    donation_record(
        provider=Donation.Provider.DEMO,
        provider_reference="lc-refund-late",
        kind=Donation.Kind.REFUND,
        amount=Decimal("-20"),
        currency="USD",
        related_payment=late,
    )
    # A monthly donor whose gift was cancelled 402 days ago, a month after its last charge.
    monthly_gift(
        "cancelled@example.org",
        status=RecurringGift.Status.CANCELLED,
        cancelled_at=NOW - timedelta(days=402),
    )
    pay(campaign, "cancelled@example.org", days_ago=432, subscription="sub_x")
    # Same, cancelled only 100 days ago: not lapsed yet.
    monthly_gift(
        "just-cancelled@example.org",
        status=RecurringGift.Status.CANCELLED,
        cancelled_at=NOW - timedelta(days=100),
    )
    pay(campaign, "just-cancelled@example.org", days_ago=405, subscription="sub_y")

    queued = lifecycle.lifecycle_occasions_queue(now=NOW, batch=2)
    lapsed = set(
        LifecycleMail.objects.filter(kind=LifecycleKind.LAPSED).values_list("email", flat=True)
    )
    assert lapsed == {"lapsed@example.org", "refunded@example.org", "cancelled@example.org"}
    assert queued["lapsed"] == 3
    lapsed_mail = LifecycleMail.objects.get(email="lapsed@example.org", kind=LifecycleKind.LAPSED)
    assert lapsed_mail.occasion.endswith(f":{last.pk}")
    assert lifecycle.lifecycle_occasions_queue(now=NOW + timedelta(days=2))["lapsed"] == 0


def test_the_duty_runs_at_most_hourly():
    monthly_gift("due@example.org", exp=(NOW.month, NOW.year))
    assert lifecycle.lifecycle_duty_run(now=NOW).ran
    assert not lifecycle.lifecycle_duty_run(now=NOW).ran
    assert LifecycleMail.objects.count() == 1


# --- sending -----------------------------------------------------------------------------------
def test_a_queued_mail_is_rendered_and_sent_once_with_its_words(campaign):
    LifecycleMessage.objects.filter(kind="welcome").update(
        subject="Hi {name}: {amount} {nope}", body="Thanks {name} for {amount} on {date}.{x.y}"
    )
    donation = pay(campaign, "reader@example.org", name="Ruth", now=timezone.now())
    lifecycle.lifecycle_mail_queue(
        kind=LifecycleKind.WELCOME, occasion="t:1", email="reader@example.org", donation=donation
    )
    row = LifecycleMail.objects.get(occasion="t:1")
    assert row.status == "queued"
    assert lifecycle_mail_deliver(mail_id=row.pk) == "sent"
    assert lifecycle_mail_deliver(mail_id=row.pk) == "done"
    (message,) = django_mail.outbox
    assert message.subject == "Hi Ruth: $20.00"
    assert message.body.startswith("Thanks Ruth for $20.00 on ")
    assert "{x.y}" in message.body  # not a placeholder: left as written
    assert message.to == ["reader@example.org"]
    assert message.extra_headers["Message-ID"] == f"<{message_id_for(mail=row)}>"
    assert "List-Unsubscribe" not in message.extra_headers  # a payment mail
    row.refresh_from_db()
    assert (row.status, row.note) == ("sent", "") and row.sent_at is not None


def test_queueing_in_a_transaction_sends_on_commit(campaign, django_capture_on_commit_callbacks):
    donation = pay(campaign, "commit@example.org")
    django_mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert lifecycle.lifecycle_mail_queue(
            kind=LifecycleKind.WELCOME,
            occasion="t:c",
            email="commit@example.org",
            donation=donation,
        )
    assert [m.to for m in django_mail.outbox] == [["commit@example.org"]]
    assert LifecycleMail.objects.get(occasion="t:c").status == "sent"


def test_placeholders_are_plain_text():
    values = {"name": "Ann"}
    assert placeholders_fill(text="{name}{missing}{name.__class__}{{name}}", values=values) == (
        "Ann{name.__class__}{Ann}"
    )


@pytest.mark.parametrize("change", [{"enabled": False}, None])
def test_a_kind_switched_off_or_without_words_is_skipped_with_a_note(campaign, change):
    messages = LifecycleMessage.objects.filter(kind="card_expiring")
    messages.update(**change) if change else messages.delete()
    gift = monthly_gift("card@example.org", exp=(3, 2027))
    lifecycle.lifecycle_mail_queue(
        kind=LifecycleKind.CARD_EXPIRING,
        occasion="t:2",
        email=gift.donor_email,
        recurring_gift=gift,
    )
    row = LifecycleMail.objects.get(occasion="t:2")
    assert lifecycle_mail_deliver(mail_id=row.pk) == "skipped"
    row.refresh_from_db()
    assert row.status == "skipped" and row.note
    assert not django_mail.outbox


def test_marketing_mails_carry_one_click_unsubscribe_and_skip_opted_out_addresses(campaign):
    donation = pay(campaign, "ask@example.org", days_ago=355)
    lifecycle.lifecycle_mail_queue(
        kind=LifecycleKind.RENEWAL_REMINDER,
        occasion="t:3",
        email="ask@example.org",
        donation=donation,
    )
    row = LifecycleMail.objects.get(occasion="t:3")
    assert lifecycle_mail_deliver(mail_id=row.pk) == "sent"
    (message,) = django_mail.outbox
    link = message.extra_headers["List-Unsubscribe"].strip("<>")
    assert "/donate/emails/unsubscribe/" in link and link in message.body
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    lifecycle.lifecycle_opt_out(email="ASK@example.org")
    assert LifecycleOptOut.objects.filter(email="ask@example.org").exists()
    assert not lifecycle.lifecycle_mail_queue(
        kind=LifecycleKind.LAPSED, occasion="t:4", email="ask@example.org"
    )
    assert LifecycleMail.objects.get(occasion="t:4").status == "skipped"
    # Payment mails still go to an address out of the marketing ones.
    assert lifecycle.lifecycle_mail_queue(
        kind=LifecycleKind.WELCOME, occasion="t:5", email="ask@example.org", donation=donation
    )


def test_opting_out_skips_the_marketing_mails_already_queued(campaign):
    lifecycle.lifecycle_mail_queue(kind=LifecycleKind.LAPSED, occasion="t:6", email="q@example.org")
    lifecycle.lifecycle_opt_out(email="q@example.org")
    row = LifecycleMail.objects.get(occasion="t:6")
    assert row.status == "skipped"
    assert lifecycle_mail_deliver(mail_id=row.pk) == "done"
    assert not django_mail.outbox


# --- exactly once when the worker dies -----------------------------------------------------
def _queued(campaign, occasion="t:k"):
    donation = pay(campaign, "kill@example.org")
    lifecycle.lifecycle_mail_queue(
        kind=LifecycleKind.WELCOME, occasion=occasion, email="kill@example.org", donation=donation
    )
    return LifecycleMail.objects.get(occasion=occasion)


def _dead_pid() -> int:
    pid = os.fork()
    if pid == 0:
        os._exit(0)
    os.waitpid(pid, 0)
    return pid


def test_a_mail_in_flight_under_a_dead_worker_is_sent_again_with_the_same_message_id(campaign):
    row = _queued(campaign)
    host = worker_id_for_this_process().split(":")[1]
    LifecycleMail.objects.filter(pk=row.pk).update(note=f"sending:newsdesk:{host}:{_dead_pid()}")
    assert lifecycle_mail_deliver(mail_id=row.pk) == "resent"
    (message,) = django_mail.outbox
    assert message.extra_headers["Message-ID"] == f"<{message_id_for(mail=row)}>"
    row.refresh_from_db()
    assert row.status == "sent" and "Sent again" in row.note
    assert lifecycle_mail_deliver(mail_id=row.pk) == "done"
    assert len(django_mail.outbox) == 1


def test_a_mail_in_flight_under_a_live_worker_is_left_to_it(campaign):
    row = _queued(campaign)
    host = worker_id_for_this_process().split(":")[1]
    LifecycleMail.objects.filter(pk=row.pk).update(note=f"sending:newsdesk:{host}:1")
    assert lifecycle_mail_deliver(mail_id=row.pk) == "busy"
    assert not django_mail.outbox
    assert LifecycleMail.objects.get(pk=row.pk).status == "queued"


def test_a_mail_server_failure_gives_the_mail_back_and_the_duty_queues_it_again(
    campaign, monkeypatch, django_capture_on_commit_callbacks
):
    row = _queued(campaign)

    def down(self, *args, **kwargs):
        raise smtplib.SMTPServerDisconnected("gone")

    monkeypatch.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", down)
    with pytest.raises(smtplib.SMTPServerDisconnected):
        lifecycle_mail_deliver(mail_id=row.pk)
    row.refresh_from_db()
    assert (row.status, row.note) == ("queued", "")
    monkeypatch.undo()
    LifecycleMail.objects.filter(pk=row.pk).update(created_at=timezone.now() - timedelta(hours=2))
    with django_capture_on_commit_callbacks(execute=True):
        assert lifecycle.lifecycle_stale_requeue() == 1
    row.refresh_from_db()
    assert row.status == "sent" and len(django_mail.outbox) == 1


def test_a_refused_recipient_is_marked_not_sent(campaign, monkeypatch):
    row = _queued(campaign)

    def refuse(self, *args, **kwargs):
        raise smtplib.SMTPRecipientsRefused({"kill@example.org": (550, b"no such user")})

    monkeypatch.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", refuse)
    assert lifecycle_mail_deliver(mail_id=row.pk) == "skipped"
    row.refresh_from_db()
    assert row.status == "skipped" and "Refused" in row.note


# --- through the ledger ------------------------------------------------------------------------
def _ledger_wired() -> bool:
    import inspect

    from newsdesk.funding.services import ledger

    return "lifecycle_payment_mails_queue" in inspect.getsource(ledger)


@pytest.mark.skipif(not _ledger_wired(), reason="the ledger's call site is the lead's to change")
def test_through_the_ledger_a_monthly_donor_gets_a_welcome_then_lifecycle_receipts(
    campaign, django_capture_on_commit_callbacks
):
    gift = monthly_gift("flow@example.org")
    LifecycleMessage.objects.filter(kind="monthly_receipt").update(subject="Monthly {amount}")
    with django_capture_on_commit_callbacks(execute=True):
        pay(
            campaign, "flow@example.org", subscription=gift.subscription_id, now=NOW - timedelta(31)
        )
    subjects = sorted(message.subject for message in django_mail.outbox)
    assert len(subjects) == 2 and subjects[0].startswith("Welcome")
    assert "monthly gift of $20.00" in subjects[1]  # the generic receipt, for the first charge
    django_mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        pay(campaign, "flow@example.org", subscription=gift.subscription_id, now=NOW)
    assert [message.subject for message in django_mail.outbox] == ["Monthly $20.00"]
