"""Free TCP ports of 127.0.0.1 for servers the tests start.

The kernel hands out a port that was just bound and released again to the next asker, so two
servers of one test (a site and its SMTP server) asking in turn could be told the same port;
the second to start then answers the first one's clients. Every port handed out here is
remembered and never handed out again in this process.
"""

import socket
import threading

_handed_out: set[int] = set()
_lock = threading.Lock()


def free_port() -> int:
    """A port nothing listens on now and that this process has not handed out before."""
    with _lock:
        while True:
            with socket.socket() as sock:
                sock.bind(("127.0.0.1", 0))
                port = sock.getsockname()[1]
            if port not in _handed_out:
                _handed_out.add(port)
                return port
