"""A year of moderation history for the moderators' activity screen (issue 22, item 6):
Admin → Comment queue → Activity shows its charts by day, week and month.

Every day of the last 13 months gets what a small newsroom's comment gate and moderators do:
comments published by the gate, some held and approved by a moderator after a wait (minutes
to a day and a half), some held after readers' reports, rejected by the gate, marked as spam
or removed by a moderator, and readers' reports resolved. Held-then-approved decisions are
on the demo's published comments (so each stays as it is: its log says "held, then
approved"); rejections and removals are of comments since erased (no comment, as the log
keeps them when a comment is deleted), so no demo comment or commenter's standing changes.
Nothing teaches the learned model (no label). Idempotent: once its reports exist, it adds
nothing; a fixed seed makes the history the same on every fresh demo.
"""

import random
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from newsdesk.demo.appeals import _moderator
from newsdesk.discussion.selectors import CommentStatus
from newsdesk.discussion.selectors_staff import comments_for_staff
from newsdesk.moderation.models import Decision, DecisionAction, Report

DAYS = 400
REPORTER = "demo-activity:"  # the demo reports' reporter keys (never a reader's)
SEED = 22
PUB, HELD, REJ, SPAM = (
    CommentStatus.PUBLISHED,
    CommentStatus.HELD,
    CommentStatus.REJECTED,
    CommentStatus.SPAM,
)


def _history(*, comments: list, moderator, now) -> tuple[list[Decision], list[Report]]:
    """The decisions and reports of ``DAYS`` days before ``now``, their times set (they are
    saved as made now and moved into the past after)."""
    rng = random.Random(SEED)  # noqa: S311 - demo data, the same on every run
    decisions: list[Decision] = []
    reports: list[Report] = []
    by = f"by {moderator.get_username()} (demo history)"

    def add(action, when, *, comment=None, actor=None, previous="", new="", reason=""):
        decision = Decision(
            comment=comment,
            action=action,
            actor=actor,
            previous_status=previous,
            new_status=new,
            reasons=[reason] if reason else [],
        )
        decision.demo_when = when  # type: ignore[attr-defined]
        decisions.append(decision)

    for back in range(DAYS, 0, -1):
        day = now - timedelta(days=back)
        busier = 1.0 + 0.6 * (back < 120)  # the site grew: more comments lately
        for _ in range(int(rng.randint(4, 12) * busier)):
            add(DecisionAction.PUBLISHED, day + timedelta(minutes=rng.randint(0, 1400)), new=PUB)
        for _ in range(rng.randint(0, 3)):
            comment = rng.choice(comments)
            held_at = day + timedelta(minutes=rng.randint(0, 1400))
            # Most are seen within hours; weekends and nights leave some for a day or more.
            waited = timedelta(minutes=int(rng.lognormvariate(5.3, 1.0)))
            action = DecisionAction.REPORT_HID if rng.random() < 0.2 else DecisionAction.HELD
            add(action, held_at, comment=comment, new=HELD, reason="demo history")
            add(
                DecisionAction.APPROVED,
                min(held_at + waited, now),
                comment=comment,
                actor=moderator,
                previous=HELD,
                new=PUB,
                reason=f"Approved {by}",
            )
        if rng.random() < 0.5:
            add(DecisionAction.REJECTED_AUTO, day + timedelta(hours=rng.randint(0, 23)), new=REJ)
        # A held comment marked as spam, a published one removed: comments since erased.
        for chance, action, previous, new, verb in (
            (0.25, DecisionAction.SPAM, HELD, SPAM, "Marked as spam"),
            (0.1, DecisionAction.REJECTED, PUB, REJ, "Rejected"),
        ):
            if rng.random() < chance:
                when = day + timedelta(hours=rng.randint(8, 22))
                add(
                    action, when, actor=moderator, previous=previous, new=new, reason=f"{verb} {by}"
                )
        for _ in range(rng.randint(0, 2)):
            made = day + timedelta(minutes=rng.randint(0, 1400))
            report = Report(
                comment=rng.choice(comments),
                reporter_key=f"{REPORTER}{len(reports)}",
                reason=rng.choice(["spam", "abuse", "off_topic"]),
                resolved_at=min(made + timedelta(minutes=int(rng.lognormvariate(5.8, 1.1))), now),
            )
            report.demo_when = made  # type: ignore[attr-defined]
            reports.append(report)
    return decisions, reports


def load(*, stdout) -> None:
    if Report.objects.filter(reporter_key=f"{REPORTER}0").exists():
        return
    comments = list(comments_for_staff(status=CommentStatus.PUBLISHED)[:40])
    if not comments:
        return
    now = timezone.now()
    decisions, reports = _history(comments=comments, moderator=_moderator(), now=now)
    with transaction.atomic():
        # created_at is set on saving (auto_now_add): the past is written after.
        Decision.objects.bulk_create(decisions, batch_size=500)
        Report.objects.bulk_create(reports, batch_size=500)
        for row in (*decisions, *reports):
            row.created_at = row.demo_when  # type: ignore[union-attr]
        Decision.objects.bulk_update(decisions, ["created_at"], batch_size=500)
        Report.objects.bulk_update(reports, ["created_at"], batch_size=500)
    stdout.write(
        f"Moderation activity: {len(decisions)} decisions and {len(reports)} reports "
        f"over {DAYS} days."
    )
