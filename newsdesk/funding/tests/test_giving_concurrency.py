"""A monthly gift's changes sent at once, over real HTTP, on a site of its own (gunicorn with
threads, on this run's database: SQLite, or PostgreSQL when DATABASE_URL names one): the
newest subscription state wins whatever the order, a failed charge mails once."""

import json
import random

import pytest

from newsdesk.funding.tests.helpers import webhook_site_start
from newsdesk.funding.tests.test_giving_events import payment_failed
from newsdesk.funding.tests.test_giving_support import subscription_updated
from newsdesk.funding.tests.test_webhook_concurrency import post_all

SUB = "sub_race_giving_1"
T = 1_700_000_000


@pytest.fixture(scope="module")
def giving_site():
    site = webhook_site_start()
    site.shell(
        "from newsdesk.funding.models import RecurringGift\n"
        f"RecurringGift.objects.create(provider='stripe', subscription_id='{SUB}', amount=15,"
        " currency='USD', donor_email='race@example.org', customer_id='cus_race')\n"
    )
    yield site
    site.stop()


def test_changes_racing_end_in_the_newest_state_and_one_mail(giving_site):
    changes = [
        subscription_updated(
            SUB, amount_minor=1000 + 111 * n, paused=n % 2 == 1, created=T + n, customer="cus_race"
        )
        for n in range(6)
    ]
    failure = payment_failed(sub=SUB, invoice="in_race_1", created=T)
    bodies = [json.dumps(event) for event in changes] + [json.dumps(failure)] * 4
    bodies += [json.dumps(changes[-1])] * 2  # replays of the newest
    random.Random(20).shuffle(bodies)
    assert set(post_all(giving_site, bodies)) == {200}
    state = json.loads(
        giving_site.shell(
            "import json\n"
            "from newsdesk.funding.models import LifecycleMail, ProviderEvent, RecurringGift\n"
            f"g = RecurringGift.objects.get(subscription_id='{SUB}')\n"
            "print(json.dumps({'amount': str(g.amount), 'status': g.status,"
            " 'as_of': int(g.state_as_of.timestamp()),"
            " 'mails': LifecycleMail.objects.filter(occasion='payment_failed:in_race_1').count(),"
            " 'events': ProviderEvent.objects.count()}))\n"
        )
        .strip()
        .splitlines()[-1]
    )
    # The newest (n = 5: 15.55 $, paused), whichever came last; each event stored once.
    assert state == {"amount": "15.55", "status": "paused", "as_of": T + 5, "mails": 1, "events": 7}
