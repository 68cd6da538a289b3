"""Moving in and out (issue 21, item 5): subscribers imported from Mailchimp's and Substack's
CSV exports with their consent dates, rows without consent refused and reported row by row,
nothing duplicated, bad files refused with nothing written; a list exported in the same two
formats; the staff's upload page and the management command.

The sample files are written here in each system's real column layout (Mailchimp's audience
export: its contact fields, a merge field, then MEMBER_RATING ... TAGS; its unsubscribed and
cleaned exports add UNSUB_* and CLEAN_* columns; Substack's email list export)."""

import csv
import io
from datetime import UTC, datetime

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError
from django.test import Client

from newsdesk.newsletters import importers
from newsdesk.newsletters.errors import ImportRefused
from newsdesk.newsletters.exports import subscribers_export_rows
from newsdesk.newsletters.importers import subscribers_import
from newsdesk.newsletters.models import (
    ConsentSource,
    Newsletter,
    Subscriber,
    Subscription,
    SubscriptionStatus,
    Suppression,
    SuppressionReason,
)

pytestmark = pytest.mark.django_db

MAILCHIMP_HEADER = (
    '"Email Address","First Name","Last Name","Favourite section",MEMBER_RATING,OPTIN_TIME,'
    "OPTIN_IP,CONFIRM_TIME,CONFIRM_IP,LATITUDE,LONGITUDE,GMTOFF,DSTOFF,TIMEZONE,CC,REGION,"
    "LAST_CHANGED,LEID,EUID,NOTES,TAGS"
)


def mailchimp_row(email, first="", last="", optin="", optin_ip="", confirm="", confirm_ip=""):
    return (
        f'{email},{first},{last},Politics,2,"{optin}",{optin_ip},"{confirm}",{confirm_ip},'
        f'52.37,4.89,1,2,Europe/Amsterdam,NL,NH,"{confirm or optin}",11223344,a1b2c3d4e5,,'
        '"""Readers"""'
    )


def mailchimp_file(*rows: str, header: str = MAILCHIMP_HEADER) -> bytes:
    # Mailchimp writes UTF-8 with a byte order mark and CRLF line ends.
    return ("\ufeff" + "\r\n".join([header, *rows]) + "\r\n").encode("utf-8")


SUBSTACK_HEADER = "email,active_subscription,expiry,plan,email_disabled,created_at,first_payment_at"


def substack_file(*rows: str) -> bytes:
    return ("\n".join([SUBSTACK_HEADER, *rows]) + "\n").encode("utf-8")


@pytest.fixture
def daily():
    return Newsletter.objects.create(name="The Daily", slug="daily")


@pytest.fixture
def weekly():
    return Newsletter.objects.create(name="The Weekly", slug="weekly")


def subscribe(email, newsletter, *, status=SubscriptionStatus.SUBSCRIBED, left=None):
    subscriber, _ = Subscriber.objects.get_or_create(email=email, defaults={"token": email})
    return Subscription.objects.create(
        subscriber=subscriber,
        newsletter=newsletter,
        status=status,
        consent_at=datetime(2026, 1, 5, tzinfo=UTC),
        consent_source=ConsentSource.FOOTER,
        consent_text="Get the daily.",
        confirmed_at=datetime(2026, 1, 5, 0, 5, tzinfo=UTC),
        unsubscribed_at=left,
    )


def state():
    """Everything an import could write, to compare before and after."""
    return (
        sorted(Subscriber.objects.values_list("email", "name")),
        sorted(Subscription.objects.values_list("subscriber__email", "newsletter__slug", "status")),
    )


