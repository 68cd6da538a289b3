"""Everything the site learns, fitted together: the words model, the meaning model and the
stacker that weighs every signal into one calibrated probability.

- The **words model** (``learning.pipeline_build``): TF-IDF over words and characters, then
  a logistic regression. It knows the phrasing of the examples it saw.
- The **meaning model**: a logistic regression over sentence embeddings (``embedding.py``).
  It generalises to phrasing it never saw: "they breed like rats" and "a plague of locusts
  on our towns" are near each other in meaning, not in words.
- The **stacker**: a logistic regression whose inputs are every signal's score (the term
  lists, the profanity model, the spam evidence, an ONNX model where configured) and both
  models' class probabilities, and whose output is the probability of each label. Its
  weights are learned on *held-out* predictions: the words and meaning models are fitted
  on four fifths of the examples and predict the fifth they did not see, five times over,
  so the stacker learns how far to trust each model on comments it has never seen, not on
  comments it remembers. That is what makes its probability calibrated, and why the
  editors' threshold on it means the same on a new comment section.

Training runs in the worker (``services/learned.py``) and in the evaluation protocols; a
``ModelBundle`` is pickled into ``LearnedModel.serialized``.
"""

import math
from dataclasses import dataclass, field

import numpy as np

from newsdesk.moderation.learning import LABELS, TrainingExample, pipeline_build

# Bumped when what a bundle holds changes: stored bundles of another version are ignored.
BUNDLE_VERSION = 2
# The signals whose scores the stacker reads beside the two models' probabilities.
TEXT_SIGNALS = ("offensive", "hate", "abuse", "spam")
FOLDS = 5
_EPSILON = 1e-4


@dataclass
class ModelBundle:
    """The fitted models and the stacker's input columns, in order (``features``)."""

    words: object
    meaning: object
    stacker: object
    features: tuple[str, ...]
    labels: list[str]
    example_count: int
    metrics: dict = field(default_factory=dict)
    version: int = BUNDLE_VERSION
    # A column's value when its signal has nothing to say at scoring time (the ONNX model
    # removed or failing): its mean over the training rows, so the stacker reads "no
    # evidence either way" rather than "certainly ok".
    fill: dict[str, float] = field(default_factory=dict)


def meaning_model_build():
    from sklearn.linear_model import LogisticRegression

    # Embeddings are dense and few (256 columns): lbfgs converges in a fraction of a second.
    # No class weighting in either model: a text that says little ("Top", "Thanks") then
    # gets the labels' shares as its probabilities, not a quarter each, which would read
    # as three chances in four of harm.
    return LogisticRegression(C=8.0, max_iter=2000, random_state=0)


def stacker_build():
    from sklearn.linear_model import LogisticRegression

    # No class weighting: the stacker's probabilities are what the thresholds read.
    return LogisticRegression(C=1.0, max_iter=2000, random_state=0)


def _logit(probability: float) -> float:
    clipped = min(1 - _EPSILON, max(_EPSILON, probability))
    return math.log(clipped / (1 - clipped))


def feature_names(*, onnx: bool) -> tuple[str, ...]:
    """The stacker's columns: each text signal, each model's probability of each caught
    label, and the ONNX signal's score where one was configured when it was trained."""
    caught = [label for label in LABELS if label != "ok"]
    return (
        *TEXT_SIGNALS,
        *(f"learned:{label}" for label in caught),
        *(f"semantic:{label}" for label in caught),
        # Spam sells nothing without a link or a contact: the models' spam probabilities
        # again, counted only when the text points somewhere (the spam signal's finding).
        "reach",
        "learned:spam@reach",
        "semantic:spam@reach",
        # How much there is to judge: the models' probabilities of a few words mean less.
        "words",
        *(("onnx",) if onnx else ()),
    )


