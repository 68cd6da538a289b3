"""Load: wrk for page loads (its output parsed), and a Python driver for writes and the spike.

The Python driver runs ``concurrency`` threads, each with its own keep-alive connection
(``http.client``), calling a scenario function in a loop until the time is up; every call
returns ``Outcome``s (one per HTTP request), timed around the request only. Its own ceiling
is measured against nginx's static file (``driver_ceiling``) and printed beside the results.
"""

import http.client
import re
import statistics
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

HERE = Path(__file__).resolve().parent
UNITS = {"us": 1e-3, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


@dataclass
class Result:
    """One round of one measurement: rate and latency percentiles (ms)."""

    requests: int
    seconds: float
    rate: float
    p50: float
    p99: float
    mean: float
    errors: int = 0
    notes: dict = field(default_factory=dict)


def _ms(value: str, unit: str) -> float:
    return float(value) * UNITS[unit]


def wrk_parse(output: str) -> Result:
    """Figures from ``wrk --latency`` output; non-2xx/3xx answers and socket errors count as
    errors."""
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    match = re.search(r"(\d+) requests in ([\d.]+)(us|ms|s|m)", output)
    requests, seconds = int(match.group(1)), _ms(match.group(2), match.group(3)) / 1000
    percentiles = dict(
        (p, _ms(v, u))
        for p, v, u in re.findall(r"\s(50|99)(?:\.000)?%\s+([\d.]+)(us|ms|s|m)", output)
    )
    mean_match = re.search(r"Latency\s+([\d.]+)(us|ms|s|m)", output)
    errors = 0
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    if non_2xx:
        errors += int(non_2xx.group(1))
    socket = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    if socket:
        errors += sum(int(n) for n in socket.groups())
    return Result(
        requests=requests,
        seconds=seconds,
        rate=rate,
        p50=percentiles.get("50", float("nan")),
        p99=percentiles.get("99", float("nan")),
        mean=_ms(*mean_match.groups()) if mean_match else float("nan"),
        errors=errors,
    )


def wrk_run(
    url: str, *, connections: int, seconds: float, unique_nonce: str = "", timeout: float = 60
) -> Result:
    """Drive ``url`` with wrk (2 threads, or 1 for one connection)."""
    threads = min(2, connections)
    args = [
        "wrk", f"-t{threads}", f"-c{connections}", f"-d{max(1, round(seconds))}s", "--latency",
        f"--timeout={int(timeout)}s",
    ]  # fmt: skip
    parts = urlsplit(url)
    if unique_nonce:
        base = f"{parts.scheme}://{parts.netloc}"
        args += ["-s", str(HERE / "unique.lua"), base, "--", parts.path, unique_nonce]
    else:
        args.append(url)
    output = subprocess.run(args, capture_output=True, text=True, check=True).stdout
    return wrk_parse(output)


# --- the Python driver ------------------------------------------------------------------------
@dataclass
class Outcome:
    """One HTTP request made by a scenario."""

    kind: str
    status: int  # 0: socket error or timeout
    seconds: float
    ok: bool


class Connection:
    """A keep-alive HTTP/1.1 connection that reconnects after an error."""

    def __init__(self, base_url: str, timeout: float = 60):
        parts = urlsplit(base_url)
        self.host, self.port, self.timeout = parts.hostname, parts.port, timeout
        self.conn = None

    def request(self, method: str, path: str, *, body: bytes | None = None, headers=None):
        """(status, headers, body bytes, seconds); status 0 on a socket error or timeout."""
        if self.conn is None:
            self.conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        start = time.perf_counter()
        try:
            self.conn.request(method, path, body=body, headers=headers or {})
            response = self.conn.getresponse()
            data = response.read()
        except (OSError, http.client.HTTPException):
            self.close()
            return 0, {}, b"", time.perf_counter() - start
        elapsed = time.perf_counter() - start
        if response.getheader("Connection", "").lower() == "close":
            self.close()
        return response.status, dict(response.getheaders()), data, elapsed

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None


def drive(*, concurrency: int, seconds: float, worker_setup, step) -> tuple[list[Outcome], float]:
    """Run ``step(state)`` in ``concurrency`` threads for ``seconds``; ``worker_setup(n)``
    makes each thread's state (untimed). Returns every outcome and the measured duration."""
    outcomes: list[list[Outcome]] = [[] for _ in range(concurrency)]
    states = [worker_setup(n) for n in range(concurrency)]
    barrier = threading.Barrier(concurrency + 1)
    stop_at = [0.0]

    def worker(n: int) -> None:
        barrier.wait()
        mine = outcomes[n]
        while time.perf_counter() < stop_at[0]:
            mine.extend(step(states[n]))

    threads = [threading.Thread(target=worker, args=(n,), daemon=True) for n in range(concurrency)]
    for t in threads:
        t.start()
    stop_at[0] = time.perf_counter() + seconds
    start = time.perf_counter()
    barrier.wait()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - start
    for state in states:
        for conn in getattr(state, "connections", []):
            conn.close()
    return [o for batch in outcomes for o in batch], elapsed


def summarize(outcomes: list[Outcome], elapsed: float, *, kind: str | None = None) -> Result:
    chosen = [o for o in outcomes if kind is None or o.kind == kind]
    good = sorted(o.seconds * 1000 for o in chosen if o.ok)
    if not good:
        return Result(0, elapsed, 0.0, float("nan"), float("nan"), float("nan"), len(chosen))
    p99 = good[min(len(good) - 1, int(len(good) * 0.99))]
    return Result(
        requests=len(chosen),
        seconds=elapsed,
        rate=len(good) / elapsed,
        p50=statistics.median(good),
        p99=p99,
        mean=statistics.fmean(good),
        errors=sum(not o.ok for o in chosen),
    )
