"""Run the site: gunicorn for the web and the background worker, until Ctrl-C.

This is what ``make demo`` ends in. On the newsroom tier run the two processes under your
process supervisor instead (see the README).

The site's address for links made outside a request is ``SITE_URL`` when set, else the
address serve binds (``core/siteurl.py``): serve hands it to gunicorn and the worker as
``SITE_URL``, so every process builds the same links, and points a local default Wagtail Site
at it, so the links Wagtail builds during requests carry the same port.
"""

import os
import signal
import subprocess
import sys
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import DatabaseError

from newsdesk.core import hooks as newsdesk_hooks
from newsdesk.core import siteurl
from newsdesk.core.management.commands.worker import run_duties

# gunicorn's configuration module, as every start of the web processes passes it.
GUNICORN_CONFIG = "python:newsdesk.gunicorn_conf"


def gunicorn_command(*, host: str, port: int, workers: int, access_log: bool) -> list[str]:
    """The command line of the web processes: gunicorn with Newsdesk's configuration module
    (its server hooks warm each worker, then freeze its heap), on ``host:port``."""
    web = [
        os.path.join(os.path.dirname(sys.executable), "gunicorn"),
        "newsdesk.wsgi",
        "--config",
        GUNICORN_CONFIG,
        "--bind",
        f"{host}:{port}",
        "--workers",
        str(workers),
        "--graceful-timeout",
        "10",
        # Several sites may run on one machine (tests, benchmarks): no shared socket.
        "--no-control-socket",
    ]
    if access_log:
        web += ["--access-logfile", "-"]
    return web


class Command(BaseCommand):
    help = "Serve the site with gunicorn and run the background worker beside it."

    def add_arguments(self, parser):
        parser.add_argument("--host", default=settings.SERVE_HOST)
        parser.add_argument("--port", type=int, default=settings.SERVE_PORT)
        parser.add_argument("--workers", type=int, default=settings.SERVE_WORKERS)
        parser.add_argument(
            "--no-worker", action="store_true", help="Serve pages only; run no background worker."
        )
        parser.add_argument(
            "--no-access-log",
            action="store_true",
            default=not settings.SERVE_ACCESS_LOG,
            help="Log no line per request (behind nginx, which logs them). ACCESS_LOG=0 too.",
        )
        parser.add_argument(
            "--demo",
            action="store_true",
            help="Migrate and load the demo content first (what `make demo` runs).",
        )

    def handle(self, *args, host, port, workers, no_worker, no_access_log, demo, **options):
        # Before the demo loads: it points the Wagtail Site at this address too.
        site_url = siteurl.site_url_bind(url=siteurl.serve_address(host=host, port=port))
        if demo:
            # In this process, not as separate commands: each start of Django and Wagtail
            # costs seconds, and a second `make demo` should be up in seconds.
            call_command("migrate", interactive=False, verbosity=0)
            call_command("load_demo")
        try:
            if siteurl.default_site_follow(url=site_url):
                self.stdout.write(f"The default Wagtail site now answers at {site_url}.")
        except DatabaseError as error:
            # A database not migrated yet: the site starts anyway, as it did before.
            self.stderr.write(f"The Wagtail site was not pointed at {site_url}: {error}")
        run_duties(newsdesk_hooks.SITE_STARTING)
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": settings.SETTINGS_MODULE}
        # The processes read the address as SITE_URL: the links they build match this one.
        env["SITE_URL"] = site_url
        web = gunicorn_command(host=host, port=port, workers=workers, access_log=not no_access_log)
        worker = [sys.executable, "manage.py", "worker"]
        processes = [subprocess.Popen(web, env=env, cwd=settings.BASE_DIR)]
        if not no_worker:
            processes.append(subprocess.Popen(worker, env=env, cwd=settings.BASE_DIR))
        self.stdout.write(
            self.style.SUCCESS(
                f"Newsdesk is running on {siteurl.serve_address(host=host, port=port)}/ "
                "(admin: /admin/). Ctrl-C stops it."
            )
        )

        stopping = False

        def stop(signum, frame):
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        try:
            while not stopping and all(p.poll() is None for p in processes):
                time.sleep(0.2)
        finally:
            for process in processes:
                if process.poll() is None:
                    process.send_signal(signal.SIGTERM)
            deadline = time.monotonic() + 15
            for process in processes:
                try:
                    process.wait(timeout=max(0.1, deadline - time.monotonic()))
                except subprocess.TimeoutExpired:
                    process.kill()
        failed = [
            str(p.args[0]) if isinstance(p.args, list) else str(p.args)
            for p in processes
            if p.returncode not in (0, -signal.SIGTERM, None)
        ]
        if failed and not stopping:
            raise SystemExit(f"Stopped because a process exited: {failed}")
