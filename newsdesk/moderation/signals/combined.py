"""Every signal weighed together: the stacker of ``stacking.py``, whose weights were learned
on held-out predictions, turns all the other signals' scores and both models' class
probabilities into one calibrated probability per label.

The score is the probability that the comment is not ok; the reason names the label it is
likeliest to be and the signals that weighed most towards it. It runs last: it reads the
other signals' scores from ``memo["scores"]`` (``signals_run`` puts them there).
"""

from newsdesk.moderation.signals import learned, onnx
from newsdesk.moderation.signals.base import PreparedComment, SignalResult, clamp

NAME = "combined"
LABEL = "Combined evidence"
# "ok", "All twelve?": a word or two give the models too little to go on (their answers on
# such texts are near their priors, which would hold one in a few); the term lists, the
# spam evidence and the profanity model still judge them.
MIN_WORDS = 3


def score_many(prepared: list[PreparedComment]) -> list[SignalResult]:

    from newsdesk.moderation.learning import linear_probabilities
    from newsdesk.moderation.stacking import feature_rows

    learned.class_probabilities_fill(prepared)
    if not prepared:
        return []
    bundle = prepared[0].memo["bundle"]
    rows = feature_rows(
        features=bundle.features,
        scores=[_scores_given(item) for item in prepared],
        words=[item.memo["learned"] for item in prepared],
        meaning=[item.memo["semantic"] for item in prepared],
        reach=[bool(item.memo.get("reach")) for item in prepared],
        lengths=[len(item.model_text.split()) for item in prepared],
        fill=getattr(bundle, "fill", {}),  # bundles stored before it had none
    )
    probabilities = linear_probabilities(bundle.stacker, rows)
    classes = list(bundle.stacker.classes_)
    ok = classes.index("ok") if "ok" in classes else None
    results = []
    for item, row, features in zip(prepared, probabilities, rows, strict=True):
        if len(item.model_text.split()) < MIN_WORDS:
            results.append(SignalResult(NAME, 0.0, "too short for the models to judge"))
            continue
        not_ok = 1.0 - (row[ok] if ok is not None else 0.0)
        ranked = sorted(
            (index for index in range(len(classes)) if index != ok), key=lambda i: -row[i]
        )
        likeliest = classes[ranked[0]]
        item.memo["combined"] = dict(zip(classes, (float(p) for p in row), strict=True))
        reason = (
            f"weighed together, likeliest {likeliest} ({row[ranked[0]]:.2f}); "
            + _strongest(bundle, likeliest, features)
            if not_ok >= 0.5
            else f"weighed together, likeliest ok ({1.0 - not_ok:.2f})"
        )
        results.append(SignalResult(NAME, clamp(not_ok), reason))
    return results


def _scores_given(item: PreparedComment) -> dict[str, float]:
    """The other signals' scores, less the ONNX model's when it gave none (not configured,
    or failed): its 0 then means "not run", not "certainly ok"."""
    scores = item.memo.get("scores", {})
    if onnx.NAME in scores and onnx.NAME not in item.memo:
        scores = {name: value for name, value in scores.items() if name != onnx.NAME}
    return scores


def _strongest(bundle, label: str, features) -> str:
    """The inputs that pushed hardest towards ``label`` (weight times value), in words."""
    import numpy as np

    classes = list(bundle.stacker.classes_)
    coef = bundle.stacker.coef_
    weights = coef[classes.index(label)] if coef.shape[0] > 1 else coef[0]
    # Only evidence present (a score above even odds) pushing towards the label counts.
    values = np.asarray(features)
    evidence = np.array([name != "words" for name in bundle.features])  # length is no evidence
    pushes = np.where((values > 0) & (np.asarray(weights) > 0) & evidence, weights * values, 0.0)
    top = [bundle.features[i] for i in np.argsort(-pushes)[:3] if pushes[i] > 0]
    return "most weight: " + ", ".join(top) if top else "no single signal dominates"
