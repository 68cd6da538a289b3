"""Item 7 of issue 22, the statement of reasons: every path that holds, rejects or removes a
comment records a reason code tied to the rule or signal that decided, in plain words for
its author and never with a score; a decision that publishes records none."""

import re
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.utils import timezone

from newsdesk.discussion.models import CommentStatus
from newsdesk.discussion.readers import Reader
from newsdesk.moderation.errors import InvalidInput
from newsdesk.moderation.models import Decision, DecisionAction, ModerationSettings
from newsdesk.moderation.policy import CommenterStanding, Policy, SignalPolicy, assessment_decide
from newsdesk.moderation.reasons import (
    REASONS,
    reason_code_for_decision,
    reason_text,
)
from newsdesk.moderation.services import ban_from_comment, comment_moderate, report_create
from newsdesk.moderation.signals import SIGNAL_NAMES, SignalResult

from .conftest import SPAM, guest_reader, post, user_in

pytestmark = pytest.mark.django_db
FIGURES = re.compile(r"\d\.\d")


def _policy(**changes) -> Policy:
    signals = {name: SignalPolicy(hold=0.5, reject=1.0, severe=False) for name in SIGNAL_NAMES}
    signals.update(changes.pop("signals", {}))
    return Policy(signals=signals, **changes)


def _results(**scores) -> list[SignalResult]:
    return [SignalResult(name, scores.get(name, 0.0), f"{name} reason") for name in SIGNAL_NAMES]


MEMBER = CommenterStanding(signed_in=True)
SEVERE_HATE = {"hate": SignalPolicy(hold=0.5, reject=1.0, severe=True)}
CASES = {
    "hate, severe": (dict(results=_results(hate=0.8), policy=_policy(signals=SEVERE_HATE)), "hate"),
    "abuse": (dict(results=_results(abuse=0.8), policy=_policy()), "abuse"),
    "spam": (dict(results=_results(spam=0.8), policy=_policy()), "spam"),
    "offensive": (dict(results=_results(offensive=0.8), policy=_policy()), "offensive"),
    "learned": (dict(results=_results(learned=0.8), policy=_policy()), "model"),
    "meaning": (dict(results=_results(semantic=0.8), policy=_policy()), "model"),
    "combined": (dict(results=_results(combined=0.8), policy=_policy()), "model"),
    "abuse rejected": (
        dict(
            results=_results(abuse=0.95),
            policy=_policy(signals={"abuse": SignalPolicy(hold=0.5, reject=0.9, severe=False)}),
        ),
        "abuse",
    ),
    "rejected too often": (
        dict(
            results=_results(),
            policy=_policy(),
            standing=CommenterStanding(signed_in=True, rejected=3, decided=4, written=4),
        ),
        "rejected_often",
    ),
    "a guest's first comment": (
        dict(results=_results(), policy=_policy(hold_first_comments=2), standing=None),
        "first_comments",
    ),
    "an account's first comment": (
        dict(results=_results(), policy=_policy(hold_first_comments=2), standing=MEMBER),
        "first_comments",
    ),
    "a link from a new commenter": (
        dict(results=_results(), policy=_policy(), standing=MEMBER, has_link=True),
        "links_new",
    ),
    "pre-moderation": (
        dict(results=_results(), policy=_policy(premoderation=True), standing=MEMBER),
        "premoderation",
    ),
}


@pytest.mark.parametrize("case", list(CASES))
def test_every_rule_of_the_gate_that_holds_or_rejects_has_its_reason(case):
    arguments, code = CASES[case]
    if arguments.get("standing", MEMBER) is None:
        arguments = {**arguments, "standing": CommenterStanding()}
    decision = assessment_decide(**arguments).reasons[0]
    assert decision.startswith(("held", "rejected")), decision
    assert reason_code_for_decision(decision) == code, decision
    assert not FIGURES.search(reason_text(code))


