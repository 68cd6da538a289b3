"""Why a comment was held, rejected or removed, in the words its author reads: a statement of
reasons (the EU Digital Services Act, art. 17) tied to the rule or signal that decided.

Each decision that takes a comment out of public view records a reason *code*
(``Decision.reason_code``) beside the moderators' detailed ``reasons`` (which carry the
scores); the author is shown the code's plain words from ``REASONS``, and a moderator's
optional note (``Decision.reason_note``). Scores and thresholds never reach the author:
a spammer would tune against them.

The comment gate's decision is the first reason of its assessment (``policy.py`` and the
ban check in ``wagtail_hooks.py`` write it); ``reason_code_for_decision`` reads which rule
that was. ``tests/test_appeals_reasons.py`` runs every rule of the policy through it, so a
new rule without a code fails there.
"""

from dataclasses import dataclass

from django.utils.translation import gettext, gettext_lazy, gettext_noop

from newsdesk.moderation.signals import SIGNAL_LABELS

# The community guidelines the reasons cite, numbered as the transparency page lists them.
GUIDELINES = (
    gettext_lazy("Respect people for who they are: no hate against a group of people."),
    gettext_lazy("Argue with ideas, not people: no insults, harassment or threats."),
    gettext_lazy("No spam or advertising."),
    gettext_lazy("Keep it civil and on topic."),
    gettext_lazy("Keep private information private: your own and other people's."),
)


@dataclass(frozen=True)
class Reason:
    code: str
    text: str  # the English words; ``reason_text`` reads them in the active language
    # Shown in the moderators' reason list (a moderator's own choice) or not.
    moderator_choice: bool = False


_REASONS = (
    # The comment gate: what the text says.
    Reason(
        "hate",
        gettext_noop("hateful words about a group of people (rule 1 of the community guidelines)"),
    ),
    Reason(
        "abuse",
        gettext_noop(
            "insults or threats towards another person (rule 2 of the community guidelines)"
        ),
    ),
    Reason(
        "spam",
        gettext_noop("it looks like advertising or spam (rule 3 of the community guidelines)"),
    ),
    Reason("offensive", gettext_noop("strong language (rule 4 of the community guidelines)")),
    Reason(
        "model",
        gettext_noop(
            "its wording resembles comments our moderators removed before, so a moderator checks it"
        ),
    ),
    # The comment gate: who writes, and the site's policy.
    Reason(
        "rejected_often",
        gettext_noop(
            "several of your earlier comments were rejected, so a moderator checks yours first"
        ),
    ),
    Reason(
        "first_comments",
        gettext_noop("a new commenter's first comments are checked by a moderator"),
    ),
    Reason("links_new", gettext_noop("links from new commenters are checked first")),
    Reason(
        "premoderation", gettext_noop("every comment is checked by a moderator before it appears")
    ),
    Reason("banned", gettext_noop("a moderator has banned you from the discussions")),
    Reason("held", gettext_noop("a moderator checks it before it appears")),
    # Readers' reports.
    Reason(
        "reports", gettext_noop("readers reported it; it is hidden until a moderator reviews it")
    ),
    # A moderator's choice (the queue's reason list).
    Reason(
        "mod_hate",
        gettext_noop(
            "a moderator found hate against a group of people (rule 1 of the community guidelines)"
        ),
        True,
    ),
    Reason(
        "mod_abuse",
        gettext_noop(
            "a moderator found insults, harassment or threats (rule 2 of the community guidelines)"
        ),
        True,
    ),
    Reason(
        "mod_spam",
        gettext_noop("a moderator found advertising or spam (rule 3 of the community guidelines)"),
        True,
    ),
    Reason(
        "mod_off_topic",
        gettext_noop(
            "a moderator found it uncivil or off topic (rule 4 of the community guidelines)"
        ),
        True,
    ),
    Reason(
        "mod_private",
        gettext_noop(
            "a moderator found private information in it (rule 5 of the community guidelines)"
        ),
        True,
    ),
    Reason("mod_other", gettext_noop("a moderator found it breaks the community guidelines"), True),
)
REASONS = {reason.code: reason for reason in _REASONS}
MODERATOR_REASONS = [(r.code, gettext_lazy(r.text)) for r in _REASONS if r.moderator_choice]
# What a moderator's rejection label says when no reason was chosen from the list.
_LABEL_REASONS = {"hate": "mod_hate", "abuse": "mod_abuse", "spam": "mod_spam"}

# The signals whose hold is explained by the same words ("model": the learned ones).
_SIGNAL_CODES = {
    "hate": "hate",
    "abuse": "abuse",
    "spam": "spam",
    "offensive": "offensive",
    "learned": "model",
    "semantic": "model",
    "onnx": "model",
    "combined": "model",
}
# The gate's decision texts (``policy.assessment_decide``, the ban check) by their start.
_RULE_STARTS = (
    ("rejected: the author is banned", "banned"),
    ("held: new commenters'", "first_comments"),
    ("held: comments with links from new commenters", "links_new"),
    ("held: pre-moderation", "premoderation"),
)


def reason_text(code: str) -> str:
    """The plain words of ``code`` ("" for no code; a code no longer listed reads as the
    guidelines in general, so an old decision still says something true)."""
    if not code:
        return ""
    reason = REASONS.get(code)
    return gettext(reason.text if reason else REASONS["mod_other"].text)


def reason_code_for_decision(decision: str) -> str:
    """The reason code of the comment gate's decision text (its assessment's first reason),
    "" for a decision that publishes (a shadow ban's too: it must not be told)."""
    if not decision.startswith(("held", "rejected")):
        return ""
    for start, code in _RULE_STARTS:
        if decision.startswith(start):
            return code
    if " of your " in decision and "reviewed comments were rejected" in decision:
        return "rejected_often"
    # A signal's hold or rejection names the signals that crossed, strongest evidence first
    # in the order the policy lists them: the first named decides the words.
    named = decision.partition(": ")[2].lower()
    found = [
        (named.find(SIGNAL_LABELS[name].lower()), code)
        for name, code in _SIGNAL_CODES.items()
        if SIGNAL_LABELS[name].lower() in named
    ]
    if found:
        return min(found)[1]
    return "held"


def reason_code_for_status(status_reason: str) -> str:
    """The reason code of a held comment from its ``status_reason`` (the decision's reasons
    joined by "; ", as the comment keeps them): the gate's decision, or readers' reports
    ("hidden after N reports ..."); "held" for anything else (an undo, a moderator)."""
    first = status_reason.split("; ", 1)[0].strip()
    if first.startswith("hidden after"):
        return "reports"
    return reason_code_for_decision(first) or "held"


def reason_code_for_moderator(*, reason: str, label: str) -> str:
    """The reason code a moderator's rejection records: their choice from the list, else
    what their label says, else the guidelines in general."""
    if reason in REASONS and REASONS[reason].moderator_choice:
        return reason
    return _LABEL_REASONS.get(label, "mod_other")
