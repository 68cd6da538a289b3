"""Readers' reports: a reason from the list, once per reader and comment. Every report puts
the comment in the moderators' queue; reports hide a published comment (held until a
moderator reviews it) only by their reporters' standing: a guest token or a fresh cookie is
free to mint, so a guest's report weighs nothing (``selectors.reporter_weight``), and the
reports of one network count once."""

import nh3
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from newsdesk.discussion.networks import network_key
from newsdesk.discussion.pipeline import reader_refusal
from newsdesk.discussion.readers import Reader
from newsdesk.discussion.selectors import CommentStatus, comment_for_reader
from newsdesk.discussion.services.staff import comment_lock, comment_status_set
from newsdesk.moderation import conf
from newsdesk.moderation.errors import AlreadyDone, InvalidInput, NotAllowed, NotFound
from newsdesk.moderation.models import Decision, DecisionAction, Report, ReportReason
from newsdesk.moderation.selectors import moderation_settings_get, reporter_weight


def _text_clean(text: str) -> str:
    # Plain text only: any markup a reader typed is dropped, and templates escape the rest.
    return nh3.clean(text or "", tags=set()).strip()[: conf.REPORT_TEXT_MAX]


def _standing(open_reports: "QuerySet[Report]") -> tuple[float, int, list[str]]:
    """The weight of a comment's open reports, each network counted once by its heaviest
    report (a report with no known network stands alone), with how many reports weigh
    something and their reasons."""
    heaviest: dict[str, float] = {}
    weighed, reasons = 0, set[str]()
    for pk, weight, network, reason in open_reports.values_list(
        "pk", "weight", "network_key", "reason"
    ):
        if weight <= 0:
            continue
        weighed += 1
        reasons.add(reason)
        key = network or f"report:{pk}"
        heaviest[key] = max(heaviest.get(key, 0.0), weight)
    return sum(heaviest.values()), weighed, sorted(reasons)


def report_create(*, comment_id: int, reader: Reader, reason: str, text: str = "") -> Report:
    """Record ``reader``'s report of a comment they can see (published, on a live public
    article: ``discussion.selectors.comment_for_reader``). The comment joins the queue; when
    its open reports weigh the editors' ``reports_to_hide`` (``_standing``) it is held and
    the hide is logged as ``report hid``.

    Raises InvalidInput for a reason not in the list, NotFound for a comment that does not
    exist or is not public, NotAllowed for one's own comment, a reader with no identity or a
    banned reader, AlreadyDone for a second report by the same reader. Nothing is written then.
    """
    if reason not in ReportReason.values:
        raise InvalidInput(
            _("Choose a reason from the list: %(reasons)s.")
            % {"reasons": ", ".join(ReportReason.values)},
            field="reason",
        )
    if not reader.voter_key:
        raise NotAllowed(_("Reports need the site's cookie: enable cookies and try again."))
    text = _text_clean(text)
    if reason == ReportReason.OTHER and not text:
        raise InvalidInput(_("Say in a few words what is wrong with the comment."), field="text")
    refusal = reader_refusal(reader=reader)  # a banned reader (``wagtail_hooks``)
    if refusal:
        raise NotAllowed(refusal)
    visible = comment_for_reader(comment_id=comment_id, reader=reader)
    if visible is None or not visible.is_public:
        raise NotFound(_("There is no such comment to report."))
    weight = reporter_weight(reader=reader)
    with transaction.atomic():
        comment = comment_lock(comment_id=visible.pk)
        if comment is None or not comment.is_public:
            raise NotFound(_("There is no such comment to report."))
        if reader.wrote(comment):
            raise NotAllowed(_("You cannot report your own comment."))
        try:
            with transaction.atomic():
                report = Report.objects.create(
                    comment=comment,
                    reporter_key=reader.voter_key,
                    user=reader.user,
                    reason=reason,
                    text=text,
                    weight=weight,
                    network_key=network_key(reader.ip_address),
                )
        except IntegrityError:
            raise AlreadyDone(_("You have already reported this comment.")) from None
        if weight <= 0:
            return report  # queued for review; a weightless report hides nothing
        open_reports = Report.objects.filter(comment=comment, resolved_at__isnull=True)
        standing, count, reasons = _standing(open_reports)
        if standing >= moderation_settings_get().reports_to_hide:
            words = (
                f"hidden after {count} reports ({', '.join(reasons)}) from readers in good "
                "standing, until reviewed"
            )
            comment_status_set(comment=comment, status=CommentStatus.HELD, reason=words)
            Decision.objects.create(
                comment=comment,
                action=DecisionAction.REPORT_HID,
                reasons=[words],
                previous_status=CommentStatus.PUBLISHED,
                previous_shadowed=comment.is_shadowed,
                new_status=CommentStatus.HELD,
                reason_code="reports",
            )
        return report
