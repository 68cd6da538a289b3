"""Importing subscribers from another newsletter system's export: Mailchimp's and Substack's
CSV files, into one list.

What an import keeps and refuses (the staff's upload page says the same):

- **Consent is kept, not invented.** Each subscription records when the reader consented
  (``consent_at``) and confirmed (``confirmed_at``) in the other system, source ``import``,
  and a ``consent_text`` naming the file and what it said (the dates, the addresses they were
  given from). Mailchimp's ``OPTIN_TIME`` is when a double opt-in was asked and
  ``CONFIRM_TIME`` when the address was subscribed (a single opt-in has only the latter), so
  consent is the first of the two and confirmation the second; Substack's ``created_at`` is
  both.
- **Refused, row by row, with the reason:** a row with no consent date, an unsubscribed or
  cleaned Mailchimp row (its unsubscribed and cleaned exports carry ``UNSUB_TIME`` and
  ``CLEAN_TIME``), a Substack row with ``email_disabled``, an address that is not one, a
  second row of the same address, an address on the suppression list (a bounce, a complaint,
  left everything: never subscribed again by an import), and one that unsubscribed from this
  list here.
- **Never duplicated:** an address already subscribed (or waiting for its confirmation) to
  the list is counted "already there" and left as it is; an address subscribed to other
  lists keeps its one ``Subscriber`` row.
- **Safe to run again:** the whole file is read and checked first; then its rows are
  written in batches, each in one transaction (a long import must not hold the database's
  write lock from the site's readers), and running the same file again imports nothing
  twice, so an import cut short is finished by running it again.
- **Bad files change nothing:** not CSV, not UTF-8, a ZIP archive, too big, too many rows or
  the wrong columns raise ``ImportRefused`` before anything is written.
"""

import csv
import io
import secrets
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from newsdesk.newsletters.errors import ImportRefused
from newsdesk.newsletters.models import (
    ConsentSource,
    Newsletter,
    Subscriber,
    Subscription,
    SubscriptionStatus,
    Suppression,
)

# A file bigger than this, or with more rows, is refused before it is read: an export of a
# newsroom's list is a few megabytes; the limit keeps one upload from holding a web process.
MAX_BYTES = 20 * 1024 * 1024
MAX_ROWS = 200_000
# Rows looked up or written per query (under SQLite's and PostgreSQL's parameter limits).
CHUNK = 500
# Rows written per transaction: short enough not to hold SQLite's write lock from the
# site's readers for long, and an import cut short is finished by running it again.
BATCH = 2000
RETRIES = 3
FORMATS = {
    "auto": gettext_lazy("Recognise it from its columns"),
    "mailchimp": "Mailchimp",
    "substack": "Substack",
}
# The columns each format must have (compared without case); the others are ignored.
REQUIRED = {
    "mailchimp": ("email address", "optin_time", "confirm_time"),
    "substack": ("email", "created_at"),
}
FORMULA_STARTS = ("=", "+", "-", "@")
NAME_MAX = Subscriber._meta.get_field("name").max_length or 100


@dataclass(frozen=True)
class RefusedRow:
    """A row left out, and why: ``row`` is its number as a spreadsheet shows it (the
    header is row 1)."""

    row: int
    email: str
    reason: str


@dataclass
class ImportReport:
    """What an import did: how many subscriptions it created, how many addresses were on
    the list already, and each refused row with its reason."""

    newsletter: Newsletter
    source_format: str
    filename: str
    imported: int = 0
    already: int = 0
    refused: list[RefusedRow] = field(default_factory=list)


@dataclass(frozen=True)
class _Candidate:
    row: int
    email: str
    name: str
    consent_at: datetime
    confirmed_at: datetime
    consent_text: str


def _decode(data: bytes) -> str:
    if data.startswith(b"PK\x03\x04"):
        raise ImportRefused(
            _(
                "This is a ZIP archive: unzip the export first and upload the CSV file inside "
                "it (Mailchimp's subscribed_members_export_….csv, Substack's "
                "email_list….csv)."
            ),
            field="file",
        )
    if b"\x00" in data[:4096]:
        raise ImportRefused(_("This file is not a CSV file (it holds binary data)."), field="file")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ImportRefused(
            _("This file is not UTF-8 text: export it again as CSV (UTF-8)."), field="file"
        ) from error


