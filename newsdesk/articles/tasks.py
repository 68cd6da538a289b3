"""Background tasks of the articles app, run by the worker."""

from django_tasks import task

from newsdesk.articles.services import scheduled_pages_publish


@task()
def publish_scheduled_pages() -> dict:
    """Publish what is due and unpublish what expired (queued for the moment it is due)."""
    report = scheduled_pages_publish()
    return {"published": report.published, "unpublished": report.unpublished}
