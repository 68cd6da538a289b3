"""Newsletters (issue 21): a send to 100,000 subscribers into a local SMTP sink.

    .venv/bin/python -m bench.newsletter_send          (also run by ``make bench``)

Serves the demo with ``manage.py serve`` (gunicorn, 2 workers) and the task worker apart
(``tests/support/servers.py``'s ``RunningSite``, on a private data folder), adds
BENCH_NL_RECIPIENTS subscribers (100,000; BENCH_QUICK=1: 5,000) to a list, and sends one
issue to them into an SMTP sink (aiosmtpd, in a process of its own, that only counts). Side
by side in one run, the same list sent twice:

- paced: at ``NEWSLETTER_SEND_RATE`` 200 messages a second (the default, a provider's rate;
  BENCH_NL_RATE sets another);
- unpaced: ``NEWSLETTER_SEND_RATE=0``, what the worker can do.

The worker's CPU time per message is printed too: the rate one core could sustain, apart
from whatever else the machine runs at the time.

For each: messages per second handed over (from the sink's first to its last message),
the worker's resident memory at 10 %, 50 % and 90 % of the send and its peak (VmHWM: flat,
not growing with the list), and the reader pages' rates (wrk, 8 connections, the front page
and an article) during the send against the same site idle. On the newsroom tier when
DATABASE_URL (PostgreSQL) and REDIS_URL are set, as ``RunningSite`` does (BENCH_NL_LAPTOP=0
measures that tier alone). The issue's target:
>= 200 messages/s, page rates within 20 % of idle. Last line: one JSON object.
"""

import json
import os
import subprocess
import sys
import tempfile
import textwrap
import time
import urllib.request
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsdesk.settings.dev")

import django

django.setup()

from bench.viral.load import wrk_run  # noqa: E402
from tests.support.ports import free_port  # noqa: E402
from tests.support.servers import RunningSite  # noqa: E402

QUICK = os.environ.get("BENCH_QUICK", "") not in ("", "0")
RECIPIENTS = int(os.environ.get("BENCH_NL_RECIPIENTS", "5000" if QUICK else "100000"))
PAGE_SECONDS = float(os.environ.get("BENCH_NL_PAGE_SECONDS", "5" if QUICK else "10"))
CONNECTIONS = 8
# The paced send's NEWSLETTER_SEND_RATE (the setting's default, 200).
PACED_RATE = os.environ.get("BENCH_NL_RATE", "200")

SINK = textwrap.dedent(
    """
    import sys, threading, time
    from aiosmtpd.controller import Controller

    class Counter:
        count, first, last = 0, 0.0, 0.0
        async def handle_DATA(self, server, session, envelope):
            now = time.time()
            if not self.count:
                self.first = now
            self.count += 1
            self.last = now
            return "250 OK"

    counter = Counter()
    Controller(counter, hostname="127.0.0.1", port=int(sys.argv[1])).start()
    path = sys.argv[2]
    while True:
        with open(path + ".tmp", "w") as out:
            out.write(f"{counter.count} {counter.first} {counter.last}")
        __import__("os").replace(path + ".tmp", path)
        time.sleep(0.1)
    """
)

SETUP = """
import secrets
from django.utils import timezone
from newsdesk.newsletters.models import Newsletter, Subscriber, Subscription
from newsdesk.newsletters.tests import issue_factories
from newsdesk.articles.models import ArticlePage

articles = list(ArticlePage.objects.live().order_by("-first_published_at")[:4])
issue = issue_factories.issue(title="Benchmark brief", articles=articles, list_slug="bench")
people = Subscriber.objects.bulk_create(
    (Subscriber(email=f"bench{n}@example.org", name=f"Reader {n}",
                token=secrets.token_urlsafe(24)) for n in range(COUNT)),
    batch_size=2000,
)
now = timezone.now()
Subscription.objects.bulk_create(
    (Subscription(subscriber=p, newsletter=issue.newsletter, status="subscribed",
                  consent_at=now, consent_source="import", confirmed_at=now) for p in people),
    batch_size=2000,
)
print(issue.pk, articles[0].url if articles else "/")
"""

SEND = """
from newsdesk.newsletters.models import NewsletterIssuePage
from newsdesk.newsletters.services.sending import send_schedule
print(send_schedule(issue=NewsletterIssuePage.objects.get(pk=ISSUE), segment="all", at=None,
                    user=None).pk)
"""


def _say(text: str) -> None:
    print(text, flush=True)


def _memory(pid: int) -> dict[str, int]:
    """VmRSS and VmHWM (kB) of ``pid``."""
    found = {}
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            key, _, value = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                found[key] = int(value.split()[0])
    return found


def _cpu_seconds(pid: int) -> float:
    """User + system CPU time of ``pid`` so far (from ``/proc``)."""
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _worker_pid(site: RunningSite) -> int:
    """The ``manage.py worker`` process (the group's leader is that process itself)."""
    return site.worker_process.pid


def _sink_read(path: Path) -> tuple[int, float, float]:
    try:
        count, first, last = path.read_text().split()
        return int(count), float(first), float(last)
    except (OSError, ValueError):
        return 0, 0.0, 0.0


def _pages(site: RunningSite, article: str) -> float:
    """Requests per second over the front page and an article, wrk, ``CONNECTIONS``; each
    page fetched once first (a change, such as the issue's publication, empties the page
    cache: the first reader renders it)."""
    for path in ("/", article):
        with urllib.request.urlopen(site.url + path, timeout=120) as response:
            response.read()
    front = wrk_run(site.url + "/", connections=CONNECTIONS, seconds=PAGE_SECONDS / 2)
    story = wrk_run(site.url + article, connections=CONNECTIONS, seconds=PAGE_SECONDS / 2)
    if os.environ.get("BENCH_NL_VERBOSE"):
        _say(f"  pages: front {front.rate:.0f}/s, article {story.rate:.0f}/s")
    return (front.rate + story.rate) / 2


