"""Adding sources and polling them.

A poll fetches outside any transaction (network time must not hold the database), then
handles each item in its own transaction, then records the outcome on the source. A failure
of the fetch or of the document is recorded as the source's error and backs it off; a
failing item is reported and retried on the next poll; nothing escapes to stop the worker.
"""

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from newsdesk.articles.models import Outlet, SectionPage
from newsdesk.syndication import conf
from newsdesk.syndication.fetch import FetchError, url_fetch
from newsdesk.syndication.models import ContentMode, Entry, PollMode, PollResult, Source
from newsdesk.syndication.parsing import FeedParseError, feed_parse, feed_type_allowed
from newsdesk.syndication.services.entries import Outcome, entry_process
from newsdesk.syndication.services.schedule import poll_run_request

logger = logging.getLogger("newsdesk.syndication")

FEED_ACCEPT = (
    "application/rss+xml, application/atom+xml, application/feed+json, application/xml;q=0.9, "
    "text/xml;q=0.9, application/json;q=0.8, */*;q=0.1"
)
MAX_BACKOFF_EXPONENT = 16


@dataclass
class PollReport:
    """What one poll of one source did, for the admin, the log and the command's output."""

    source_id: int
    source_name: str
    result: str = PollResult.OK
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    flagged: list[str] = field(default_factory=list)
    skipped: int = 0
    failed: list[str] = field(default_factory=list)
    error: str = ""
    warning: str = ""
    retry_after: int | None = None  # seconds the server asked us to wait

    @property
    def ok(self) -> bool:
        return self.result in {PollResult.OK, PollResult.NOT_MODIFIED}

    def summary(self) -> str:
        if self.result == PollResult.FAILED:
            return "failed"
        if self.result == PollResult.NOT_MODIFIED:
            return "not modified since the last poll"
        parts = [
            f"{len(self.added)} added",
            f"{len(self.updated)} updated",
            f"{self.skipped} skipped",
            f"{len(self.failed)} failed",
        ]
        if self.flagged:
            parts.insert(2, f"{len(self.flagged)} changed by the partner after editing")
        return ", ".join(parts)


def source_create(
    *,
    outlet: Outlet,
    feed_url: str,
    section: SectionPage,
    mode: str = PollMode.DRAFT,
    content: str = ContentMode.FULL,
    tags: Iterable[str] = (),
    interval_minutes: int = 60,
    download_images: bool = False,
    name: str = "",
) -> Source:
    """Add a partner feed, validated, due for its first poll at once."""
    with transaction.atomic():
        source = Source(
            outlet=outlet,
            name=name,
            feed_url=feed_url.strip(),
            section=section,
            mode=mode,
            content=content,
            tags=", ".join(t.strip() for t in tags if t.strip()),
            poll_interval_minutes=interval_minutes,
            download_images=download_images,
            next_poll_at=timezone.now(),
        )
        source.full_clean()
        source.save()
        poll_run_request(when=source.next_poll_at)
    return source


def sources_due(*, now: datetime) -> list[int]:
    return list(
        Source.objects.filter(enabled=True, next_poll_at__lte=now)
        .order_by("next_poll_at", "pk")
        .values_list("pk", flat=True)
    )


def sources_poll_due(*, now: datetime | None = None) -> list[PollReport]:
    """Poll every enabled source that is due, one after the other; one failing never stops
    the others."""
    now = now or timezone.now()
    reports = []
    for source_id in sources_due(now=now):
        try:
            report = source_poll(source_id=source_id)
        except Exception as error:  # a bug must not stop the other partners' feeds
            logger.exception("Polling source %s failed unexpectedly", source_id)
            report = PollReport(source_id, f"source #{source_id}", PollResult.FAILED)
            report.error = f"Unexpected error: {error.__class__.__name__}: {error}"[:1000]
            _poll_finish(source_id=source_id, report=report, etag=None, last_modified=None)
        if report is not None:
            reports.append(report)
    return reports


def _claim(source_id: int, now: datetime) -> bool:
    """Mark the source as being polled, unless another poll (not stale) already is."""
    stale = now - timedelta(minutes=conf.poll_stale_minutes())
    return bool(
        Source.objects.filter(pk=source_id)
        .filter(Q(poll_started_at__isnull=True) | Q(poll_started_at__lt=stale))
        .update(poll_started_at=now)
    )


