"""The container's health probe (the Dockerfile's HEALTHCHECK, compose.yaml's): exit 0 when
``http://127.0.0.1:8000<path>`` answers 200 within five seconds, 1 otherwise.

    python deploy/container/healthcheck.py /healthz   # the process answers
    python deploy/container/healthcheck.py /readyz    # and its database, cache and queue do

Standard library only and no Django start-up: it runs every few seconds. The request names
a host of ``ALLOWED_HOSTS`` (Django answers 400 to any other) and says it came over HTTPS,
as the proxy in front says of readers' requests (127.0.0.1 is among ``TRUSTED_PROXIES`` in
deploy/compose.env.example), so ``SECURE_SSL_REDIRECT`` does not turn it into a redirect.
"""

import http.client
import os
import sys

PORT = 8000
TIMEOUT_SECONDS = 5


def probe_host(allowed_hosts: str) -> str:
    """The first host name of ``ALLOWED_HOSTS`` usable as a Host header: ``.example.org``
    (a domain and its subdomains) gives ``example.org``; ``*`` or nothing gives localhost."""
    for entry in allowed_hosts.split(","):
        name = entry.strip().lstrip(".")
        if name and name != "*":
            return name
    return "localhost"


def main(path: str, *, port: int = PORT) -> int:
    """Ask ``path`` of the web process in this container; 0 when it answers 200."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT_SECONDS)
    try:
        connection.request(
            "GET",
            path,
            headers={
                "Host": probe_host(os.environ.get("ALLOWED_HOSTS", "")),
                "X-Forwarded-Proto": "https",
                "User-Agent": "newsdesk-container-healthcheck",
            },
        )
        response = connection.getresponse()
        body = response.read(500).decode("utf-8", "replace")
    except OSError as error:
        print(f"{path}: no answer on port {port}: {error}")
        return 1
    finally:
        connection.close()
    print(f"{path}: {response.status} {body}")
    return 0 if response.status == 200 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "/healthz"))
