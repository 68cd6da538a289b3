"""One issue's messages, built fast: the send's shared headers once, each recipient's bytes
by joining them with their own few headers and their two parts.

Django's ``EmailMessage.message()`` builds a MIME tree and flattens it through the
``email`` package: about 4 ms a message here (header folding, a regular expression compiled
for every random boundary), more than the SMTP exchange itself. ``IssueMessage`` is still a
Django ``EmailMultiAlternatives`` (anymail's backends read its fields, the locmem backend
keeps it), but its ``message()`` answers the bytes made here: the same headers and parts,
both quoted-printable (C's ``binascii``), one boundary per batch.
"""

import binascii
import hashlib
import secrets
import smtplib
from dataclasses import dataclass
from email import policy
from email.utils import formataddr, formatdate, parseaddr
from typing import TYPE_CHECKING

from django.core.mail import EmailMessage, EmailMultiAlternatives

from newsdesk.core.conf import setting
from newsdesk.newsletters import links
from newsdesk.newsletters.models import Newsletter

if TYPE_CHECKING:
    from newsdesk.newsletters.rendering import RenderedIssue

_POLICY = policy.SMTP.clone(linesep="\n")


def _header(name: str, value: str) -> str:
    """``Name: value`` and its line end: as is when plain ASCII (up to RFC 5322's limit of
    998 characters: a long unsubscribe address stays on one line, as providers write it),
    else folded and encoded (RFC 2047) by the ``email`` package."""
    line = f"{name}: {value}\n"
    if value.isascii() and len(line) <= 998 and "\n" not in value and "\r" not in value:
        return line
    return _POLICY.fold(name, value)


def _qp(text: str) -> bytes:
    body = text.replace("\r\n", "\n").replace("\r", "\n").encode("utf-8")
    return binascii.b2a_qp(body, istext=True)


class PreparedSend:
    """What every message of a send shares, encoded once: subject, sender, list headers,
    and the boundary of this batch."""

    def __init__(self, *, subject: str, sender: str, list_id: str) -> None:
        self.subject = subject
        self.sender = sender
        self.list_id = list_id
        self.boundary = f"=_newsletter_{secrets.token_hex(12)}"
        self.shared = (
            _header("Subject", subject)
            + _header("From", sender)
            + _header("List-Id", list_id)
            + "List-Unsubscribe-Post: List-Unsubscribe=One-Click\n"
            + "MIME-Version: 1.0\n"
            + f'Content-Type: multipart/alternative; boundary="{self.boundary}"\n'
        )

    def message_bytes(
        self, *, to: str, message_id: str, unsubscribe_url: str, html: str, text: str
    ) -> bytes:
        """One recipient's whole message, lines ended by "\\n"."""
        head = (
            self.shared
            + _header("To", to)
            + _header("Date", formatdate(localtime=False))
            + _header("Message-ID", f"<{message_id}>")
            + _header("List-Unsubscribe", f"<{unsubscribe_url}>")
        )
        part = '\nContent-Type: text/{kind}; charset="utf-8"\n'
        part += "Content-Transfer-Encoding: quoted-printable\n\n"
        boundary = f"--{self.boundary}".encode()
        return b"".join(
            [
                head.encode("utf-8"),
                b"\n",
                boundary,
                part.format(kind="plain").encode(),
                _qp(text),
                b"\n",
                boundary,
                part.format(kind="html").encode(),
                _qp(html),
                b"\n",
                boundary,
                b"--\n",
            ]
        )


class _Raw:
    """What Django's backends ask of ``message()``: its bytes (SMTP, console, file)."""

    def __init__(self, data: bytes) -> None:
        self.data = data

    def as_bytes(self, unixfrom: bool = False, linesep: str = "\n") -> bytes:
        return self.data if linesep == "\n" else self.data.replace(b"\n", linesep.encode())

    def as_string(self, unixfrom: bool = False, linesep: str = "\n") -> str:
        return self.as_bytes(linesep=linesep).decode("utf-8")

    def get_charset(self) -> None:
        return None


