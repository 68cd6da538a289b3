"""The newsletters' issues in the demo (issue 21, item 2): the public archive at
/newsletters/, two past issues of the lists picking demo stories, and a draft for an editor
to preview, test and schedule in the admin (its "Send a test to me" and "Schedule" buttons).

The lists are the "subscribe" part's (``demo/newsletters.py``); any missing is made here
with the same slug. The Weekly, when made here, assembles its digest as a draft on Monday
mornings (the worker's periodic duty). Idempotent: each issue is found by its slug.
"""

from datetime import timedelta
from typing import Any

from django.utils import timezone

from newsdesk.articles.models import ArticlePage, HomePage
from newsdesk.newsletters.models import Cadence, DigestMode, Newsletter
from newsdesk.newsletters.models_issues import NewsletterArchivePage, NewsletterIssuePage

LISTS: dict[str, dict[str, Any]] = {
    "daily": {"name": "The Daily", "description": "The morning's stories, every day at seven."},
    "weekly": {
        "name": "The Weekly",
        "description": "The week's reporting, on Monday mornings.",
        "cadence": Cadence.WEEKLY,
        "send_hour": 8,
        "send_weekday": 0,
        "digest_mode": DigestMode.DRAFT,
    },
    "breaking": {"name": "Breaking news", "description": "Only when it cannot wait."},
}
ISSUES = (
    # slug, list, title, preheader, days ago (None: a draft), first pick, picks
    (
        "demo-week-in-review",
        "weekly",
        "The week in review: water, work and the town hall",
        "Five stories you may have missed, and what comes next.",
        6,
        0,
        4,
    ),
    (
        "demo-morning-briefing",
        "daily",
        "Morning briefing: the river, the budget and the night bus",
        "Three stories to start the day.",
        2,
        4,
        3,
    ),
    (
        "demo-draft-briefing",
        "daily",
        "Morning briefing (draft): what the council decided",
        "Tomorrow's issue, still being written.",
        None,
        1,
        2,
    ),
)
INTRO = (
    "<p>Good morning. Here is what our reporters found this week, chosen by the desk. "
    "Reply to this e-mail to tell us what we missed.</p>"
)


def archive_page_get() -> NewsletterArchivePage | None:
    """The archive of issues at /newsletters/, made under the home page if missing."""
    archive = NewsletterArchivePage.objects.first()
    if archive is not None:
        return archive
    home = HomePage.objects.first()
    if home is None:
        return None
    archive = NewsletterArchivePage(
        title="Newsletters", slug="newsletters", intro="Our newsletters and their past issues."
    )
    home.add_child(instance=archive)
    archive.save_revision().publish()
    return archive


def _issue(archive, lists, stories, spec) -> bool:
    slug, list_slug, title, preheader, days_ago, first, count = spec
    if NewsletterIssuePage.objects.filter(slug=slug).exists():
        return False
    picks = stories[first : first + count]
    issue = NewsletterIssuePage(
        title=title,
        slug=slug,
        newsletter=lists[list_slug],
        preheader=preheader,
        intro=INTRO,
        body=[
            ("articles", {"heading": "Our picks", "articles": picks[:2]}),
            ("support_ask", {"text": "", "button_label": "Support our work"}),
            ("heading", "Also worth your time"),
            ("articles", {"heading": "", "articles": picks[2:]}),
            (
                "paragraph",
                "<p>That is all for this issue. Thank you for reading, and for telling a "
                "friend about us.</p>",
            ),
        ],
        live=days_ago is not None,
    )
    archive.add_child(instance=issue)
    revision = issue.save_revision()
    if days_ago is not None:
        revision.publish()
        when = timezone.now() - timedelta(days=days_ago)
        NewsletterIssuePage.objects.filter(pk=issue.pk).update(
            first_published_at=when, last_published_at=when
        )
    return True


def load(*, stdout) -> None:
    archive = archive_page_get()
    if archive is None:
        return
    lists = {
        slug: Newsletter.objects.get_or_create(slug=slug, defaults=fields)[0]
        for slug, fields in LISTS.items()
    }
    stories = list(ArticlePage.objects.live().public().order_by("-first_published_at", "-pk")[:10])
    if len(stories) < 7:
        return
    made = sum(_issue(archive, lists, stories, spec) for spec in ISSUES)
    if made:
        stdout.write(f"Newsletter issues: {made} made under /newsletters/.")
