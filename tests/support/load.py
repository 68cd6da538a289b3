"""A threaded HTTP load driver over real sockets, for load and fault tests against gunicorn.

``LoadRun`` starts one thread per actor; each actor calls ``send`` in a loop until the run
stops. Every exchange is tallied: requests sent, answered (by status), acknowledged (the
write the actor asked for was confirmed), 4xx by reason (the ``detail`` of the answer), and
exchanges with no answer at all (connection refused or cut: the server was down or killed).
Actors remember what was acknowledged, so the test can check afterwards that each
acknowledged write is stored exactly once.
"""

import http.client
import json
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit


@dataclass(frozen=True)
class Answer:
    """One HTTP exchange: ``status`` is None when no answer came back (``error`` says why)."""

    status: int | None
    body: str = ""
    error: str = ""

    def json(self) -> dict:
        try:
            data = json.loads(self.body)
        except ValueError:
            return {}
        return data if isinstance(data, dict) else {}

    @property
    def detail(self) -> str:
        return str(self.json().get("detail", "")) or self.body[:80]


def http_call(
    base_url: str,
    method: str,
    path: str,
    *,
    body: bytes | None = None,
    headers: dict | None = None,
    timeout: float = 60,
) -> Answer:
    """One request on a fresh connection (as many clients behind many addresses make)."""
    parts = urlsplit(base_url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        return Answer(response.status, response.read().decode("utf-8", errors="replace"))
    except (OSError, http.client.HTTPException) as error:
        return Answer(None, error=type(error).__name__)
    finally:
        conn.close()


@dataclass
class Tally:
    """What the run saw, shared by every actor's thread."""

    sent: int = 0
    acknowledged: int = 0
    refused_while_down: int = 0
    statuses: Counter = field(default_factory=Counter)
    refusals: Counter = field(default_factory=Counter)
    unanswered: Counter = field(default_factory=Counter)
    server_errors: list = field(default_factory=list)
    unexpected: list = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def record(self, kind: str, answer: Answer, *, acknowledged: bool = False) -> None:
        with self.lock:
            if answer.error == "ConnectionRefusedError":
                # Nobody listening (the server is being restarted): no request was made.
                self.refused_while_down += 1
                return
            self.sent += 1
            if answer.status is None:
                self.unanswered[f"{kind}: {answer.error}"] += 1
                return
            self.statuses[answer.status] += 1
            if acknowledged:
                self.acknowledged += 1
            if 400 <= answer.status < 500:
                self.refusals[f"{kind} {answer.status}: {answer.detail[:70]}"] += 1
            if answer.status >= 500:
                self.server_errors.append((kind, answer.status, answer.body[:300]))

    def wrong(self, what: str) -> None:
        """An answer that named the wrong object or broke the contract."""
        with self.lock:
            self.unexpected.append(what)

    def report(self, title: str) -> str:
        lines = [
            f"{title}: {self.sent} requests sent, {sum(self.statuses.values())} answered, "
            f"{self.acknowledged} writes acknowledged, "
            f"{sum(self.unanswered.values())} unanswered (cut by a kill), "
            f"{self.refused_while_down} connections refused while the server was down",
            "  statuses: " + ", ".join(f"{k}={v}" for k, v in sorted(self.statuses.items())),
        ]
        lines += [f"  4xx {count:6d}  {reason}" for reason, count in self.refusals.most_common()]
        lines += [f"  no answer {count:6d}  {why}" for why, count in self.unanswered.most_common()]
        return "\n".join(lines)


class Actor:
    """A client that sends one request per ``send`` call; subclasses keep what was confirmed."""

    def __init__(self, *, base_url: str, tally: Tally):
        self.base_url = base_url
        self.tally = tally

    def send(self) -> Answer:
        """Make one exchange (tallied) and return its answer."""
        raise NotImplementedError


class LoadRun:
    """Run ``actors`` concurrently, one thread each, for ``seconds``; ``during`` runs in the
    calling thread meanwhile (fault injection) with the run's start time."""

    def __init__(self, actors: list[Actor], *, seconds: float, pause_when_down: float = 1.0):
        self.actors = actors
        self.seconds = seconds
        self.pause_when_down = pause_when_down
        self.stopping = threading.Event()
        self.failures: list[BaseException] = []

    def _loop(self, actor: Actor) -> None:
        try:
            while not self.stopping.is_set():
                # The server is down (being restarted): do not spin on refused connections.
                if actor.send().status is None:
                    self.stopping.wait(self.pause_when_down)
        except BaseException as error:  # a bug in the test's own actor: report it
            self.failures.append(error)

    def run(self, during: Callable[[float], None] | None = None) -> None:
        started = time.monotonic()
        threads = [
            threading.Thread(target=self._loop, args=(actor,), daemon=True, name=f"load-{i}")
            for i, actor in enumerate(self.actors)
        ]
        for thread in threads:
            thread.start()
        try:
            if during is not None:
                during(started)
            remaining = self.seconds - (time.monotonic() - started)
            if remaining > 0:
                self.stopping.wait(remaining)
        finally:
            self.stopping.set()
            for thread in threads:
                thread.join(timeout=120)
        if self.failures:
            raise self.failures[0]
