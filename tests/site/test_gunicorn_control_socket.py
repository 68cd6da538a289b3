"""Two gunicorn masters on one host, each with its control socket (issue 25, part 5).

gunicorn 25's default control socket is one path per user; a second master took the first's
and whichever stopped first removed the other's. ``newsdesk.gunicorn_conf.on_starting`` names
each master's socket after the address it binds. The masters here run a trivial application
(what is tested is the master, not Django) with the project's configuration module, exactly
as the systemd units start them.
"""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings

from newsdesk import gunicorn_conf
from tests.support.ports import free_port

BASE_DIR = Path(settings.BASE_DIR)
GUNICORN = Path(sys.executable).with_name("gunicorn")
GUNICORNC = Path(sys.executable).with_name("gunicornc")

APP = """
def app(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"ok"]
"""


def test_the_socket_is_named_after_the_bound_address_unless_the_operator_named_one():
    default = "/run/user/1000/gunicorn.ctl"
    assert (
        gunicorn_conf.control_socket_for(
            default=default, configured=default, bind=["127.0.0.1:8001"]
        )
        == "/run/user/1000/gunicorn-127.0.0.1-8001.ctl"
    )
    assert gunicorn_conf.control_socket_for(
        default=default, configured="/run/newsdesk-web-8001/gunicorn.ctl", bind=["x:1"]
    ) == ("/run/newsdesk-web-8001/gunicorn.ctl")
    unix = gunicorn_conf.control_socket_for(
        default=default, configured=default, bind=["unix:/run/newsdesk/web.sock"]
    )
    assert unix.startswith("/run/user/1000/gunicorn-") and "/" not in Path(unix).name


def _master(tmp_path: Path, port: int) -> subprocess.Popen:
    env = {
        **os.environ,
        # gunicorn's default socket folder; the masters share it, as two units of one user do.
        "XDG_RUNTIME_DIR": str(tmp_path),
        "PYTHONPATH": f"{tmp_path}{os.pathsep}{BASE_DIR}",
    }
    return subprocess.Popen(
        [
            str(GUNICORN),
            "trivial_app:app",
            "-c",
            "python:newsdesk.gunicorn_conf",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
        ],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )


def _wait_for(path: Path, master: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60  # a slow machine's start, not a speed check
    while not path.exists():
        assert master.poll() is None, master.stderr.read().decode()
        assert time.monotonic() < deadline, f"{path.name} never appeared"
        time.sleep(0.1)


def _master_pid(socket: Path) -> int:
    result = subprocess.run(
        [str(GUNICORNC), "-s", str(socket), "-c", "show stats", "-j"],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return int(json.loads(result.stdout)["pid"])


def test_two_masters_on_one_host_each_keep_their_control_socket(tmp_path):
    (tmp_path / "trivial_app.py").write_text(APP)
    ports = [free_port(), free_port()]
    masters = [_master(tmp_path, port) for port in ports]
    try:
        sockets = [tmp_path / f"gunicorn-127.0.0.1-{port}.ctl" for port in ports]
        for path, master in zip(sockets, masters, strict=True):
            _wait_for(path, master)
        # Each socket reaches its own master.
        assert [_master_pid(path) for path in sockets] == [m.pid for m in masters]
        assert not (tmp_path / "gunicorn.ctl").exists()

        # The first stops: the second keeps its socket and still answers on it.
        os.killpg(masters[0].pid, signal.SIGTERM)
        masters[0].wait(timeout=60)
        assert not sockets[0].exists()
        assert _master_pid(sockets[1]) == masters[1].pid
    finally:
        for master in masters:
            if master.poll() is None:
                os.killpg(master.pid, signal.SIGTERM)
                master.wait(timeout=60)