# --- Mailchimp ---------------------------------------------------------------------------------
def test_mailchimp_import_keeps_consent_dates_and_refuses_rows_without_consent(daily, weekly):
    Suppression.objects.create(email="bounced@example.net", reason=SuppressionReason.BOUNCE)
    subscribe(
        "left.here@example.net",
        daily,
        status=SubscriptionStatus.UNSUBSCRIBED,
        left=datetime(2026, 2, 1, tzinfo=UTC),
    )
    subscribe("already@example.net", daily)
    subscribe("other.list@example.net", weekly)
    data = mailchimp_file(
        mailchimp_row(
            "ada@example.org",
            "Ada",
            "Byron",
            "2024-03-14 09:12:31",
            "198.51.100.7",
            "2024-03-14 09:14:00",
            "198.51.100.7",
        ),
        mailchimp_row("Single.Optin@Example.org", "Sam", "", "", "", "2023-11-02 17:38:27"),
        mailchimp_row("no.consent@example.org", "Nia"),
        mailchimp_row("not-an-address", "Bo", "", "2024-01-01 10:00:00"),
        mailchimp_row("ADA@example.org", "Ada", "Again", "2024-05-01 10:00:00"),
        mailchimp_row("bounced@example.net", "", "", "2024-01-01 10:00:00"),
        mailchimp_row("left.here@example.net", "", "", "2024-01-01 10:00:00"),
        mailchimp_row("already@example.net", "", "", "2024-01-01 10:00:00"),
        mailchimp_row(
            "other.list@example.net", "Olu", "", "2024-02-02 08:00:00", "", "2024-02-02 08:01:00"
        ),
        mailchimp_row("=cmd@example.org", "", "", "not a date"),
    )
    report = subscribers_import(
        newsletter=daily, data=data, filename="subscribed_members_export_1.csv"
    )

    assert report.source_format == "mailchimp"
    assert (report.imported, report.already) == (3, 1)
    assert [(r.row, r.reason) for r in report.refused] == [
        (4, "no opt-in or confirmation date: no record of consent"),
        (5, "not an e-mail address"),
        (6, "the same address as row 2"),
        (7, "on the suppression list (Hard bounce)"),
        (8, "unsubscribed from this list here on 2026-02-01"),
        (11, "OPTIN_TIME or CONFIRM_TIME is not a date"),
    ]
    ada = Subscription.objects.get(subscriber__email="ada@example.org", newsletter=daily)
    assert ada.status == SubscriptionStatus.SUBSCRIBED
    assert ada.subscriber.name == "Ada Byron"
    assert ada.consent_source == ConsentSource.IMPORT
    assert ada.consent_at == datetime(2024, 3, 14, 9, 12, 31, tzinfo=UTC)
    assert ada.confirmed_at == datetime(2024, 3, 14, 9, 14, tzinfo=UTC)
    assert "Mailchimp export subscribed_members_export_1.csv, row 2" in ada.consent_text
    assert "198.51.100.7" in ada.consent_text
    # A single opt-in has only CONFIRM_TIME: that is both its consent and its confirmation.
    single = Subscription.objects.get(subscriber__email="single.optin@example.org")
    assert single.consent_at == single.confirmed_at == datetime(2023, 11, 2, 17, 38, 27, tzinfo=UTC)
    # Subscribed to another list: the same Subscriber row gets this list too.
    assert Subscriber.objects.filter(email="other.list@example.net").count() == 1
    assert set(
        Subscription.objects.filter(subscriber__email="other.list@example.net").values_list(
            "newsletter__slug", flat=True
        )
    ) == {"daily", "weekly"}
    # Never subscribed: the suppressed address, the one that left, the refused rows.
    assert not Subscription.objects.filter(subscriber__email="bounced@example.net").exists()
    assert Subscription.objects.get(subscriber__email="left.here@example.net").status == (
        SubscriptionStatus.UNSUBSCRIBED
    )
    assert not Subscriber.objects.filter(email="no.consent@example.org").exists()


