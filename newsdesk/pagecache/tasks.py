"""Background tasks of the page cache, run by the worker."""

from django_tasks import task


@task()
def tags_purge_settled(tags: list[str]) -> None:
    """Purge ``tags`` from proxies and CDNs again once an editor's change has settled.

    Queued by ``tags.pages_invalidate(settle=True)`` for the moment every process has renewed
    its copy of the changed data: a CDN that fetched a page from a process still holding the
    old copy, between the first purge and that moment, would keep it until its own expiry.
    """
    from newsdesk.pagecache.tags import tags_purge

    tags_purge(tags=tags)
