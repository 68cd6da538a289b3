"""Writes: creating articles and library pictures outside the admin, and publishing what
is due. Pictures are stored as their pixels only (``imagefiles``), like the admin's uploads.

Scheduled publishing needs nobody to run a command: when an editor schedules a page (or
sets an expiry), ``scheduled_publishing_enqueue`` queues a task for that moment, and the
worker runs Wagtail's own publishing of due revisions then. The worker also sweeps once at
start, so a page that fell due while it was stopped goes live as soon as it is back.
"""

import io
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import partial

from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.db import transaction
from django.utils import timezone
from wagtail.models import Page, Revision
from wagtail.utils.file import hash_filelike

from newsdesk.articles.imagefiles import file_name_for, picture_clean, picture_has_metadata
from newsdesk.articles.models import (
    ArticleAuthor,
    ArticleCorrection,
    ArticlePage,
    Author,
    NewsImage,
    Outlet,
    SectionPage,
)

logger = logging.getLogger("newsdesk.articles")


@dataclass(frozen=True)
class ScheduledPublishingReport:
    published: list[str]
    unpublished: list[str]


def scheduled_pages_publish(*, now: datetime | None = None) -> ScheduledPublishingReport:
    """Publish every revision whose go-live time has passed; unpublish expired pages.

    Idempotent: a published revision loses its ``approved_go_live_at``, an unpublished page
    its ``live`` flag, so running it twice does nothing the second time.

    Each page changes in a transaction of its own: Wagtail saves the page, then sends the
    signals whose receivers outdate the cached listings; outside one, readers would find the
    article live while the front page and the feeds still leave it out.
    """
    now = now or timezone.now()
    unpublished = []
    for page in Page.objects.filter(live=True, expire_at__lt=now).order_by("expire_at"):
        with transaction.atomic():
            page.specific.unpublish(set_expired=True, log_action="wagtail.unpublish.scheduled")
        unpublished.append(page.title)
    published = []
    due = Revision.objects.filter(approved_go_live_at__lt=now).order_by("approved_go_live_at")
    for revision in due:
        with transaction.atomic():
            revision.publish(log_action="wagtail.publish.scheduled")
        published.append(revision.object_str)
    if published or unpublished:
        logger.info("Scheduled publishing: published %s, unpublished %s", published, unpublished)
    return ScheduledPublishingReport(published=published, unpublished=unpublished)


def scheduled_publishing_enqueue(*, page: Page) -> list[datetime]:
    """Queue the publishing task for the page's pending go-live and expiry times.

    Called after an editor saves, publishes or schedules a page. Returns the times queued.
    A go-live time that passed while the page was being saved (a revision still waiting,
    its moment already behind us) is queued too: the task runs at once instead of waiting
    for the worker's periodic sweep.
    """
    from newsdesk.articles.tasks import publish_scheduled_pages

    now = timezone.now()
    times: set[datetime] = set()
    # Wagtail clears ``approved_go_live_at`` when it publishes a revision: any left waits.
    pending = Revision.page_revisions.filter(
        object_id=str(page.pk), approved_go_live_at__isnull=False
    ).values_list("approved_go_live_at", flat=True)
    times.update(pending)
    page.refresh_from_db(fields=["expire_at", "live"])
    if page.expire_at and page.expire_at > now:
        times.add(page.expire_at)
    if not publish_scheduled_pages.get_backend().supports_defer:
        # A backend that runs tasks at once (tests, TASKS_BACKEND=immediate) cannot wait;
        # the worker's start-up sweep and `manage.py publish_scheduled` remain.
        return []
    for when in sorted(times):
        transaction.on_commit(partial(_publish_at, when=when))
    return sorted(times)


def _publish_at(*, when: datetime) -> None:
    from newsdesk.articles.tasks import publish_scheduled_pages

    publish_scheduled_pages.using(run_after=when).enqueue()


def article_create(
    *,
    section: SectionPage,
    title: str,
    standfirst: str = "",
    body: Sequence[tuple[str, object]] = (),
    lead_image: NewsImage | None = None,
    lead_image_caption: str = "",
    tags: Iterable[str] = (),
    authors: Iterable[Author] = (),
    outlet: Outlet | None = None,
    original_url: str = "",
    slug: str | None = None,
    published_at: datetime | None = None,
    publish: bool = True,
    go_live_at: datetime | None = None,
) -> ArticlePage:
    """Create an article under ``section``, with a first revision, and publish it if asked.

    ``body`` is a sequence of (block type, native value) pairs of ``ArticleBodyBlock``
    (an image block takes a ``NewsImage`` instance, not its id).
    ``published_at`` keeps an original publication time (a partner's, an import's).
    ``go_live_at`` schedules it instead: it goes live at that time, through the worker.
    The model is validated (``full_clean``) before anything is written.
    """
    with transaction.atomic():
        article = ArticlePage(
            title=title,
            slug=slug or "",
            standfirst=standfirst,
            lead_image=lead_image,
            lead_image_caption=lead_image_caption,
            body=list(body),
            outlet=outlet,
            original_url=original_url,
            go_live_at=go_live_at,
            live=False,
        )
        if published_at is not None:
            article.first_published_at = published_at
        article.tags.add(*tags)
        article.article_authors = [
            ArticleAuthor(author=a, sort_order=i) for i, a in enumerate(authors)
        ]
        section.add_child(instance=article)
        revision = article.save_revision(clean=True)
        if publish or go_live_at:
            revision.publish()
        if publish and published_at is not None:
            # An imported or partner story was last published when its source says, not
            # now: otherwise every backdated article would show "Updated <today>".
            ArticlePage.objects.filter(pk=article.pk).update(last_published_at=published_at)
        if go_live_at:
            scheduled_publishing_enqueue(page=article)
    # Publishing works on a copy; return the page as stored.
    return ArticlePage.objects.get(pk=article.pk)


