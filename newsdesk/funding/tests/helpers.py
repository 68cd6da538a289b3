"""Helpers for the funding tests: campaigns, Stripe-signed webhook bodies, fixture events."""

import copy
import hashlib
import hmac
import itertools
import json
import time
import uuid
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from newsdesk.funding.models import Campaign
from tests.support.fixtures import shared_fixture

WEBHOOK_SECRET = "whsec_test_newsdesk_secret"
_numbers = itertools.count(1)


def make_campaign(
    *,
    goal: str = "4700",
    currency: str = "USD",
    kind: str = Campaign.Kind.FIXED,
    days_left: int = 10,
    active: bool = True,
    name: str | None = None,
) -> Campaign:
    now = timezone.now()
    return Campaign.objects.create(
        name=name or f"Drive {next(_numbers)}",
        kind=kind,
        goal=Decimal(goal),
        currency=currency,
        starts_at=now - timedelta(days=5),
        ends_at=now + timedelta(days=days_left) if kind == Campaign.Kind.FIXED else None,
        is_active=active,
    )


def stripe_signature(payload: str, *, secret: str = WEBHOOK_SECRET, timestamp=None) -> str:
    """Stripe's documented scheme: ``t=<unix>,v1=HMAC-SHA256(secret, "<t>.<body>")``."""
    timestamp = int(time.time()) if timestamp is None else timestamp
    digest = hmac.new(
        secret.encode(), f"{timestamp}.{payload}".encode(), hashlib.sha256
    ).hexdigest()
    return f"t={timestamp},v1={digest}"


def fixture_event(event_type: str, **object_changes) -> dict:
    """A Stripe event from the shared fixtures, with a fresh unique id and ``object_changes``
    applied to ``data.object``."""
    path = shared_fixture(f"stripe/events/{event_type}.json")
    event = json.loads(path.read_text())
    event = copy.deepcopy(event)
    event["id"] = f"evt_test_{uuid.uuid4().hex}"
    event["data"]["object"].update(object_changes)
    return event


def post_event(client, event: dict | str, *, signature: str | None = "sign"):
    body = event if isinstance(event, str) else json.dumps(event)
    headers = {}
    if signature == "sign":
        headers["HTTP_STRIPE_SIGNATURE"] = stripe_signature(body)
    elif signature is not None:
        headers["HTTP_STRIPE_SIGNATURE"] = signature
    return client.post("/webhooks/stripe/", data=body, content_type="application/json", **headers)


def ids() -> dict:
    """Linked ids of one payment, as Stripe would report them across events."""
    n = uuid.uuid4().hex[:20]
    return {"pi": f"pi_{n}", "ch": f"ch_{n}", "cs": f"cs_test_{n}", "sub": f"sub_{n}"}


def checkout_paid(campaign, *, amount_minor=3000, ref=None, email="reader@example.org", **meta):
    ref = ref or ids()
    return fixture_event(
        "checkout.session.completed",
        id=ref["cs"],
        payment_intent=ref["pi"],
        amount_total=amount_minor,
        currency=campaign.currency.lower(),
        customer_details={"email": email},
        metadata={"campaign_id": str(campaign.pk), **meta},
    )


def charge_refunded(*, ref, amount_minor=3000, refunded_minor=3000, currency="usd"):
    return fixture_event(
        "charge.refunded",
        id=ref["ch"],
        payment_intent=ref["pi"],
        amount=amount_minor,
        amount_refunded=refunded_minor,
        currency=currency,
    )


def webhook_site_start():
    """A served site of its own (no demo) that takes signed Stripe webhooks, with threads so
    requests sent at once really race; on this run's database (SQLite, or PostgreSQL when
    DATABASE_URL names one). The caller stops it."""
    from tests.support.servers import RunningSite

    class PatientSite(RunningSite):
        # A busy CI machine can take longer than the default minute to boot the workers.
        def wait_until_up(self, timeout: float = 300) -> None:
            super().wait_until_up(timeout)

    return PatientSite(
        demo=False,
        extra_env={
            "STRIPE_WEBHOOK_SECRET": WEBHOOK_SECRET,
            "STRIPE_SECRET_KEY": "",
            "GUNICORN_CMD_ARGS": "--threads 6",
        },
    ).start()


def donate_form_data(campaign_obj, *, attempt: str, **changes) -> dict:
    """What the donate form posts for a 25 one-time gift to ``campaign_obj`` (``attempt``:
    the form's attempt key, one per test module), with ``changes`` on top."""
    return {
        "campaign": str(campaign_obj.pk),
        "currency": campaign_obj.currency,
        "attempt": attempt,
        "amount": "25",
        "custom_amount": "",
        "frequency": "once",
        "email": "giver@example.org",
        "donor_name": "",
        "message": "",
        **changes,
    }
