"""Store what a Disqus or WordPress export holds, once: importing a file twice adds nothing.

Threads are matched to articles by URL: the article whose address on this site has the same
path, or whose ``original_url`` (a republished story) is that URL. A thread no article
matches is still created, without an article, keeping its URL and title: staff can attach
it to an article later (Django admin, the thread's ``article`` field), and its comments then
appear there. Each thread and comment stores its source id under a unique constraint, so a
second import finds them and skips them.
"""

import ipaddress
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.db import transaction

from newsdesk.articles.models import ArticlePage
from newsdesk.discussion.changes import article_discussion_changed
from newsdesk.discussion.importers.records import ImportedComment, ParsedExport
from newsdesk.discussion.models import BodyFormat, Comment, Thread, body_digest
from newsdesk.discussion.rendering import imported_html_clean

# The depth column is a small integer; deeper replies keep this depth (they are shown
# flattened far above it anyway), as comment_create does.
DEPTH_MAX = 32_000


@dataclass
class ImportReport:
    threads_created: int = 0
    threads_matched_to_articles: int = 0
    comments_created: int = 0
    comments_already_there: int = 0
    replies_without_parent: int = 0
    skipped: dict[str, int] = field(default_factory=dict)

    def lines(self) -> list[str]:
        out = [
            f"threads created: {self.threads_created} "
            f"({self.threads_matched_to_articles} matched to articles)",
            f"comments created: {self.comments_created}",
            f"comments already imported: {self.comments_already_there}",
        ]
        if self.replies_without_parent:
            out.append(
                f"replies whose parent is missing, kept top-level: {self.replies_without_parent}"
            )
        out += [f"left out, {why}: {count}" for why, count in self.skipped.items()]
        return out


def article_for_url(url: str) -> ArticlePage | None:
    """The live article at ``url`` on this site (by path), or republished from ``url``."""
    if not url:
        return None
    republished = ArticlePage.objects.filter(original_url=url).first()
    if republished is not None:
        return republished
    path = urlsplit(url).path or "/"
    if not path.endswith("/"):
        path += "/"
    slug = path.rstrip("/").rsplit("/", 1)[-1]
    if not slug:
        return None
    for candidate in ArticlePage.objects.filter(slug=slug):
        parts = candidate.get_url_parts()
        if parts and parts[2] == path:
            return candidate
    return None


def _ip(text: str) -> str | None:
    text = text.strip()
    try:
        return str(ipaddress.ip_address(text))
    except ValueError:
        return None


def _depth_order(comments: list[ImportedComment]) -> list[ImportedComment]:
    """Parents before their replies, whatever order the file lists them in."""
    by_id = {c.source_id: c for c in comments}
    depth: dict[str, int] = {}

    def depth_of(comment: ImportedComment) -> int:
        seen: set[str] = set()
        chain: list[ImportedComment] = []
        current: ImportedComment | None = comment
        while current is not None and current.source_id not in depth:
            if current.source_id in seen:  # a loop of parents: treat as top-level
                break
            seen.add(current.source_id)
            chain.append(current)
            current = by_id.get(current.parent_source_id)
        base = depth.get(current.source_id, 0) if current is not None else 0
        for item in reversed(chain):
            base += 1
            depth[item.source_id] = base
        return depth[comment.source_id]

    return sorted(comments, key=lambda c: (depth_of(c), c.created_at, c.source_id))


def comments_import(*, source: str, export: ParsedExport) -> ImportReport:
    """Store the export's threads and comments in one transaction; return what happened."""
    report = ImportReport(skipped=dict(export.skipped))
    changed_article_ids: set[int | None] = set()
    with transaction.atomic():
        threads: dict[str, Thread] = {
            t.source_id: t
            for t in Thread.objects.filter(
                source=source, source_id__in=[t.source_id for t in export.threads]
            )
        }
        for thread_record in export.threads:
            if thread_record.source_id in threads:
                continue
            article = article_for_url(thread_record.url)
            thread = Thread.objects.filter(article=article).first() if article else None
            if thread is None:
                thread = Thread.objects.create(
                    article=article,
                    title=(thread_record.title or (article.title if article else ""))[:300],
                    url=thread_record.url[:500],
                    is_closed=thread_record.is_closed,
                    source=source,
                    source_id=thread_record.source_id,
                )
                report.threads_created += 1
                report.threads_matched_to_articles += article is not None
            threads[thread_record.source_id] = thread

        existing: dict[str, Comment] = {
            c.source_id: c
            for c in Comment.objects.filter(
                source=source, source_id__in=[c.source_id for c in export.comments]
            )
        }
        for record in _depth_order(export.comments):
            if record.source_id in existing:
                report.comments_already_there += 1
                continue
            thread = threads[record.thread_source_id]
            parent = existing.get(record.parent_source_id) if record.parent_source_id else None
            if record.parent_source_id and parent is None:
                report.replies_without_parent += 1
            if parent is not None and parent.thread_id != thread.pk:
                parent = None
            comment = Comment.objects.create(
                thread=thread,
                parent=parent,
                root_id=parent.root_key if parent else None,
                depth=min(parent.depth + 1, DEPTH_MAX) if parent else 1,
                guest_name=(record.author_name or "Anonymous")[:80],
                guest_email=record.author_email[:254] if "@" in record.author_email else "",
                body_source=record.html,
                body_digest=body_digest(record.html),
                body_format=BodyFormat.HTML,
                body_html=imported_html_clean(record.html),
                status=record.status,
                created_at=record.created_at,
                ip_address=_ip(record.ip_address),
                source=source,
                source_id=record.source_id[:300],
            )
            existing[record.source_id] = comment
            report.comments_created += 1
            if comment.is_public:
                changed_article_ids.add(thread.article_id)
        # Pages that show the imported comments are outdated with the import's commit.
        article_discussion_changed(article_ids=changed_article_ids)
    return report
