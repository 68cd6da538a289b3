"""The viral-story benchmark, start to end: data, servers, rounds, spike, table, JSON.

Order of a run (every server stopped at the end, whatever happens):
1. data built or reused (``data.py``); Newsdesk started on a fresh copy of the 1,000/10,000
   comment site, Isso on a fresh copy of its database, nginx with the sample configuration;
2. ``BENCH_ROUNDS`` rounds, each measuring in turn: (a) hit and miss, (b) nginx static,
   (c) Isso's JSON, (f) the 10,000-comment page, (d) posting on both; medians reported;
3. (g) Newsdesk restarted on the copy holding 100,000 more comments on other articles, and
   the 1,000-comment page measured again;
4. (e) the spike, through nginx, then the check of every acknowledgement in the database.
"""

import random
import signal
import statistics
import sys
import time
import urllib.request
import uuid
from urllib.parse import urlencode, urlsplit

from bench.viral import data, isso, load, report, scenarios, servers
from bench.viral.config import config_from_env
from bench.viral.nginx import nginx_config_write

SPIKE_CONCURRENCY = 64


def _say(text: str = "") -> None:
    print(text, flush=True)


def _get(url: str) -> tuple[int, dict, bytes]:
    request = urllib.request.Request(url)
    with urllib.request.urlopen(request, timeout=120) as response:
        return response.status, dict(response.getheaders()), response.read()


def _terminate(signum, frame):
    raise KeyboardInterrupt


