"""nginx for the benchmark: the sample ``deploy/nginx/newsdesk.conf`` with this run's ports and
paths, inside a main config of our own (foreground, its files under ``<BENCH_DIR>/run/nginx``).

Besides the sample's locations, ``/bench-static/`` serves files from disk: the article page's
bytes saved as a file, the machine's limit for those bytes.
"""

import re
from pathlib import Path

from bench.viral.config import ROOT

SAMPLE = ROOT / "deploy" / "nginx" / "newsdesk.conf"

MAIN = """\
daemon off;
master_process on;
worker_processes 2;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{ worker_connections 4096; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log off;
    sendfile on;
    tcp_nopush on;
    keepalive_requests 1000000;
    client_body_temp_path {prefix}/tmp/body;
    proxy_temp_path {prefix}/tmp/proxy;
    fastcgi_temp_path {prefix}/tmp/fastcgi;
    uwsgi_temp_path {prefix}/tmp/uwsgi;
    scgi_temp_path {prefix}/tmp/scgi;

{site}
}}
"""

STATIC_LOCATION = """
    location /bench-static/ {{
        alias {static}/;
    }}
"""


def nginx_config_write(*, prefix: Path, port: int, upstream_port: int, site_dir: Path) -> Path:
    """Write ``prefix/nginx.conf`` and return its path."""
    for name in (
        "tmp/body",
        "tmp/proxy",
        "tmp/fastcgi",
        "tmp/uwsgi",
        "tmp/scgi",
        "cache",
        "static",
    ):
        (prefix / name).mkdir(parents=True, exist_ok=True)
    site = SAMPLE.read_text()
    replacements = [
        (r"server 127\.0\.0\.1:\d+;", f"server 127.0.0.1:{upstream_port};"),
        (r"proxy_cache_path /var/cache/nginx/newsdesk", f"proxy_cache_path {prefix}/cache"),
        (r"listen 80;", f"listen 127.0.0.1:{port};"),
        (r"\n\s*listen \[::\]:80;", ""),
        (r"server_name [^;]+;", "server_name 127.0.0.1;"),
        (r"/srv/newsdesk/var/static/", f"{site_dir}/static/"),
        (r"/srv/newsdesk/var/media/", f"{site_dir}/media/"),
    ]
    for pattern, replacement in replacements:
        site, count = re.subn(pattern, replacement, site)
        if not count:
            raise RuntimeError(f"deploy/nginx/newsdesk.conf changed: no match for {pattern}")
    # The static location goes first in the server block.
    site = re.sub(
        r"(server_name 127\.0\.0\.1;\n)",
        lambda m: m.group(1) + STATIC_LOCATION.format(static=prefix / "static"),
        site,
        count=1,
    )
    config = prefix / "nginx.conf"
    config.write_text(MAIN.format(prefix=prefix, site=site))
    return config
