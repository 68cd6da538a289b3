"""Exporting a list's subscribers as CSV, in the shapes the importers of other newsletter
systems read: Mailchimp's (its "subscribed" and "unsubscribed" exports) and Substack's, so a
newsroom can leave as easily as it came (``importers.py`` reads both back).

Only ``subscribed`` rows are in a subscribed export, with their consent dates
(``OPTIN_TIME``: when consent was given; ``CONFIRM_TIME``: when it was confirmed); an
unsubscribed export has the rows that left, with ``UNSUB_TIME``. Addresses on the
suppression list are never in a subscribed export. Rows are read in chunks and streamed, so
the memory used does not grow with the list; a cell that a spreadsheet would run as a
formula is prefixed with an apostrophe.
"""

import csv
from collections.abc import Iterator
from datetime import UTC, datetime

from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _

from newsdesk.core import errors as core
from newsdesk.newsletters.errors import NewsletterError
from newsdesk.newsletters.models import Newsletter, Subscription, Suppression

EXPORT_FORMATS = ("mailchimp", "substack")
EXPORT_STATUSES = ("subscribed", "unsubscribed")
MAILCHIMP_COLUMNS = [
    "Email Address",
    "First Name",
    "Last Name",
    "MEMBER_RATING",
    "OPTIN_TIME",
    "OPTIN_IP",
    "CONFIRM_TIME",
    "CONFIRM_IP",
    "LATITUDE",
    "LONGITUDE",
    "GMTOFF",
    "DSTOFF",
    "TIMEZONE",
    "CC",
    "REGION",
    "LAST_CHANGED",
    "LEID",
    "EUID",
    "NOTES",
    "TAGS",
]
# Mailchimp's unsubscribed export has these after the contact's own fields.
MAILCHIMP_UNSUB_COLUMNS = [
    "UNSUB_TIME",
    "UNSUB_CAMPAIGN_TITLE",
    "UNSUB_CAMPAIGN_ID",
    "UNSUB_REASON",
    "UNSUB_REASON_OTHER",
]
SUBSTACK_COLUMNS = [
    "email",
    "active_subscription",
    "expiry",
    "plan",
    "email_disabled",
    "created_at",
    "first_payment_at",
]
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CHUNK = 2000


class ExportRefused(NewsletterError, core.Invalid):
    """An export asked in a shape that does not exist (a format, a status)."""


class _Echo:
    """A file-like object whose ``write`` returns the line, for streaming ``csv.writer``."""

    def write(self, value: str) -> str:
        return value


def _cell(value: str) -> str:
    """A text cell a spreadsheet will not run as a formula (a name may start with =)."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def _mailchimp_time(moment: datetime | None) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S") if moment else ""


def _substack_time(moment: datetime | None) -> str:
    if moment is None:
        return ""
    return (
        moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"
    )


def export_check(*, source_format: str, status: str) -> None:
    """Refuse (``ExportRefused``) an export shape that does not exist: the formats are
    ``EXPORT_FORMATS``, the statuses ``EXPORT_STATUSES``, and Substack has no unsubscribed
    export."""
    if source_format not in EXPORT_FORMATS:
        raise ExportRefused(
            _("Unknown export format %(format)s.") % {"format": repr(source_format)}, field="format"
        )
    if status not in EXPORT_STATUSES:
        raise ExportRefused(
            _("Unknown status %(status)s.") % {"status": repr(status)}, field="status"
        )
    if source_format == "substack" and status != "subscribed":
        raise ExportRefused(_("Substack's export has subscribed readers only."), field="status")


def export_filename(*, newsletter: Newsletter, source_format: str, status: str) -> str:
    """The download's name, as the other system would name it."""
    if source_format == "substack":
        return f"email_list.{newsletter.slug}.csv"
    return f"{status}_members_export_{newsletter.slug}.csv"


def subscribers_export_rows(
    *, newsletter: Newsletter, source_format: str, status: str
) -> Iterator[str]:
    """The CSV lines (header first) of ``newsletter``'s subscribers with ``status``
    ("subscribed" or "unsubscribed") in ``source_format`` ("mailchimp" or "substack"),
    oldest consent first. Checks the shape first (``export_check``); reads the rows lazily,
    ``CHUNK`` at a time."""
    export_check(source_format=source_format, status=status)
    writer = csv.writer(_Echo())
    rows = (
        Subscription.objects.filter(newsletter=newsletter, status=status)
        .select_related("subscriber")
        .order_by("consent_at", "pk")
    )
    if status == "subscribed":
        rows = rows.exclude(Exists(Suppression.objects.filter(email=OuterRef("subscriber__email"))))
    if source_format == "substack":
        yield writer.writerow(SUBSTACK_COLUMNS)
        for one in rows.iterator(chunk_size=CHUNK):
            yield writer.writerow(
                [
                    _cell(one.subscriber.email),
                    "false",
                    "",
                    "other",
                    "false",
                    _substack_time(one.confirmed_at or one.consent_at),
                    "",
                ]
            )
        return
    unsubscribed = status == "unsubscribed"
    header = (
        MAILCHIMP_COLUMNS[:3]
        + (MAILCHIMP_UNSUB_COLUMNS if unsubscribed else [])
        + MAILCHIMP_COLUMNS[3:]
    )
    yield writer.writerow(header)
    for one in rows.iterator(chunk_size=CHUNK):
        first, _, last = one.subscriber.name.partition(" ")
        unsub = [_mailchimp_time(one.unsubscribed_at), "", "", one.unsubscribe_source, ""]
        changed = one.unsubscribed_at or one.confirmed_at or one.consent_at
        yield writer.writerow(
            [_cell(one.subscriber.email), _cell(first), _cell(last)]
            + (unsub if unsubscribed else [])
            + [
                "2",
                # Consent asked then confirmed: OPTIN_TIME is the asking only when a
                # confirmation followed it (Mailchimp leaves it empty for a single opt-in).
                _mailchimp_time(one.consent_at) if one.confirmed_at else "",
                "",
                _mailchimp_time(one.confirmed_at or one.consent_at),
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                _mailchimp_time(changed),
                "",
                "",
                "",
                "",
            ]
        )
