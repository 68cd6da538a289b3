"""From signal scores and the commenter's standing to a verdict: publish, hold or reject, by
the editors' policy.

Rules, in order (the first that applies decides):
1. A signal at or above its reject score rejects the comment, whoever wrote it.
2. A severe hold (a signal marked severe in the settings, or a severe finding: a threat, a
   bot) holds it, whoever wrote it.
3. A commenter whose share of rejected comments reached ``hold_rejected_share`` (after
   ``hold_rejected_min`` decided ones) is held, and is never trusted.
4. A signal at or above its hold score holds it; a trusted commenter's comment is published
   through such a hold while every holding score is borderline (below
   ``trusted_borderline_below``).
5. A new commenter's first ``hold_first_comments`` comments are held (a guest is always new;
   an account is new until that many were published, or until it is trusted).
6. A comment with a link from a commenter who is not trusted is held (``hold_links_from_new``).
7. Pre-moderation holds everything else but a trusted commenter's comment.

Before the rules: how a comment was sent (how fast, how often: the spam signal's
``content_score`` sets it apart) never holds a signed-in reader in good standing (not
rejected too often) on its own: for them it counts only when the text itself carries some
spam evidence (``SENDING_NEEDS_CONTENT``). A guest, whom nothing vouches for, is held by it.

Trusted: ``trusted_after`` published comments; or a verified address, an account at least
``trusted_account_days`` old and a published comment; or a supporter (``trust_supporters``:
a signed-in reader who gave). The first reason of the assessment is the decision, in words
both a moderator (the queue, the Decision log) and the commenter (the "held" notice) read;
every signal's score and reason follow, whatever the verdict.
"""

from dataclasses import dataclass, replace

from newsdesk.discussion.pipeline import Assessment, Verdict
from newsdesk.moderation.signals import SIGNAL_LABELS, SIGNAL_NAMES, SignalResult

# How much spam evidence a text itself must carry before the speed and rate of its sending
# count for a signed-in reader in good standing (one link to a source is 0.1, a pitch more).
SENDING_NEEDS_CONTENT = 0.2


@dataclass(frozen=True)
class SignalPolicy:
    """The thresholds of one signal."""

    hold: float
    reject: float
    severe: bool


@dataclass(frozen=True)
class Policy:
    """What the editors decided, as plain values (see ``ModerationSettings``, whose defaults
    these repeat)."""

    signals: dict[str, SignalPolicy]
    premoderation: bool = False
    trusted_after: int = 3
    hold_first_comments: int = 0
    hold_rejected_share: float = 0.5
    hold_rejected_min: int = 3
    hold_links_from_new: bool = True
    trusted_account_days: int = 30
    trust_supporters: bool = True
    trusted_borderline_below: float = 0.9

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
            hold_first_comments=settings.hold_first_comments,
            hold_rejected_share=settings.hold_rejected_share,
            hold_rejected_min=settings.hold_rejected_min,
            hold_links_from_new=settings.hold_links_from_new,
            trusted_account_days=settings.trusted_account_days,
            trust_supporters=settings.trust_supporters,
            trusted_borderline_below=settings.trusted_borderline_below,
        )


@dataclass(frozen=True)
class CommenterStanding:
    """What is known of a comment's author, its own comment not counted
    (``selectors.commenter_standing``). The defaults are a guest: new, unverified, no record.

    ``approved``: published and not shadowed; ``written``: any but deleted; ``decided``: the
    ones moderators published, rejected or marked as spam, ``rejected`` of which they
    rejected or marked as spam; ``account_age_days``: whole days since the account was made.
    """

    signed_in: bool = False
    approved: int = 0
    rejected: int = 0
    decided: int = 0
    written: int = 0
    verified: bool = False
    account_age_days: int = 0
    supporter: bool = False

    @classmethod
    def member_with(cls, *, approved: int) -> "CommenterStanding":
        """An account known only by its published comments (callers that count nothing else)."""
        return cls(signed_in=True, approved=approved, written=approved)


def rejected_too_often(standing: CommenterStanding, policy: Policy) -> bool:
    """Whether the commenter's share of rejected comments reached the editors' limit."""
    if policy.hold_rejected_share >= 1.0 or standing.decided < max(1, policy.hold_rejected_min):
        return False
    return standing.rejected / standing.decided >= policy.hold_rejected_share


def trusted_because(standing: CommenterStanding, policy: Policy) -> str:
    """Why the commenter is trusted, in words ("" when they are not). A guest never is, nor
    a commenter rejected too often."""
    if not standing.signed_in or rejected_too_often(standing, policy):
        return ""
    if policy.trusted_after > 0 and standing.approved >= policy.trusted_after:
        return f"{standing.approved} approved comments"
    if policy.trust_supporters and standing.supporter:
        return "supporter"
    if (
        policy.trusted_account_days > 0
        and standing.verified
        and standing.account_age_days >= policy.trusted_account_days
        and standing.approved >= 1
    ):
        return f"verified account, {standing.account_age_days} days old"
    return ""


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _first_comments(count: int) -> str:
    return "first comment is" if count == 1 else f"first {count} comments are"


