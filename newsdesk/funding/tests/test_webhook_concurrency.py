"""The same Stripe event sent by 10 threads at once counts once, over real HTTP.

A site of its own (gunicorn with threads, on this run's database: SQLite, or PostgreSQL when
DATABASE_URL names one) with a webhook secret set, so the requests really race.
"""

import json
import threading
import urllib.error
import urllib.request

import pytest

from newsdesk.funding.tests.helpers import (
    ids,
    stripe_signature,
    webhook_site_start,
)

THREADS = 10


@pytest.fixture(scope="module")
def webhook_site():
    site = webhook_site_start()
    site.shell(
        "from datetime import timedelta\n"
        "from django.utils import timezone\n"
        "from newsdesk.funding.models import Campaign\n"
        "Campaign.objects.create(name='Race drive', goal=1000, currency='USD',"
        " starts_at=timezone.now() - timedelta(days=1),"
        " ends_at=timezone.now() + timedelta(days=9))\n"
    )
    yield site
    site.stop()


def post_all(site, bodies: list[str]) -> list[int]:
    """POST every body at the same moment, one thread each; the HTTP statuses."""
    barrier = threading.Barrier(len(bodies))
    statuses: list[int] = [0] * len(bodies)

    def send(index: int, body: str) -> None:
        request = urllib.request.Request(
            site.url + "/webhooks/stripe/",
            data=body.encode(),
            headers={
                "Content-Type": "application/json",
                "Stripe-Signature": stripe_signature(body),
            },
            method="POST",
        )
        barrier.wait()
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                statuses[index] = response.status
        except urllib.error.HTTPError as error:
            statuses[index] = error.code

    threads = [threading.Thread(target=send, args=(i, b)) for i, b in enumerate(bodies)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return statuses


def ledger_of(site, payment_intent: str) -> dict:
    return json.loads(
        site.shell(
            "import json\n"
            "from newsdesk.funding.models import CampaignTotal, Donation, ProviderEvent\n"
            "from newsdesk.funding.services.ledger import campaign_totals_recompute\n"
            f"rows = Donation.objects.filter(payment_intent_id='{payment_intent}')\n"
            "total = CampaignTotal.objects.filter(campaign__name='Race drive').first()\n"
            "print(json.dumps({'rows': [[r.kind, str(r.amount)] for r in rows.order_by('pk')],"
            " 'events': ProviderEvent.objects.filter(waits_for='').count(),"
            " 'raised': str(total.raised) if total else '0',"
            " 'drift': len(campaign_totals_recompute())}))\n"
        )
        .strip()
        .splitlines()[-1]
    )


def checkout_event(event_id: str, ref: dict, amount_minor: int) -> str:
    return json.dumps(
        {
            "id": event_id,
            "object": "event",
            "type": "checkout.session.completed",
            "data": {
                "object": {
                    "id": ref["cs"],
                    "object": "checkout.session",
                    "mode": "payment",
                    "payment_status": "paid",
                    "amount_total": amount_minor,
                    "currency": "usd",
                    "payment_intent": ref["pi"],
                    "customer_details": {"email": "race@example.org"},
                    "metadata": {},
                }
            },
        }
    )


def test_the_same_event_from_ten_threads_counts_once(webhook_site):
    ref = ids()
    body = checkout_event(f"evt_race_{ref['pi']}", ref, 4200)
    statuses = post_all(webhook_site, [body] * THREADS)
    assert statuses == [200] * THREADS
    state = ledger_of(webhook_site, ref["pi"])
    assert state["rows"] == [["payment", "42.00"]]
    assert state["drift"] == 0


def test_one_payment_under_ten_event_ids_at_once_counts_once(webhook_site):
    ref = ids()
    bodies = [checkout_event(f"evt_many_{ref['pi']}_{n}", ref, 1000) for n in range(THREADS)]
    assert post_all(webhook_site, bodies) == [200] * THREADS
    state = ledger_of(webhook_site, ref["pi"])
    assert state["rows"] == [["payment", "10.00"]]
    assert state["drift"] == 0


def test_a_payment_and_its_refund_racing_end_in_the_right_totals(webhook_site):
    ref = ids()
    refund = json.dumps(
        {
            "id": f"evt_refund_{ref['pi']}",
            "type": "charge.refunded",
            "data": {
                "object": {
                    "id": ref["ch"],
                    "object": "charge",
                    "payment_intent": ref["pi"],
                    "amount": 3000,
                    "amount_refunded": 1000,
                    "currency": "usd",
                }
            },
        }
    )
    payment = checkout_event(f"evt_pay_{ref['pi']}", ref, 3000)
    assert post_all(webhook_site, [refund, payment] * 5) == [200] * THREADS
    state = ledger_of(webhook_site, ref["pi"])
    assert state["rows"] == [["payment", "30.00"], ["refund", "-10.00"]]
    assert state["drift"] == 0