class Run:
    """One benchmark run: its servers, its results by key, and the table's rows."""

    def __init__(self, cfg):
        self.cfg = cfg
        self.nonce = uuid.uuid4().hex[:8]
        self.results: dict[str, list[load.Result]] = {}
        self.labels: dict[str, tuple[str, int]] = {}
        self.notes: list[str] = []
        self.isso = self.newsdesk = ""
        self.isso_note_made = False
        log_dir = cfg.dir / "run" / "logs"
        log_dir.mkdir(parents=True, exist_ok=True)
        self.servers = servers.Servers(log_dir)

    def record(self, key: str, label: str, concurrency: int, result: load.Result) -> None:
        self.labels[key] = (label, concurrency)
        self.results.setdefault(key, []).append(result)
        _say(
            f"  {label}, c={concurrency}: {result.rate:.1f}/s, p50 {result.p50:.1f} ms,"
            f" p99 {result.p99:.1f} ms, {result.errors} errors"
        )
        self.drain()

    def drain(self) -> None:
        """Wait for requests still queued from a measurement (wrk leaves a slow server's
        backlog behind it when its time is up), so the next one starts on an idle machine."""
        for base, path in ((self.isso, "/info"), (self.newsdesk, "/")):
            if base:
                _get(base + path)

    # --- set-up ---------------------------------------------------------------------------
    def start(self, state: dict) -> None:
        cfg = self.cfg
        self.state = state
        threads = state["threads"]
        self.path_1k, self.path_10k = threads["1k"]["path"], threads["10k"]["path"]
        self.article_1k = threads["1k"]["article_id"]
        self.posting = threads["posting"]
        self.newsdesk_port = servers.free_port()
        self.site_dir = data.site_prepare(cfg, variant="site")
        _say("servers: Newsdesk (gunicorn, 2 workers, and the task worker)")
        self.newsdesk = servers.newsdesk_start(
            self.servers, site_dir=self.site_dir, port=self.newsdesk_port, env_of=data.site_env
        )
        _say("servers: Isso (gunicorn, 2 workers)")
        isso_dir = data.isso_prepare(cfg)
        isso_port = servers.free_port()
        isso_config = isso_dir / "isso.cfg"
        isso.isso_config_write(
            isso_config, db=isso_dir / "comments.db", port=isso_port, site=self.newsdesk
        )
        self.isso = servers.isso_start(
            self.servers, venv=cfg.dir / "isso-venv", config=isso_config, port=isso_port
        )
        _say("servers: nginx (the sample configuration)")
        prefix = cfg.dir / "run" / "nginx"
        _, _, page = _get(self.newsdesk + self.path_1k)
        prefix.joinpath("static").mkdir(parents=True, exist_ok=True)
        prefix.joinpath("static", "article.html").write_bytes(page)
        self.page_kb = len(page) / 1024
        nginx_port = servers.free_port()
        config = nginx_config_write(
            prefix=prefix, port=nginx_port, upstream_port=self.newsdesk_port,
            site_dir=self.site_dir,
        )  # fmt: skip
        self.nginx = servers.nginx_start(
            self.servers, prefix=prefix, config=config, port=nginx_port
        )
        self.probe()

    def probe(self) -> None:
        """How each kind of request is answered (printed, and used to choose what to measure)."""
        for _ in range(3):
            _get(self.newsdesk + self.path_1k)
            _, proxied, _ = _get(self.nginx + self.path_1k)
        _, direct, _ = _get(self.newsdesk + self.path_1k)
        self.django_hit = direct.get("X-Page-Cache") == "hit"
        self.nginx_hit = proxied.get("X-Proxy-Cache") == "HIT"
        _, missed, _ = _get(f"{self.newsdesk}{self.path_1k}?viral=probe-{self.nonce}")
        self.miss_header = missed.get("X-Page-Cache", "(none)")
        _, _, isso_json = _get(f"{self.isso}/?{urlencode({'uri': isso.THREAD_URI})}")
        self.notes += [
            f"article page: {self.page_kb:.0f} KB; Cache-Control {direct.get('Cache-Control')!r}",
            f"Django page cache on gunicorn: X-Page-Cache={direct.get('X-Page-Cache')}",
            f"nginx proxy_cache: X-Proxy-Cache={proxied.get('X-Proxy-Cache')}",
            f"unique query string: X-Page-Cache={self.miss_header}",
            f"Isso thread JSON: {len(isso_json) / 1024:.0f} KB",
        ]
        for note in self.notes:
            _say(f"probe: {note}")
        # A query the page does not read is rendered for its sender and never stored
        # ("bypass"): the cost of a miss but the store (pagecache/query.py).
        if self.miss_header not in ("miss", "bypass"):
            raise RuntimeError("a unique query string was answered from the page cache")
        for path in (self.path_10k, "/donate/", f"/api/threads/{self.article_1k}"):
            _get(self.newsdesk + path)

    # --- measurements -------------------------------------------------------------------------
    def wrk(self, key: str, label: str, url: str, c: int, *, unique: bool = False) -> None:
        nonce = f"{self.nonce}{key}{len(self.results.get(key, []))}" if unique else ""
        result = load.wrk_run(url, connections=c, seconds=self.cfg.seconds, unique_nonce=nonce)
        self.record(key, label, c, result)

    def get_drive(self, key: str, label: str, url: str, c: int, *, unique: bool = False) -> None:
        """GETs with the Python driver: every request started is waited for and counted, so a
        server slower than the round (Isso's thread, at c=32) still gets a true rate."""
        parts = urlsplit(url)
        base, path = f"{parts.scheme}://{parts.netloc}", parts.path
        query = f"?{parts.query}" if parts.query else ""
        run = f"{self.nonce}{key}{len(self.results.get(key, []))}"

        def setup(n: int):
            return scenarios.WorkerState(n, random.Random(n), [load.Connection(base, timeout=600)])

        def step(state):
            state.counter += 1
            target = path + query
            if unique:
                target = f"{path}?viral={run}-{state.number}-{state.counter}"
            status, _, _, seconds = state.connections[0].request("GET", target)
            return [load.Outcome("get", status, seconds, status == 200)]

        outcomes, elapsed = load.drive(
            concurrency=c, seconds=self.cfg.seconds, worker_setup=setup, step=step
        )
        self.record(key, label, c, load.summarize(outcomes, elapsed))

    def post_drive(self, key: str, label: str, c: int, *, peer: bool, base: str = "") -> None:
        """Comments posted to Isso (``peer``) or to Newsdesk (at ``base``, else the run's)."""
        shared = scenarios.Shared()
        base = self.isso if peer else (base or self.newsdesk)
        article = self.posting["article_id"]

        def setup(n: int):
            state = scenarios.WorkerState(
                n, random.Random(f"{key}{n}{self.nonce}"), [load.Connection(base)]
            )
            if not peer:
                state.csrf = scenarios.csrf_fetch(
                    state.connections[0], ["/donate/", self.posting["path"]]
                )
            return state

        def step(state):
            conn = state.connections[0]
            run = f"{self.nonce}{key}{len(self.results.get(key, []))}"
            if peer:
                return [scenarios.isso_post(conn, state, shared, run=run, uri=isso.POSTING_URI)]
            return [
                scenarios.newsdesk_post(
                    conn, state, shared, run=run, article_id=article, kind="post"
                )
            ]

        outcomes, elapsed = load.drive(
            concurrency=c, seconds=self.cfg.seconds, worker_setup=setup, step=step
        )
        self.record(key, label, c, load.summarize(outcomes, elapsed))

    def round(self) -> None:
        nd, ngx, pg = self.newsdesk, self.nginx, self.path_1k
        isso_url = f"{self.isso}/?{urlencode({'uri': isso.THREAD_URI})}"
        for c in (1, 32):  # fmt: skip
            if self.nginx_hit:
                self.wrk(f"nginxhit_c{c}", "(a) 1k page, hit: nginx proxy_cache", ngx + pg, c)
            if self.django_hit:
                self.wrk(
                    f"djangohit_c{c}", "(a) 1k page, hit: Django page cache, gunicorn", nd + pg, c
                )
            self.wrk(
                f"miss_c{c}", "(a) 1k page, miss (unique query), gunicorn", nd + pg, c, unique=True
            )
            self.wrk(
                f"static_c{c}",
                "(b) nginx, the same bytes as a static file",
                ngx + "/bench-static/article.html",
                c,
            )
            if c == 32 and self.isso_too_slow_to_repeat():
                continue
            self.get_drive(f"isso_c{c}", "(c) Isso, JSON of its 1k thread [driver]", isso_url, c)
        # (f): one request at a time, each finished, whatever it takes (mean time per page).
        label = "(f) 1k page, miss, gunicorn [driver]"
        self.get_drive("seq_miss1k", label, nd + pg, 1, unique=True)
        label = "(f) 10k page, miss, gunicorn [driver]"
        self.get_drive("seq_miss10k", label, nd + self.path_10k, 1, unique=True)
        for c in (1, 32):
            self.post_drive(
                f"post_c{c}", "(d) post a comment: Newsdesk API, full pipeline", c, peer=False
            )
            self.post_drive(f"isso_post_c{c}", "(d) post a comment: Isso POST /new", c, peer=True)

    def isso_too_slow_to_repeat(self) -> bool:
        """Isso's thread at c=32 waits for 32 fetches each round; when one takes seconds, the
        first round's figure stands alone (the table shows its rounds) to keep the run short."""
        if not self.results.get("isso_c32"):
            return False
        slow = statistics.median(r.mean for r in self.results["isso_c1"]) > 2000
        if slow and not self.isso_note_made:
            self.notes.append("Isso c=32 measured in round 1 only: one fetch takes over 2 s")
            self.isso_note_made = True
        return slow

    def driver_ceiling(self) -> None:
        conn_url = self.nginx

        def setup(n):
            return scenarios.WorkerState(n, random.Random(n), [load.Connection(conn_url)])

        def step(state):
            status, _, _, seconds = state.connections[0].request(
                "GET", "/bench-static/article.html"
            )
            return [load.Outcome("static", status, seconds, status == 200)]

        outcomes, elapsed = load.drive(
            concurrency=32, seconds=self.cfg.seconds, worker_setup=setup, step=step
        )
        self.record(
            "driver_c32",
            "Python driver's ceiling: nginx static",
            32,
            load.summarize(outcomes, elapsed),
        )

    def site_100k(self) -> None:
        _say("(g): restarting Newsdesk on the copy with 100,000 more comments elsewhere")
        self.servers.stop("newsdesk")
        self.site_dir = data.site_prepare(self.cfg, variant="site-100k")
        self.newsdesk = servers.newsdesk_start(
            self.servers, site_dir=self.site_dir, port=self.newsdesk_port, env_of=data.site_env
        )
        for n in range(3):
            _get(self.newsdesk + self.path_1k)
            _get(f"{self.newsdesk}{self.path_1k}?viral=warm-{self.nonce}-{n}")
        label = f"(g) 1k page, miss, {self.cfg.others_total:,} comments elsewhere [driver]"
        for _ in range(self.cfg.rounds):
            self.get_drive("seq_miss1k_100k", label, self.newsdesk + self.path_1k, 1, unique=True)

    def spike(self) -> dict:
        _say(f"(e): spike through nginx, c={SPIKE_CONCURRENCY}, {self.cfg.spike_seconds:.0f} s")
        shared = scenarios.Shared()
        base, page = self.nginx, self.path_1k

        def setup(n: int):
            state = scenarios.WorkerState(
                n, random.Random(f"spike{n}{self.nonce}"), [load.Connection(base)]
            )
            state.csrf = scenarios.csrf_fetch(state.connections[0], ["/donate/", page])
            return state

        def step(state):
            conn, roll = state.connections[0], state.rng.random()
            if roll < 0.95:
                status, _, _, seconds = conn.request("GET", page)
                return [load.Outcome("view", status, seconds, status == 200)]
            if roll < 0.99:
                return [
                    scenarios.newsdesk_post(
                        conn, state, shared, run=f"s{self.nonce}", article_id=self.article_1k,
                        kind="comment",
                    )
                ]  # fmt: skip
            return scenarios.donation_give(conn, state, shared, run=f"s{self.nonce}")

        outcomes, elapsed = load.drive(
            concurrency=SPIKE_CONCURRENCY, seconds=self.cfg.spike_seconds,
            worker_setup=setup, step=step,
        )  # fmt: skip
        for kind, label in (
            ("view", "(e) spike: page views"),
            ("comment", "(e) spike: comment posts"),
            ("donate", "(e) spike: donation requests"),
        ):
            self.record(
                f"spike_{kind}",
                label,
                SPIKE_CONCURRENCY,
                load.summarize(outcomes, elapsed, kind=kind),
            )
        time.sleep(1)
        checks = scenarios.acks_check(self.site_dir / "db.sqlite3", shared.acks)
        errors = sum(not o.ok for o in outcomes)
        comments, donations = checks["comment"], checks["donation"]
        return {
            "requests": len(outcomes),
            "errors": errors,
            "lost": comments.lost + donations.lost,
            "duplicated": comments.duplicated + donations.duplicated,
            "mismatched": comments.mismatched,
            "comments_acknowledged": comments.acknowledged,
            "donations_acknowledged": donations.acknowledged,
            "statuses": _status_counts(outcomes),
        }


