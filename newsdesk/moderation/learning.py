"""The site's words model: how it is built, computed fast and (de)serialized.

TF-IDF over words (1- and 2-grams) and characters (2- to 5-grams, which see through
misspellings and leetspeak), then a logistic regression over the labels ok /
spam / abuse / hate. ``stacking.py`` trains it beside the meaning model and the stacker.
Everything runs locally; nothing is fetched from the network.
"""

import pickle
from dataclasses import dataclass

LABELS = ("ok", "spam", "abuse", "hate")


@dataclass(frozen=True)
class TrainingExample:
    """A comment's text and the label a moderator (or the labelled set) gave it; ``group``
    names the target it was written about, when known (the stacker's folds keep a group
    together, so it learns how the models do on a group they never saw); ``weight`` is how
    much it counts in every fit."""

    text: str
    label: str
    group: str = ""
    # A moderator's decision counts more than a shipped example (MODERATION_DECISION_WEIGHT).
    weight: float = 1.0


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
    classifier = LogisticRegression(C=4.0, solver="sag", max_iter=5000, random_state=0)
    return Pipeline([("features", features), ("classifier", classifier)])


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
    return _softmax(_pipeline_compiled(pipeline).decisions(texts))


def linear_probabilities(model, rows):
    """``model.predict_proba(rows)`` of a fitted logistic regression over dense rows,
    computed directly (a product and a softmax) without its per-call input checks, which
    cost more than the arithmetic for one comment. ``tests/test_stacking.py`` checks both
    agree."""
    import numpy as np

    decision = np.asarray(rows, dtype=np.float64) @ model.coef_.T + model.intercept_
    return _softmax(decision)


def _softmax(decision):
    import numpy as np

    if decision.shape[1] == 1:  # two labels: a single logistic decision
        positive = 1.0 / (1.0 + np.exp(-decision[:, 0]))
        return np.column_stack([1.0 - positive, positive])
    decision = decision - decision.max(axis=1, keepdims=True)
    exponentials = np.exp(decision)
    return exponentials / exponentials.sum(axis=1, keepdims=True)


def serialize(pipeline) -> bytes:
    return pickle.dumps(pipeline, protocol=pickle.HIGHEST_PROTOCOL)


def deserialize(data: bytes):
    # Only ever bytes this site wrote itself into its own database (LearnedModel).
    return pickle.loads(data)  # noqa: S301
