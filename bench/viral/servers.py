"""The servers of a run: Newsdesk (``manage.py serve``), Isso (gunicorn) and nginx.

Each runs in its own process group with its output in a log file under ``<BENCH_DIR>/run``;
``Servers.stop_all`` ends every one of them (SIGTERM to the group, then SIGKILL), and
``run.py`` calls it on every exit: normal, error or Ctrl-C.
"""

import contextlib
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from bench.viral.config import ROOT

# The benchmark's servers (sites, Isso, PostgreSQL, Redis) take ports as the tests' do: never
# one port twice in a run.
from tests.support.ports import free_port  # noqa: F401 - servers.free_port for the rest


def wait_until_up(url: str, *, timeout: float = 300, process=None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"server for {url} exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=10) as response:
                response.read()
                return
        except urllib.error.HTTPError as error:
            if error.code < 500:
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"{url} did not answer within {timeout:.0f} s")


@dataclass
class Servers:
    """The processes started by this run, by name."""

    log_dir: Path
    processes: dict[str, subprocess.Popen] = field(default_factory=dict)

    def start(self, name: str, args: list[str], *, env: dict | None = None, cwd=ROOT):
        log = open(self.log_dir / f"{name}.log", "a")  # noqa: SIM115 - the child keeps it
        self.processes[name] = subprocess.Popen(
            args,
            cwd=cwd,
            env=env or os.environ.copy(),
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        log.close()
        return self.processes[name]

    def stop(self, name: str) -> None:
        process = self.processes.pop(name, None)
        if process is None or process.poll() is not None:
            return
        try:
            os.killpg(process.pid, signal.SIGTERM)
        except ProcessLookupError:
            return
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=5)

    def stop_all(self) -> None:
        for name in list(self.processes):
            self.stop(name)


# --- Newsdesk -------------------------------------------------------------------------------
# Rate limits raised for one address sending the load of thousands of readers.
BENCH_LIMITS = {
    "DISCUSSION_POSTS_PER_IP": "100000000",
    "DISCUSSION_POSTS_PER_USER": "100000000",
    "DISCUSSION_EDITS_PER_IP": "100000000",
    "DISCUSSION_VOTES_PER_IP": "100000000",
    "MODERATION_POSTING_RATE_LIMIT": "100000000",
    "MODERATION_REPORTS_PER_HOUR": "100000000",
    "FUNDING_DONATE_RATE": "100000000",
}


def newsdesk_start(
    servers: Servers, *, site_dir: Path, port: int, env_of, name: str = "newsdesk", root=ROOT
) -> str:
    """Newsdesk on ``port``: gunicorn with 2 sync workers, and the task worker (RQ's when
    ``env_of`` names Redis). ``root`` is the work tree served: today's, or a baseline's
    (``baseline.py``), run with the same interpreter."""
    url = f"http://127.0.0.1:{port}"
    # No access log, as Isso runs here: a line a request is about 2 % of a post's CPU time.
    env = env_of(site_dir, SITE_URL=url, ACCESS_LOG="0", **BENCH_LIMITS)
    # The work tree's own modules first, whatever PYTHONPATH the caller had.
    env["PYTHONPATH"] = str(root)
    process = servers.start(
        name,
        [sys.executable, "manage.py", "serve", "--port", str(port), "--workers", "2"],
        env=env,
        cwd=root,
    )
    wait_until_up(url + "/", process=process)
    return url


def newsdesk_unscored_start(servers: Servers, *, site_dir: Path, port: int, env_of) -> str:
    """A second Newsdesk on the same data, web only, with the comment scoring skipped
    (``unscored.py``): what a post costs apart from the moderation signals."""
    url = f"http://127.0.0.1:{port}"
    env = env_of(site_dir, SITE_URL=url, **BENCH_LIMITS)
    # unscored.py, read by gunicorn before it adds its folder to sys.path, imports Newsdesk.
    env["PYTHONPATH"] = str(ROOT)
    process = servers.start(
        "newsdesk-unscored",
        [
            str(Path(sys.executable).with_name("gunicorn")), "newsdesk.wsgi",
            "-c", str(Path(__file__).with_name("unscored.py")),
            "--bind", f"127.0.0.1:{port}", "--workers", "2", "--no-control-socket",
        ],
        env=env,
    )  # fmt: skip
    wait_until_up(url + "/", process=process)
    return url


# --- Isso -----------------------------------------------------------------------------------
def isso_start(servers: Servers, *, venv: Path, config: Path, port: int) -> str:
    """Isso's WSGI app under gunicorn, 2 sync workers, as its documentation runs it."""
    url = f"http://127.0.0.1:{port}"
    env = {**os.environ, "ISSO_SETTINGS": str(config)}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    process = servers.start(
        "isso",
        [
            str(venv / "bin" / "gunicorn"), "-w", "2", "--bind", f"127.0.0.1:{port}",
            "--timeout", "300", "--no-control-socket", "isso.run",
        ],
        env=env,
        cwd=config.parent,
    )  # fmt: skip
    wait_until_up(url + "/info", process=process)
    return url


def nginx_start(
    servers: Servers, *, prefix: Path, config: Path, port: int, name: str = "nginx"
) -> str:
    url = f"http://127.0.0.1:{port}"
    process = servers.start(
        name, ["nginx", "-p", str(prefix), "-c", str(config), "-e", str(prefix / "error.log")]
    )
    wait_until_up(url + "/bench-static/article.html", process=process)
    return url
