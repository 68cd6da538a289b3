"""A careful HTTP GET for partner feeds and pictures (urllib3).

Partner servers are outside our control, so every fetch is bounded: http and https only,
a connection timeout and a deadline for the whole exchange (enforced on every read, so a
server that trickles bytes cannot hold the worker), a size limit counted while the body
streams (after decompression, so a compressed bomb is cut off too), a cap on redirects
(a loop is named as such), and the content type checked before the body is read.
Connections go only to public internet addresses, checked after DNS resolution and on every
redirect, and made to the very address that was checked (``newsdesk.core.safefetch``); an
internal target gets one message whatever listens there, and nothing is sent to it.
A failure is a ``FetchError`` whose message an editor can act on.
"""

import time
from collections.abc import Callable
from dataclasses import dataclass
from email.message import Message
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin, urlsplit

import urllib3
from django.utils import timezone

from newsdesk.core.safefetch import TargetRefused, guarded_pool_manager
from newsdesk.syndication.conf import FetchLimits

REDIRECT_STATUSES = {301, 302, 303, 307, 308}
CHUNK_BYTES = 64 * 1024


class FetchError(Exception):
    """The fetch failed; ``str(error)`` says why in words an editor understands.

    ``retry_after`` is the number of seconds the server asked us to wait, if it did.
    """

    def __init__(self, message: str, *, retry_after: int | None = None):
        super().__init__(message)
        self.retry_after = retry_after


@dataclass(frozen=True)
class FetchResult:
    """What the server answered: 200 with a body, or 304 (nothing new) without one."""

    url: str  # after redirects: the base for the document's relative links
    status: int
    body: bytes
    content_type: str  # the media type alone, lower case ("application/rss+xml")
    charset: str
    etag: str
    last_modified: str

    @property
    def not_modified(self) -> bool:
        return self.status == 304


def _check_scheme(url: str) -> None:
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise FetchError(f"Only http and https addresses can be fetched, not {url[:200]!r}.")


def _media_type(header: str) -> tuple[str, str]:
    message = Message()
    message["content-type"] = header or ""
    charset = message.get_param("charset") or ""
    media_type = message.get_content_type() if header else ""
    return media_type.lower(), str(charset)


def _retry_after(value: str | None) -> int | None:
    if not value:
        return None
    if value.strip().isdigit():
        return int(value.strip())
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0, int((when - timezone.now()).total_seconds()))


