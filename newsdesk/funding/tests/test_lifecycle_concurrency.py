"""Two workers scanning at once (two processes on the site's database: SQLite, or
PostgreSQL when DATABASE_URL names one) queue each donor e-mail once; a worker ``kill -9``-ed
in the middle of a batch of them, and restarted, misses nobody and repeats nobody but the one
mail that may have been in flight (counted from what the SMTP server received, as
``newsletters/tests/test_send_kill.py`` does for a send)."""

import subprocess
import sys
import time
from collections import Counter

import pytest

pytestmark = [pytest.mark.slow]

RACE_GIFTS = 60
RACE = """
import time
from django.utils import timezone
from newsdesk.funding.services.lifecycle import lifecycle_occasions_queue
start = float({start})
time.sleep(max(0.0, start - time.time()))  # both scanners begin at the same moment
print(lifecycle_occasions_queue(now=timezone.now(), batch=7)["card_expiring"])
"""
RACE_SETUP = f"""
from decimal import Decimal
from django.utils import timezone
from newsdesk.funding.models import RecurringGift
now = timezone.now()
RecurringGift.objects.bulk_create(
    RecurringGift(provider="demo", subscription_id=f"sub_race_{{n}}", amount=Decimal("9"),
                  currency="USD", donor_email=f"race{{n}}@example.org", card_last4="4242",
                  card_exp_month=now.month, card_exp_year=now.year)
    for n in range({RACE_GIFTS})
)
"""


# --- kill -9 of the worker ------------------------------------------------------------------------
KILL_GIFTS = 400
SETUP = f"""
from decimal import Decimal
from django.utils import timezone
from newsdesk.funding.models import RecurringGift
from newsdesk.funding.services.lifecycle import lifecycle_occasions_queue
now = timezone.now()
RecurringGift.objects.bulk_create(
    RecurringGift(provider="demo", subscription_id=f"sub_kill_{{n}}", amount=Decimal("9"),
                  currency="USD", donor_email=f"kill{{n}}@example.org", card_last4="4242",
                  card_exp_month=now.month, card_exp_year=now.year)
    for n in range({KILL_GIFTS})
)
print(lifecycle_occasions_queue(now=now, batch=100)["card_expiring"])
"""


def _query(site, sql: str, *params) -> list[tuple]:
    import sqlite3

    database_url = site.env.get("DATABASE_URL", "")
    if database_url.startswith("postgres"):
        import psycopg

        with psycopg.connect(database_url, autocommit=True) as conn:
            return conn.execute(sql.replace("%", "%%").replace("?", "%s"), params).fetchall()
    conn = sqlite3.connect(site.data_dir / "db.sqlite3", timeout=20)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


def _received(site, prefix: str) -> list[str]:
    return [
        to
        for _sender, tos, raw in site.smtp.envelopes()
        if b"card for your monthly gift" in raw
        for to in tos
        if to.startswith(prefix)
    ]


def _message_ids(site, prefix: str) -> Counter:
    ids: Counter = Counter()
    for _sender, tos, raw in site.smtp.envelopes():
        if not any(to.startswith(prefix) for to in tos):
            continue
        for line in raw.splitlines():
            if line.lower().startswith(b"message-id:") and b"lifecycle." in line:
                ids[line.split(b":", 1)[1].strip().decode()] += 1
    return ids


@pytest.fixture(scope="module")
def site():
    from tests.support.servers import RunningSite

    running = RunningSite(demo=False, worker_apart=True).start()
    yield running
    running.stop()


def _received_by(site, prefix: str) -> Counter:
    return Counter(
        to for _sender, tos, _raw in site.smtp.envelopes() for to in tos if to.startswith(prefix)
    )


def test_two_workers_scanning_at_once_queue_and_send_each_mail_once(site):
    from tests.support.servers import BASE_DIR

    site.shell(RACE_SETUP)
    code = RACE.format(start=time.time() + 4)
    scanners = [
        subprocess.Popen(
            [sys.executable, "manage.py", "shell", "-c", code],
            cwd=BASE_DIR,
            env=site.env,
            stdout=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    counts = [
        int(scanner.communicate(timeout=300)[0].strip().splitlines()[-1]) for scanner in scanners
    ]
    assert sum(counts) == RACE_GIFTS, counts
    claimed = _query(
        site, "SELECT COUNT(*) FROM funding_lifecyclemail WHERE occasion LIKE 'card_expiring:%'"
    )
    assert claimed[0][0] == RACE_GIFTS
    deadline = time.monotonic() + 120
    while sum(_received_by(site, "race").values()) < RACE_GIFTS:
        assert time.monotonic() < deadline, "the worker did not send them all"
        time.sleep(0.2)
    time.sleep(1)  # a second copy, if there were one, would have come by now
    received = _received_by(site, "race")
    assert len(received) == RACE_GIFTS and set(received.values()) == {1}


def test_kill_9_of_the_worker_in_the_middle_of_the_donor_emails(site):
    site.worker_pause()  # the mails are queued first, then the worker takes them
    queued = int(site.shell(SETUP).strip().splitlines()[-1])
    assert queued == KILL_GIFTS
    site.worker_resume()
    deadline = time.monotonic() + 300
    while len(_received(site, "kill")) < KILL_GIFTS * 0.3:
        assert time.monotonic() < deadline, "the worker did not get to 30 %"
        time.sleep(0.02)
    site.worker_pause()  # frozen first, so what it held is read before it dies
    in_flight = {
        email
        for (email,) in _query(
            site,
            "SELECT email FROM funding_lifecyclemail WHERE status = 'queued' "
            "AND note LIKE 'sending:%'",
        )
    }
    at_kill = len(_received(site, "kill"))
    site.worker_kill()
    time.sleep(1)
    site.worker_start()
    while (
        _query(site, "SELECT COUNT(*) FROM funding_lifecyclemail WHERE status = 'sent'")[0][0]
        < KILL_GIFTS
    ):
        assert time.monotonic() < deadline, "the mails were not all sent after the restart"
        time.sleep(0.2)
    expected = {f"kill{n}@example.org" for n in range(KILL_GIFTS)}
    # Marked sent on the server's 250; the server files the message a moment later.
    settle = time.monotonic() + 15
    while set(_received(site, "kill")) < expected and time.monotonic() < settle:
        time.sleep(0.2)
    time.sleep(0.5)
    received = Counter(_received(site, "kill"))
    missed = expected - set(received)
    duplicated = {to for to, n in received.items() if n > 1}
    print(
        f"\nreceived at kill {at_kill}, in flight {len(in_flight)}, "
        f"received {sum(received.values())}, missed {len(missed)}, twice {len(duplicated)}"
    )
    rows = [
        _query(site, "SELECT status, note, sent_at FROM funding_lifecyclemail WHERE email = ?", to)
        for to in sorted(missed)[:5]
    ]
    assert not missed, (sorted(missed)[:5], rows, len(site.smtp.envelopes()))
    assert len(in_flight) <= 1
    assert duplicated <= in_flight
    # A copy sent again carries the same Message-ID as the first.
    assert len(_message_ids(site, "kill")) == KILL_GIFTS
