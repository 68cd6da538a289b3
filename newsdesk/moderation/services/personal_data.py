"""A reader's personal data in moderation, for the privacy page: their reports.

``accounts`` orchestrates a reader's download and erasure and asks each app for its part;
this module is the only place that reads or changes moderation's rows for it. Counting and
exporting only read; they sit beside the erasure so the three cover the same records.
"""

from typing import TYPE_CHECKING, Any

from django.db.models import CharField, Value
from django.db.models.functions import Cast, Concat
from django.http import HttpRequest

from newsdesk.discussion.services.personal_data import article_fields, when_iso
from newsdesk.moderation.models import Report

if TYPE_CHECKING:
    from django.contrib.auth.models import User


def reporter_reports_count(*, user: "User") -> int:
    """How many reports the reader made (one query)."""
    return Report.objects.filter(user=user).count()


def reporter_reports_export(
    *, user: "User", request: HttpRequest | None = None
) -> list[dict[str, Any]]:
    """The reader's reports, naming the comment (never its author or text); one query."""
    reports = Report.objects.filter(user=user).select_related("comment__thread__article")
    return [
        {
            "comment_id": r.comment_id,
            **article_fields(r.comment.thread.article, request),
            "reason": r.reason,
            "text": r.text,
            "created_at": when_iso(r.created_at),
            "resolved_at": when_iso(r.resolved_at),
        }
        for r in reports
    ]


def reporter_reports_detach(*, user: "User") -> int:
    """Unlink the reader's reports from their account (an erasure): each stays, with its
    weight, under a key of its own that leads back to nobody; return how many."""
    return Report.objects.filter(user=user).update(
        user=None, reporter_key=Concat(Value("erased:"), Cast("pk", CharField()))
    )
