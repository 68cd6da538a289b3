"""Readers' words and money under load and faults, against gunicorn on 127.0.0.1.

50 guests post comments and replies and 20 senders deliver signed Stripe events (new
payments, replays of events already acknowledged, some badly signed) for 30 s, with the rate
limits raised for this site only and moderation on as usual. Then the same load again while
the web server (``serve``, the gunicorn master and its workers) and then the worker are
killed with ``kill -9`` and started again on the same data.

After each run: no answer was a 5xx, none said "database is locked" (nor did the server log);
each acknowledged comment is stored once, under the id its answer named, with its body; each
acknowledged payment is in the ledger once; every receipt and reply e-mail queued for an
acknowledged write was sent (after the restart too); the ledger totals equal the recomputed
ones (``funding_recompute`` exits 0) and SQLite's ``PRAGMA integrity_check`` says ok.

Runs on SQLite, or on PostgreSQL (and RQ) when DATABASE_URL and REDIS_URL are set.
``LOAD_SECONDS`` changes the length of each run.
"""

import json
import os
import random
import re
import secrets
import sqlite3
import threading
import time
import uuid

import pytest

from newsdesk.funding.tests.helpers import WEBHOOK_SECRET, ids, stripe_signature
from tests.support.load import Actor, Answer, LoadRun, Tally, http_call
from tests.support.servers import RunningSite

pytestmark = [
    pytest.mark.slow,
    pytest.mark.beside_browser,
]

POSTERS = 50
SENDERS = 20
SECONDS = float(os.environ.get("LOAD_SECONDS", "30"))
MISSING_PARENT = 2_000_000_000
JSON = {"Content-Type": "application/json", "Accept": "application/json"}


# --- the site ------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def site():
    began = time.monotonic()
    site = RunningSite(
        demo=False,
        worker_apart=True,
        extra_env={
            # Raised for this test only: every poster shares 127.0.0.1.
            "DISCUSSION_POSTS_PER_IP": "1000000",
            "MODERATION_POSTING_RATE_LIMIT": "1000000",
            "STRIPE_WEBHOOK_SECRET": WEBHOOK_SECRET,
            "STRIPE_SECRET_KEY": "",
            # Threads as well as processes: writes really race for the database.
            "GUNICORN_CMD_ARGS": "--threads 4",
        },
    ).start()
    try:
        setup = site.shell(
            "import json\n"
            "from datetime import timedelta\n"
            "from django.utils import timezone\n"
            "from newsdesk.funding.models import Campaign\n"
            "from tests.support.factories import make_article\n"
            "article = make_article(title='The bridge reopens after the flood')\n"
            "campaign = Campaign.objects.create(name='Load drive', goal=100000, currency='USD',"
            " starts_at=timezone.now() - timedelta(days=1),"
            " ends_at=timezone.now() + timedelta(days=9))\n"
            # Each poster has opened the link of its address's confirmation e-mail (double
            # opt-in), so their replies' e-mails are due.
            "from newsdesk.discussion.services.email_confirmations import (\n"
            "    email_confirm, email_confirmation_token)\n"
            f"for number in range({POSTERS}):\n"
            "    email_confirm(token=email_confirmation_token("
            "email=f'poster{number}@example.org'))\n"
            "print(json.dumps({'article': article.pk, 'campaign': campaign.pk}))\n"
        )
        site.ids = json.loads(setup.strip().splitlines()[-1])
        print(f"\nSite up with an article and a campaign in {time.monotonic() - began:.0f} s")
        yield site
    finally:
        site.stop()


# --- the clients ---------------------------------------------------------------------------
class Shared:
    """What every client confirmed, for the checks afterwards."""

    def __init__(self):
        self.lock = threading.Lock()
        self.comments: dict[int, dict] = {}  # id -> {tag, body, parent, poster}
        self.published: list[tuple[int, int]] = []  # (id, poster) others may reply to
        self.rejected_tags: list[str] = []
        self.refused_tags: list[str] = []  # bad requests: must not be stored
        self.unanswered_tags: list[str] = []
        self.events: dict[str, dict] = {}  # event id -> {pi, amount, email}
        self.outcomes: dict[str, list[str]] = {}
        self.bad_signature_pis: list[str] = []


