"""Offensive language: alt-profanity-check's shipped model (a linear SVM over TF-IDF).

The package's ``predict_prob`` goes through scikit-learn's calibrated-classifier machinery,
~5 ms for one text. The same arithmetic done directly on its fitted parts (the vectorizer,
then each fold's linear decision and sigmoid calibration, averaged) takes a fraction of that;
``tests/test_signals_offensive.py`` checks that both agree. It scores swearing, not who is
sworn at: "the president is a corrupt liar" scores high, so this signal alone only holds at a
very high score and the abuse signal decides whether the words are aimed at someone.
"""

import threading

import numpy as np

from newsdesk.moderation.signals.base import PreparedComment, SignalResult, clamp

NAME = "offensive"
LABEL = "Offensive language"

_lock = threading.Lock()
_model = {}


def _parts():
    """Every fold's linear decision over the vectorizer (a ``TfidfLinear``, one output per
    fold) and each fold's sigmoid calibration (a, b): loaded once."""
    with _lock:
        if not _model:
            from profanity_check import profanity_check

            from newsdesk.moderation.learning import TfidfLinear

            coefs, intercepts, a, b = [], [], [], []
            for calibrated in profanity_check.model.calibrated_classifiers_:
                estimator = calibrated.estimator
                (calibrator,) = calibrated.calibrators
                coefs.append(estimator.coef_.ravel().astype(np.float64))
                intercepts.append(float(estimator.intercept_[0]))
                a.append(float(calibrator.a_))
                b.append(float(calibrator.b_))
            _model["decisions"] = TfidfLinear(
                [profanity_check.vectorizer], np.vstack(coefs), np.array(intercepts)
            )
            _model["calibration"] = (np.array(a), np.array(b))
    return _model["decisions"], _model["calibration"]


def profanity_probabilities(texts: list[str]) -> list[float]:
    """Probability that each text is offensive, as ``profanity_check.predict_prob`` gives."""
    if not texts:
        return []
    decisions, (a, b) = _parts()
    calibrated = 1.0 / (1.0 + np.exp(a * decisions.decisions(texts) + b))
    return [float(p) for p in calibrated.mean(axis=1)]


def profanity_fill(prepared: list[PreparedComment]) -> None:
    missing = [item for item in prepared if "profanity" not in item.memo]
    for item, probability in zip(
        missing, profanity_probabilities([item.matchable for item in missing]), strict=True
    ):
        item.memo["profanity"] = probability


def profanity_of(prepared: PreparedComment) -> float:
    profanity_fill([prepared])
    return prepared.memo["profanity"]


def score(prepared: PreparedComment) -> SignalResult:
    return score_many([prepared])[0]


def score_many(prepared: list[PreparedComment]) -> list[SignalResult]:
    profanity_fill(prepared)
    results = []
    for item in prepared:
        probability = item.memo["profanity"]
        reason = (
            f"offensive words (profanity model {probability:.2f})"
            if probability >= 0.5
            else f"no offensive words (profanity model {probability:.2f})"
        )
        results.append(SignalResult(NAME, clamp(probability), reason))
    return results
