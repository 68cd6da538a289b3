"""Measuring the pipeline on a labelled set: each text scored as a new comment on a fresh
thread, through every signal and the editors' thresholds, nothing saved. Used by
``manage.py moderation_eval``, the evaluation protocols and the held-out test."""

import uuid
from collections import Counter
from dataclasses import dataclass, field

from newsdesk.discussion.pipeline import CommentCandidate, Verdict
from newsdesk.moderation.learning import LABELS

VERDICTS = (Verdict.PUBLISH, Verdict.HOLD, Verdict.REJECT)
CAUGHT_LABELS = ("spam", "abuse", "hate")
# Comments scored at once when a bundle is given: each model runs once per batch.
BATCH = 200
# The combined evidence's hold scores a sweep shows (``Evaluation.sweep``).
SWEEP_THRESHOLDS = (0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9)


@dataclass(frozen=True)
class SweepRow:
    """What the measure would have been with the combined evidence holding at ``threshold``
    (every other signal at its current hold score)."""

    threshold: float
    false_hold_rate: float | None
    caught: dict[str, float | None]


@dataclass
class Evaluation:
    """Counts of (label, verdict), the rows that went wrong, and the summary figures."""

    counts: Counter
    misses: list[tuple[str, str, str]]  # (label, verdict, text)
    # Per text: (label, held or rejected by a signal other than the combined evidence,
    # the combined evidence's score); what ``sweep`` recounts.
    scored: list[tuple[str, bool, float]] = field(default_factory=list)

    @property
    def n(self) -> int:
        return sum(self.counts.values())

    def total(self, label: str) -> int:
        return sum(self.counts[label, verdict] for verdict in VERDICTS)

    def stopped_share(self, label: str) -> float | None:
        """Share of ``label`` held or rejected (None when the set has none)."""
        total = self.total(label)
        if not total:
            return None
        stopped = self.counts[label, Verdict.HOLD] + self.counts[label, Verdict.REJECT]
        return round(stopped / total, 4)

    def summary(self) -> dict:
        return {
            "n": self.n,
            "false_hold_rate": self.stopped_share("ok"),
            "caught": {label: self.stopped_share(label) for label in CAUGHT_LABELS},
        }

    def sweep(self, thresholds: tuple[float, ...] = SWEEP_THRESHOLDS) -> list[SweepRow]:
        """The share of each label stopped at each combined hold score in ``thresholds``: the
        trade between false holds and what is caught that an editor chooses along (the
        defaults were chosen this way on the ``target`` protocol, never on the independent
        set). The other signals keep their current hold scores."""
        rows = []
        for threshold in thresholds:
            stopped: Counter = Counter()
            totals: Counter = Counter()
            for label, held_by_others, combined in self.scored:
                totals[label] += 1
                stopped[label] += held_by_others or combined >= threshold
            share = {
                label: round(stopped[label] / totals[label], 4) if totals[label] else None
                for label in LABELS
            }
            rows.append(
                SweepRow(
                    threshold=threshold,
                    false_hold_rate=share["ok"],
                    caught={label: share[label] for label in CAUGHT_LABELS},
                )
            )
        return rows

    def sweep_table(self) -> str:
        """``sweep`` as a table: one row per combined hold score."""
        header = f"{'combined':<10}{'ok held':>9}" + "".join(f"{c:>9}" for c in CAUGHT_LABELS)
        lines = [header]
        for row in self.sweep():
            cells = [row.false_hold_rate, *(row.caught[label] for label in CAUGHT_LABELS)]
            shown = "".join(f"{'-' if v is None else f'{v:.1%}':>9}" for v in cells)
            lines.append(f"{row.threshold:<10.2f}{shown}")
        return "\n".join(lines)

    def table(self) -> str:
        """The confusion table: one row per label, one column per verdict, with totals."""
        columns = ("published", "held", "rejected")
        header = f"{'label':<8}" + "".join(f"{c:>11}" for c in columns) + f"{'total':>8}"
        lines = [header]
        for label in LABELS:
            cells = "".join(f"{self.counts[label, verdict]:>11}" for verdict in VERDICTS)
            lines.append(f"{label:<8}{cells}{self.total(label):>8}")
        return "\n".join(lines)


def guest_candidate(text: str) -> CommentCandidate:
    """A text as a new top-level comment by a guest on a thread of its own."""
    return CommentCandidate(body=text, thread_key=f"eval-{uuid.uuid4().hex}", author_name="Guest")


def labelled_rows_evaluate(rows: list[tuple[str, str]], *, bundle=None) -> Evaluation:
    """Score each text as a new comment on a thread of its own, in batches, with the site's
    current models or ``bundle`` (a ``stacking.ModelBundle``) instead. The trust rules are
    left out: they judge the commenter, not the text, and would hold every new guest's link.
    """
    from newsdesk.moderation.policy import Policy
    from newsdesk.moderation.scoring import comment_candidates_assess
    from newsdesk.moderation.selectors import moderation_settings_get

    policy = Policy.from_settings(moderation_settings_get())
    assessments = []
    for start in range(0, len(rows), BATCH):
        chunk = rows[start : start + BATCH]
        assessments.extend(
            comment_candidates_assess(
                candidates=[guest_candidate(text) for text, _ in chunk],
                bundle=bundle,
                trust_rules=False,
            )
        )
    counts: Counter = Counter()
    misses = []
    scored = []
    for (text, label), assessment in zip(rows, assessments, strict=True):
        verdict = assessment.verdict
        counts[label, verdict] += 1
        wrong = (label == "ok") != (verdict == Verdict.PUBLISH)
        if wrong:
            misses.append((label, verdict.value, text))
        scored.append((label, _held_by_others(assessment.scores, policy), _combined(assessment)))
    return Evaluation(counts=counts, misses=misses, scored=scored)


def _combined(assessment) -> float:
    return float(assessment.scores.get("combined", 0.0))


def _held_by_others(scores: dict[str, float], policy) -> bool:
    """Whether a signal other than the combined evidence reaches its hold score (as the
    policy reads it when the trust rules are left out)."""
    return any(
        score >= policy.signals[name].hold
        for name, score in scores.items()
        if name != "combined" and name in policy.signals
    )