class CommentPoster(Actor):
    """A guest posting comments and replies (and, now and then, something refused)."""

    def __init__(self, *, number: int, article_id: int, shared: Shared, **kwargs):
        super().__init__(**kwargs)
        self.number = number
        self.article_id = article_id
        self.shared = shared
        self.sent = 0
        self.headers = {**JSON, "X-Guest-Token": secrets.token_urlsafe(18)}

    def send(self) -> Answer:
        self.sent += 1
        tag = f"t{self.number}x{self.sent}x{uuid.uuid4().hex[:6]}"
        roll = random.random()
        if roll < 0.03:
            return self._refused(tag, body="   ", parent=None, expect=400)
        if roll < 0.06:
            return self._refused(tag, body=self._body(tag), parent=MISSING_PARENT, expect=404)
        parent = None
        with self.shared.lock:
            others = [cid for cid, poster in self.shared.published[-200:] if poster != self.number]
        if others and roll < 0.4:
            parent = random.choice(others)
        body = self._body(tag)
        answer = self._post(body, parent)
        acknowledged = answer.status == 201
        self.tally.record("comment", answer, acknowledged=acknowledged)
        if answer.status is None and answer.error != "ConnectionRefusedError":
            # Sent, but the answer was cut by a kill: stored or not, both are right.
            with self.shared.lock:
                self.shared.unanswered_tags.append(tag)
        if not acknowledged:
            return answer
        comment = answer.json().get("comment")
        if comment is None:
            with self.shared.lock:
                self.shared.rejected_tags.append(tag)
            return answer
        if tag not in comment["body_html"] or comment["parent_id"] != parent:
            self.tally.wrong(f"the answer to {tag} named {comment['id']}: {comment}")
        with self.shared.lock:
            if comment["id"] in self.shared.comments:
                self.tally.wrong(f"comment id {comment['id']} acknowledged twice")
            self.shared.comments[comment["id"]] = {
                "tag": tag,
                "body": body,
                "parent": parent,
                "poster": self.number,
            }
            if comment["status"] == "published":
                self.shared.published.append((comment["id"], self.number))
        return answer

    def _body(self, tag: str) -> str:
        topic = random.choice(["the bridge", "the night bus", "the council vote", "the library"])
        return f"Load {tag}: I read about {topic} this morning and I have a question about it."

    def _post(self, body: str, parent: int | None) -> Answer:
        payload = {
            "body": body,
            "parent_id": parent,
            "name": f"Poster {self.number}",
            "email": f"poster{self.number}@example.org",
            "notify_replies": True,
        }
        return http_call(
            self.base_url,
            "POST",
            f"/api/threads/{self.article_id}/comments",
            body=json.dumps(payload).encode(),
            headers=self.headers,
        )

    def _refused(self, tag: str, *, body: str, parent: int | None, expect: int) -> Answer:
        answer = self._post(body, parent)
        self.tally.record("comment", answer)
        if answer.status is not None and answer.status < 500 and answer.status != expect:
            self.tally.wrong(f"a bad comment ({tag}) got {answer.status}: {answer.body[:200]}")
        with self.shared.lock:
            self.shared.refused_tags.append(tag)
        return answer


class WebhookSender(Actor):
    """Stripe delivering events: new payments, replays, and a retry of anything that got no
    2xx or 4xx answer (as Stripe does)."""

    def __init__(self, *, number: int, campaign_id: int, shared: Shared, **kwargs):
        super().__init__(**kwargs)
        self.number = number
        self.campaign_id = campaign_id
        self.shared = shared
        self.pending: dict | None = None

    def send(self) -> Answer:
        roll = random.random()
        if self.pending is None and roll < 0.04:
            return self._badly_signed()
        if self.pending is not None:
            event, kind = self.pending, "retry"
        elif roll < 0.25 and self.shared.events:
            with self.shared.lock:
                event_id = random.choice(list(self.shared.events))
                event = {**self.shared.events[event_id]}
            kind = "replay"
        else:
            ref = ids()
            event = {
                "id": f"evt_load_{ref['pi']}",
                "pi": ref["pi"],
                "cs": ref["cs"],
                "amount": random.randint(100, 20_000),
                "email": f"donor-{ref['pi'][3:15]}@example.org",
            }
            kind = "new"
        body = self._body(event)
        answer = http_call(
            self.base_url,
            "POST",
            "/webhooks/stripe/",
            body=body.encode(),
            headers={**JSON, "Stripe-Signature": stripe_signature(body)},
        )
        acknowledged = answer.status == 200
        self.tally.record("webhook", answer, acknowledged=acknowledged)
        if answer.status is None or answer.status >= 500:
            self.pending = event
            return answer
        self.pending = None
        if not acknowledged:
            self.tally.wrong(f"event {event['id']} ({kind}) got {answer.status}: {answer.body}")
            return answer
        outcome = answer.json().get("outcome", "")
        expected = {"new": {"processed"}, "replay": {"duplicate"}}.get(
            kind, {"processed", "duplicate"}
        )
        if outcome not in expected:
            self.tally.wrong(f"event {event['id']} ({kind}) answered {outcome!r}")
        with self.shared.lock:
            self.shared.events[event["id"]] = event
            self.shared.outcomes.setdefault(event["id"], []).append(outcome)
        return answer

    def _body(self, event: dict) -> str:
        return json.dumps(
            {
                "id": event["id"],
                "object": "event",
                "type": "checkout.session.completed",
                "data": {
                    "object": {
                        "id": event["cs"],
                        "object": "checkout.session",
                        "mode": "payment",
                        "payment_status": "paid",
                        "amount_total": event["amount"],
                        "currency": "usd",
                        "payment_intent": event["pi"],
                        "customer_details": {"email": event["email"]},
                        "metadata": {"campaign_id": str(self.campaign_id)},
                    }
                },
            }
        )

    def _badly_signed(self) -> Answer:
        ref = ids()
        event = {"id": f"evt_forged_{ref['pi']}", "pi": ref["pi"], "cs": ref["cs"]}
        body = self._body({**event, "amount": 99_900, "email": "forger@example.org"})
        answer = http_call(
            self.base_url,
            "POST",
            "/webhooks/stripe/",
            body=body.encode(),
            headers={**JSON, "Stripe-Signature": stripe_signature(body, secret="whsec_wrong")},
        )
        self.tally.record("webhook", answer)
        if answer.status is not None and answer.status < 500 and answer.status != 400:
            self.tally.wrong(f"a forged event got {answer.status}: {answer.body[:200]}")
        with self.shared.lock:
            self.shared.bad_signature_pis.append(ref["pi"])
        return answer