def test_a_decision_that_publishes_has_no_reason_and_a_shadow_ban_tells_nothing():
    published = assessment_decide(results=_results(), policy=_policy(), standing=MEMBER)
    assert reason_code_for_decision(published.reasons[0]) == ""
    assert reason_code_for_decision("shadowed: the author is under a shadow ban (account)") == ""
    assert reason_code_for_decision("rejected: the author is banned (account, ban 4)") == "banned"


def test_no_reason_shows_a_score_and_rules_cite_the_guidelines():
    for code, reason in REASONS.items():
        assert not FIGURES.search(reason.text), code
    assert "rule 2 of the community guidelines" in reason_text("abuse")
    assert reason_text("no-longer-listed") == REASONS["mod_other"].text
    assert reason_text("") == ""


def test_the_gate_records_the_reason_of_what_it_holds_and_none_for_what_it_publishes(
    article, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        fine = post(article, guest_reader())
        spam = post(article, guest_reader("192.0.2.11"), SPAM)
    assert Decision.objects.get(comment=fine).reason_code == ""
    held = Decision.objects.get(comment=spam)
    assert held.action == DecisionAction.HELD
    assert held.reason_code in {"spam", "links_new"}


def test_a_moderator_rejection_records_the_chosen_reason_and_note_or_its_label(article, moderator):
    first, second, third = (post(article, guest_reader(f"192.0.2.{n}"), SPAM) for n in (1, 2, 3))
    chosen = comment_moderate(
        comment_id=first.pk, action="reject", actor=moderator, reason="mod_private", note="a phone"
    )
    labelled = comment_moderate(
        comment_id=second.pk, action="reject", actor=moderator, label="abuse"
    )
    spam = comment_moderate(comment_id=third.pk, action="spam", actor=moderator)
    assert (chosen.reason_code, chosen.reason_note) == ("mod_private", "a phone")
    assert labelled.reason_code == "mod_abuse" and spam.reason_code == "mod_spam"
    approved = comment_moderate(comment_id=first.pk, action="approve", actor=moderator)
    assert approved.reason_code == ""


def test_an_unknown_moderator_reason_is_refused_and_changes_nothing(article, moderator):
    comment = post(article, guest_reader(), SPAM)
    before = Decision.objects.count()
    with pytest.raises(InvalidInput, match="Unknown reason"):
        comment_moderate(comment_id=comment.pk, action="reject", actor=moderator, reason="bogus")
    comment.refresh_from_db()
    assert comment.status == CommentStatus.HELD and Decision.objects.count() == before


def test_removal_after_reports_records_the_reports_reason(article):
    settings = ModerationSettings.load()
    settings.reports_to_hide = 1
    settings.save()
    comment = post(article, guest_reader(), "The council's figures do not add up, as I read them.")
    assert comment.status == CommentStatus.PUBLISHED
    user = user_in(None, "established")
    user.date_joined = timezone.now() - timedelta(days=60)
    user.save(update_fields=["date_joined"])
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    reader = Reader(user=user, ip_address="198.51.100.20")
    post(article, reader, "A thought of my own on the budget, with figures I checked.")
    report_create(comment_id=comment.pk, reader=reader, reason="abuse")
    hid = Decision.objects.get(comment=comment, action=DecisionAction.REPORT_HID)
    assert hid.reason_code == "reports"


def test_a_moderator_removal_and_a_ban_record_their_reasons(article, moderator):
    comment = post(article, guest_reader(), "The council's figures do not add up, as I read them.")
    removed = comment_moderate(
        comment_id=comment.pk, action="reject", actor=moderator, reason="mod_off_topic"
    )
    assert (removed.previous_status, removed.reason_code) == ("published", "mod_off_topic")
    other = post(article, guest_reader("192.0.2.44"), "Another plain remark on the bridge works.")
    banned = ban_from_comment(comment_id=other.pk, actor=moderator)
    assert banned.reason_code == "banned"
