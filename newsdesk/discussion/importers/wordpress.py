"""WordPress WXR exports (1.0 to 1.2, ``http`` or ``https`` namespace).

Each ``<item>`` with comments becomes a thread (keyed by its ``wp:post_id``, or its link); its
``<wp:comment>`` elements keep their ``comment_parent``. Comment ids are keyed with the post
id, since trimmed exports reuse them across posts. Pingbacks and trackbacks are not reader
comments and are left out; unapproved comments come in held, spam as spam, trash deleted.
Dates are ``comment_date_gmt`` (UTC), else ``comment_date`` in the site's time zone.
"""

import re
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from django.conf import settings

from newsdesk.discussion.importers.records import (
    ImportedComment,
    ImportedThread,
    ImportFailed,
    ParsedExport,
)
from newsdesk.discussion.importers.xml import child_text, local, xml_read

WP_NAMESPACE = re.compile(r"^\{https?://wordpress\.org/export/\d+\.\d+/\}")
STATUS_OF_APPROVED = {"1": "published", "0": "held", "spam": "spam", "trash": "deleted"}


def _date(gmt: str, local_time: str) -> datetime | None:
    for text, zone in ((gmt, UTC), (local_time, ZoneInfo(settings.TIME_ZONE))):
        text = (text or "").strip()
        if not text or text.startswith("0000"):
            continue
        try:
            return datetime.strptime(text, "%Y-%m-%d %H:%M:%S").replace(tzinfo=zone)
        except ValueError:
            raise ImportFailed(f"Unreadable date {text!r} in the WordPress export.") from None
    return None


def _wp(element, name: str) -> str:
    """The text of the child ``wp:NAME`` (whatever the WXR version's namespace)."""
    for item in element:
        if WP_NAMESPACE.match(item.tag) and local(item.tag) == name:
            return (item.text or "").strip()
    return ""


def wordpress_parse(path: Path) -> ParsedExport:
    root = xml_read(path)
    channel = root.find("channel")
    if local(root.tag) != "rss" or channel is None:
        raise ImportFailed(f"{Path(path).name} is not a WordPress export (no <rss><channel>).")
    threads, comments, skipped = [], [], {}
    for item in channel.findall("item"):
        post_key = _wp(item, "post_id") or child_text(item, "link")
        if not post_key:
            continue
        post_date = _date(_wp(item, "post_date_gmt"), _wp(item, "post_date"))
        found = []
        for element in item:
            if not (WP_NAMESPACE.match(element.tag) and local(element.tag) == "comment"):
                continue
            kind = _wp(element, "comment_type")
            if kind in ("pingback", "trackback"):
                skipped[f"{kind}s"] = skipped.get(f"{kind}s", 0) + 1
                continue
            comment_id = _wp(element, "comment_id")
            parent_id = _wp(element, "comment_parent")
            created = _date(_wp(element, "comment_date_gmt"), _wp(element, "comment_date"))
            found.append(
                ImportedComment(
                    source_id=f"{post_key}:{comment_id}",
                    thread_source_id=post_key,
                    parent_source_id=f"{post_key}:{parent_id}"
                    if parent_id and parent_id != "0"
                    else "",
                    author_name=_wp(element, "comment_author"),
                    author_email=_wp(element, "comment_author_email"),
                    created_at=created or post_date or datetime.now(UTC),
                    html=_wp(element, "comment_content"),
                    status=STATUS_OF_APPROVED.get(_wp(element, "comment_approved"), "held"),
                    ip_address=_wp(element, "comment_author_IP"),
                )
            )
        if found:
            threads.append(
                ImportedThread(
                    source_id=post_key,
                    url=child_text(item, "link"),
                    title=child_text(item, "title"),
                    is_closed=_wp(item, "comment_status") == "closed",
                )
            )
            comments.extend(found)
    return ParsedExport(threads=threads, comments=comments, skipped=skipped)
