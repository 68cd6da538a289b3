"""Feeds written by the tests themselves (the real-world ones are the shared fixtures)."""

import io
from dataclasses import dataclass, field
from email.utils import format_datetime
from xml.sax.saxutils import escape

from PIL import Image


@dataclass
class Story:
    guid: str
    title: str = "A partner story"
    link: str = ""
    description: str = "<p>The summary.</p>"
    content: str = ""
    creator: str = ""
    published: object = None  # a datetime, or None for no date
    media: list[str] = field(default_factory=list)


def rss(stories: list[Story], *, title: str = "Partner wire") -> bytes:
    items = []
    for story in stories:
        parts = [
            f"<guid isPermaLink='false'>{escape(story.guid)}</guid>",
            f"<title>{escape(story.title)}</title>",
        ]
        if story.link:
            parts.append(f"<link>{escape(story.link)}</link>")
        if story.description:
            parts.append(f"<description>{escape(story.description)}</description>")
        if story.content:
            parts.append(f"<content:encoded>{escape(story.content)}</content:encoded>")
        if story.creator:
            parts.append(f"<dc:creator>{escape(story.creator)}</dc:creator>")
        if story.published is not None:
            parts.append(f"<pubDate>{format_datetime(story.published)}</pubDate>")
        for url in story.media:
            parts.append(f"<media:content url='{escape(url)}' medium='image' width='900'/>")
        items.append("<item>" + "".join(parts) + "</item>")
    return (
        '<?xml version="1.0" encoding="utf-8"?>'
        '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:media="http://search.yahoo.com/mrss/">'
        f"<channel><title>{escape(title)}</title><link>http://partner.example/</link>"
        "<description>Stories</description>" + "".join(items) + "</channel></rss>"
    ).encode()


def picture_bytes(size=(320, 200), color=(200, 60, 40), image_format="PNG", noise=False) -> bytes:
    picture = Image.new("RGB", size, color)
    if noise:
        picture = Image.effect_noise(size, 100).convert("RGB")
    buffer = io.BytesIO()
    picture.save(buffer, format=image_format)
    return buffer.getvalue()
