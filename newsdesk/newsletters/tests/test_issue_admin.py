"""An issue in Wagtail's admin: the e-mail preview, "Send a test to me", "Schedule"."""

from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import mail
from django.test import RequestFactory
from django.utils import timezone

from newsdesk.newsletters.models_sending import Send, SendStatus
from newsdesk.newsletters.tests import issue_factories
from tests.support import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(db):
    return get_user_model().objects.create_superuser(
        "chief", "chief@example.org", "pw", first_name="Chief"
    )


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def issue(section):
    article = factories.make_article(section=section, title="The dam holds")
    return issue_factories.issue(title="Morning briefing", articles=[article])


def _test_url(issue) -> str:
    return f"/admin/newsletters/issues/{issue.pk}/test/"


def _schedule_url(issue) -> str:
    return f"/admin/newsletters/issues/{issue.pk}/schedule/"


# --- preview ----------------------------------------------------------------------------------
def test_the_preview_offers_the_email_beside_the_web_page(issue, editor, editor_client):
    assert [mode for mode, _ in issue.preview_modes] == ["", "email", "email-text"]
    request = RequestFactory().get("/")
    request.user = editor
    html = issue.serve_preview(request, "email").content.decode()
    assert 'width="600"' in html and "The dam holds" in html
    assert "Dear Chief," in html and "{{" not in html
    web = issue.serve_preview(request, "")
    web.render()
    assert "The dam holds" in web.content.decode() and "newsletter-issue" in web.content.decode()
    text = issue.serve_preview(request, "email-text").content.decode()
    assert text.startswith("Subject: Morning briefing") and "<table" not in text
    edit_page = editor_client.get(f"/admin/pages/{issue.pk}/edit/").content.decode()
    assert '<option value="email">E-mail</option>' in edit_page  # the preview's mode chooser


# --- send a test ------------------------------------------------------------------------------
def test_the_header_buttons_lead_to_the_test_and_the_schedule(issue, editor_client):
    page = editor_client.get(f"/admin/pages/{issue.pk}/edit/").content.decode()
    assert _test_url(issue) in page and "Send a test to me" in page
    assert _schedule_url(issue) in page


def test_send_a_test_to_me_mails_the_latest_draft_to_the_editor(issue, editor_client):
    issue.title = "Morning briefing, revised"
    issue.save_revision()  # a draft, not published
    page = editor_client.get(_test_url(issue)).content.decode()
    assert "chief@example.org" in page
    assert not mail.outbox
    response = editor_client.post(_test_url(issue))
    assert response.status_code == 302
    assert response["Location"] == f"/admin/pages/{issue.pk}/edit/"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["chief@example.org"]
    assert message.subject == "[Test] Morning briefing, revised"
    assert not Send.objects.exists()


def test_an_editor_without_an_address_is_told_and_nothing_is_sent(issue, editor, editor_client):
    editor.email = ""
    editor.save()
    response = editor_client.post(_test_url(issue), follow=True)
    assert "no e-mail address" in response.content.decode()
    assert not mail.outbox


def test_readers_and_the_signed_out_cannot_send(issue, client):
    response = client.post(_test_url(issue))
    assert response.status_code == 302 and "/login/" in response["Location"]
    reader = get_user_model().objects.create_user("reader", "reader@example.org", "pw")
    client.force_login(reader)
    assert client.post(_test_url(issue)).status_code in (302, 403)
    assert client.post(_schedule_url(issue), {"segment": "all", "when": "now"}).status_code in (
        302,
        403,
    )
    assert not mail.outbox and not Send.objects.exists()


def test_an_editor_who_may_not_publish_may_test_but_not_schedule(issue, client):
    writer = get_user_model().objects.create_user("writer", "writer@example.org", "pw")
    writer.groups.add(Group.objects.get(name="Editors"))
    client.force_login(writer)
    # Wagtail's Editors group may edit pages but not publish them (its Moderators may).
    assert client.get(_schedule_url(issue)).status_code == 403
    page = client.get(f"/admin/pages/{issue.pk}/edit/").content.decode()
    assert "Send a test to me" in page and _schedule_url(issue) not in page
    assert client.post(_test_url(issue)).status_code == 302
    assert len(mail.outbox) == 1


