"""nginx running the deploy kit's sample (``deploy/nginx/newsdesk.conf``) for tests.

Only the sample's ports and paths change (the upstream's servers, the port it listens on,
the folders under ``/srv/newsdesk/var/`` and its cache folder); every other line is as
shipped, so a test through it exercises the file a newsroom installs.
"""

import os
import re
import shutil
import signal
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings

from tests.support.servers import listening_wait

SAMPLE = Path(settings.BASE_DIR) / "deploy" / "nginx" / "newsdesk.conf"
NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
MISSING = "nginx is not installed (scripts/install-bench-tools.sh installs it)"

MAIN = """\
daemon off;
master_process on;
worker_processes 1;
{user}
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{ worker_connections 256; }}
http {{
    include /etc/nginx/mime.types;
    access_log {prefix}/access.log;
    client_body_temp_path {prefix}/tmp/body;
    proxy_temp_path {prefix}/tmp/proxy;
    fastcgi_temp_path {prefix}/tmp/fastcgi;
    uwsgi_temp_path {prefix}/tmp/uwsgi;
    scgi_temp_path {prefix}/tmp/scgi;
{site}
}}
"""


def nginx_config(
    *, prefix: Path, port: int, upstream_port: int | None = None, upstream_ports=(), var=None
) -> Path:
    """The sample with this run's ports and paths; everything else as shipped.

    ``upstream_ports`` replaces the upstream's servers in order (one port given: every
    server is that one); ``var`` stands for ``/srv/newsdesk/var/`` (``prefix`` if not given).
    """
    ports = list(upstream_ports) or [upstream_port]
    for name in ("tmp/body", "tmp/proxy", "tmp/fastcgi", "tmp/uwsgi", "tmp/scgi", "cache"):
        (prefix / name).mkdir(parents=True, exist_ok=True)
    site = SAMPLE.read_text()
    servers = iter(ports)
    site, count = re.subn(
        r"server 127\.0\.0\.1:\d+;",
        lambda _: f"server 127.0.0.1:{next(servers, ports[-1])};",
        site,
    )
    assert count, "deploy/nginx/newsdesk.conf changed: no upstream server"
    for pattern, replacement in [
        (r"proxy_cache_path /var/cache/nginx/newsdesk", f"proxy_cache_path {prefix}/cache"),
        (r"listen 80;", f"listen 127.0.0.1:{port};"),
        (r"\n\s*listen \[::\]:80;", ""),
        (r"/srv/newsdesk/var/", f"{var or prefix}/"),
    ]:
        site, count = re.subn(pattern, replacement, site)
        assert count, f"deploy/nginx/newsdesk.conf changed: no match for {pattern}"
    # As root, nginx's workers would run as nobody, who may not enter the test's folder.
    user = "user root;" if os.geteuid() == 0 else ""
    config = prefix / "nginx.conf"
    config.write_text(MAIN.format(prefix=prefix, site=site, user=user))
    return config


@contextmanager
def nginx_serving(config: Path, *, prefix: Path, port: int) -> Iterator[subprocess.Popen]:
    """nginx running ``config`` until the block ends; it accepts connections on ``port``."""
    assert NGINX, MISSING
    process = subprocess.Popen(
        [NGINX, "-p", str(prefix), "-c", str(config)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    try:
        listening_wait(process, port)
        yield process
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=20)