def _new_commenter_hold(standing: CommenterStanding, policy: Policy) -> str:
    """The new-commenter rule's words when it holds this comment ("" when it does not)."""
    first = policy.hold_first_comments
    if first <= 0:
        return ""
    rule = f"held: new commenters' {_first_comments(first)} reviewed by a moderator"
    if not standing.signed_in:
        return f"{rule} (a guest is always new: sign in to become a regular)"
    if standing.approved >= first:
        return ""
    if standing.written < first:
        return f"{rule} (this is your {_ordinal(standing.written + 1)})"
    return f"{rule} ({standing.approved} of yours published so far)"


def assessment_decide(
    *,
    results: list[SignalResult],
    policy: Policy,
    standing: CommenterStanding | None = None,
    has_link: bool = False,
    approved_count: int = 0,
) -> Assessment:
    """Combine every signal's result into one assessment by ``policy`` for a commenter of
    ``standing`` (without one: an account with ``approved_count`` published comments).
    ``has_link``: the comment links somewhere (for ``hold_links_from_new``)."""
    if standing is None:
        standing = CommenterStanding.member_with(approved=approved_count)
    if standing.signed_in and not rejected_too_often(standing, policy):
        results = [_sending_set_aside(result) for result in results]
    rejecting, holding, severe_holding = [], [], []
    for result in results:
        thresholds = policy.signals[result.signal]
        if result.score >= thresholds.reject:
            rejecting.append(result)
        elif result.score >= thresholds.hold:
            holding.append(result)
            if thresholds.severe or result.severe:
                severe_holding.append(result)

    trust = trusted_because(standing, policy)
    borderline = [r for r in holding if r.score < policy.trusted_borderline_below]
    new_hold = "" if trust else _new_commenter_hold(standing, policy)
    verdict = Verdict.HOLD
    if rejecting:
        verdict = Verdict.REJECT
        decision = "rejected: " + _crossed(rejecting, policy, "reject")
    elif severe_holding:
        decision = "held (severe): " + _crossed(severe_holding, policy, "hold")
    elif rejected_too_often(standing, policy):
        decision = (
            f"held: {standing.rejected} of your {standing.decided} reviewed comments were rejected"
        )
    elif holding and not (trust and len(borderline) == len(holding)):
        decision = "held: " + _crossed(holding, policy, "hold")
        if trust:
            decision += (
                f" (a trusted commenter's comment is held too at "
                f"{policy.trusted_borderline_below:.2f} or above)"
            )
    elif holding:
        verdict = Verdict.PUBLISH
        decision = (
            f"published: trusted commenter ({trust}) — a borderline score "
            f"({_below(holding, policy)}) does not hold a trusted commenter's comment"
        )
    elif new_hold:
        decision = new_hold
    elif has_link and policy.hold_links_from_new and not trust:
        decision = "held: comments with links from new commenters are reviewed"
    elif policy.premoderation and not trust:
        decision = "held: pre-moderation holds every comment"
    else:
        verdict = Verdict.PUBLISH
        decision = (
            f"published: trusted commenter ({trust}) skips pre-moderation"
            if policy.premoderation
            else "published: no signal reached its hold score"
        )

    return Assessment(
        verdict=verdict,
        reasons=[decision, *(_describe(result) for result in results)],
        scores={result.signal: round(result.score, 4) for result in results},
    )


def _sending_set_aside(result: SignalResult) -> SignalResult:
    """The result as a reader in good standing is judged: without the speed and rate of the
    sending unless the text itself carries spam evidence."""
    if result.content_score is None or result.content_score >= SENDING_NEEDS_CONTENT:
        return result
    return replace(
        result,
        score=result.content_score,
        content_score=None,
        reason=f"{result.reason} (not held for speed or rate alone: a reader in good standing)",
    )


def _crossed(results: list[SignalResult], policy: Policy, which: str) -> str:
    return ", ".join(
        f"{SIGNAL_LABELS[r.signal].lower()} {r.score:.2f} "
        f"≥ {getattr(policy.signals[r.signal], which):.2f}"
        for r in results
    )


def _below(results: list[SignalResult], policy: Policy) -> str:
    return ", ".join(
        f"{SIGNAL_LABELS[r.signal].lower()} {r.score:.2f} < {policy.trusted_borderline_below:.2f}"
        for r in results
    )


def _describe(result: SignalResult) -> str:
    severe = " [severe]" if result.severe else ""
    return f"{SIGNAL_LABELS[result.signal]} {result.score:.2f}{severe}: {result.reason}"
