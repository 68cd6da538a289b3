"""Helpers of the deploy kit's tests: a Redis started from ``deploy/redis/newsdesk.conf``."""

import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings

from tests.support.servers import free_port

DEPLOY = Path(settings.BASE_DIR) / "deploy"
REDIS_SERVER = shutil.which("redis-server")


@contextmanager
def kit_redis(folder: Path) -> Iterator[str]:
    """A Redis run with the kit's configuration, on a free port, its files in ``folder``;
    yields its URL. Only the port and the folder differ from the shipped file."""
    assert REDIS_SERVER, "redis-server is not installed"
    port = free_port()
    folder.mkdir(parents=True, exist_ok=True)
    process = subprocess.Popen(
        [
            REDIS_SERVER,
            str(DEPLOY / "redis" / "newsdesk.conf"),
            "--port",
            str(port),
            "--dir",
            str(folder),
            "--bind",
            "127.0.0.1",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            assert process.poll() is None, process.stdout.read().decode()
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert time.monotonic() < deadline, "redis-server did not start"
                time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        process.wait(timeout=30)