def load_run(site, *, during=None) -> tuple[Tally, Shared]:
    tally, shared = Tally(), Shared()
    actors = [
        CommentPoster(
            number=n, article_id=site.ids["article"], shared=shared, base_url=site.url, tally=tally
        )
        for n in range(POSTERS)
    ] + [
        WebhookSender(
            number=n,
            campaign_id=site.ids["campaign"],
            shared=shared,
            base_url=site.url,
            tally=tally,
        )
        for n in range(SENDERS)
    ]
    run = LoadRun(actors, seconds=SECONDS)
    began = time.monotonic()
    run.run(during=during)
    tally.seconds = time.monotonic() - began
    # A sender whose last event got no answer delivers it once the site is up, as Stripe does.
    for actor in actors:
        while isinstance(actor, WebhookSender) and actor.pending is not None:
            actor.send()
    return tally, shared


# --- the checks ----------------------------------------------------------------------------
STORED = """
import json
from django.conf import settings
from django.db import connection
from newsdesk.discussion.models import Comment
from newsdesk.funding.models import Donation, ProviderEvent
comments = {}
for pk, body, status, parent in Comment.objects.filter(body_source__startswith='Load ')\
        .values_list('pk', 'body_source', 'status', 'parent_id'):
    comments.setdefault(body.split(':')[0][5:], []).append([pk, body, status, parent])
donations = {}
for pi, amount, kind, email in Donation.objects.filter(payment_intent_id__startswith='pi_')\
        .values_list('payment_intent_id', 'amount', 'kind', 'donor_email'):
    donations.setdefault(pi, []).append([str(amount), kind, email])
tasks = {}
if settings.TASKS['default']['BACKEND'].startswith('django_tasks_db'):
    from django.db.models import Count
    from django_tasks_db.models import DBTaskResult
    tasks = dict(DBTaskResult.objects.values_list('status').annotate(n=Count('id')))
    # Tasks due now that no worker finished (those planned for later are not due).
    tasks['due or running'] = (DBTaskResult.objects.ready() | DBTaskResult.objects.running())\
        .count()
    tasks['later'] = sorted(DBTaskResult.objects.filter(status='READY')\
        .exclude(pk__in=DBTaskResult.objects.ready()).values_list('task_path', flat=True))
integrity = 'not sqlite'
if connection.vendor == 'sqlite':
    with connection.cursor() as cursor:
        integrity = cursor.execute('PRAGMA integrity_check').fetchone()[0]
print(json.dumps({'comments': comments, 'donations': donations, 'tasks': tasks,
                  'events': list(ProviderEvent.objects.values_list('event_id', flat=True)),
                  'integrity': integrity}))
"""