def test_mailchimp_unsubscribed_and_cleaned_exports_are_refused_row_by_row(daily):
    unsub_header = MAILCHIMP_HEADER.replace(
        '"Favourite section",',
        '"Favourite section",UNSUB_TIME,UNSUB_CAMPAIGN_TITLE,UNSUB_CAMPAIGN_ID,UNSUB_REASON,'
        "UNSUB_REASON_OTHER,",
    )
    unsub_row = (
        'gone@example.org,Gil,,Politics,"2025-06-01 12:00:00","June issue",abc123,'
        '"No longer interested",,2,"2024-01-01 10:00:00",,"2024-01-01 10:01:00",,,,,,,,,'
        '"2025-06-01 12:00:00",1,e,,'
    )
    report = subscribers_import(
        newsletter=daily, data=mailchimp_file(unsub_row, header=unsub_header), filename="u.csv"
    )
    assert report.imported == 0
    assert [(r.row, r.email, r.reason) for r in report.refused] == [
        (2, "gone@example.org", "unsubscribed in Mailchimp (2025-06-01 12:00:00)")
    ]
    clean_header = MAILCHIMP_HEADER + ",CLEAN_TIME,CLEAN_CAMPAIGN_TITLE,CLEAN_CAMPAIGN_ID"
    clean_row = (
        mailchimp_row("bad@example.org", "", "", "2024-01-01 10:00:00")
        + ',"2025-02-03 04:05:06",Feb,x1'
    )
    report = subscribers_import(
        newsletter=daily, data=mailchimp_file(clean_row, header=clean_header), filename="c.csv"
    )
    assert report.imported == 0
    assert report.refused[0].reason.startswith("cleaned in Mailchimp")
    assert not Subscriber.objects.exists()


# --- Substack ----------------------------------------------------------------------------------
def test_substack_import_keeps_the_sign_up_date_and_refuses_disabled_rows(daily):
    data = substack_file(
        "free.reader@example.org,false,,other,false,2024-01-15T10:00:00.000Z,",
        "payer@example.org,true,2026-12-01T00:00:00.000Z,monthly,false,2024-02-01T10:00:00.000Z,2024-02-01T10:00:00.000Z",
        "muted@example.org,false,,other,true,2024-03-01T10:00:00.000Z,",
        "undated@example.org,false,,other,false,,",
        "dated.only@example.org,false,,other,false,2025-01-01,",
    )
    report = subscribers_import(newsletter=daily, data=data, filename="email_list.news.csv")
    assert report.source_format == "substack"
    assert report.imported == 3
    assert [(r.row, r.reason) for r in report.refused] == [
        (4, "e-mail turned off in Substack (email_disabled)"),
        (5, "no sign-up date (created_at): no record of consent"),
    ]
    free = Subscription.objects.get(subscriber__email="free.reader@example.org")
    assert free.consent_at == free.confirmed_at == datetime(2024, 1, 15, 10, tzinfo=UTC)
    assert "Substack export email_list.news.csv, row 2" in free.consent_text
    dated = Subscription.objects.get(subscriber__email="dated.only@example.org")
    assert dated.consent_at == datetime(2025, 1, 1, tzinfo=UTC)


def test_running_the_same_file_again_imports_nothing_twice(daily):
    data = substack_file(
        "one@example.org,false,,other,false,2024-01-15T10:00:00.000Z,",
        "two@example.org,false,,other,false,2024-01-16T10:00:00.000Z,",
    )
    first = subscribers_import(newsletter=daily, data=data, filename="list.csv")
    again = subscribers_import(newsletter=daily, data=data, filename="list.csv")
    assert (first.imported, first.already) == (2, 0)
    assert (again.imported, again.already) == (0, 2)
    assert Subscriber.objects.count() == 2
    assert Subscription.objects.count() == 2


def test_an_import_cut_short_is_finished_by_running_it_again(daily, monkeypatch):
    rows = [f"r{n}@example.org,false,,other,false,2024-01-15T10:00:00.000Z," for n in range(7)]
    data = substack_file(*rows)
    monkeypatch.setattr(importers, "BATCH", 3)
    real = Subscription.objects.bulk_create
    calls = []

    def dying(objs, *args, **kwargs):
        calls.append(len(objs))
        if len(calls) == 2:  # the process dies during the second batch
            raise KeyboardInterrupt
        return real(objs, *args, **kwargs)

    monkeypatch.setattr(Subscription.objects, "bulk_create", dying)
    with pytest.raises(KeyboardInterrupt):
        subscribers_import(newsletter=daily, data=data, filename="list.csv")
    # The first batch is in, whole; the second was rolled back, its subscribers too.
    assert Subscription.objects.count() == Subscriber.objects.count() == 3
    monkeypatch.setattr(Subscription.objects, "bulk_create", real)
    again = subscribers_import(newsletter=daily, data=data, filename="list.csv")
    assert (again.imported, again.already, again.refused) == (4, 3, [])
    assert Subscription.objects.count() == Subscriber.objects.count() == 7