def _status_counts(outcomes) -> dict:
    counts: dict[str, int] = {}
    for o in outcomes:
        counts[str(o.status)] = counts.get(str(o.status), 0) + 1
    return counts


def main() -> int:
    cfg = config_from_env()
    signal.signal(signal.SIGTERM, _terminate)
    run = Run(cfg)
    started = time.monotonic()
    try:
        _say(
            f"viral bench: {cfg.rounds} round(s) of {cfg.seconds:g} s,"
            f" spike {cfg.spike_seconds:g} s{' (quick)' if cfg.quick else ''}"
        )
        state = data.data_ensure(cfg, say=_say)
        run.start(state)
        for number in range(cfg.rounds):
            _say(f"round {number + 1}/{cfg.rounds}")
            run.round()
        run.driver_ceiling()
        run.site_100k()
        spike = run.spike()
    except KeyboardInterrupt:
        _say("interrupted: stopping the servers")
        return 130
    finally:
        run.servers.stop_all()
    medians = {key: report.median_of(results) for key, results in run.results.items()}
    hit_key = "nginxhit_c32" if "nginxhit_c32" in medians else "djangohit_c32"
    medians["hit_c32"] = medians[hit_key]
    rows = [(label, c, medians[key]) for key, (label, c) in run.labels.items()]
    _say()
    report.table_print(rows, out=_say)
    _say()
    for note in run.notes:
        _say(f"note: {note}")
    _say(f"note: hit_vs_nginx uses {hit_key}; elapsed {time.monotonic() - started:.0f} s")
    extra = {
        "hit_source": "nginx proxy_cache" if hit_key.startswith("nginx") else "Django page cache",
        "rates": {key: float(f"{m['rate']:.3g}") for key, m in medians.items()},
        "rounds": cfg.rounds,
        "seconds": cfg.seconds,
        "quick": cfg.quick,
    }
    _say(report.json_line(report.figures(medians, spike, extra)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
