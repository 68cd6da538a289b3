"""The donor e-mails' demo: mails recorded as sent, a card that expires this month (which the
duty then reminds of once), safe to load twice."""

import io

import pytest
from django.core import mail as django_mail
from django.utils import timezone

from newsdesk.demo import donor_emails
from newsdesk.funding.models import RecurringGift
from newsdesk.funding.models_lifecycle import LifecycleMail
from newsdesk.funding.services.lifecycle import lifecycle_duty_run
from newsdesk.funding.tasks_lifecycle import lifecycle_mail_deliver
from newsdesk.funding.tests.helpers import make_campaign

pytestmark = pytest.mark.django_db


def test_the_demo_loads_twice_and_its_card_reminder_is_sent_once():
    make_campaign(name="Demo drive")
    donor_emails.load(stdout=io.StringIO())
    donor_emails.load(stdout=io.StringIO())
    assert LifecycleMail.objects.filter(status="sent").count() == len(donor_emails.SENT)
    gift = RecurringGift.objects.get(donor_email=donor_emails.CARD_DONOR[1])
    today = timezone.localdate()
    assert (gift.card_exp_month, gift.card_exp_year) == (today.month, today.year)

    assert lifecycle_duty_run(force=True).queued["card_expiring"] == 1
    reminder = LifecycleMail.objects.get(kind="card_expiring")
    assert lifecycle_mail_deliver(mail_id=reminder.pk) == "sent"
    (message,) = django_mail.outbox
    assert message.to == [donor_emails.CARD_DONOR[1]]
    assert (
        "Visa ending in 4242" in message.body and f"{today.month:02d}/{today.year}" in message.body
    )
    assert lifecycle_duty_run(force=True).queued["card_expiring"] == 0