DIAGNOSE = """
import json
from newsdesk.funding.models import Donation
from django.conf import settings
for what in json.loads(%r):
    pi = what.rsplit(' ', 1)[-1]
    donation = Donation.objects.filter(payment_intent_id=pi).first()
    print(what, 'donation', donation and donation.pk)
    if donation and settings.TASKS['default']['BACKEND'].startswith('django_tasks_db'):
        from django_tasks_db.models import DBTaskResult
        for row in DBTaskResult.objects.filter(args_kwargs__kwargs__donation_id=donation.pk):
            print('  task', row.status, row.worker_ids, row.traceback[-300:])
    if donation and settings.TASKS['default']['BACKEND'].startswith('django_tasks_rq'):
        import django_rq
        queue = django_rq.get_queue('default')
        places = {
            'queued': queue.job_ids,
            'intermediate': queue.intermediate_queue.get_job_ids(),
            'started': queue.started_job_registry.get_job_ids(cleanup=False),
            'failed': queue.failed_job_registry.get_job_ids(cleanup=False),
            'finished': queue.finished_job_registry.get_job_ids(cleanup=False),
        }
        wanted = "'donation_id': " + str(donation.pk) + "}"
        for place, job_ids in places.items():
            for job in queue.job_class.fetch_many(job_ids, connection=queue.connection):
                if job and wanted in repr((job.args, job.kwargs)):
                    print('  job', place, job.id, job.get_status(), job.worker_name, job.exc_info)
"""


def stored(site) -> dict:
    return json.loads(site.shell(STORED).strip().splitlines()[-1])


def mail_texts(site) -> str:
    return "\n".join(site.sent_mail())


def expected_mail(shared: Shared, db: dict) -> dict[str, str]:
    """What must be in the sent mail: a receipt to each acknowledged payment's donor, and a
    reply e-mail (quoting the reply) for each published reply to a published comment."""
    needles = {
        f"To: {e['email']}": f"receipt for event {e['id']} of {e['pi']}"
        for e in shared.events.values()
    }
    status = {row[0]: row[2] for rows in db["comments"].values() for row in rows}
    for comment_id, comment in shared.comments.items():
        parent = comment["parent"]
        if parent and status.get(comment_id) == "published" and status.get(parent) == "published":
            needles[comment["tag"]] = f"reply e-mail for comment {comment_id}"
    return needles


def wait_for_mail(site, needles: dict[str, str], *, stalled_after: float = 150) -> list[str]:
    """What is still missing once all was sent, or once nothing new was sent for
    ``stalled_after`` seconds (longer than the worker's period, after which it hands over
    what a dead process left in the outbox)."""
    last_progress, missing_before = time.monotonic(), None
    while True:
        text = mail_texts(site)
        missing = [why for needle, why in needles.items() if needle not in text]
        if missing_before is None or len(missing) < missing_before:
            last_progress, missing_before = time.monotonic(), len(missing)
        if not missing or time.monotonic() - last_progress > stalled_after:
            return missing
        time.sleep(1)


def check_everything(site, tally: Tally, shared: Shared, title: str) -> dict:
    began = time.monotonic()
    print("\n" + tally.report(title))
    print(f"  {tally.sent / tally.seconds:.1f} requests/s over {tally.seconds:.1f} s")
    assert tally.sent > 0 and tally.acknowledged > 0
    assert not tally.server_errors, tally.server_errors[:5]
    assert not tally.unexpected, tally.unexpected[:5]
    log = site.log_path.read_text(errors="replace")
    assert "database is locked" not in log.lower()
    assert "Traceback" not in log, log[log.index("Traceback") :][:3000]

    db = stored(site)
    by_tag = db["comments"]
    for comment_id, comment in shared.comments.items():
        rows = by_tag.get(comment["tag"], [])
        assert len(rows) == 1, (comment, rows)
        assert rows[0][0] == comment_id and rows[0][1] == comment["body"], (comment, rows)
        assert rows[0][3] == comment["parent"]
    for tag in shared.refused_tags:
        assert tag not in by_tag, f"a refused comment was stored: {by_tag[tag]}"
    for event in shared.events.values():
        rows = db["donations"].get(event["pi"], [])
        assert rows == [[f"{event['amount'] / 100:.2f}", "payment", event["email"]]], (event, rows)
    for event_id, outcomes in shared.outcomes.items():
        assert outcomes.count("processed") <= 1, (event_id, outcomes)
    for pi in shared.bad_signature_pis:
        assert pi not in db["donations"]
    recompute = site.manage("funding_recompute", check=False)
    assert recompute.returncode == 0, recompute.stdout + recompute.stderr
    if site.env.get("DATABASE_URL", "").startswith("postgres"):
        assert db["integrity"] == "not sqlite"
    else:
        assert db["integrity"] == "ok"

    needles = expected_mail(shared, db)
    missing = wait_for_mail(site, needles)
    if missing:
        print(site.shell(DIAGNOSE % json.dumps(missing)))
    if db["tasks"]:
        db["tasks"] = stored(site)["tasks"]
        assert db["tasks"]["due or running"] == 0 and "FAILED" not in db["tasks"], db["tasks"]
    unanswered_stored = sum(1 for tag in shared.unanswered_tags if tag in by_tag)
    print(
        f"  checked: {len(shared.comments)} acknowledged comments stored once with their body "
        f"({len(shared.rejected_tags)} rejected by moderation, "
        f"{unanswered_stored} of {len(shared.unanswered_tags)} unanswered posts stored anyway), "
        f"{len(shared.events)} acknowledged payments in the ledger once "
        f"({sum(len(o) for o in shared.outcomes.values())} acknowledged deliveries), "
        f"{len(needles) - len(missing)} of {len(needles)} expected e-mails sent, "
        f"tasks {db['tasks'] or 'on RQ'}, "
        f"integrity {db['integrity']}, funding_recompute exit 0; "
        f"checks took {time.monotonic() - began:.0f} s"
    )
    assert not missing, f"{len(missing)} of {len(needles)} e-mails never sent: {missing[:5]}"
    return db


