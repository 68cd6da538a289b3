"""Readers' reports: a reason from the list, once per reader and comment; enough of them
hide a published comment (held) until a moderator reviews it."""

import nh3
from django.db import IntegrityError, transaction

from newsdesk.discussion.models import Comment, CommentStatus
from newsdesk.discussion.readers import Reader
from newsdesk.discussion.services.staff import comment_status_set
from newsdesk.moderation import conf
from newsdesk.moderation.errors import AlreadyDone, InvalidInput, NotAllowed, NotFound
from newsdesk.moderation.models import Decision, DecisionAction, Report, ReportReason
from newsdesk.moderation.selectors import moderation_settings_get


def _text_clean(text: str) -> str:
    # Plain text only: any markup a reader typed is dropped, and templates escape the rest.
    return nh3.clean(text or "", tags=set()).strip()[: conf.REPORT_TEXT_MAX]


def report_create(*, comment_id: int, reader: Reader, reason: str, text: str = "") -> Report:
    """Record ``reader``'s report of a comment they can see; at the editors' number of
    open reports the comment is held (logged as ``report hid``).

    Raises InvalidInput for a reason not in the list, NotFound for a comment that does not
    exist or is not public, NotAllowed for one's own comment or a reader with no identity,
    AlreadyDone for a second report by the same reader. Nothing is written then.
    """
    if reason not in ReportReason.values:
        raise InvalidInput(
            f"Choose a reason from the list: {', '.join(ReportReason.values)}.", field="reason"
        )
    if not reader.voter_key:
        raise NotAllowed("Reports need the site's cookie: enable cookies and try again.")
    text = _text_clean(text)
    if reason == ReportReason.OTHER and not text:
        raise InvalidInput("Say in a few words what is wrong with the comment.", field="text")
    with transaction.atomic():
        comment = Comment.objects.select_for_update().filter(pk=comment_id).first()
        if comment is None or not comment.is_public:
            raise NotFound("There is no such comment to report.")
        if reader.wrote(comment):
            raise NotAllowed("You cannot report your own comment.")
        try:
            with transaction.atomic():
                report = Report.objects.create(
                    comment=comment,
                    reporter_key=reader.voter_key,
                    user=reader.user,
                    reason=reason,
                    text=text,
                )
        except IntegrityError:
            raise AlreadyDone("You have already reported this comment.") from None
        open_reports = Report.objects.filter(comment=comment, resolved_at__isnull=True)
        threshold = moderation_settings_get().reports_to_hide
        count = open_reports.count()
        if count >= threshold:
            reasons = sorted(set(open_reports.values_list("reason", flat=True)))
            words = f"hidden after {count} reports ({', '.join(reasons)}) until reviewed"
            comment_status_set(comment=comment, status=CommentStatus.HELD, reason=words)
            Decision.objects.create(
                comment=comment,
                action=DecisionAction.REPORT_HID,
                reasons=[words],
                previous_status=CommentStatus.PUBLISHED,
                previous_shadowed=comment.is_shadowed,
                new_status=CommentStatus.HELD,
            )
        return report
