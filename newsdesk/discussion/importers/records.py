"""What a parser hands to the import service: threads and comments, as plain values."""

from dataclasses import dataclass
from datetime import datetime


class ImportFailed(ValueError):
    """The file cannot be imported; the message says why, for the person running it."""


@dataclass(frozen=True)
class ImportedThread:
    source_id: str
    url: str = ""
    title: str = ""
    is_closed: bool = False


@dataclass(frozen=True)
class ImportedComment:
    """``status`` is one of ``CommentStatus``; ``html`` is the comment as the source stored it."""

    source_id: str
    thread_source_id: str
    parent_source_id: str
    author_name: str
    author_email: str
    created_at: datetime
    html: str
    status: str
    ip_address: str = ""


@dataclass
class ParsedExport:
    threads: list[ImportedThread]
    comments: list[ImportedComment]
    skipped: dict[str, int]  # why -> how many, for what the parser left out
