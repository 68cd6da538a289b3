"""Issues for the newsletters' tests: the archive page, a list, an issue picking articles."""

import itertools

from newsdesk.newsletters.models import Newsletter, NewsletterArchivePage, NewsletterIssuePage
from tests.support import factories

_counter = itertools.count(1)


def archive_page() -> NewsletterArchivePage:
    archive = NewsletterArchivePage.objects.first()
    if archive is None:
        archive = NewsletterArchivePage(title="Newsletters", slug="newsletters", intro="Our mail.")
        factories.home_page().add_child(instance=archive)
        archive.save_revision().publish()
    return archive


def newsletter(slug: str = "daily", **fields) -> Newsletter:
    fields.setdefault("name", slug.title())
    return Newsletter.objects.get_or_create(slug=slug, defaults=fields)[0]


def issue(
    *,
    title: str | None = None,
    articles=(),
    list_slug: str = "daily",
    publish: bool = True,
    body: list | None = None,
    **fields,
) -> NewsletterIssuePage:
    """An issue of ``list_slug`` picking ``articles`` (one block), then an ask."""
    number = next(_counter)
    if body is None:
        body = [
            ("heading", "Today"),
            ("articles", {"heading": "Top stories", "articles": list(articles)}),
            ("support_ask", {"text": "", "button_label": "Give now"}),
        ]
    page = NewsletterIssuePage(
        title=title or f"Issue number {number}",
        slug=f"issue-{number}",
        newsletter=newsletter(list_slug),
        body=body,
        live=publish,
        **fields,
    )
    archive_page().add_child(instance=page)
    revision = page.save_revision()
    if publish:
        revision.publish()
    page.refresh_from_db()
    return page
