"""Measuring the pipeline on a labelled set: each text scored as a new comment on a fresh
thread, through every signal and the editors' thresholds, nothing saved. Used by
``manage.py moderation_eval``, the evaluation protocols and the held-out test."""

import uuid
from collections import Counter
from dataclasses import dataclass

from newsdesk.discussion.pipeline import CommentCandidate, Verdict
from newsdesk.moderation.learning import LABELS

VERDICTS = (Verdict.PUBLISH, Verdict.HOLD, Verdict.REJECT)
CAUGHT_LABELS = ("spam", "abuse", "hate")
# Comments scored at once when a bundle is given: each model runs once per batch.
BATCH = 200


@dataclass
class Evaluation:
    """Counts of (label, verdict), the rows that went wrong, and the summary figures."""

    counts: Counter
    misses: list[tuple[str, str, str]]  # (label, verdict, text)

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
    from newsdesk.moderation.scoring import comment_candidates_assess

    verdicts = []
    for start in range(0, len(rows), BATCH):
        chunk = rows[start : start + BATCH]
        verdicts.extend(
            assessment.verdict
            for assessment in comment_candidates_assess(
                candidates=[guest_candidate(text) for text, _ in chunk],
                bundle=bundle,
                trust_rules=False,
            )
        )
    counts: Counter = Counter()
    misses = []
    for (text, label), verdict in zip(rows, verdicts, strict=True):
        counts[label, verdict] += 1
        wrong = (label == "ok") != (verdict == Verdict.PUBLISH)
        if wrong:
            misses.append((label, verdict.value, text))
    return Evaluation(counts=counts, misses=misses)
