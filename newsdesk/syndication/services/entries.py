"""One feed item into one article: new, updated, left alone, or flagged for the editor.

Each item is handled in its own transaction: an item that fails leaves no article, no entry
and no picture behind, and the other items of the feed go on.
"""

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify

from newsdesk.articles.models import ArticlePage, Author, NewsImage
from newsdesk.articles.services import article_create, article_revise, author_get_or_create
from newsdesk.syndication import content
from newsdesk.syndication.images import DownloadedPicture, picture_store, pictures_download
from newsdesk.syndication.models import ContentMode, Entry, PollMode, Source
from newsdesk.syndication.parsing import FeedItem

logger = logging.getLogger("newsdesk.syndication")

# A partner's clock set in the future must not pin its story to the top of the site.
FUTURE_DATE_TOLERANCE = timedelta(hours=1)
RENDITION_SPEC = "max-1600x1600"


class Outcome(StrEnum):
    ADDED = "added"
    UPDATED = "updated"
    FLAGGED = "flagged"  # the partner changed a story an editor had edited: not applied
    SKIPPED = "skipped"


@dataclass(frozen=True)
class EntryOutcome:
    outcome: Outcome
    title: str
    reason: str = ""
    entry_id: int | None = None


@dataclass(frozen=True)
class _Prepared:
    """What an item becomes, computed before the transaction (pictures downloaded)."""

    title: str
    standfirst: str
    lead_image: DownloadedPicture | None
    pictures: dict[str, DownloadedPicture]


def entry_process(*, source: Source, item: FeedItem, fetched_at: datetime) -> EntryOutcome:
    """Import ``item`` of ``source``, update its article, or say why it was left alone.

    Raises on an unexpected failure, after rolling back everything this item wrote.
    """
    original_url = content.original_url_normalize(item.link) or content.original_url_normalize(
        item.guid
    )
    title_hint = item.title or item.link or item.guid
    if not original_url:
        return EntryOutcome(Outcome.SKIPPED, title_hint, "no http(s) link to the original")
    guid = item.guid or original_url
    link = item.link[:500] if content.original_url_normalize(item.link) else ""
    content_hash = content.item_content_hash(item)

    match = Q(guid=guid) | Q(original_url=original_url)
    if link:
        match |= Q(link=link)
    entry = Entry.objects.filter(source=source).filter(match).select_related("article").first()
    if entry is None:
        if Entry.objects.filter(original_url=original_url).exists():
            return EntryOutcome(Outcome.SKIPPED, title_hint, "already imported from another feed")
        return _entry_create(
            source=source,
            item=item,
            guid=guid,
            link=link,
            original_url=original_url,
            content_hash=content_hash,
            fetched_at=fetched_at,
        )
    if content_hash in {entry.content_hash, entry.partner_content_hash}:
        return EntryOutcome(Outcome.SKIPPED, entry.title, "unchanged", entry.pk)
    return _entry_update(source=source, entry=entry, item=item, content_hash=content_hash)


def _prepare(source: Source, item: FeedItem) -> _Prepared:
    outlet = source.outlet
    full_text = source.content == ContentMode.FULL
    pictures: dict[str, DownloadedPicture] = {}
    lead = None
    if source.download_images:
        base = item.base_url or item.link
        fragment = item.content_html if full_text else item.summary_html
        wanted = list(item.image_urls[:1]) + content.images_in(fragment, base_url=base)
        pictures = pictures_download(urls=list(dict.fromkeys(wanted)))
        if item.image_urls:
            lead = pictures.get(item.image_urls[0])
    return _Prepared(
        title=content.article_title(item, outlet_name=outlet.name),
        standfirst=content.article_standfirst(item, full_text=full_text),
        lead_image=lead,
        pictures=pictures,
    )


def _store_pictures(
    prepared: _Prepared, *, title: str, credit: str, new_files: list
) -> tuple[dict[str, str], NewsImage | None]:
    """Store the downloaded pictures; their original address -> the address of our copy."""
    sources: dict[str, str] = {}
    lead_image = None
    for url, picture in prepared.pictures.items():
        image, created = picture_store(picture=picture, title=title, credit=credit)
        if created:
            new_files.append(image.file)
        if picture is prepared.lead_image:
            lead_image = image
        try:
            rendition = image.get_rendition(RENDITION_SPEC)
        except Exception:  # a picture Pillow accepted but cannot resize stays a link
            logger.warning("No rendition of %s; it stays a link", url, exc_info=True)
            continue
        if created:
            new_files.append(rendition.file)
        sources[url] = rendition.url
    return sources, lead_image


def _body(
    source: Source,
    item: FeedItem,
    *,
    original_url: str,
    sources: dict[str, str],
    lead: NewsImage | None,
) -> str:
    return content.body_html(
        item,
        full_text=source.content == ContentMode.FULL,
        outlet_name=source.outlet.name,
        original_url=original_url,
        image_sources=sources,
        lead_image_downloaded=lead is not None,
    )


def _published_at(item: FeedItem, fetched_at: datetime) -> datetime:
    if item.published is None or item.published > fetched_at + FUTURE_DATE_TOLERANCE:
        return fetched_at
    return item.published


