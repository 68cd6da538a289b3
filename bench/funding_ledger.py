"""What the campaign bar and the Stripe webhook cost (prints figures).

    .venv/bin/python -m bench.funding_ledger [EVENTS]

Uses its own SQLite test database (kept between runs in the data directory) and the test
settings (local-memory cache). Times: the bar from the cache (the cost on every page view);
the bar drawn after a donation emptied the cache (and its queries); signed
checkout.session.completed webhooks posted through Django's test client, each a new payment
(signature check, event stored, ledger row, total moved); the same events replayed (answered
from the event table, nothing written).
"""

import json
import os
import sys
import time
import uuid
from datetime import timedelta
from decimal import Decimal

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsdesk.settings.test")
os.environ.setdefault("NEWSDESK_TEST_DB", "bench-funding.sqlite3")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402


def main(events: int) -> None:
    from django.conf import settings
    from django.core.cache import cache
    from django.test import Client
    from django.utils import timezone

    from newsdesk.funding.bar import campaign_bar_forget, campaign_bar_html
    from newsdesk.funding.models import Campaign, Donation
    from newsdesk.funding.tests.helpers import WEBHOOK_SECRET, stripe_signature

    setup_test_environment()
    connection.creation.create_test_db(keepdb=True, verbosity=0)
    settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
    settings.STRIPE_SECRET_KEY = ""
    cache.clear()
    campaign = Campaign.objects.create(
        name=f"Bench {uuid.uuid4().hex[:6]}",
        goal=Decimal("4700"),
        currency="USD",
        starts_at=timezone.now() - timedelta(days=1),
        ends_at=timezone.now() + timedelta(days=30),
    )

    campaign_bar_html()
    calls = 20000
    start = time.perf_counter()
    for _ in range(calls):
        campaign_bar_html()
    cached = (time.perf_counter() - start) / calls
    print(f"campaign bar, cached:            {cached * 1e6:8.1f} µs per page view")

    queries = []

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    draws = 300
    start = time.perf_counter()
    with connection.execute_wrapper(count):
        for _ in range(draws):
            campaign_bar_forget()
            campaign_bar_html()
    drawn = (time.perf_counter() - start) / draws
    print(f"campaign bar, drawn anew:       {drawn * 1e3:8.2f} ms, {len(queries) // draws} queries")

    client = Client()
    bodies = []
    for n in range(events):
        key = uuid.uuid4().hex
        bodies.append(
            json.dumps(
                {
                    "id": f"evt_bench_{key}",
                    "type": "checkout.session.completed",
                    "data": {
                        "object": {
                            "id": f"cs_bench_{key}",
                            "mode": "payment",
                            "payment_status": "paid",
                            "amount_total": 1000 + n,
                            "currency": "usd",
                            "payment_intent": f"pi_bench_{key}",
                            "customer_details": {"email": f"bench{n}@example.org"},
                            "metadata": {"campaign_id": str(campaign.pk)},
                        }
                    },
                }
            )
        )

    def post_all() -> float:
        start = time.perf_counter()
        for body in bodies:
            response = client.post(
                "/webhooks/stripe/",
                data=body,
                content_type="application/json",
                HTTP_STRIPE_SIGNATURE=stripe_signature(body),
            )
            assert response.status_code == 200, response.content
        return time.perf_counter() - start

    first = post_all()
    recorded = Donation.objects.filter(campaign=campaign).count()
    print(
        f"webhook, new payments:          {first / events * 1e3:8.2f} ms each, "
        f"{events / first:6.0f}/s ({recorded} rows)"
    )
    replay = post_all()
    assert Donation.objects.filter(campaign=campaign).count() == recorded
    print(
        f"webhook, replayed:              {replay / events * 1e3:8.2f} ms each, "
        f"{events / replay:6.0f}/s (nothing written)"
    )
    # The receipts were sent by the immediate task backend inside the timed loop.


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 300)