def _send(site: RunningSite, *, issue: int, sink: Path, article: str, before: int) -> dict:
    pid = _worker_pid(site)
    cpu_before = _cpu_seconds(pid)
    send_id = int(site.shell(SEND.replace("ISSUE", str(issue))).split()[-1])
    rss: dict[str, int] = {}
    pages_during = None
    deadline = time.monotonic() + 3600
    while True:
        count = _sink_read(sink)[0] - before
        for mark in (10, 50, 90):
            if f"rss_{mark}" not in rss and count >= RECIPIENTS * mark / 100:
                rss[f"rss_{mark}"] = _memory(pid)["VmRSS"]
        if pages_during is None and count >= RECIPIENTS * 0.2:
            pages_during = _pages(site, article)
        if count >= RECIPIENTS:
            break
        assert time.monotonic() < deadline, "the send did not finish"
        time.sleep(0.05)
    count = _sink_read(sink)[0]
    status = ""
    for _ in range(20):  # the last record is marked just after its message's 250
        status = site.shell(
            "from newsdesk.newsletters.models import Send; "
            f"print(Send.objects.get(pk={send_id}).status)"
        ).splitlines()[-1]
        if status == "sent":
            break
        time.sleep(0.5)
    cpu = _cpu_seconds(pid) - cpu_before
    return {
        "send_id": send_id,
        "messages": count - before,
        # The worker's own CPU per message: what a core can hand over, whatever else runs.
        "worker_cpu_ms_per_message": round(cpu * 1000 / max(1, count - before), 2),
        "status": status,
        "pages_during": pages_during,
        **rss,
        "peak_kb": _memory(pid)["VmHWM"],
    }


def run_tier(label: str) -> dict:
    sink_port = free_port()
    folder = Path(tempfile.mkdtemp(prefix="newsletter-bench-"))
    sink_file = folder / "sink.count"
    sink = subprocess.Popen([sys.executable, "-c", SINK, str(sink_port), str(sink_file)])
    results: dict = {"tier": label, "recipients": RECIPIENTS}
    try:
        env = {
            "EMAIL_PORT": str(sink_port),
            "NEWSLETTER_FROM_EMAIL": "news@example.org",
            "NEWSLETTER_BATCH_SIZE": "500",
            "ACCESS_LOG": "0",
        }
        site = RunningSite(demo=True, worker_apart=True, extra_env=env)
        began = time.monotonic()
        site.start()
        try:
            _say(f"{label}: site up in {time.monotonic() - began:.0f} s")
            last_line = site.shell(SETUP.replace("COUNT", str(RECIPIENTS))).splitlines()[-1]
            issue_pk, article = last_line.split()
            issue = int(issue_pk)
            _say(f"{label}: {RECIPIENTS} subscribers loaded")
            for mode, rate in (("paced", PACED_RATE), ("unpaced", "0")):
                # The worker reads the rate at its start: the same site, its worker anew.
                site.worker_kill()
                site.env["NEWSLETTER_SEND_RATE"] = rate
                site.worker_start()
                idle = _pages(site, article)
                before = _sink_read(sink_file)[0]
                first_before = time.time()
                outcome = _send(site, issue=issue, sink=sink_file, article=article, before=before)
                _, first, last = _sink_read(sink_file)
                first = max(first, first_before)
                rate_seen = outcome["messages"] / (last - first) if last > first else 0.0
                during = outcome["pages_during"] or 0.0
                results[mode] = {
                    **outcome,
                    "messages_per_s": round(rate_seen, 1),
                    "pages_idle": round(idle, 1),
                    "pages_during": round(during, 1),
                    "pages_vs_idle": round(during / idle, 3) if idle else 0.0,
                }
                _say(f"{label} {mode}: {json.dumps(results[mode])}")
        finally:
            site.stop()
    finally:
        sink.terminate()
        sink.wait()
    return results


def _table(rows: list[dict]) -> None:
    _say("")
    _say(
        f"{'tier / mode':<22} {'msgs':>7} {'msg/s':>7} {'cpu ms':>7} {'RSS 10/50/90 % (MB)':>22} "
        f"{'peak MB':>8} {'pages idle':>11} {'during':>8} {'ratio':>6}"
    )
    for row in rows:
        for mode in ("paced", "unpaced"):
            r = row[mode]
            rss = "/".join(f"{r.get(f'rss_{m}', 0) / 1024:.0f}" for m in (10, 50, 90))
            _say(
                f"{row['tier'] + ' ' + mode:<22} {r['messages']:>7} {r['messages_per_s']:>7} "
                f"{r['worker_cpu_ms_per_message']:>7} "
                f"{rss:>22} {r['peak_kb'] / 1024:>8.0f} {r['pages_idle']:>11} "
                f"{r['pages_during']:>8} {r['pages_vs_idle']:>6}"
            )


def main() -> int:
    newsroom = {name: os.environ.pop(name, "") for name in ("DATABASE_URL", "REDIS_URL")}
    rows = []
    # RunningSite reads the tier from this process's environment. BENCH_NL_LAPTOP=0: the
    # newsroom tier alone.
    if os.environ.get("BENCH_NL_LAPTOP", "1") != "0":
        rows.append(run_tier("laptop"))
    if newsroom["DATABASE_URL"].startswith("postgres") and newsroom["REDIS_URL"]:
        os.environ.update(newsroom)
        rows.append(run_tier("newsroom"))
    else:
        _say("newsroom tier skipped: set DATABASE_URL (PostgreSQL) and REDIS_URL to measure it")
    _table(rows)
    print(json.dumps({"newsletter_send": rows}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
