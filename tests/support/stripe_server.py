"""A local HTTP server that answers the stripe library as Stripe's API would.

Stripe's servers cannot be reached from tests; the library is pointed at this server on
127.0.0.1 (``STRIPE_API_BASE``). It records every request (method, path, Idempotency-Key,
Authorization, form parameters) and answers with what ``answer`` returns for it, or with
``fail_with`` while that is set. Tests build answers from the example objects of Stripe's own
OpenAPI fixtures (``stripe_example``).
"""

import copy
import json
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

from tests.support.fixtures import shared_fixture

NOT_FOUND = (404, {"error": {"type": "invalid_request_error"}})

# (method, path, params, idempotency key) -> (status, JSON payload)
Answer = Callable[[str, str, dict[str, list[str]], str | None], tuple[int, dict]]


def stripe_example(resource: str) -> dict:
    """A copy of Stripe's example object of ``resource`` ("refund", "checkout.session")."""
    fixtures = json.loads(shared_fixture("stripe/stripe-openapi-fixtures3.json").read_text())
    return copy.deepcopy(fixtures["resources"][resource])


class LocalStripe:
    """The server, as a context manager: ``url`` to point the library at, ``requests``
    received, ``fail_with`` (status, payload) to answer every request with an error."""

    def __init__(self, answer: Answer):
        self.requests: list[dict] = []
        self.fail_with: tuple[int, dict] | None = None
        server = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self, method: str) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                params = parse_qs(self.rfile.read(length).decode()) if length else {}
                key = self.headers.get("Idempotency-Key")
                server.requests.append(
                    {
                        "method": method,
                        "path": self.path,
                        "idempotency_key": key,
                        "authorization": self.headers.get("Authorization"),
                        "params": params,
                    }
                )
                status, payload = server.fail_with or answer(method, self.path, params, key)
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self):
                self._answer("GET")

            def do_POST(self):
                self._answer("POST")

            def do_DELETE(self):
                self._answer("DELETE")

            def log_message(self, *args):
                return

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