def _describe(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"


def url_fetch(
    *,
    url: str,
    limits: FetchLimits,
    accept: str,
    type_allowed: Callable[[str], bool],
    what: str = "feed",
    etag: str = "",
    last_modified: str = "",
) -> FetchResult:
    """GET ``url`` within ``limits``; conditional when ``etag`` or ``last_modified`` is given.

    ``type_allowed(media_type)`` decides whether the answer's content type is acceptable
    (checked before the body is read). Raises ``FetchError``; never anything else for a
    network or protocol problem.
    """
    _check_scheme(url)
    deadline = time.monotonic() + limits.total_timeout
    headers = {"User-Agent": limits.user_agent, "Accept": accept, "Accept-Encoding": "gzip"}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    seen = [url]
    with guarded_pool_manager(num_pools=2, maxsize=1, block=False) as http:
        while True:
            response = _request(http, url, headers, limits, deadline)
            try:
                if response.status in REDIRECT_STATUSES:
                    location = response.headers.get("Location")
                    if not location:
                        raise FetchError(f"The server redirected without a Location ({url}).")
                    next_url = urljoin(url, location.strip())
                    _check_scheme(next_url)
                    if next_url in seen:
                        raise FetchError(
                            f"Redirect loop: {next_url} redirects back to an address already "
                            f"visited ({len(seen)} redirects)."
                        )
                    if len(seen) > limits.max_redirects:
                        raise FetchError(
                            f"Too many redirects (more than {limits.max_redirects}) from {seen[0]}."
                        )
                    seen.append(next_url)
                    url = next_url
                    continue
                return _read_answer(response, url, limits, deadline, type_allowed, what)
            finally:
                response.release_conn()
                response.close()


def _request(http, url, headers, limits: FetchLimits, deadline: float):
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise FetchError(f"Gave up after {limits.total_timeout:g} s (the time allowed).")
    timeout = urllib3.Timeout(connect=min(limits.connect_timeout, remaining), read=remaining)
    try:
        return http.request(
            "GET",
            url,
            headers=headers,
            redirect=False,
            retries=False,
            preload_content=False,
            decode_content=True,
            timeout=timeout,
        )
    except TargetRefused as error:
        # The same words for every internal target: nothing was sent, nothing is told.
        raise FetchError(str(error)) from None
    except urllib3.exceptions.ConnectTimeoutError as error:
        raise FetchError(
            f"Could not connect to {urlsplit(url).hostname} within {limits.connect_timeout:g} s."
        ) from error
    except urllib3.exceptions.ReadTimeoutError as error:
        raise FetchError(
            f"The server did not answer within {limits.total_timeout:g} s (the time allowed)."
        ) from error
    except urllib3.exceptions.NewConnectionError as error:
        raise FetchError(f"Could not connect to {urlsplit(url).hostname}: {error}") from error
    except urllib3.exceptions.SSLError as error:
        raise FetchError(f"The secure connection failed: {error}") from error
    except (urllib3.exceptions.HTTPError, OSError) as error:
        raise FetchError(f"The request failed: {error}") from error


def _read_answer(response, url, limits, deadline, type_allowed, what) -> FetchResult:
    status = response.status
    etag = response.headers.get("ETag", "")[:300]
    last_modified = response.headers.get("Last-Modified", "")[:100]
    if status == 304:
        return FetchResult(url, 304, b"", "", "", etag, last_modified)
    if status != 200:
        retry_after = None
        if status in {429, 503}:
            retry_after = _retry_after(response.headers.get("Retry-After"))
        reason = response.reason or ""
        raise FetchError(
            f"The server answered {status} {reason} for {url}.".replace("  ", " "),
            retry_after=retry_after,
        )
    media_type, charset = _media_type(response.headers.get("Content-Type", ""))
    if not type_allowed(media_type):
        raise FetchError(
            f"The address serves {media_type or 'no content type'}, which is not a {what} ({url})."
        )
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > limits.max_bytes:
        raise FetchError(
            f"The {what} is {_describe(int(declared))}, over the limit of "
            f"{_describe(limits.max_bytes)}; not downloaded."
        )
    body = _read_body(response, limits, deadline, what)
    return FetchResult(url, 200, body, media_type, charset, etag, last_modified)


def _read_body(response, limits: FetchLimits, deadline: float, what: str) -> bytes:
    chunks = []
    size = 0
    try:
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise FetchError(
                    f"The {what} took longer than {limits.total_timeout:g} s to arrive; "
                    f"cut off after {_describe(size)}."
                )
            connection = response.connection
            sock = getattr(connection, "sock", None)
            if sock is not None:
                # Each read may wait only for what is left of the deadline.
                sock.settimeout(remaining)
            chunk = response.read1(CHUNK_BYTES)
            if not chunk:
                break
            size += len(chunk)
            if size > limits.max_bytes:
                raise FetchError(
                    f"The {what} is larger than the limit of {_describe(limits.max_bytes)}; "
                    "cut off while downloading."
                )
            chunks.append(chunk)
    except (urllib3.exceptions.ReadTimeoutError, TimeoutError) as error:
        raise FetchError(
            f"The {what} took longer than {limits.total_timeout:g} s to arrive; "
            f"cut off after {_describe(size)}."
        ) from error
    except (urllib3.exceptions.HTTPError, OSError) as error:
        raise FetchError(f"The download broke off: {error}") from error
    return b"".join(chunks)