def test_an_unknown_issue_is_a_404(editor_client):
    assert editor_client.get("/admin/newsletters/issues/999999/test/").status_code == 404
    assert editor_client.get("/admin/newsletters/issues/999999/schedule/").status_code == 404


# --- schedule ---------------------------------------------------------------------------------
def test_schedule_now(issue, editor, editor_client):
    response = editor_client.post(_schedule_url(issue), {"segment": "all", "when": "now"})
    assert response.status_code == 302
    send = Send.objects.get(issue=issue)
    assert send.segment == "all" and send.created_by == editor
    assert send.scheduled_at <= timezone.now()
    page = editor_client.get(_schedule_url(issue)).content.decode()
    assert f'data-send-id="{send.pk}"' in page


def test_schedule_later_reads_the_time_in_the_sites_time_zone(issue, editor_client, settings):
    settings.TIME_ZONE = "America/New_York"
    day = (timezone.now() + timedelta(days=30)).date()
    response = editor_client.post(
        _schedule_url(issue),
        {"segment": "donors", "when": "later", "at": f"{day:%Y-%m-%d}T09:30"},
    )
    assert response.status_code == 302
    send = Send.objects.get(issue=issue)
    assert send.status == SendStatus.SCHEDULED and send.segment == "donors"
    local = send.scheduled_at.astimezone(timezone.get_current_timezone())
    assert (local.date(), local.hour, local.minute) == (day, 9, 30)
    assert send.scheduled_at.astimezone(UTC).hour in (13, 14)  # EDT or EST


@pytest.mark.parametrize(
    "data",
    [
        {"segment": "all", "when": "later", "at": ""},
        {"segment": "all", "when": "later", "at": "2001-01-01T09:00"},
        {"segment": "all", "when": "later", "at": "next tuesday"},
        {"segment": "everyone-ever", "when": "now"},
        {"segment": "all", "when": "yesterday"},
    ],
)
def test_bad_schedules_are_refused_and_change_nothing(issue, editor_client, data):
    response = editor_client.post(_schedule_url(issue), data)
    assert response.status_code == 200
    assert 'role="alert"' in response.content.decode() or "error" in response.content.decode()
    assert not Send.objects.exists()


def test_an_unpublished_issue_cannot_be_scheduled(section, editor_client):
    draft = issue_factories.issue(title="Not yet", publish=False)
    response = editor_client.post(_schedule_url(draft), {"segment": "all", "when": "now"})
    assert "Publish the issue first" in response.content.decode()
    assert not Send.objects.exists()


def test_a_scheduled_send_can_be_cancelled_once(issue, editor_client):
    at = (timezone.now() + timedelta(days=2)).astimezone(timezone.get_current_timezone())
    editor_client.post(
        _schedule_url(issue), {"segment": "all", "when": "later", "at": f"{at:%Y-%m-%dT%H:%M}"}
    )
    send = Send.objects.get(issue=issue)
    page = editor_client.get(_schedule_url(issue)).content.decode()
    assert "Cancel this send" in page
    editor_client.post(_schedule_url(issue), {"action": "cancel", "send": send.pk})
    send.refresh_from_db()
    assert send.status == SendStatus.CANCELLED
    response = editor_client.post(
        _schedule_url(issue), {"action": "cancel", "send": send.pk}, follow=True
    )
    assert "already been sent or cancelled" in response.content.decode()
    assert "Cancel this send" not in response.content.decode()


def test_a_second_schedule_of_the_same_segment_is_refused(issue, editor_client):
    at = (datetime.now(UTC) + timedelta(days=3)).astimezone(timezone.get_current_timezone())
    data = {"segment": "all", "when": "later", "at": f"{at:%Y-%m-%dT%H:%M}"}
    editor_client.post(_schedule_url(issue), data)
    response = editor_client.post(_schedule_url(issue), data)
    assert "already scheduled" in response.content.decode()
    assert Send.objects.count() == 1
