"""Editors in Wagtail's admin: validation, drafts, and scheduled publishing by the worker."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.test import override_settings
from django.utils import timezone
from wagtail.models import Revision
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from newsdesk.articles.models import ArticlePage
from newsdesk.articles.services import scheduled_pages_publish, scheduled_publishing_enqueue
from tests.support import factories

pytestmark = pytest.mark.django_db
DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def editor_client(client):
    user = get_user_model().objects.create_superuser("editor", "editor@example.com", "pw")
    client.force_login(user)
    return client


def article_form(**overrides) -> dict:
    data = {
        "title": "Bridge reopens after repairs",
        "slug": "bridge-reopens",
        "standfirst": "Traffic is back on the old span.",
        "lead_image_caption": "",
        "body": streamfield([("paragraph", rich_text("<p>Cars crossed at noon.</p>"))]),
        "article_authors": inline_formset([]),
        "corrections": inline_formset([]),
        "tags": "",
        "outlet": "",
        "original_url": "",
        "go_live_at": "",
        "expire_at": "",
        "seo_title": "",
        "search_description": "",
    }
    data.update(overrides)
    return nested_form_data(data)


def add_url(section) -> str:
    return f"/admin/pages/add/articles/articlepage/{section.pk}/"


@pytest.mark.parametrize(
    "bad_url", ["ftp://partner.example/a", "javascript:alert(1)", "not a url", "http://"]
)
def test_original_url_must_be_http_or_https(editor_client, section, bad_url):
    outlet = factories.make_outlet()
    response = editor_client.post(
        add_url(section),
        article_form(outlet=outlet.pk, original_url=bad_url, **{"action-publish": "publish"}),
    )
    assert response.status_code == 200  # the form again, with its errors
    errors = response.context["form"].errors
    assert "original_url" in errors
    assert not ArticlePage.objects.filter(slug="bridge-reopens").exists()


def test_outlet_and_original_url_go_together(editor_client, section):
    response = editor_client.post(add_url(section), article_form(outlet=factories.make_outlet().pk))
    assert "original_url" in response.context["form"].errors
    response = editor_client.post(
        add_url(section), article_form(original_url="https://partner.example/x")
    )
    assert "outlet" in response.context["form"].errors
    assert not ArticlePage.objects.filter(slug="bridge-reopens").exists()


def test_editor_saves_a_draft_that_readers_cannot_see(editor_client, client, section):
    response = editor_client.post(add_url(section), article_form())
    assert response.status_code == 302
    article = ArticlePage.objects.get(slug="bridge-reopens")
    assert not article.live
    editor_client.logout()
    assert client.get(f"{section.url}bridge-reopens/").status_code == 404
    # The editor can preview the draft.
    editor = get_user_model().objects.get(username="editor")
    client.force_login(editor)
    preview_url = f"/admin/pages/{article.pk}/edit/preview/"
    assert client.post(preview_url, article_form()).json()["is_valid"]
    preview = client.get(preview_url)
    assert preview.status_code == 200
    assert b"Cars crossed at noon." in preview.content


def test_editor_revises_a_published_article_and_revisions_are_kept(editor_client, client, section):
    editor_client.post(add_url(section), article_form(**{"action-publish": "publish"}))
    article = ArticlePage.objects.get(slug="bridge-reopens")
    assert article.live
    editor_client.post(
        f"/admin/pages/{article.pk}/edit/",
        article_form(title="Bridge reopens after long repairs", **{"action-publish": "p"}),
    )
    assert Revision.page_revisions.filter(object_id=str(article.pk)).count() == 2
    assert b"Bridge reopens after long repairs" in client.get(article.url).content


@override_settings(TASKS=DATABASE_TASKS)
def test_scheduling_in_the_admin_queues_publication_for_that_time(
    editor_client, section, django_capture_on_commit_callbacks
):
    from django_tasks_db.models import DBTaskResult

    go_live = (timezone.now() + timedelta(hours=2)).replace(second=0, microsecond=0)
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(
            add_url(section),
            article_form(
                go_live_at=go_live.strftime("%Y-%m-%d %H:%M"), **{"action-publish": "publish"}
            ),
        )
    assert response.status_code == 302
    article = ArticlePage.objects.get(slug="bridge-reopens")
    assert not article.live
    queued = DBTaskResult.objects.filter(task_path__endswith="publish_scheduled_pages")
    assert [task.run_after for task in queued] == [go_live]


def test_due_revisions_are_published_and_expired_pages_unpublished(client, section):
    scheduled = factories.make_article(
        section=section,
        title="Scheduled story",
        publish=False,
        go_live_at=timezone.now() + timedelta(hours=1),
    )
    expiring = factories.make_article(section=section, title="Expiring story")
    assert client.get(f"{section.url}{scheduled.slug}/").status_code == 404
    assert scheduled_pages_publish().published == []  # nothing is due yet

    # Time passes: the go-live and expiry moments are now behind us.
    past = timezone.now() - timedelta(minutes=1)
    for revision in Revision.page_revisions.filter(object_id=str(scheduled.pk)):
        revision.content["go_live_at"] = past.isoformat()
        revision.approved_go_live_at = past
        revision.save()
    ArticlePage.objects.filter(pk=scheduled.pk).update(go_live_at=past)
    ArticlePage.objects.filter(pk=expiring.pk).update(expire_at=past)

    report = scheduled_pages_publish()
    assert report.published == ["Scheduled story"]
    assert report.unpublished == ["Expiring story"]
    assert client.get(f"{section.url}{scheduled.slug}/").status_code == 200
    assert client.get(expiring.url or f"{section.url}{expiring.slug}/").status_code == 404
    assert scheduled_pages_publish() == type(report)(published=[], unpublished=[])


def test_a_scheduled_publication_and_its_signals_commit_together(section):
    """The receivers of ``page_published`` (the page cache's among them) run inside the
    transaction that makes the page live: no reader finds it live with listings not yet
    outdated."""
    from django.db import transaction
    from wagtail.signals import page_published

    scheduled = factories.make_article(
        section=section, title="Embargoed", publish=False, go_live_at=timezone.now()
    )
    past = timezone.now() - timedelta(minutes=1)
    Revision.page_revisions.filter(object_id=str(scheduled.pk)).update(approved_go_live_at=past)
    outside = len(transaction.get_connection().atomic_blocks)
    depths: list[int] = []

    def heard(**kwargs) -> None:
        depths.append(len(transaction.get_connection().atomic_blocks))

    page_published.connect(heard, dispatch_uid="test-scheduled-depth")
    try:
        assert scheduled_pages_publish().published == ["Embargoed"]
    finally:
        page_published.disconnect(dispatch_uid="test-scheduled-depth")
    assert depths and all(depth > outside for depth in depths)


@override_settings(TASKS=DATABASE_TASKS)
def test_expiry_is_queued_too(section, django_capture_on_commit_callbacks):
    from django_tasks_db.models import DBTaskResult

    article = factories.make_article(section=section)
    expire_at = timezone.now() + timedelta(days=1)
    ArticlePage.objects.filter(pk=article.pk).update(expire_at=expire_at)
    with django_capture_on_commit_callbacks(execute=True):
        assert scheduled_publishing_enqueue(page=article) == [expire_at]
    assert DBTaskResult.objects.filter(run_after=expire_at).count() == 1


@override_settings(TASKS=DATABASE_TASKS)
def test_a_go_live_time_passed_while_saving_is_queued_at_once(
    section, django_capture_on_commit_callbacks
):
    """An embargo a few seconds away can pass while a busy site saves the page: its task is
    still queued (due now), not left for the worker's periodic sweep a minute later."""
    from django_tasks_db.models import DBTaskResult

    scheduled = factories.make_article(
        section=section,
        title="Embargoed",
        publish=False,
        go_live_at=timezone.now() + timedelta(hours=1),
    )
    passed = timezone.now() - timedelta(seconds=2)
    Revision.page_revisions.filter(object_id=str(scheduled.pk)).update(approved_go_live_at=passed)
    with django_capture_on_commit_callbacks(execute=True):
        assert scheduled_publishing_enqueue(page=scheduled) == [passed]
    assert DBTaskResult.objects.filter(run_after=passed).count() == 1
