"""The automatic digest: a daily or weekly list's issue assembled from the new articles.

A list with a cadence (daily or weekly), a ``send_hour`` (and a ``send_weekday`` for a
weekly) and ``digest_mode`` draft or send gets, once per period, an issue page under the
archive picking the articles (of its section, or of the whole site) first published since
the last digest. Periods are counted in the site's ``TIME_ZONE``: a daily's period begins
at its hour each local day, a weekly's at its hour on its weekday.

- ``draft``: the issue is left as a draft, for an editor to read, change and send.
- ``send``: it is published and a send to the whole list is scheduled now, in the same
  transaction, so a digest is never published without its send.

Once per period, whoever runs it: the worker's periodic duty (``WORKER_PERIODIC``) calls
``digests_assemble`` every minute; the issue carries its period (``digest_key``, unique per
list in the database), so a second worker, a restart or a late minute finds it made and
makes nothing. A period with no new article makes no issue (and the next digest still
reaches back to the last one made).
"""

import logging
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from newsdesk.articles.selectors import articles_live
from newsdesk.newsletters.models import Cadence, DigestMode, Newsletter
from newsdesk.newsletters.models_issues import NewsletterArchivePage, NewsletterIssuePage
from newsdesk.newsletters.rendering import DEFAULT_BUTTON

logger = logging.getLogger("newsdesk.newsletters")

# A digest picks at most this many articles, the newest.
MAX_ARTICLES = 20


@dataclass(frozen=True)
class DigestOutcome:
    newsletter: str
    issue_id: int | None
    reason: str  # "made", "exists", "not due", "no articles", "no archive"


def period_start(*, newsletter: Newsletter, now: datetime) -> datetime | None:
    """The start of the list's current period (aware, UTC) at ``now``: the latest local
    send hour (a weekly's on its weekday) not after ``now``; None for a list without a
    digest (manual cadence, no hour, a weekly without its weekday)."""
    hour, weekday = newsletter.send_hour, newsletter.send_weekday
    weekly = newsletter.cadence == Cadence.WEEKLY
    if hour is None or newsletter.cadence == Cadence.MANUAL:
        return None
    zone = ZoneInfo(settings.TIME_ZONE)
    day = now.astimezone(zone).date()
    if weekly:
        if weekday is None:
            return None
        day -= timedelta(days=(day.weekday() - weekday) % 7)
    start = _local(day, hour, zone)
    if start > now:
        start = _local(day - timedelta(days=7 if weekly else 1), hour, zone)
    return start.astimezone(ZoneInfo("UTC"))


def _local(day: date, hour: int, zone: ZoneInfo) -> datetime:
    # An hour a clock change skips is read as the clocks after it (zoneinfo's fold=0).
    return datetime.combine(day, time(hour=hour), tzinfo=zone)


def _key(start: datetime) -> str:
    return start.astimezone(ZoneInfo("UTC")).strftime("%Y-%m-%dT%H:%MZ")


def _since(*, newsletter: Newsletter, start: datetime) -> datetime:
    """Where this digest reaches back to: the start of the last digest's period, or one
    period back for the list's first digest."""
    last = (
        NewsletterIssuePage.objects.filter(newsletter=newsletter)
        .exclude(digest_key="")
        .order_by("-digest_key")
        .values_list("digest_key", flat=True)
        .first()
    )
    if last:
        return datetime.strptime(last, "%Y-%m-%dT%H:%MZ").replace(tzinfo=ZoneInfo("UTC"))
    return start - timedelta(days=7 if newsletter.cadence == Cadence.WEEKLY else 1)


