"""The policy: thresholds from the editors' settings, pre-moderation, trusted commenters."""

import pytest

from newsdesk.discussion.pipeline import Verdict
from newsdesk.moderation.models import ModerationSettings
from newsdesk.moderation.policy import Policy, SignalPolicy, assessment_decide
from newsdesk.moderation.scoring import comment_candidate_assess
from newsdesk.moderation.signals import SIGNAL_NAMES, SignalResult

from .conftest import candidate

pytestmark = pytest.mark.django_db

INSULT = "You are a clueless idiot."
PLAIN = "The bridge reopens on Monday after the repairs."


def policy(**changes) -> Policy:
    signals = {name: SignalPolicy(hold=0.5, reject=1.0, severe=False) for name in SIGNAL_NAMES}
    signals.update(changes.pop("signals", {}))
    return Policy(signals=signals, **changes)


def results(**scores) -> list[SignalResult]:
    return [SignalResult(name, scores.get(name, 0.0), f"{name} reason") for name in SIGNAL_NAMES]


def test_each_signal_score_and_reason_is_recorded_whatever_the_verdict():
    assessment = assessment_decide(results=results(spam=0.2), policy=policy())
    assert assessment.verdict == Verdict.PUBLISH
    assert set(assessment.scores) == set(SIGNAL_NAMES)
    assert assessment.scores["spam"] == 0.2
    assert any("spam reason" in reason for reason in assessment.reasons)


def test_hold_and_reject_thresholds():
    strict = policy(signals={"abuse": SignalPolicy(hold=0.5, reject=0.9, severe=False)})
    assert assessment_decide(results=results(abuse=0.49), policy=strict).verdict == Verdict.PUBLISH
    assert assessment_decide(results=results(abuse=0.5), policy=strict).verdict == Verdict.HOLD
    rejected = assessment_decide(results=results(abuse=0.95), policy=strict)
    assert rejected.verdict == Verdict.REJECT
    assert rejected.reasons[0].startswith("rejected: abuse aimed at people 0.95")


def test_premoderation_holds_every_comment():
    assessment = assessment_decide(results=results(), policy=policy(premoderation=True))
    assert assessment.verdict == Verdict.HOLD
    assert "pre-moderation" in assessment.reasons[0]


def test_trusted_commenters_skip_holds_and_premoderation_but_not_severe_signals():
    rules = policy(
        premoderation=True,
        trusted_after=3,
        signals={"hate": SignalPolicy(hold=0.5, reject=1.0, severe=True)},
    )
    assert assessment_decide(results=results(), policy=rules, approved_count=2).verdict == (
        Verdict.HOLD
    )
    trusted = assessment_decide(results=results(abuse=0.7), policy=rules, approved_count=3)
    assert trusted.verdict == Verdict.PUBLISH
    assert "trusted commenter (3 approved comments)" in trusted.reasons[0]
    severe_setting = assessment_decide(results=results(hate=0.7), policy=rules, approved_count=50)
    assert severe_setting.verdict == Verdict.HOLD
    bot = [SignalResult("spam", 0.9, "a bot", severe=True)]
    assert assessment_decide(results=bot, policy=rules, approved_count=50).verdict == Verdict.HOLD


def test_trust_does_not_lift_a_rejection():
    rules = policy(signals={"spam": SignalPolicy(hold=0.5, reject=0.9, severe=False)})
    verdict = assessment_decide(results=results(spam=0.95), policy=rules, approved_count=99)
    assert verdict.verdict == Verdict.REJECT


def test_nobody_is_trusted_when_the_setting_is_zero():
    rules = policy(trusted_after=0)
    assessment = assessment_decide(results=results(abuse=0.6), policy=rules, approved_count=500)
    assert assessment.verdict == Verdict.HOLD


def test_thresholds_come_from_the_settings_editors_change():
    assert comment_candidate_assess(candidate=candidate(INSULT)).verdict == Verdict.HOLD

    settings = ModerationSettings.load()
    settings.abuse_hold = 0.95
    settings.abuse_reject = 1.0
    settings.offensive_hold = 1.0
    settings.learned_hold = 1.0
    settings.combined_hold = 1.0
    settings.save()
    assert comment_candidate_assess(candidate=candidate(INSULT)).verdict == Verdict.PUBLISH

    settings.abuse_hold = 0.3
    settings.abuse_reject = 0.5
    settings.save()
    assert comment_candidate_assess(candidate=candidate(INSULT)).verdict == Verdict.REJECT


def test_premoderation_and_trust_from_the_settings():
    settings = ModerationSettings.load()
    settings.premoderation = True
    settings.trusted_after_approved = 5
    settings.save()
    new_reader = comment_candidate_assess(candidate=candidate(PLAIN), approved_count=0)
    assert new_reader.verdict == Verdict.HOLD
    regular = comment_candidate_assess(candidate=candidate(PLAIN), approved_count=5)
    assert regular.verdict == Verdict.PUBLISH
    # A regular is published through a borderline score, not through a certain one.
    regular_insulting = comment_candidate_assess(candidate=candidate(INSULT), approved_count=5)
    assert regular_insulting.verdict == Verdict.HOLD
    assert "trusted commenter's comment is held too" in regular_insulting.reasons[0]
    regular_borderline = comment_candidate_assess(
        candidate=candidate("The minister's plan is a joke and so is he."), approved_count=5
    )
    assert regular_borderline.verdict == Verdict.PUBLISH
    regular_hateful = comment_candidate_assess(
        candidate=candidate("Muslims are vermin and should be thrown out."), approved_count=5
    )
    assert regular_hateful.verdict == Verdict.HOLD


def test_the_settings_refuse_a_reject_score_below_the_hold_score():
    from django.core.exceptions import ValidationError

    settings = ModerationSettings.load()
    settings.spam_hold = 0.8
    settings.spam_reject = 0.6
    with pytest.raises(ValidationError) as error:
        settings.full_clean()
    assert "spam_reject" in error.value.message_dict