def feature_rows(
    *,
    features: tuple[str, ...],
    scores: list[dict[str, float]],
    words: list[dict[str, float]],
    meaning: list[dict[str, float]],
    reach: list[bool],
    lengths: list[int],
    fill: dict[str, float] | None = None,
) -> np.ndarray:
    """The stacker's input: one row per comment from its signal scores, the two models'
    class probabilities (``{label: p}``) and whether it points somewhere, as log-odds so
    the weights act on evidence, and its length in words (as a logarithm). A column of
    ``fill`` whose signal score is absent takes the fill value."""
    fill = fill or {}
    rows = np.empty((len(scores), len(features)), dtype=np.float64)
    for row, (signal_scores, word_probs, meaning_probs, points, length) in enumerate(
        zip(scores, words, meaning, reach, lengths, strict=True)
    ):
        for column, name in enumerate(features):
            source, _, label = name.partition(":")
            label, _, condition = label.partition("@")
            if source == "learned":
                value = word_probs.get(label, 0.0)
            elif source == "semantic":
                value = meaning_probs.get(label, 0.0)
            elif source == "reach":
                value = 1.0 if points else 0.0
            elif source == "words":
                rows[row, column] = np.log1p(length)
                continue
            elif name in fill and name not in signal_scores:
                rows[row, column] = fill[name]
                continue
            else:
                value = signal_scores.get(source, 0.0)
            if condition == "reach" and not points:
                value = 0.0
            rows[row, column] = _logit(value)
    return rows


def _probability_dicts(model, matrix_or_texts) -> list[dict[str, float]]:
    probabilities = model.predict_proba(matrix_or_texts)
    return [
        dict(zip(model.classes_, (float(p) for p in row), strict=True)) for row in probabilities
    ]


def fold_assignments(labels: list[str], groups: list[str], folds: int) -> np.ndarray:
    """Each example's fold: the examples of a named group all in one fold (the groups
    dealt round the folds), the others stratified by label across all of them."""
    from sklearn.model_selection import StratifiedKFold

    assignment = np.full(len(labels), -1)
    named = sorted({group for group in groups if group})
    if len(named) >= folds:
        for index, group in enumerate(named):
            assignment[[i for i, g in enumerate(groups) if g == group]] = index % folds
    rest = np.flatnonzero(assignment < 0)
    if len(rest):
        rest_labels = np.asarray(labels)[rest]
        least = min(np.unique(rest_labels, return_counts=True)[1])
        if least >= folds:
            splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=0)
            for fold, (_, test) in enumerate(splitter.split(rest, rest_labels)):
                assignment[rest[test]] = fold
        else:
            assignment[rest] = np.arange(len(rest)) % folds
    return assignment


def _held_out_probabilities(texts, embeddings, labels, groups, folds, weights):
    """Each text's class probabilities from a words and a meaning model that did not see
    it, nor (when its group is named) any text about its group."""
    words = [dict() for _ in texts]
    meaning = [dict() for _ in texts]
    labels_array = np.asarray(labels)
    assignment = fold_assignments(labels, groups, folds)
    for fold in range(folds):
        train, test = np.flatnonzero(assignment != fold), np.flatnonzero(assignment == fold)
        if not len(test) or len(set(labels_array[train])) < 2:
            continue
        fold_texts = [texts[i] for i in train]
        word_model = pipeline_build().fit(
            fold_texts, labels_array[train], classifier__sample_weight=weights[train]
        )
        meaning_model = meaning_model_build().fit(
            embeddings[train], labels_array[train], sample_weight=weights[train]
        )
        test_texts = [texts[i] for i in test]
        for i, probs in zip(test, _probability_dicts(word_model, test_texts), strict=True):
            words[i] = probs
        for i, probs in zip(test, _probability_dicts(meaning_model, embeddings[test]), strict=True):
            meaning[i] = probs
    return words, meaning


def _prepared(texts: list[str]) -> list:
    """Each text as a new guest comment, read for its text alone (no behaviour)."""
    from newsdesk.discussion.pipeline import CommentCandidate
    from newsdesk.moderation.signals import prepare

    prepared = []
    for text in texts:
        item = prepare(CommentCandidate(body=text, thread_key="training", author_name="Guest"))
        item.behaviour = False
        prepared.append(item)
    return prepared


def prepared_texts(texts: list[str]) -> list[str]:
    """Each text as the signals read it (``PreparedComment.text``), e.g. for a model that is
    trained outside the bundle and scored by a signal."""
    return [item.text for item in _prepared(texts)]


