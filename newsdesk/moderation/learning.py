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


class TfidfLinear:
    """TF-IDF vectorizers side by side, then linear decisions: ``decisions(texts)`` equals
    ``hstack([v.transform(texts) for v in vectorizers]) @ coef.T + intercept``.

    Scikit-learn's ``transform`` builds its analyzer, a sparse matrix and runs its input
    checks on every call, which costs far more than the arithmetic for one short comment.
    This keeps the fitted parts (each vectorizer's counter of known n-grams, from
    ``ngrams.py``, its IDF weights, and the coefficient rows of its columns) and computes the
    same sum per text: counts of the known n-grams, sublinear TF, IDF, L2 norm per
    vectorizer, then a dot product.
    """

    def __init__(self, vectorizers, coef, intercept):
        import numpy as np

        from newsdesk.moderation.ngrams import vocabulary_counter

        coef = np.asarray(coef, dtype=np.float64)
        self.intercept = np.asarray(intercept, dtype=np.float64).ravel()
        self.parts = []
        offset = 0
        for vectorizer in vectorizers:
            params = vectorizer.get_params()
            if params["binary"] or params["norm"] not in ("l2", None):
                raise ValueError(f"unsupported vectorizer settings: {params}")
            size = len(vectorizer.vocabulary_)
            self.parts.append(
                (
                    vocabulary_counter(vectorizer),
                    np.asarray(vectorizer.idf_) if params["use_idf"] else None,
                    params["sublinear_tf"],
                    params["norm"] == "l2",
                    np.ascontiguousarray(coef[:, offset : offset + size].T),
                )
            )
            offset += size
        if offset != coef.shape[1]:
            raise ValueError("the coefficients do not match the vectorizers' features")

    def decisions(self, texts: list[str]):
        """One row per text, one column per coefficient row."""
        import numpy as np

        out = np.tile(self.intercept, (len(texts), 1))
        for row, text in enumerate(texts):
            for count, idf, sublinear, l2, weights in self.parts:
                columns, values = count(text)
                if not len(columns):
                    continue
                if sublinear:
                    values = np.log(values) + 1.0
                if idf is not None:
                    values *= idf[columns]
                if l2:
                    norm = np.sqrt(values @ values)
                    if norm > 0:
                        values /= norm
                out[row] += values @ weights[columns]
        return out


_compiled: dict[int, tuple[object, TfidfLinear]] = {}


def _pipeline_compiled(pipeline) -> TfidfLinear:
    """The pipeline's parts as a ``TfidfLinear``, built once per fitted pipeline."""
    entry = _compiled.get(id(pipeline))
    if entry is None or entry[0] is not pipeline:
        features = pipeline.named_steps["features"]
        classifier = pipeline.named_steps["classifier"]
        model = TfidfLinear(
            [vectorizer for _, vectorizer in features.transformer_list],
            classifier.coef_,
            classifier.intercept_,
        )
        _compiled.clear()  # one model is in use at a time
        _compiled[id(pipeline)] = entry = (pipeline, model)
    return entry[1]


def fast_probabilities(pipeline, texts: list[str]):
    """``pipeline.predict_proba(texts)`` computed directly from its fitted parts.

    The same sum (each vectorizer's TF-IDF, stacked, times the coefficients, softmax)
    without scikit-learn's per-call machinery (``TfidfLinear``).
    ``tests/test_signals_learned.py`` checks both agree.
    """
    import numpy as np

    decision = _pipeline_compiled(pipeline).decisions(texts)
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