def correction_add(*, article: ArticlePage, text: str) -> ArticleCorrection:
    """Append a dated correction to a live article and republish it."""
    with transaction.atomic():
        article = ArticlePage.objects.select_for_update().get(pk=article.pk)
        correction = ArticleCorrection(page=article, text=text)
        correction.full_clean(exclude=["page"])
        article.corrections.add(correction)
        article.save_revision(clean=True).publish()
    return correction


def article_revise(*, article: ArticlePage, changes: dict, publish: bool) -> Revision:
    """Save a new revision of ``article``: its latest draft with ``changes`` applied.

    ``changes`` maps field names to values (``body`` as (block type, value) pairs). Published
    at once if ``publish``; otherwise the live version stays as it is and the new revision
    waits for an editor. Call it inside the caller's transaction.
    """
    draft = article.get_latest_revision_as_object()
    for name, value in changes.items():
        setattr(draft, name, list(value) if name == "body" else value)
    revision = draft.save_revision(clean=True)
    if publish:
        revision.publish()
    return revision


def author_get_or_create(*, name: str, role: str = "") -> Author:
    """The byline ``name`` with ``role`` (e.g. a partner outlet's name), made if missing.

    Matched by name and role together, so a partner's writer is never merged with a staff
    writer of the same name. The slug is made unique with a number where needed.
    """
    from django.utils.text import slugify

    role = role[:120]
    author = Author.objects.filter(name=name, role=role).first()
    if author is not None:
        return author
    base = slugify(f"{name}-{role}" if role else name)[:100] or "writer"
    slug, number = base, 1
    while Author.objects.filter(slug=slug).exists():
        number += 1
        slug = f"{base}-{number}"
    return Author.objects.create(name=name, slug=slug, role=role)


def image_create(
    *,
    title: str,
    file_name: str,
    data: bytes,
    description: str = "",
    caption: str = "",
    credit: str = "",
) -> NewsImage:
    """A new library image holding ``data``'s pixels only (``imagefiles.picture_clean``: no
    EXIF, XMP, ICC text or comment; upright; GIF stored as PNG), under ``file_name`` with the
    extension of what is stored. Its width, height, size and hash are those of the stored
    bytes. Raises ``imagefiles.PictureUnusable`` (nothing stored) for a file that is not a
    JPEG, PNG, GIF, WebP or AVIF picture. The admin's uploads are cleaned by its form
    (``articles.forms``); code that adds pictures itself comes here."""
    picture = picture_clean(data=data)
    image = NewsImage(title=title[:255], description=description, caption=caption, credit=credit)
    stored_name = file_name_for(name=file_name, picture=picture)
    image.file = ImageFile(io.BytesIO(picture.data), name=stored_name)
    image.width, image.height = picture.width, picture.height
    image.file_size = len(picture.data)
    image.file_hash = hash_filelike(io.BytesIO(picture.data))
    image.save()
    return image


def image_file_clean(*, image: NewsImage) -> bool:
    """Re-encode ``image``'s stored original without its metadata if it carries any (a
    picture stored before uploads were cleaned), and delete its renditions (Willow copied
    the original's EXIF and ICC profile into them; pages make new ones when asked). True
    when the file was replaced, False when it was clean already. The new file is written
    under a new name before the row changes; the old one is deleted once that commits.
    Raises ``imagefiles.PictureUnusable`` (nothing changed) when the file is not a picture
    this library stores, and ``SourceImageIOError`` when it is missing."""
    with image.open_file() as handle:
        data = handle.read()
    if not picture_has_metadata(data=data):
        return False
    picture = picture_clean(data=data)
    old_name, old_size = image.file.name, (image.width, image.height)
    new_name = file_name_for(name=old_name, picture=picture)
    image.file.save(new_name, ContentFile(picture.data), save=False)
    image.width, image.height = picture.width, picture.height
    image.file_size = len(picture.data)
    image.file_hash = hash_filelike(io.BytesIO(picture.data))
    fields = ["file", "width", "height", "file_size", "file_hash"]
    if (image.width, image.height) != old_size:
        # Turned upright: a focal point in the old coordinates would point elsewhere.
        image.set_focal_point(None)
        fields += ["focal_point_x", "focal_point_y", "focal_point_width", "focal_point_height"]
    storage = image.file.storage
    with transaction.atomic():
        image.save(update_fields=fields)
        image.renditions.all().delete()
        transaction.on_commit(lambda: storage.delete(old_name))
    return True
