"""The site's learned classifier: how it is built, trained, measured and (de)serialized.

TF-IDF over words (1- and 2-grams) and characters (2- to 5-grams, which see through misspellings and
leetspeak), then a class-balanced logistic regression over the labels ok / spam / abuse /
hate. Everything runs locally; nothing is fetched from the network.
"""

import pickle
from collections import Counter
from dataclasses import dataclass

LABELS = ("ok", "spam", "abuse", "hate")


@dataclass(frozen=True)
class TrainingExample:
    """A comment's text and the label a moderator (or the labelled set) gave it."""

    text: str
    label: str


@dataclass
class TrainedClassifier:
    """A fitted pipeline with its measured quality, ready to store."""

    pipeline: object
    labels: list[str]
    example_count: int
    metrics: dict


def pipeline_build():
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import FeatureUnion, Pipeline

    features = FeatureUnion(
        [
            ("words", TfidfVectorizer(ngram_range=(1, 2), min_df=1, sublinear_tf=True)),
            (
                "chars",
                TfidfVectorizer(
                    analyzer="char_wb", ngram_range=(2, 5), min_df=2, sublinear_tf=True
                ),
            ),
        ]
    )
    # SAG converges to the same optimum as the default solver, ten times faster on sparse text.
    classifier = LogisticRegression(
        C=4.0, class_weight="balanced", solver="sag", max_iter=5000, random_state=0
    )
    return Pipeline([("features", features), ("classifier", classifier)])


def _cross_validated_metrics(texts: list[str], labels: list[str]) -> dict:
    """Per-label precision and recall from 5-fold cross-validation (what a new comment sees)."""
    from sklearn.metrics import precision_recall_fscore_support
    from sklearn.model_selection import StratifiedKFold, cross_val_predict

    counts = Counter(labels)
    folds = min(5, min(counts.values()))
    if folds < 2:
        return {"cross_validated": False, "counts": dict(counts)}
    predicted = cross_val_predict(
        pipeline_build(),
        texts,
        labels,
        cv=StratifiedKFold(n_splits=folds, shuffle=True, random_state=0),
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


def classifier_train(examples: list[TrainingExample], *, measure: bool = True) -> TrainedClassifier:
    """Fit on ``examples`` (at least two labels); measure by cross-validation first."""
    texts = [example.text for example in examples]
    labels = [example.label for example in examples]
    if len(set(labels)) < 2:
        raise ValueError("training needs examples of at least two labels")
    metrics = _cross_validated_metrics(texts, labels) if measure else {}
    pipeline = pipeline_build().fit(texts, labels)
    return TrainedClassifier(
        pipeline=pipeline,
        labels=list(pipeline.classes_),
        example_count=len(examples),
        metrics=metrics,
    )


def fast_probabilities(pipeline, texts: list[str]):
    """``pipeline.predict_proba(texts)`` computed directly from its fitted parts.

    Scikit-learn's per-call checks cost more than the arithmetic for one short text; this
    is the same sum (each vectorizer's TF-IDF, stacked, times the coefficients, softmax)
    without them. ``tests/test_signals_learned.py`` checks both agree.
    """
    import numpy as np
    from scipy import sparse

    features = pipeline.named_steps["features"]
    classifier = pipeline.named_steps["classifier"]
    matrix = sparse.hstack(
        [vectorizer.transform(texts) for _, vectorizer in features.transformer_list]
    )
    decision = matrix.tocsr() @ classifier.coef_.T + classifier.intercept_
    if decision.shape[1] == 1:  # two labels: a single logistic decision
        positive = 1.0 / (1.0 + np.exp(-decision[:, 0]))
        return np.column_stack([1.0 - positive, positive])
    decision -= decision.max(axis=1, keepdims=True)
    exponentials = np.exp(decision)
    return exponentials / exponentials.sum(axis=1, keepdims=True)


def serialize(pipeline) -> bytes:
    return pickle.dumps(pipeline, protocol=pickle.HIGHEST_PROTOCOL)


def deserialize(data: bytes):
    # Only ever bytes this site wrote itself into its own database (LearnedModel).
    return pickle.loads(data)  # noqa: S301