# --- the tests ------------------------------------------------------------------------------
def test_fifty_posters_and_twenty_webhook_senders_lose_nothing(site):
    tally, shared = load_run(site)
    check_everything(site, tally, shared, f"Steady load, {SECONDS:.0f} s")


def started_tasks_of(site, pid: int) -> int:
    """Tasks the worker with ``pid`` has started and not finished (database queue or RQ)."""
    if site.env.get("REDIS_URL"):
        import redis

        # RQ's registry of started jobs; its only worker is the one looked at.
        return redis.Redis.from_url(site.env["REDIS_URL"]).zcard("rq:wip:default")
    sql = ("SELECT worker_ids FROM django_tasks_database_dbtaskresult WHERE status = 'RUNNING'",)
    database_url = site.env.get("DATABASE_URL", "")
    if database_url.startswith("postgres"):
        import psycopg

        with psycopg.connect(database_url, autocommit=True) as conn:
            worker_ids = [row[0] for row in conn.execute(*sql).fetchall()]
    else:
        conn = sqlite3.connect(site.data_dir / "db.sqlite3", timeout=20)
        try:
            worker_ids = [json.loads(row[0]) for row in conn.execute(*sql).fetchall()]
        finally:
            conn.close()
    return sum(1 for ids_ in worker_ids if ids_ and re.search(rf":{pid}$", ids_[-1]))


def kill_worker_holding_a_task(site) -> str:
    """``kill -9`` the worker, if possible at a moment it has started a task (frozen with
    SIGSTOP, looked at, and let go on if it holds none); say what it held."""
    deadline = time.monotonic() + 8
    pid = site.worker_process.pid
    while time.monotonic() < deadline:
        site.worker_pause()
        held = started_tasks_of(site, pid)
        if held:
            site.worker_kill()
            return f"kill -9 of the worker holding {held} started task(s)"
        site.worker_resume()
        time.sleep(0.05)
    site.worker_kill()
    return "kill -9 of the worker between tasks"


def test_kill_9_of_web_server_and_worker_under_load_loses_nothing(site):
    faults: list[str] = []

    def inject(started: float) -> None:
        time.sleep(max(0.0, started + SECONDS * 0.25 - time.monotonic()))
        site.web_kill()
        down = time.monotonic()
        faults.append("kill -9 of serve + gunicorn master + workers")
        site.web_start()
        faults.append(f"web server back after {time.monotonic() - down:.1f} s")
        time.sleep(max(0.0, started + SECONDS * 0.6 - time.monotonic()))
        faults.append(kill_worker_holding_a_task(site))
        # Tasks pile up with no worker to run them.
        time.sleep(4)
        site.worker_start()
        faults.append("worker started again after 4 s")

    tally, shared = load_run(site, during=inject)
    print("\nFaults injected: " + "; ".join(faults))
    check_everything(site, tally, shared, f"Load with kill -9, {SECONDS:.0f} s")
    log = site.log_path.read_text(errors="replace")
    recovered = [int(n) for n in re.findall(r"Outbox: queued (\d+) task", log)]
    requeued = [int(n) for n in re.findall(r"Queued again (\d+) (?:RQ job|task)", log)]
    print(
        f"  recovered after the kills: {sum(recovered)} task(s) from the outbox (RQ tier), "
        f"{sum(requeued)} task(s) a dead worker had started"
    )
