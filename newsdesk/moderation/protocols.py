"""Honest measures of the filter: what predicts a comment section it has never seen.

A random holdout shares its authors, targets and turns of phrase with the training set, so
it overstates. These protocols hold out whole groups instead:
- ``random``: a stratified fifth of the training set, the rest trained on (the optimistic
  figure, for comparison);
- ``target``: leave one target out: for each group (nationality, religion, women, ...)
  train without any comment about it, test on its comments, hate and ok alike;
- ``form``: leave one form out: the same for each way of writing (a dehumanising metaphor,
  a dog whistle, a dating pitch, counter-speech, ...);
- ``independent``: train on the whole training set, test on the independent set, written
  apart by an author who saw none of it;
- ``moderators``: what learning from moderators' decisions gains: for each held-out target,
  a share of its comments is given to training as if moderators had decided them (counting
  ``MODERATION_DECISION_WEIGHT`` times, as the site's retraining counts them), and the rest
  is tested, with and without that share.
Every text is scored as a new comment through the signals and the editors' thresholds with
models trained only on the training side (``signals_run(bundle=...)``); the trust rules,
which judge the commenter rather than the text, are left out of the measure.
"""

import random
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field, replace

from newsdesk.moderation import conf
from newsdesk.moderation.evaluation import Evaluation, labelled_rows_evaluate
from newsdesk.moderation.labelled import NOT_A_GROUP, LabelledExample, training_example

PROTOCOLS = ("random", "target", "form", "independent", "moderators")
# A group with fewer comments than this is too small to say anything on its own.
MIN_GROUP = 10
MODERATOR_SHARE = 0.2


@dataclass
class ProtocolResult:
    """One protocol's figures: per held-out group, and pooled over every group."""

    name: str
    groups: dict[str, Evaluation] = field(default_factory=dict)

    @property
    def pooled(self) -> Evaluation:
        counts: Counter = Counter()
        misses = []
        scored = []
        for evaluation in self.groups.values():
            counts.update(evaluation.counts)
            misses.extend(evaluation.misses)
            scored.extend(evaluation.scored)
        return Evaluation(counts=counts, misses=misses, scored=scored)

    def summary(self) -> dict:
        pooled = self.pooled
        summary = {
            "pooled": pooled.summary(),
            "groups": {group: e.summary() for group, e in sorted(self.groups.items())},
        }
        if pooled.scored:
            summary["sweep"] = [asdict(row) for row in pooled.sweep()]
        return summary


def _train(examples: list[LabelledExample], *, decided: Sequence[LabelledExample] = ()):
    """Models trained on ``examples`` and, counting as moderators' decisions do
    (``MODERATION_DECISION_WEIGHT``), ``decided``."""
    from newsdesk.moderation.stacking import bundle_train

    weight = conf.DECISION_WEIGHT
    training = [training_example(example) for example in examples]
    training += [replace(training_example(example), weight=weight) for example in decided]
    return bundle_train(training, measure=False)


def _test(examples: list[LabelledExample], bundle) -> Evaluation:
    return labelled_rows_evaluate([(e.text, e.label) for e in examples], bundle=bundle)


def random_holdout(examples: list[LabelledExample], *, share: float = 0.2) -> ProtocolResult:
    """Train on a stratified random (1 - share), test on the rest."""
    from sklearn.model_selection import train_test_split

    train, test = train_test_split(
        examples, test_size=share, stratify=[e.label for e in examples], random_state=0
    )
    return ProtocolResult("random", {"all": _test(test, _train(train))})


def held_out_groups(examples: list[LabelledExample], *, key: str) -> list[str]:
    """The groups of ``key`` ("target" or "form") big enough to hold out on their own."""
    counts = Counter(getattr(e, key) for e in examples)
    return sorted(g for g, n in counts.items() if g not in NOT_A_GROUP and n >= MIN_GROUP)


def leave_one_out(
    examples: list[LabelledExample],
    *,
    key: str,
    groups: list[str] | None = None,
    progress: Callable[[str], None] | None = None,
) -> ProtocolResult:
    """For each group of ``key``: train without it, test on it."""
    result = ProtocolResult(key)
    for group in groups if groups is not None else held_out_groups(examples, key=key):
        if progress:
            progress(f"{key}: holding out {group}")
        train = [e for e in examples if getattr(e, key) != group]
        test = [e for e in examples if getattr(e, key) == group]
        result.groups[group] = _test(test, _train(train))
    return result


def independent_set(
    examples: list[LabelledExample], independent: list[LabelledExample]
) -> ProtocolResult:
    """Train on every example, test on the independent set."""
    return ProtocolResult("independent", {"all": _test(independent, _train(examples))})


def moderators_gain(
    examples: list[LabelledExample],
    *,
    share: float = MODERATOR_SHARE,
    groups: list[str] | None = None,
    progress: Callable[[str], None] | None = None,
) -> tuple[ProtocolResult, ProtocolResult]:
    """Leave one target out, without and with ``share`` of the held-out target's comments
    decided by moderators and learned from; both tested on the same remaining comments."""
    without, learned = ProtocolResult("without moderators"), ProtocolResult("with moderators")
    shuffle = random.Random(0)  # noqa: S311 (a reproducible split, not a secret)
    for group in groups if groups is not None else held_out_groups(examples, key="target"):
        if progress:
            progress(f"moderators: target {group}")
        rest = [e for e in examples if e.target != group]
        held = [e for e in examples if e.target == group]
        shuffle.shuffle(held)
        decided = held[: max(1, int(len(held) * share))]
        tested = held[len(decided) :]
        without.groups[group] = _test(tested, _train(rest))
        learned.groups[group] = _test(tested, _train(rest, decided=decided))
    return without, learned