def test_a_batch_that_meets_a_concurrent_sign_up_is_read_and_written_again(daily, monkeypatch):
    # A reader confirming one of the addresses on the site between the batch's read and its
    # write breaks the one-subscription-per-list constraint (another connection's row, so
    # simulated here): the batch is rolled back and done again; a list that keeps changing
    # stops the import with its reason.
    data = substack_file(
        "one@example.org,false,,other,false,2024-01-15T10:00:00.000Z,",
        "two@example.org,false,,other,false,2024-01-15T10:00:00.000Z,",
    )
    real = Subscription.objects.bulk_create
    calls = []

    def racing(objs, *args, **kwargs):
        calls.append(len(objs))
        if len(calls) == 1:
            raise IntegrityError("UNIQUE constraint failed: one_subscription_per_list")
        return real(objs, *args, **kwargs)

    monkeypatch.setattr(Subscription.objects, "bulk_create", racing)
    report = subscribers_import(newsletter=daily, data=data, filename="list.csv")
    assert calls == [2, 2]
    assert (report.imported, report.already) == (2, 0)
    assert Subscription.objects.count() == Subscriber.objects.count() == 2

    def always(objs, *args, **kwargs):
        raise IntegrityError("UNIQUE constraint failed: one_subscription_per_list")

    monkeypatch.setattr(Subscription.objects, "bulk_create", always)
    more = substack_file("three@example.org,false,,other,false,2024-01-15T10:00:00.000Z,")
    with pytest.raises(ImportRefused, match="from row 2 on"):
        subscribers_import(newsletter=daily, data=more, filename="more.csv")
    assert not Subscriber.objects.filter(email="three@example.org").exists()


BAD_FILES = {
    "wrong columns": (b"name,phone\nAda,123\n", "not the columns of"),
    "not UTF-8": (
        "Email Address,OPTIN_TIME,CONFIRM_TIME\nj\xf6rg@example.org,,\n".encode("latin-1"),
        "not UTF-8",
    ),
    "binary": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
    "a ZIP archive": (b"PK\x03\x04\x14\x00\x00\x00", "ZIP archive"),
    "empty": (b"", "empty"),
    "broken quoting": (
        (SUBSTACK_HEADER + '\na@example.org,false,,"other,false,2024-01-01,\n').encode(),
        "not valid CSV",
    ),
}


@pytest.mark.parametrize("kind", sorted(BAD_FILES))
def test_a_bad_file_is_refused_with_a_clear_reason_and_changes_nothing(daily, kind):
    subscribe("there@example.org", daily)
    before = state()
    data, message = BAD_FILES[kind]
    with pytest.raises(ImportRefused, match=message):
        subscribers_import(newsletter=daily, data=data, filename="file.csv")
    assert state() == before


def test_too_big_a_file_or_too_many_rows_is_refused(daily, monkeypatch):
    data = substack_file(*(f"r{n}@example.org,false,,other,false,2024-01-15,"[:] for n in range(5)))
    monkeypatch.setattr(importers, "MAX_BYTES", len(data) - 1)
    with pytest.raises(ImportRefused, match="larger than"):
        subscribers_import(newsletter=daily, data=data, filename="big.csv")
    monkeypatch.setattr(importers, "MAX_BYTES", len(data))
    monkeypatch.setattr(importers, "MAX_ROWS", 4)
    with pytest.raises(ImportRefused, match="more than 4 rows"):
        subscribers_import(newsletter=daily, data=data, filename="big.csv")
    assert state() == ([], [])


