"""From signal scores to a verdict: publish, hold or reject, by the editors' policy.

Rules, in order:
1. A signal at or above its reject score rejects the comment.
2. A signal at or above its hold score holds it.
3. Pre-moderation holds everything else.
4. A trusted commenter (``trusted_after`` approved comments) skips holds from rules 2 and 3
   unless the holding signal is marked severe in the settings or reports a severe finding
   (a threat, a bot); rejections still apply.
Every signal's score and reason is recorded in the assessment, whatever the verdict.
"""

from dataclasses import dataclass

from newsdesk.discussion.pipeline import Assessment, Verdict
from newsdesk.moderation.signals import SIGNAL_LABELS, SIGNAL_NAMES, SignalResult


@dataclass(frozen=True)
class SignalPolicy:
    """The thresholds of one signal."""

    hold: float
    reject: float
    severe: bool


@dataclass(frozen=True)
class Policy:
    """What the editors decided, as plain values (see ``ModerationSettings``)."""

    signals: dict[str, SignalPolicy]
    premoderation: bool = False
    trusted_after: int = 3

    @classmethod
    def from_settings(cls, settings) -> "Policy":
        return cls(
            signals={
                name: SignalPolicy(
                    hold=getattr(settings, f"{name}_hold"),
                    reject=getattr(settings, f"{name}_reject"),
                    severe=getattr(settings, f"{name}_severe"),
                )
                for name in SIGNAL_NAMES
            },
            premoderation=settings.premoderation,
            trusted_after=settings.trusted_after_approved,
        )


def assessment_decide(
    *, results: list[SignalResult], policy: Policy, approved_count: int = 0
) -> Assessment:
    """Combine every signal's result into one assessment by ``policy``."""
    rejecting, holding, severe_holding = [], [], []
    for result in results:
        thresholds = policy.signals[result.signal]
        if result.score >= thresholds.reject:
            rejecting.append(result)
        elif result.score >= thresholds.hold:
            holding.append(result)
            if thresholds.severe or result.severe:
                severe_holding.append(result)

    trusted = policy.trusted_after > 0 and approved_count >= policy.trusted_after
    decisions = []
    if rejecting:
        verdict = Verdict.REJECT
        decisions.append("rejected: " + _crossed(rejecting, policy, "reject"))
    elif severe_holding:
        verdict = Verdict.HOLD
        decisions.append("held (severe): " + _crossed(severe_holding, policy, "hold"))
    elif holding and not trusted:
        verdict = Verdict.HOLD
        decisions.append("held: " + _crossed(holding, policy, "hold"))
    elif policy.premoderation and not trusted:
        verdict = Verdict.HOLD
        decisions.append("held: pre-moderation holds every comment")
    else:
        verdict = Verdict.PUBLISH
        if trusted and (holding or policy.premoderation):
            decisions.append(
                f"published: trusted commenter ({approved_count} approved comments) skips "
                + (
                    "the hold by " + _crossed(holding, policy, "hold")
                    if holding
                    else "pre-moderation"
                )
            )
        else:
            decisions.append("published: no signal reached its hold score")

    return Assessment(
        verdict=verdict,
        reasons=[*decisions, *(_describe(result) for result in results)],
        scores={result.signal: round(result.score, 4) for result in results},
    )


def _crossed(results: list[SignalResult], policy: Policy, which: str) -> str:
    return ", ".join(
        f"{SIGNAL_LABELS[r.signal].lower()} {r.score:.2f} "
        f"≥ {getattr(policy.signals[r.signal], which):.2f}"
        for r in results
    )


def _describe(result: SignalResult) -> str:
    severe = " [severe]" if result.severe else ""
    return f"{SIGNAL_LABELS[result.signal]} {result.score:.2f}{severe}: {result.reason}"