def _columns(header: list[str]) -> dict[str, int]:
    """Each column's lower-cased name and its position (the first, if a name repeats)."""
    found: dict[str, int] = {}
    for position, name in enumerate(header):
        found.setdefault(name.strip().lower(), position)
    return found


def _detect(columns: dict[str, int], chosen: str) -> str:
    if chosen not in FORMATS:
        raise ImportRefused(
            _("Unknown format %(format)s.") % {"format": repr(chosen)}, field="source_format"
        )
    candidates = [chosen] if chosen != "auto" else ["mailchimp", "substack"]
    for name in candidates:
        if all(column in columns for column in REQUIRED[name]):
            return name
    shapes = [f"{FORMATS[name]} ({', '.join(REQUIRED[name])})" for name in candidates]
    wanted = (
        _("%(first)s or %(second)s") % {"first": shapes[0], "second": shapes[1]}
        if len(shapes) == 2
        else shapes[0]
    )
    seen = ", ".join(list(columns)[:8]) or _("none")
    raise ImportRefused(
        _("These are not the columns of a %(formats)s export: the file's columns are %(seen)s.")
        % {"formats": wanted, "seen": seen},
        field="file",
    )


def _when(value: str) -> datetime | None:
    """A date of an export: Mailchimp's "2024-03-14 09:12:31" (UTC), Substack's ISO 8601
    "2024-03-14T09:12:31.000Z" or "2024-03-14"; None when empty. ``ValueError`` otherwise."""
    value = value.strip()
    if not value:
        return None
    moment = datetime.fromisoformat(value)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


def _unguarded(value: str) -> str:
    """A cell as written, without the apostrophe an export puts before a leading ``=``,
    ``+``, ``-`` or ``@`` to keep spreadsheets from running it (``exports.py`` does)."""
    value = value.strip()
    return value[1:] if value[:1] == "'" and value[1:2] in FORMULA_STARTS else value


def _truthy(value: str) -> bool:
    return value.strip().lower() in {"true", "1", "yes", "t"}


class _Reader:
    """The rows of one file as dictionaries of lower-cased column names, numbered."""

    def __init__(self, text: str, chosen: str):
        try:
            self._rows = csv.reader(io.StringIO(text, newline=""), strict=True)
            header = next(self._rows, None)
        except csv.Error as error:
            raise ImportRefused(
                _("This file is not valid CSV: %(error)s.") % {"error": error}, field="file"
            ) from error
        if not header:
            raise ImportRefused(_("This file is empty."), field="file")
        self.columns = _columns(header)
        self.source_format = _detect(self.columns, chosen)

    def __iter__(self) -> Iterator[tuple[int, dict[str, str]]]:
        number = 1
        try:
            for values in self._rows:
                number += 1
                if number - 1 > MAX_ROWS:
                    raise ImportRefused(
                        _(
                            "This file has more than %(rows)s rows: split it and import "
                            "each part (an import is safe to run again)."
                        )
                        % {"rows": formats.number_format(MAX_ROWS, force_grouping=True)},
                        field="file",
                    )
                if not any(value.strip() for value in values):
                    continue
                yield (
                    number,
                    {
                        name: _unguarded(values[position]) if position < len(values) else ""
                        for name, position in self.columns.items()
                    },
                )
        except csv.Error as error:
            raise ImportRefused(
                _("This file is not valid CSV (row %(row)s): %(error)s.")
                % {"row": number + 1, "error": error},
                field="file",
            ) from error


