"""Readers report a comment over HTTP: a form without JavaScript, JSON for the script."""

import pytest

from newsdesk.moderation.models import Report

from .conftest import guest_reader, post

pytestmark = pytest.mark.django_db
JSON = {"HTTP_ACCEPT": "application/json"}


@pytest.fixture
def comment(article):
    return post(article, guest_reader())


def url(pk: int) -> str:
    return f"/moderation/comments/{pk}/report/"


def test_a_guest_reports_once_by_form_and_gets_a_cookie(client, comment):
    page = client.get(url(comment.pk))
    assert page.status_code == 200 and b'name="reason"' in page.content
    response = client.post(url(comment.pk), {"reason": "abuse", "text": "rude"})
    assert response.status_code == 201 and b"Thank you" in response.content
    again = client.post(url(comment.pk), {"reason": "spam"}, **JSON)
    assert again.status_code == 409
    assert again.json() == {"detail": "You have already reported this comment."}
    assert Report.objects.count() == 1


def test_json_answers_and_bad_input(client, comment):
    bad = client.post(url(comment.pk), {"reason": "boring"}, **JSON)
    assert bad.status_code == 400 and "Choose a reason" in bad.json()["detail"]
    missing = client.post(url(999_999), {"reason": "spam"}, **JSON)
    assert missing.status_code == 404 and missing.json()["detail"]
    assert client.get(url(999_999)).status_code == 404
    ok = client.post(url(comment.pk), {"reason": "spam"}, **JSON)
    assert ok.status_code == 201 and ok.json()["id"] == comment.pk
    assert Report.objects.count() == 1


def test_reports_need_the_csrf_token(comment):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    assert strict.post(url(comment.pk), {"reason": "spam"}).status_code == 403
    assert not Report.objects.exists()


def test_reporting_is_rate_limited(client, article, settings):
    from newsdesk.moderation import conf

    comments = [
        post(article, guest_reader(), f"Comment {n} on the treaty talks.") for n in range(3)
    ]
    limit = conf.RATE_REPORT.limit
    statuses = [
        client.post(url(comments[n % 3].pk), {"reason": "spam"}, **JSON).status_code
        for n in range(limit + 1)
    ]
    assert statuses[-1] == 429


def test_the_article_page_offers_the_report_control(client, comment, article):
    html = client.get(article.url).content.decode()
    assert 'id="moderation-report-config"' in html and "moderation/report.js" in html


def test_every_comment_but_ones_own_has_a_report_link_without_script(client, db):
    """The link is rendered by the server, so a reader without JavaScript can report."""
    from newsdesk.discussion.models import Comment

    comment = Comment.objects.select_related("thread__article").filter(status="published").first()
    if comment is None:
        from django.core.management import call_command

        call_command("load_demo")
        comment = (
            Comment.objects.select_related("thread__article").filter(status="published").first()
        )
    html = client.get(comment.thread.article.url).content.decode()
    assert f'href="/moderation/comments/{comment.pk}/report/"' in html