class IssueMessage(EmailMultiAlternatives):
    """One recipient's message of an issue, as Django's mail and anymail know it."""

    def __init__(
        self,
        *,
        prepared: PreparedSend,
        to: str,
        html: str,
        text: str,
        message_id: str,
        unsubscribe_url: str,
        connection: object,
    ) -> None:
        super().__init__(
            subject=prepared.subject,
            body=text,
            from_email=prepared.sender,
            to=[to],
            connection=connection,
            headers={
                "Message-ID": f"<{message_id}>",
                "List-Unsubscribe": f"<{unsubscribe_url}>",
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
                "List-Id": prepared.list_id,
            },
        )
        self.attach_alternative(html, "text/html")
        self._bytes = prepared.message_bytes(
            to=to, message_id=message_id, unsubscribe_url=unsubscribe_url, html=html, text=text
        )

    def message(self, *, policy: object = None) -> _Raw:  # type: ignore[override]
        return _Raw(self._bytes)


# --- settings ----------------------------------------------------------------------------
def email_backend() -> str:
    """The connection issues go through: ``NEWSLETTER_EMAIL_BACKEND``, or the site's own."""
    return str(setting("NEWSLETTER_EMAIL_BACKEND") or setting("EMAIL_BACKEND"))


def from_email() -> str:
    return str(setting("NEWSLETTER_FROM_EMAIL") or setting("DEFAULT_FROM_EMAIL"))


# --- one message --------------------------------------------------------------------------
def message_id_for(*, send_id: int, record_id: int) -> str:
    """The Message-ID of one record's message (without the angle brackets): the same on
    every attempt, so a resent message is recognisably the same one."""
    domain = parseaddr(from_email())[1].rpartition("@")[2] or "newsdesk.invalid"
    digest = hashlib.sha256(f"{send_id}:{record_id}".encode()).hexdigest()[:12]
    return f"newsletter.{send_id}.{record_id}.{digest}@{domain}"


def sender_address(newsletter_name: str) -> str:
    sender = from_email()
    name, address = parseaddr(sender)
    return sender if name else formataddr((newsletter_name, address))


@dataclass(frozen=True)
class Mail:
    """What every message of a send shares: the rendering and the headers encoded once."""

    rendered: "RenderedIssue"
    slug: str
    prepared: PreparedSend


def mail_prepare(*, subject: str, html: str, text: str, newsletter: Newsletter) -> Mail:
    from newsdesk.newsletters.rendering import RenderedIssue

    host = parseaddr(from_email())[1].rpartition("@")[2] or "newsdesk.invalid"
    return Mail(
        rendered=RenderedIssue(subject=subject, preheader="", html=html, text=text),
        slug=newsletter.slug,
        prepared=PreparedSend(
            subject=subject,
            sender=sender_address(newsletter.name),
            list_id=formataddr((newsletter.name, f"{newsletter.slug}.{host}")),
        ),
    )


def message_build(
    *, mail: Mail, to: str, name: str, token: str, message_id: str, connection: object
) -> IssueMessage:
    from newsdesk.newsletters.rendering import issue_render_for

    unsubscribe = links.unsubscribe_url(token=token, newsletter_slug=mail.slug)
    html, text = issue_render_for(
        rendered=mail.rendered,
        name=name,
        unsubscribe_url=unsubscribe,
        preferences_url=links.preferences_url(token=token),
    )
    return IssueMessage(
        prepared=mail.prepared,
        to=to,
        html=html,
        text=text,
        message_id=message_id,
        unsubscribe_url=unsubscribe,
        connection=connection,
    )


def accepted_id(message: EmailMessage, own: str) -> str:
    """The id the provider's events will name: anymail's (the provider's own id, when it
    gives one), else the Message-ID the message carried."""
    status = getattr(message, "anymail_status", None)
    provider_id = getattr(status, "message_id", None)
    return str(provider_id) if isinstance(provider_id, str) and provider_id else own


# Refusals of one recipient (the message is not sent; the others go on). Anything else
# (the server gone, a timeout) stops the batch: it runs again later, from the records.
RECIPIENT_REFUSED: tuple[type[Exception], ...] = (
    smtplib.SMTPRecipientsRefused,
    smtplib.SMTPSenderRefused,
    smtplib.SMTPDataError,
)
try:
    from anymail.exceptions import AnymailRecipientsRefused  # type: ignore[import-untyped]

    RECIPIENT_REFUSED = (*RECIPIENT_REFUSED, AnymailRecipientsRefused)
except ImportError:  # pragma: no cover - anymail is a dependency
    pass