def _mailchimp_row(number: int, row: dict[str, str], *, filename: str) -> _Candidate | RefusedRow:
    email = row["email address"]
    unsubscribed, cleaned = row.get("unsub_time", ""), row.get("clean_time", "")
    if unsubscribed:
        return RefusedRow(
            number, email, _("unsubscribed in Mailchimp (%(when)s)") % {"when": unsubscribed}
        )
    if cleaned:
        return RefusedRow(
            number,
            email,
            _("cleaned in Mailchimp: the address bounced (%(when)s)") % {"when": cleaned},
        )
    try:
        opted_in, confirmed = _when(row["optin_time"]), _when(row["confirm_time"])
    except ValueError:
        return RefusedRow(number, email, _("OPTIN_TIME or CONFIRM_TIME is not a date"))
    if opted_in is None and confirmed is None:
        return RefusedRow(number, email, _("no opt-in or confirmation date: no record of consent"))
    consent_at = opted_in or confirmed
    confirmed_at = confirmed or opted_in
    assert consent_at is not None and confirmed_at is not None  # one of them is set
    said = [f"Imported from the Mailchimp export {filename}, row {number}"]
    if opted_in:
        said.append(
            f"opted in {_stamp(opted_in)}"
            + (f" from {row['optin_ip']}" if row.get("optin_ip") else "")
        )
    if confirmed:
        said.append(
            f"confirmed {_stamp(confirmed)}"
            + (f" from {row['confirm_ip']}" if row.get("confirm_ip") else "")
        )
    name = " ".join(part for part in (row.get("first name", ""), row.get("last name", "")) if part)
    return _Candidate(number, email, name, consent_at, confirmed_at, "; ".join(said) + ".")


def _substack_row(number: int, row: dict[str, str], *, filename: str) -> _Candidate | RefusedRow:
    email = row["email"]
    if _truthy(row.get("email_disabled", "")):
        return RefusedRow(number, email, _("e-mail turned off in Substack (email_disabled)"))
    try:
        created = _when(row["created_at"])
    except ValueError:
        return RefusedRow(number, email, _("created_at is not a date"))
    if created is None:
        return RefusedRow(number, email, _("no sign-up date (created_at): no record of consent"))
    text = (
        f"Imported from the Substack export {filename}, row {number}; subscribed "
        f"{_stamp(created)}" + (f", plan {row['plan']}" if row.get("plan") else "") + "."
    )
    return _Candidate(number, email, row.get("name", ""), created, created, text)


def _clean_email(value: str) -> str | None:
    email = value.strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        return None
    return email


def _chunks(values: list[Any]) -> Iterable[list[Any]]:
    for start in range(0, len(values), CHUNK):
        yield values[start : start + CHUNK]


def _read(
    reader: _Reader, *, filename: str, now: datetime
) -> tuple[list[_Candidate], list[RefusedRow]]:
    """Every row, parsed: the candidates (one per address) and the refused rows."""
    parse = _mailchimp_row if reader.source_format == "mailchimp" else _substack_row
    candidates: list[_Candidate] = []
    refused: list[RefusedRow] = []
    first_row: dict[str, int] = {}
    for number, row in reader:
        outcome = parse(number, row, filename=filename)
        if isinstance(outcome, RefusedRow):
            refused.append(outcome)
            continue
        email = _clean_email(outcome.email)
        if email is None:
            refused.append(RefusedRow(number, outcome.email, _("not an e-mail address")))
        elif email in first_row:
            refused.append(
                RefusedRow(
                    number,
                    email,
                    _("the same address as row %(row)s") % {"row": first_row[email]},
                )
            )
        elif outcome.consent_at > now:
            refused.append(RefusedRow(number, email, _("its consent date is in the future")))
        else:
            first_row[email] = number
            candidates.append(
                _Candidate(
                    number,
                    email,
                    outcome.name[:NAME_MAX],
                    outcome.consent_at,
                    outcome.confirmed_at,
                    outcome.consent_text,
                )
            )
    return candidates, refused