def source_poll(*, source_id: int) -> PollReport | None:
    """Poll one source now (due or not). None when another poll of it is running."""
    now = timezone.now()
    if not _claim(source_id, now):
        return None
    try:
        source = Source.objects.select_related("outlet", "section").get(pk=source_id)
        report = PollReport(source.pk, str(source))
        etag, last_modified = _poll(source, report, now)
    except BaseException as error:
        report = PollReport(source_id, f"source #{source_id}", PollResult.FAILED)
        report.error = f"Unexpected error: {error.__class__.__name__}: {error}"[:1000]
        _poll_finish(source_id=source_id, report=report, etag=None, last_modified=None)
        raise
    _poll_finish(source_id=source_id, report=report, etag=etag, last_modified=last_modified)
    return report


def _poll(source: Source, report: PollReport, now: datetime) -> tuple[str | None, str | None]:
    """Fetch, parse and import; returns the validators to remember (None: keep the old)."""
    if source.section is None:
        report.result = PollResult.FAILED
        report.error = "The source has no section for its articles; choose one."
        return None, None
    try:
        fetched = url_fetch(
            url=source.feed_url,
            limits=conf.feed_fetch_limits(),
            accept=FEED_ACCEPT,
            type_allowed=feed_type_allowed,
            what="feed",
            etag=source.etag,
            last_modified=source.last_modified,
        )
    except FetchError as error:
        report.result = PollResult.FAILED
        report.error = str(error)
        report.retry_after = error.retry_after
        return None, None
    if fetched.not_modified:
        report.result = PollResult.NOT_MODIFIED
        return None, None
    try:
        feed = feed_parse(body=fetched.body, url=fetched.url, content_type=fetched.content_type)
    except FeedParseError as error:
        report.result = PollResult.FAILED
        report.error = str(error)
        return None, None
    report.warning = feed.warning
    seen: list[int] = []
    for item in feed.items[: conf.entries_per_poll()]:
        try:
            outcome = entry_process(source=source, item=item, fetched_at=now)
        except Exception as error:
            logger.warning("Entry %s of %s failed", item.link or item.guid, source, exc_info=True)
            name = item.title or item.link or item.guid or "an entry"
            report.failed.append(f"{name[:120]}: {error.__class__.__name__}: {error}"[:500])
            continue
        if outcome.entry_id is not None:
            seen.append(outcome.entry_id)
        if outcome.outcome == Outcome.ADDED:
            report.added.append(outcome.title)
        elif outcome.outcome == Outcome.UPDATED:
            report.updated.append(outcome.title)
        elif outcome.outcome == Outcome.FLAGGED:
            report.flagged.append(outcome.title)
        else:
            report.skipped += 1
    if seen:
        Entry.objects.filter(pk__in=seen).update(last_seen_at=now)
    if report.failed:
        # Validators are not kept, so the next poll fetches the feed again and retries them.
        report.result = PollResult.PARTIAL
        report.error = "\n".join(report.failed)
        return None, None
    report.result = PollResult.OK
    return fetched.etag, fetched.last_modified


def _backoff(source: Source, failures: int, retry_after: int | None) -> timedelta:
    interval = timedelta(minutes=source.poll_interval_minutes)
    cap = timedelta(minutes=conf.backoff_max_minutes())
    delay = interval * (2 ** min(failures, MAX_BACKOFF_EXPONENT))
    if retry_after:
        delay = max(delay, timedelta(seconds=retry_after))
    return min(delay, cap)


def _poll_finish(
    *, source_id: int, report: PollReport, etag: str | None, last_modified: str | None
) -> None:
    """Record the outcome, set the next poll time and release the source."""
    now = timezone.now()
    with transaction.atomic():
        source = Source.objects.select_for_update().filter(pk=source_id).first()
        if source is None:
            return
        source.last_polled_at = now
        source.last_result = report.result
        source.last_summary = report.summary()[:300]
        source.poll_started_at = None
        if report.result == PollResult.FAILED:
            source.consecutive_failures += 1
            source.last_error = report.error
            delay = _backoff(source, source.consecutive_failures, report.retry_after)
        else:
            source.consecutive_failures = 0
            source.last_error = "\n".join(filter(None, [report.error, report.warning]))
            delay = timedelta(minutes=source.poll_interval_minutes)
        source.next_poll_at = now + delay
        if etag is not None:
            source.etag = etag
        if last_modified is not None:
            source.last_modified = last_modified
        source.save()
    log = logger.info if report.ok else logger.warning
    log("Polled %s: %s %s", report.source_name, report.summary(), report.error[:300])