def test_a_format_chosen_by_staff_must_match_the_columns(daily):
    data = substack_file("one@example.org,false,,other,false,2024-01-15T10:00:00.000Z,")
    with pytest.raises(ImportRefused, match="Mailchimp"):
        subscribers_import(newsletter=daily, data=data, filename="x.csv", source_format="mailchimp")
    assert state() == ([], [])


# --- export --------------------------------------------------------------------------------------
def _csv(newsletter, source_format, status):
    text = "".join(
        subscribers_export_rows(newsletter=newsletter, source_format=source_format, status=status)
    )
    return list(csv.DictReader(io.StringIO(text)))


def test_a_mailchimp_export_has_the_subscribed_with_their_consent_and_imports_back(daily, weekly):
    subscribers_import(
        newsletter=daily,
        data=mailchimp_file(
            mailchimp_row(
                "ada@example.org", "Ada", "Byron", "2024-03-14 09:12:31", "", "2024-03-14 09:14:00"
            ),
            mailchimp_row("=sum@example.org", "=HYPERLINK(1)", "", "", "", "2023-11-02 17:38:27"),
            mailchimp_row("muted@example.org", "", "", "2024-01-01 10:00:00"),
        ),
        filename="in.csv",
    )
    Suppression.objects.create(email="muted@example.org", reason=SuppressionReason.COMPLAINT)
    subscribe(
        "left@example.org",
        daily,
        status=SubscriptionStatus.UNSUBSCRIBED,
        left=datetime(2026, 3, 1, 8, tzinfo=UTC),
    )
    subscribe("pending@example.org", daily, status=SubscriptionStatus.PENDING)

    rows = _csv(daily, "mailchimp", "subscribed")
    assert [r["Email Address"] for r in rows] == ["'=sum@example.org", "ada@example.org"]
    assert rows[0]["First Name"] == "'=HYPERLINK(1)"
    ada = rows[1]
    assert (ada["First Name"], ada["Last Name"]) == ("Ada", "Byron")
    assert (ada["OPTIN_TIME"], ada["CONFIRM_TIME"]) == (
        "2024-03-14 09:12:31",
        "2024-03-14 09:14:00",
    )

    unsubscribed = _csv(daily, "mailchimp", "unsubscribed")
    assert [(r["Email Address"], r["UNSUB_TIME"]) for r in unsubscribed] == [
        ("left@example.org", "2026-03-01 08:00:00")
    ]

    text = "".join(
        subscribers_export_rows(newsletter=daily, source_format="mailchimp", status="subscribed")
    )
    back = subscribers_import(newsletter=weekly, data=text.encode(), filename="out.csv")
    assert back.imported == 2  # the guard's apostrophe is taken off again
    assert Subscription.objects.filter(
        subscriber__email="=sum@example.org", newsletter=weekly
    ).exists()
    moved = Subscription.objects.get(subscriber__email="ada@example.org", newsletter=weekly)
    assert moved.consent_at == datetime(2024, 3, 14, 9, 12, 31, tzinfo=UTC)
    assert moved.confirmed_at == datetime(2024, 3, 14, 9, 14, tzinfo=UTC)
    unsub_text = "".join(
        subscribers_export_rows(newsletter=daily, source_format="mailchimp", status="unsubscribed")
    )
    again = subscribers_import(newsletter=weekly, data=unsub_text.encode(), filename="u.csv")
    assert again.imported == 0 and again.refused[0].reason.startswith("unsubscribed in Mailchimp")


def test_a_substack_export_imports_back_with_its_dates(daily, weekly):
    subscribe("reader@example.org", daily)
    rows = _csv(daily, "substack", "subscribed")
    assert rows == [
        {
            "email": "reader@example.org",
            "active_subscription": "false",
            "expiry": "",
            "plan": "other",
            "email_disabled": "false",
            "created_at": "2026-01-05T00:05:00.000Z",
            "first_payment_at": "",
        }
    ]
    text = "".join(
        subscribers_export_rows(newsletter=daily, source_format="substack", status="subscribed")
    )
    assert subscribers_import(newsletter=weekly, data=text.encode(), filename="s.csv").imported == 1