def subscribers_import(
    *, newsletter: Newsletter, data: bytes, filename: str, source_format: str = "auto"
) -> ImportReport:
    """Import the subscribers of a Mailchimp or Substack CSV export (``data``, the file's
    bytes; ``filename`` is recorded in each consent) into ``newsletter``; see the module
    for what is kept and refused.

    ``source_format`` is "auto" (recognised from the columns), "mailchimp" or "substack".
    Raises ``ImportRefused`` for a file it cannot take (nothing written). Otherwise the
    rows are written in batches of ``BATCH``, each in its own transaction, and the report
    says what became of each row. Running the same file again imports nothing twice, so an
    import cut short (a killed process) is finished by running it again.
    """
    if len(data) > MAX_BYTES:
        raise ImportRefused(
            _("This file is larger than %(megabytes)s MB: split it and import each part.")
            % {"megabytes": MAX_BYTES // (1024 * 1024)},
            field="file",
        )
    reader = _Reader(_decode(data), source_format)
    now = timezone.now()
    candidates, refused = _read(reader, filename=filename, now=now)
    report = ImportReport(
        newsletter=newsletter, source_format=reader.source_format, filename=filename
    )
    for start in range(0, len(candidates), BATCH):
        imported, already, left_out = _write_batch(
            newsletter=newsletter, batch=candidates[start : start + BATCH]
        )
        report.imported += imported
        report.already += already
        refused.extend(left_out)
    report.refused = sorted(refused, key=lambda one: one.row)
    return report


def _write_batch(
    *, newsletter: Newsletter, batch: list[_Candidate]
) -> tuple[int, int, list[RefusedRow]]:
    """Write one batch in one transaction: (imported, already there, refused). A reader who
    signs up with one of its addresses meanwhile breaks a unique constraint: the batch is
    rolled back and read again, which then finds them."""
    for attempt in range(1, RETRIES + 1):
        try:
            with transaction.atomic():
                return _write(newsletter=newsletter, candidates=batch)
        except IntegrityError as error:
            if attempt == RETRIES:
                raise ImportRefused(
                    _(
                        "The list kept changing while the rows from row %(row)s on were "
                        "imported, so they were not: run the import again to finish it (the "
                        "rows already imported are not imported twice)."
                    )
                    % {"row": batch[0].row}
                ) from error
    raise AssertionError("unreachable")


def _write(
    *, newsletter: Newsletter, candidates: list[_Candidate]
) -> tuple[int, int, list[RefusedRow]]:
    refused: list[RefusedRow] = []
    already = 0
    emails = [one.email for one in candidates]
    suppressed: dict[str, str] = {}
    existing: dict[str, Subscriber] = {}
    for part in _chunks(emails):
        suppressed.update(Suppression.objects.filter(email__in=part).values_list("email", "reason"))
        existing.update(
            (subscriber.email, subscriber)
            for subscriber in Subscriber.objects.filter(email__in=part).only("id", "email", "name")
        )
    subscribed: dict[int, Subscription] = {}
    ids = [subscriber.pk for subscriber in existing.values()]
    for part in _chunks(ids):
        subscribed.update(
            (one.subscriber_id, one)
            for one in Subscription.objects.filter(
                newsletter=newsletter, subscriber_id__in=part
            ).only("id", "subscriber_id", "status", "unsubscribed_at")
        )
    reasons = dict(Suppression._meta.get_field("reason").flatchoices)
    new_subscribers: list[Subscriber] = []
    to_subscribe: list[_Candidate] = []
    for one in candidates:
        if one.email in suppressed:
            reason = reasons.get(suppressed[one.email], suppressed[one.email])
            refused.append(
                RefusedRow(
                    one.row,
                    one.email,
                    _("on the suppression list (%(reason)s)") % {"reason": reason},
                )
            )
            continue
        subscriber = existing.get(one.email)
        current = subscribed.get(subscriber.pk) if subscriber else None
        if current is not None and current.status == SubscriptionStatus.UNSUBSCRIBED:
            if current.unsubscribed_at:
                reason = _("unsubscribed from this list here on %(date)s") % {
                    "date": f"{current.unsubscribed_at:%Y-%m-%d}"
                }
            else:
                reason = _("unsubscribed from this list here")
            refused.append(RefusedRow(one.row, one.email, reason))
            continue
        if current is not None:
            already += 1
            continue
        if subscriber is None:
            new_subscribers.append(
                Subscriber(email=one.email, name=one.name, token=secrets.token_urlsafe(32))
            )
        to_subscribe.append(one)
    for part in _chunks(new_subscribers):
        Subscriber.objects.bulk_create(part)
    for part in _chunks([s.email for s in new_subscribers]):
        existing.update(
            (subscriber.email, subscriber)
            for subscriber in Subscriber.objects.filter(email__in=part).only("id", "email")
        )
    rows = [
        Subscription(
            subscriber_id=existing[one.email].pk,
            newsletter=newsletter,
            status=SubscriptionStatus.SUBSCRIBED,
            consent_at=one.consent_at,
            consent_source=ConsentSource.IMPORT,
            consent_text=one.consent_text,
            confirmed_at=one.confirmed_at,
        )
        for one in to_subscribe
    ]
    for part in _chunks(rows):
        Subscription.objects.bulk_create(part)
    return len(rows), already, refused