def _text_signal_scores(
    prepared: list, words: list[dict]
) -> tuple[list[dict[str, float]], list[bool]]:
    """Each text signal's score of each comment, with the words model's held-out
    probabilities given (the hate signal reads them), and whether it points somewhere."""
    from newsdesk.moderation.signals import SIGNALS

    for item, word_probs in zip(prepared, words, strict=True):
        item.memo["learned"] = word_probs
    modules = [module for module in SIGNALS if module.NAME in TEXT_SIGNALS]
    by_signal = [module.score_many(prepared) for module in modules]
    scores = [dict() for _ in prepared]
    for results in by_signal:
        for row, result in zip(scores, results, strict=True):
            row[result.signal] = result.score
    return scores, [bool(item.memo.get("reach")) for item in prepared]


def _onnx_scores(prepared: list) -> list[float] | None:
    from newsdesk.moderation.signals import onnx

    if not onnx.enabled():
        return None
    return [result.score for result in onnx.score_many(prepared)]


def _stacked_metrics(matrix: np.ndarray, labels: list[str], folds: int) -> dict:
    """Per-label precision and recall of the stacker, cross-validated over held-out inputs."""
    from collections import Counter

    from sklearn.metrics import precision_recall_fscore_support
    from sklearn.model_selection import StratifiedKFold, cross_val_predict

    counts = Counter(labels)
    predicted = cross_val_predict(
        stacker_build(),
        matrix,
        labels,
        cv=StratifiedKFold(n_splits=folds, shuffle=True, random_state=1),
    )
    present = sorted(counts)
    precision, recall, _, support = precision_recall_fscore_support(
        labels, predicted, labels=present, zero_division=0
    )
    accuracy = sum(p == t for p, t in zip(predicted, labels, strict=True)) / len(labels)
    return {
        "cross_validated": True,
        "folds": folds,
        "accuracy": round(accuracy, 4),
        "per_label": {
            label: {"precision": round(p, 4), "recall": round(r, 4), "support": int(s)}
            for label, p, r, s in zip(present, precision, recall, support, strict=True)
        },
    }


def bundle_train(examples: list[TrainingExample], *, measure: bool = True) -> ModelBundle:
    """Fit the words and meaning models on ``examples`` and the stacker on their held-out
    predictions (see the module's docstring). Needs at least two labels, each with two
    examples; raises ValueError otherwise."""
    from collections import Counter

    from newsdesk.moderation.embedding import sentence_embeddings

    prepared = _prepared([example.text for example in examples])
    texts = [item.model_text for item in prepared]  # what the models read when scoring
    labels = [example.label for example in examples]
    counts = Counter(labels)
    if len(counts) < 2:
        raise ValueError("training needs examples of at least two labels")
    folds = min(FOLDS, min(counts.values()))
    if folds < 2:
        raise ValueError("training needs at least two examples of every label")

    embeddings = sentence_embeddings(texts)
    groups = [example.group for example in examples]
    weights = np.asarray([example.weight for example in examples], dtype=np.float64)
    held_out_words, held_out_meaning = _held_out_probabilities(
        texts, embeddings, labels, groups, folds, weights
    )
    scores, reach = _text_signal_scores(prepared, held_out_words)
    onnx_scores = _onnx_scores(prepared)
    if onnx_scores is not None:
        for row, value in zip(scores, onnx_scores, strict=True):
            row["onnx"] = value
    features = feature_names(onnx=onnx_scores is not None)
    matrix = feature_rows(
        features=features,
        scores=scores,
        words=held_out_words,
        meaning=held_out_meaning,
        reach=reach,
        lengths=[len(text.split()) for text in texts],
    )
    fill = (
        {"onnx": float(matrix[:, features.index("onnx")].mean())} if onnx_scores is not None else {}
    )
    metrics = _stacked_metrics(matrix, labels, folds) if measure else {}
    stacker = stacker_build().fit(matrix, labels, sample_weight=weights)
    words = pipeline_build().fit(texts, labels, classifier__sample_weight=weights)
    meaning = meaning_model_build().fit(embeddings, labels, sample_weight=weights)
    return ModelBundle(
        words=words,
        meaning=meaning,
        stacker=stacker,
        features=features,
        labels=list(stacker.classes_),
        example_count=len(examples),
        metrics=metrics,
        fill=fill,
    )