def digest_assemble(*, newsletter: Newsletter, now: datetime | None = None) -> DigestOutcome:
    """Make ``newsletter``'s digest of the current period if it is due and not made yet.

    Picks the live articles first published in [the last digest's period start, this
    period's start), newest first, of the list's section (or the whole site). Never makes
    two of one period: the database refuses a second ``digest_key`` for the list.
    """
    now = now or timezone.now()
    start = period_start(newsletter=newsletter, now=now)
    if start is None or newsletter.digest_mode == DigestMode.OFF:
        return DigestOutcome(newsletter.slug, None, "not due")
    key = _key(start)
    made = NewsletterIssuePage.objects.filter(newsletter=newsletter, digest_key=key).first()
    if made is not None:
        return DigestOutcome(newsletter.slug, made.pk, "exists")
    archive = NewsletterArchivePage.objects.first()
    if archive is None:
        logger.warning("No newsletter archive page: the digest of %s waits.", newsletter.slug)
        return DigestOutcome(newsletter.slug, None, "no archive")
    since = _since(newsletter=newsletter, start=start)
    section = newsletter.section if newsletter.section_id else None
    articles = list(
        articles_live(section=section).filter(
            first_published_at__gte=since, first_published_at__lt=start
        )[:MAX_ARTICLES]
    )
    if not articles:
        return DigestOutcome(newsletter.slug, None, "no articles")
    try:
        with transaction.atomic():
            issue = _issue_create(
                newsletter=newsletter, archive=archive, key=key, start=start, articles=articles
            )
    except (IntegrityError, ValidationError):
        # Another worker made it between our look and our write (the constraint, or the
        # page's slug already taken under the archive).
        made = NewsletterIssuePage.objects.filter(newsletter=newsletter, digest_key=key).first()
        return DigestOutcome(newsletter.slug, made.pk if made else None, "exists")
    logger.info("Digest %s of %s made (%s)", key, newsletter.slug, newsletter.digest_mode)
    return DigestOutcome(newsletter.slug, issue.pk, "made")


def _issue_create(
    *,
    newsletter: Newsletter,
    archive: NewsletterArchivePage,
    key: str,
    start: datetime,
    articles: list,
) -> NewsletterIssuePage:
    local_day = start.astimezone(ZoneInfo(settings.TIME_ZONE)).date()
    # "Monday 3 March 2025" in English; the words and their order are the language's.
    label = date_format(local_day, pgettext("a digest's title: the weekday and date", "l j F Y"))
    count = len(articles)
    send_now = newsletter.digest_mode == DigestMode.SEND
    issue = NewsletterIssuePage(
        title=f"{newsletter.name}: {label}",
        slug=f"{newsletter.slug}-{key[:10]}-{key[11:13]}{key[14:16]}",
        newsletter=newsletter,
        preheader=(
            ngettext("%(count)s new story: %(title)s", "%(count)s new stories: %(title)s", count)
            % {"count": count, "title": articles[0].title}
        )[:150],
        intro="<p>%s</p>"
        % (_("What we published since the last %(list)s.") % {"list": newsletter.name}),
        body=[
            ("articles", {"heading": _("New stories"), "articles": articles}),
            ("support_ask", {"text": "", "button_label": str(DEFAULT_BUTTON)}),
        ],
        is_digest=True,
        digest_key=key,
        live=send_now,
    )
    archive.add_child(instance=issue)
    revision = issue.save_revision()
    if send_now:
        from newsdesk.newsletters.services.sending import send_schedule

        revision.publish()
        send_schedule(issue=issue, segment="all", at=None, user=None)
    return issue


def digests_assemble(*, now: datetime | None = None) -> list[DigestOutcome]:
    """Every list with a digest: make the due ones (the worker's periodic duty)."""
    lists = Newsletter.objects.exclude(digest_mode=DigestMode.OFF).exclude(cadence=Cadence.MANUAL)
    outcomes = []
    for newsletter in lists.select_related("section"):
        try:
            outcomes.append(digest_assemble(newsletter=newsletter, now=now))
        except Exception:
            # One list's failure must not keep the others' digests back.
            logger.exception("The digest of %s failed", newsletter.slug)
    return outcomes