# --- the admin's pages and the command -----------------------------------------------------------
@pytest.fixture
def staff(django_user_model):
    user = django_user_model.objects.create_superuser(
        "chief", "chief@example.org", "a long pass 42"
    )
    client = Client()
    client.force_login(user)
    return client


def test_staff_upload_a_file_and_see_what_became_of_each_row(staff, daily):
    page = staff.get("/admin/newsletters/import/")
    assert page.status_code == 200
    assert b'name="file"' in page.content
    upload = io.BytesIO(
        mailchimp_file(
            mailchimp_row("ada@example.org", "Ada", "", "2024-03-14 09:12:31"),
            mailchimp_row("no.consent@example.org"),
        )
    )
    upload.name = "subscribed_members_export_9.csv"
    response = staff.post(
        "/admin/newsletters/import/",
        {"newsletter": daily.pk, "source_format": "auto", "file": upload},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-role="imported">1<' in html
    assert 'data-role="already">0<' in html
    assert 'data-role="refused">1<' in html
    assert "no.consent@example.org" in html and "no record of consent" in html
    assert Subscription.objects.filter(newsletter=daily).count() == 1


def test_a_bad_upload_shows_its_error_and_changes_nothing(staff, daily):
    upload = io.BytesIO(b"PK\x03\x04 zipped")
    upload.name = "export.zip"
    response = staff.post(
        "/admin/newsletters/import/",
        {"newsletter": daily.pk, "source_format": "auto", "file": upload},
    )
    assert response.status_code == 400
    assert "ZIP archive" in response.content.decode()
    assert state() == ([], [])
    missing = staff.post(
        "/admin/newsletters/import/", {"newsletter": daily.pk, "source_format": "auto"}
    )
    assert missing.status_code == 400


def test_staff_download_a_list_and_bad_export_shapes_are_refused(staff, daily):
    subscribe("reader@example.org", daily)
    response = staff.get(
        f"/admin/newsletters/export/{daily.pk}/?format=mailchimp&status=subscribed"
    )
    assert response.status_code == 200
    assert (
        response["Content-Disposition"]
        == 'attachment; filename="subscribed_members_export_daily.csv"'
    )
    body = b"".join(response.streaming_content).decode()
    assert body.startswith("Email Address,First Name,Last Name,MEMBER_RATING,OPTIN_TIME")
    assert "reader@example.org" in body
    bad = staff.get(f"/admin/newsletters/export/{daily.pk}/?format=substack&status=unsubscribed")
    assert bad.status_code == 400
    assert staff.get(f"/admin/newsletters/export/{daily.pk}/?format=excel").status_code == 400


def test_readers_cannot_import_or_export(django_user_model, daily):
    reader = django_user_model.objects.create_user("reader", "reader@example.org", "a long pass 42")
    client = Client()
    client.force_login(reader)
    assert client.get("/admin/newsletters/import/").status_code in {302, 403}
    assert client.get(f"/admin/newsletters/export/{daily.pk}/").status_code in {302, 403}
    anonymous = Client().get(f"/admin/newsletters/export/{daily.pk}/")
    assert anonymous.status_code == 302 and "/login/" in anonymous["Location"]


def test_the_command_imports_a_file_and_lists_the_refused_rows(daily, tmp_path):
    path = tmp_path / "email_list.csv"
    path.write_bytes(
        substack_file(
            "one@example.org,false,,other,false,2024-01-15T10:00:00.000Z,",
            "off@example.org,false,,other,true,2024-01-15T10:00:00.000Z,",
        )
    )
    out = io.StringIO()
    call_command("newsletter_import", "daily", str(path), stdout=out)
    text = out.getvalue()
    assert "row 3: off@example.org: refused, e-mail turned off in Substack" in text
    assert "imported 1, already there 0, refused 1" in text
    with pytest.raises(CommandError, match="No list 'monthly'"):
        call_command("newsletter_import", "monthly", str(path))
    path.write_bytes(b"name\nAda\n")
    with pytest.raises(CommandError, match="not the columns"):
        call_command("newsletter_import", "daily", str(path))
