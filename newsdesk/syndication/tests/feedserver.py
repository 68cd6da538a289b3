"""A real HTTP server on 127.0.0.1 for the syndication tests, in a thread.

Routes map a path to a ``Route``: a fixed document (answering conditional GETs with 304 when
``validators`` is on) or a function that writes whatever odd answer a test needs (slow,
huge, looping). Every request is counted per path.
"""

import contextlib
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Route:
    body: bytes = b""
    content_type: str = "application/rss+xml; charset=utf-8"
    status: int = 200
    validators: bool = True  # send ETag and Last-Modified, honour If-None-Match
    headers: dict | None = None
    handler: Callable | None = None  # handler(request_handler, server) writes the answer

    @property
    def etag(self) -> str:
        return f'"{hash(self.body) & 0xFFFFFFFF:x}"'


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: "FeedServer"

    def log_message(self, *args):  # keep test output clean
        pass

    def do_GET(self):
        path = self.path.split("?", 1)[0]
        self.server.requests[path] += 1
        self.server.request_headers[path] = dict(self.headers)
        route = self.server.routes.get(path)
        if route is None:
            self._answer(404, b"not here", "text/plain")
            return
        if route.handler is not None:
            # The client may give up mid-answer, as it should.
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                route.handler(self, self.server)
            return
        headers = dict(route.headers or {})
        if route.validators:
            headers["ETag"] = route.etag
            headers["Last-Modified"] = self.server.last_modified
            if self.headers.get("If-None-Match") == route.etag:
                self._answer(304, b"", None, headers)
                return
        self._answer(route.status, route.body, route.content_type, headers)

    def _answer(self, status, body, content_type, headers=None):
        self.send_response(status)
        if content_type:
            self.send_header("Content-Type", content_type)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self.wfile.write(body)


class FeedServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), _Handler)
        self.routes: dict[str, Route] = {}
        self.requests: Counter = Counter()
        self.request_headers: dict[str, dict] = {}
        self.last_modified = formatdate(time.time() - 3600, usegmt=True)
        self.stopping = threading.Event()
        self._thread = threading.Thread(
            target=self.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    def handle_error(self, request, client_address):
        # A client that gives up mid-answer (as the fetcher must) is not an error here.
        import sys

        if not isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            super().handle_error(request, client_address)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def url(self, path: str) -> str:
        return self.base_url + path

    def add(self, path: str, route: Route | None = None, **kwargs) -> str:
        self.routes[path] = route or Route(**kwargs)
        return self.url(path)

    def start(self) -> "FeedServer":
        self._thread.start()
        return self

    def stop(self) -> None:
        self.stopping.set()
        self.shutdown()
        self.server_close()
        self._thread.join(timeout=5)

    def sleep(self, seconds: float) -> None:
        """Wait in a handler, but end at once when the server stops."""
        self.stopping.wait(seconds)


# --- odd answers ---------------------------------------------------------------------------


def slow_trickle(request, server, *, byte_every: float = 0.2, total_bytes: int = 10_000):
    """Headers at once, then one byte every ``byte_every`` seconds."""
    request.send_response(200)
    request.send_header("Content-Type", "application/rss+xml")
    request.send_header("Content-Length", str(total_bytes))
    request.end_headers()
    request.wfile.write(b"<")
    for _ in range(total_bytes - 1):
        if server.stopping.is_set():
            return
        server.sleep(byte_every)
        request.wfile.write(b" ")
        request.wfile.flush()


def silent(request, server, *, seconds: float = 10):
    """Accept the request and say nothing for ``seconds``."""
    server.sleep(seconds)


def huge_body(request, server, *, megabytes: int = 50, declare_length: bool = False):
    """A 50 MB feed, streamed in 64 KB pieces, with or without Content-Length."""
    size = megabytes * 1024 * 1024
    request.send_response(200)
    request.send_header("Content-Type", "application/rss+xml")
    if declare_length:
        request.send_header("Content-Length", str(size))
    else:
        request.send_header("Connection", "close")
    request.end_headers()
    request.close_connection = True
    head = b'<?xml version="1.0"?><rss version="2.0"><channel><title>Big</title><description>'
    request.wfile.write(head)
    chunk = b"x" * 65536
    sent = len(head)
    while sent < size and not server.stopping.is_set():
        request.wfile.write(chunk)
        sent += len(chunk)


def redirect_to(target_path: str):
    def handler(request, server):
        request.send_response(302)
        request.send_header("Location", target_path)
        request.send_header("Content-Length", "0")
        request.end_headers()

    return handler
