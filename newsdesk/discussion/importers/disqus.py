"""Disqus XML exports: ``<disqus>`` with ``<thread dsq:id>`` and ``<post dsq:id>`` elements.

Posts name their thread and parent by ``dsq:id``. A post whose thread is not in the file is
left out (counted as an orphan); a deleted post is kept as deleted, so replies to it keep
their place; a post marked spam is kept as spam.
"""

from datetime import UTC, datetime
from pathlib import Path

from newsdesk.discussion.importers.records import (
    ImportedComment,
    ImportedThread,
    ImportFailed,
    ParsedExport,
)
from newsdesk.discussion.importers.xml import attribute, child, child_text, local, xml_read


def _date(text: str) -> datetime:
    try:
        value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise ImportFailed(f"Unreadable date {text!r} in the Disqus export.") from None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _true(text: str) -> bool:
    return text.strip().lower() == "true"


def disqus_parse(path: Path) -> ParsedExport:
    root = xml_read(path)
    if local(root.tag) != "disqus":
        raise ImportFailed(f"{Path(path).name} is not a Disqus export (no <disqus> root).")
    threads, comments, skipped = {}, [], {}
    for element in root:
        if local(element.tag) == "thread" and attribute(element, "id"):
            thread_id = attribute(element, "id")
            threads[thread_id] = ImportedThread(
                source_id=thread_id,
                url=child_text(element, "link"),
                title=child_text(element, "title"),
                is_closed=_true(child_text(element, "isClosed")),
            )
    for element in root:
        if local(element.tag) != "post":
            continue
        post_id = attribute(element, "id")
        thread_id = attribute(child(element, "thread"), "id")
        if not post_id:
            skipped["posts without an id"] = skipped.get("posts without an id", 0) + 1
            continue
        if thread_id not in threads:
            skipped["orphan posts (thread not in the file)"] = (
                skipped.get("orphan posts (thread not in the file)", 0) + 1
            )
            continue
        author = child(element, "author")
        deleted = _true(child_text(element, "isDeleted"))
        spam = _true(child_text(element, "isSpam"))
        comments.append(
            ImportedComment(
                source_id=post_id,
                thread_source_id=thread_id,
                parent_source_id=attribute(child(element, "parent"), "id"),
                author_name=(child_text(author, "name") or child_text(author, "username"))
                if author is not None
                else "",
                author_email=child_text(author, "email") if author is not None else "",
                created_at=_date(child_text(element, "createdAt")),
                html=child_text(element, "message"),
                status="deleted" if deleted else ("spam" if spam else "published"),
                ip_address=child_text(element, "ipAddress"),
            )
        )
    used = {c.thread_source_id for c in comments}
    return ParsedExport(
        threads=[t for key, t in threads.items() if key in used],
        comments=comments,
        skipped=skipped,
    )
