"""A reader's personal data in moderation, for the privacy page: their reports and appeals,
and (erasure only) the moderators' notes about them.

``accounts`` orchestrates a reader's download and erasure and asks each app for its part;
this module is the only place that reads or changes moderation's rows for it. Counting and
exporting only read; they sit beside the erasure so the three cover the same records.
"""

from typing import TYPE_CHECKING, Any

from django.db.models import CharField, Q, Value
from django.db.models.functions import Cast, Concat
from django.http import HttpRequest

from newsdesk.discussion.services.personal_data import article_fields, when_iso
from newsdesk.moderation.models import Report
from newsdesk.moderation.models_appeals import Appeal
from newsdesk.moderation.models_notes import CommenterNote, WatchEntry

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


def appellant_appeals_export(
    *, user: "User", request: HttpRequest | None = None
) -> list[dict[str, Any]]:
    """The reader's appeals with their outcome (the moderator's note, never who decided);
    one query."""
    appeals = (
        Appeal.objects.filter(user=user)
        .select_related("comment__thread__article")
        .order_by("created_at", "pk")
    )
    return [
        {
            "comment_id": a.comment_id,
            **article_fields(a.comment.thread.article, request),
            "message": a.message,
            "created_at": when_iso(a.created_at),
            "state": a.state,
            "decided_at": when_iso(a.decided_at),
            "note": a.note,
        }
        for a in appeals
    ]


APPEAL_MESSAGE_ERASED = "(erased with the reader's account)"


def appellant_appeals_erase(*, user: "User") -> int:
    """An erasure: the reader's appeal messages are replaced and unlinked from the account;
    the appeals stay, with their outcome, for the moderation log and the transparency
    figures. Return how many."""
    return Appeal.objects.filter(user=user).update(user=None, message=APPEAL_MESSAGE_ERASED)


def commenter_notes_erase(*, user: "User", emails: list[str]) -> int:
    """An erasure: the moderators' notes about the reader and their watch-list entries go,
    those about their account and those about the guest comments they wrote with one of
    ``emails`` (whose addresses discussion erases in the same transaction). Return how many
    notes.

    Not in the reader's download (``accounts.selectors``): the notes are the moderators'
    working record, may name other readers (who reported, who was targeted) and stay
    internal; a reader who asks for them under the GDPR's right of access is answered by
    the operator, who can read them in the admin (the commenter's history page)."""
    keys = [f"account:{user.pk}", *(f"email:{email.strip().lower()}" for email in emails)]
    notes, _ = CommenterNote.objects.filter(Q(user=user) | Q(commenter_key__in=keys)).delete()
    WatchEntry.objects.filter(Q(user=user) | Q(commenter_key__in=keys)).delete()
    return notes