def _article_link(item: FeedItem, original_url: str) -> str:
    # A link the article's URL field would refuse (white space in it, say) gives way to
    # its normalized form.
    usable = content.original_url_normalize(item.link) and content.url_is_valid(item.link)
    return item.link if usable and len(item.link) <= 500 else original_url


def partner_author_get_or_create(*, name: str, outlet_name: str) -> Author:
    """The byline for a partner's writer, shared by all their stories from that outlet."""
    return author_get_or_create(name=name, role=outlet_name)


def _slug_fallback(title: str, content_hash: str) -> str | None:
    """None lets Wagtail derive the slug from the title; a title of symbols only gets one."""
    return None if slugify(title, allow_unicode=True) else f"story-{content_hash[:12]}"


def _remove_files(files: list) -> None:
    for file in files:
        try:
            file.storage.delete(file.name)
        except OSError:
            logger.warning("Could not remove %s after a failed import", file.name)


def _entry_create(
    *,
    source: Source,
    item: FeedItem,
    guid: str,
    link: str,
    original_url: str,
    content_hash: str,
    fetched_at: datetime,
) -> EntryOutcome:
    # source_poll (services/sources.py) polls no source without a section.
    assert source.section is not None, "a source without a section was polled"
    section = source.section
    prepared = _prepare(source, item)
    article_link = _article_link(item, original_url)
    new_files: list = []
    try:
        with transaction.atomic():
            sources, lead_image = _store_pictures(
                prepared, title=prepared.title, credit=source.outlet.name, new_files=new_files
            )
            authors = [
                partner_author_get_or_create(name=name, outlet_name=source.outlet.name)
                for name in item.authors
            ]
            article = article_create(
                section=section,
                title=prepared.title,
                standfirst=prepared.standfirst,
                body=[
                    (
                        "html",
                        _body(
                            source,
                            item,
                            original_url=article_link,
                            sources=sources,
                            lead=lead_image,
                        ),
                    )
                ],
                lead_image=lead_image,
                tags=source.tag_list,
                authors=authors,
                outlet=source.outlet,
                original_url=article_link,
                slug=_slug_fallback(prepared.title, content_hash),
                published_at=_published_at(item, fetched_at),
                publish=source.mode == PollMode.PUBLISH,
            )
            entry = Entry.objects.create(
                source=source,
                guid=guid,
                link=link,
                original_url=original_url,
                title=prepared.title,
                content_hash=content_hash,
                article=article,
                imported_revision=article.latest_revision,
                first_seen_at=fetched_at,
                last_seen_at=fetched_at,
            )
    except IntegrityError:
        # Another poll recorded the same story a moment ago: it is imported once.
        _remove_files(new_files)
        return EntryOutcome(Outcome.SKIPPED, prepared.title, "imported by a concurrent poll")
    except BaseException:
        _remove_files(new_files)
        raise
    return EntryOutcome(Outcome.ADDED, prepared.title, entry_id=entry.pk)


def _entry_update(
    *, source: Source, entry: Entry, item: FeedItem, content_hash: str
) -> EntryOutcome:
    """Apply the partner's new version, unless an editor has worked on the article since."""
    now = timezone.now()
    if entry.article_id is None:
        # An editor deleted the article: the story is not brought back.
        Entry.objects.filter(pk=entry.pk).update(content_hash=content_hash, last_seen_at=now)
        return EntryOutcome(Outcome.SKIPPED, entry.title, "its article was deleted", entry.pk)
    article_link = _article_link(item, entry.original_url)
    prepared = _prepare(source, item)
    new_files: list = []
    try:
        with transaction.atomic():
            article = ArticlePage.objects.select_for_update().get(pk=entry.article_id)
            entry = Entry.objects.select_for_update().get(pk=entry.pk)
            edited = article.latest_revision_id != entry.imported_revision_id
            sources, lead_image = _store_pictures(
                prepared, title=prepared.title, credit=source.outlet.name, new_files=new_files
            )
            body = _body(source, item, original_url=article_link, sources=sources, lead=lead_image)
            partner_version = {
                "title": prepared.title,
                "standfirst": prepared.standfirst,
                "body": body,
                "link": article_link,
            }
            if edited:
                entry.partner_changed_at = now
                entry.partner_content_hash = content_hash
                entry.partner_version = {**partner_version, "applied": False}
                entry.last_seen_at = now
                entry.save()
                return EntryOutcome(
                    Outcome.FLAGGED, entry.title, "an editor changed the article", entry.pk
                )
            changes = {
                "title": prepared.title,
                "standfirst": prepared.standfirst,
                "body": [("html", body)],
            }
            if lead_image is not None:
                changes["lead_image"] = lead_image
            applied_live = article.live and source.mode == PollMode.PUBLISH
            revision = article_revise(article=article, changes=changes, publish=applied_live)
            if not applied_live and article.live:
                # A published story from a drafts-only source waits for the editor again.
                entry.partner_changed_at = now
                entry.partner_version = {**partner_version, "applied": True}
            entry.imported_revision = revision
            entry.content_hash = content_hash
            entry.partner_content_hash = ""
            entry.title = prepared.title
            entry.updated_at = now
            entry.last_seen_at = now
            entry.save()
    except BaseException:
        _remove_files(new_files)
        raise
    return EntryOutcome(Outcome.UPDATED, prepared.title, entry_id=entry.pk)
