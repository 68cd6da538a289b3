"""A real SMTP server on 127.0.0.1 (aiosmtpd) that keeps what it receives, for tests that run
the site in processes of its own: the site sends through Django's SMTP backend exactly as a
newsroom's does through its mail server, and the test reads the messages that arrived.
"""

import threading
from email import message_from_bytes, policy
from email.message import EmailMessage

from aiosmtpd.controller import Controller

from tests.support.ports import free_port


class _Keeper:
    """aiosmtpd's handler: every accepted message, raw, in arrival order."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.received: list[tuple[str, list[str], bytes]] = []

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd names the hook
        with self.lock:
            self.received.append(
                (envelope.mail_from, list(envelope.rcpt_tos), bytes(envelope.original_content))
            )
        return "250 Message accepted for delivery"


class SmtpServer:
    """An SMTP server on a free port of 127.0.0.1 until ``stop()``.

    ``environ()`` gives the variables that send a site's mail to it; ``messages()`` the raw
    texts received, oldest first; ``parsed()`` the same as ``EmailMessage`` objects.
    """

    def __init__(self) -> None:
        self.port = free_port()
        self._keeper = _Keeper()
        self._controller = Controller(self._keeper, hostname="127.0.0.1", port=self.port)

    def start(self) -> "SmtpServer":
        self._controller.start()
        return self

    def stop(self) -> None:
        self._controller.stop()

    def __enter__(self) -> "SmtpServer":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def environ(self) -> dict[str, str]:
        return {
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(self.port),
            "EMAIL_HOST_USER": "",
            "EMAIL_HOST_PASSWORD": "",
            "EMAIL_USE_TLS": "0",
        }

    def envelopes(self) -> list[tuple[str, list[str], bytes]]:
        """(sender, recipients, raw message) of every message, oldest first."""
        with self._keeper.lock:
            return list(self._keeper.received)

    def messages(self) -> list[str]:
        """The raw texts with their lines ended by "\\n" (SMTP sends "\\r\\n")."""
        return [
            raw.decode("utf-8", errors="replace").replace("\r\n", "\n")
            for _, _, raw in self.envelopes()
        ]

    def parsed(self) -> list[EmailMessage]:
        return [
            message_from_bytes(raw, policy=policy.default)  # type: ignore[misc]
            for _, _, raw in self.envelopes()
        ]
